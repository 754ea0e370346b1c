"""The succession demo: critical roles, two talent reviews a year apart, slates,
openings filled from inside and outside, and a year of monthly pipeline snapshots."""

from datetime import date, timedelta

from django.test import TestCase

from tandem.people import demo as people_demo
from tandem.people.demo import load_demo
from tandem.succession import demo, pipeline
from tandem.succession.models import (
    CriticalRole,
    FillSource,
    Opening,
    PipelineSnapshot,
    ReviewStatus,
    Successor,
    TalentReview,
)

AS_OF = date(2026, 6, 30)


class TestTheLoadedPipeline(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo(size=400, seed=1, as_of=AS_OF)

    def test_it_holds_two_closed_reviews_a_year_apart_with_movement(self):
        first, second = TalentReview.objects.order_by("held_on")
        assert first.status == second.status == ReviewStatus.CLOSED
        assert timedelta(days=330) < second.held_on - first.held_on < timedelta(days=400)
        before = {p.person_id: p.box for p in first.placements.all()}
        after = {p.person_id: p.box for p in second.placements.all()}
        both = before.keys() & after.keys()
        assert len(both) > 30
        assert any(before[k] != after[k] for k in both) and any(before[k] == after[k] for k in both)
        assert second.placements.exclude(calibrated_at=None).exists()

    def test_roles_have_slates_and_some_gaps(self):
        roles = CriticalRole.objects.all()
        assert roles.count() >= 8
        assert Successor.objects.filter(readiness="ready_now").exists()
        assert roles.filter(slate=None).exists()
        assert roles.exclude(vacancy_expected_on=None).count() == 2
        for successor in Successor.objects.select_related("role__incumbent", "person"):
            assert successor.person.is_managed_by(successor.role.incumbent)

    def test_openings_are_filled_both_ways_and_some_are_open(self):
        assert Opening.objects.filter(source=FillSource.INTERNAL).exists()
        assert Opening.objects.filter(source=FillSource.EXTERNAL).exists()
        assert Opening.objects.filter(filled_on=None).count() == 2

    def test_the_latest_snapshot_agrees_with_the_figures_of_today(self):
        assert PipelineSnapshot.objects.count() == 12
        latest = PipelineSnapshot.objects.last()
        assert latest is not None
        now = pipeline.current_figures()
        # The snapshot is from the first of the month: the roles are the same.
        assert latest.figures["critical_roles"] == now["critical_roles"]
        assert any("Succession:" in line for line in self.summary.extras)

    def test_it_registers_with_the_demo_organization(self):
        assert (demo.load_succession, demo.delete_succession) in people_demo._LOADERS
