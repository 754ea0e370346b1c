"""Mentoring programs may match high potentials first: the preference comes from the
latest closed talent review, through mentoring's extension point, and changes who is
matched when places are short, never a score or an explanation."""

import pytest

from tandem.mentoring import matching
from tandem.mentoring.tests import factories
from tandem.succession.models import Placement, ReviewStatus, TalentReview

pytestmark = pytest.mark.django_db


def rate(person, potential):
    review, _ = TalentReview.objects.get_or_create(
        name="Talent review", defaults={"status": ReviewStatus.CLOSED}
    )
    Placement.objects.create(
        review=review, person=person, performance="moderate", potential=potential
    )


def test_a_high_potential_is_matched_first_with_the_same_score():
    program = factories.mentoring_program()
    factories.make_mentor(program, capacity=1)
    near = factories.make_mentee(program, time_zone="Europe/Lisbon", location="Lisbon")
    far = factories.make_mentee(program, time_zone="Asia/Tokyo", location="Tokyo")
    rate(far.person, "high")
    rate(near.person, "moderate")

    def matched():
        solved = matching.solve(program=program)
        (pair,) = solved.result.pairs
        return solved.pool.mentees[pair.mentee], pair.score

    who, score_near = matched()
    assert who == near  # closer in time zone and place: the better fit
    settings = matching.settings_of(program)
    settings.prefer_high_potential = True
    settings.save()
    program = type(program).objects.get(pk=program.pk)  # fresh settings
    who, score_far = matched()
    assert who == far and score_far < score_near
    pool = matching.pool_build(program=program)
    i = pool.mentees.index(far)
    assert pool.explain(i, 0).score == score_far
