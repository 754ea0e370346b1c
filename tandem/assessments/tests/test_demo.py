"""The demo organization's 360 reviews: a cohort reviewed twice, with reports that show
all others, blind spots, change over time and a group with too few answers."""

from datetime import date

import pytest
from django.test import TestCase

from tandem.assessments import demo
from tandem.assessments.models import RaterGroup, Review, ReviewStatus, StyleProfile
from tandem.assessments.report import ALL_OTHERS, build_report
from tandem.lib import anonymity, johari
from tandem.people.demo import load_demo

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 2)


@pytest.fixture
def loaded():
    return load_demo(size=400, seed=1, as_of=AS_OF)


class TestTheLoadedReviews(TestCase):
    """Read-only checks of one loaded demo (loaded once for the class)."""

    @classmethod
    def setUpTestData(cls):
        cls.loaded = load_demo(size=400, seed=1, as_of=AS_OF)

    def test_it_writes_two_closed_reviews_per_participant(self):
        reviews = Review.objects.all()
        assert reviews.count() == 12
        assert not reviews.exclude(status=ReviewStatus.CLOSED).exists()
        assert reviews.values("subject").distinct().count() == 6
        seconds = reviews.filter(previous__isnull=False)
        assert seconds.count() == 6
        for review in seconds:
            assert review.previous.subject_id == review.subject_id
            assert review.previous.closed_at < review.created_at
            assert review.closed_at.date() < AS_OF
        assert reviews.first().instrument.is_frozen
        assert any("Assessments: 12 closed 360 reviews" in line for line in self.loaded.extras)

    def test_every_report_shows_all_others_and_the_cohort_has_blind_spots(self):
        blind_spots = 0
        for review in Review.objects.all():
            report = build_report(review)
            assert ALL_OTHERS in report.columns
            assert "self" in report.columns
            quadrants = {q.key: q for q in report.johari}
            blind_spots += len(quadrants[johari.BLIND_SPOT].items)
            if review.previous_id:
                assert report.previous == review.previous
        assert blind_spots > 0

    def test_coaching_improves_as_seen_by_direct_reports(self):
        gains = []
        for review in Review.objects.filter(previous__isnull=False):
            report = build_report(review)
            coaching = next(c for c in report.competencies if c.key == demo.COACHING)
            now, before = coaching.mean(ALL_OTHERS), None
            previous = build_report(review.previous)
            before = next(c for c in previous.competencies if c.key == demo.COACHING).mean(
                ALL_OTHERS
            )
            gains.append(now - before)
        assert sum(gains) / len(gains) > 0.2

    def test_one_second_review_has_too_few_direct_reports(self):
        few = [
            review
            for review in Review.objects.filter(previous__isnull=False)
            if review.responses.filter(group=RaterGroup.DIRECT_REPORTS).count() == 2
        ]
        assert len(few) == 1
        report = build_report(few[0])
        for competency in report.competencies:
            figure = competency.figure(RaterGroup.DIRECT_REPORTS)
            assert figure is not None and figure.mean is None
            assert figure.reason == anonymity.NOT_ENOUGH_RESPONSES
            assert competency.mean(ALL_OTHERS) is not None
        earlier = build_report(few[0].previous)
        assert all(c.mean(RaterGroup.DIRECT_REPORTS) is not None for c in earlier.competencies)

    def test_the_demo_users_have_style_profiles(self):
        usernames = set(StyleProfile.objects.values_list("person__user__username", flat=True))
        assert usernames == {"participant", "manager"}
        assert not StyleProfile.objects.filter(style_key="").exists()


def test_it_resets_and_is_deterministic(loaded):
    def fingerprint():
        return sorted(
            (
                r.subject.email,
                r.previous_id is not None,
                sorted(map(str, r.responses.values_list("answers", flat=True))),
            )
            for r in Review.objects.select_related("subject")
        )

    first = fingerprint()
    summary = load_demo(size=400, seed=1, as_of=AS_OF, reset=True)
    assert summary.loaded
    assert Review.objects.count() == 12
    assert StyleProfile.objects.count() == 2
    assert fingerprint() == first


def test_it_copes_with_the_smallest_organization():
    load_demo(size=40, seed=1, as_of=AS_OF)
    for review in Review.objects.all():
        build_report(review)


def test_it_registers_with_the_demo_organization():
    from tandem.people import demo as people_demo
    from tandem.programs import demo as programs_demo

    loaders = [loader for loader, _ in people_demo._LOADERS]
    assert (demo.load_assessments, demo.delete_assessments) in people_demo._LOADERS
    assert loaders.index(programs_demo.load_programs) < loaders.index(demo.load_assessments)
