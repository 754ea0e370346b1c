"""The program impact report on an organization whose effect is known (scenario.py)."""

import datetime

import pytest
from django.test import TestCase

from tandem.insights import report
from tandem.insights.tests import scenario
from tandem.lib import impact
from tandem.people.models import ExitType
from tandem.programs.models import Metric, SuccessCriterion


def _figure(result, key):
    return next(figure for figure in result.figures if figure.key == key)


class KnownEffect(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = scenario.build(effect=True)
        SuccessCriterion.objects.create(
            program=cls.world.program,
            metric=Metric.TEAM_ENGAGEMENT,
            baseline=60,
            target=65,
            unit="points",
            measure_by=datetime.date(2026, 1, 1),
        )
        cls.result = report.program_impact(cls.world.program, on=scenario.ON)

    def test_it_matches_every_participant_with_a_comparison_manager(self):
        assert self.result.participants == 12
        assert self.result.comparison == 12

    def test_it_isolates_the_effect_on_team_engagement_by_difference_in_differences(self):
        effect = next(e for e in self.result.effects if e.key == "team_engagement")
        assert effect.estimate.value == pytest.approx(8.0)
        assert effect.estimate.sizes == (12, 12, 12, 12)
        assert effect.treated_after.value == pytest.approx(70.0)
        assert effect.comparison_after.value == pytest.approx(62.0)

    def test_team_figures_show_participants_against_the_comparison_group(self):
        figure = _figure(self.result, "team_engagement")
        assert figure.estimate.value == pytest.approx(70.0)
        assert figure.estimate.n == 12
        assert figure.comparison.value == pytest.approx(62.0)
        # Two promoters and two detractors in every team: eNPS 0.
        assert _figure(self.result, "team_enps").estimate.value == pytest.approx(0.0)

    def test_the_trend_has_one_point_per_closed_pulse(self):
        assert self.result.trend_labels == ["Pulse March 2025", "Pulse December 2025"]
        values = [e.value for e in self.result.trend[report.PARTICIPANTS]]
        assert values == [pytest.approx(60.0), pytest.approx(70.0)]

    def test_a_criterion_beyond_its_target_is_met(self):
        (status,) = self.result.criteria
        assert status.verdict == impact.MET
        assert status.due

    def test_without_exits_there_is_no_hazard_ratio_and_no_exits_avoided(self):
        assert not self.result.retention.hazard_ratio.enough
        assert self.result.retention.exits_avoided == 0

    def test_without_costs_there_is_no_roi(self):
        assert self.result.roi is None
        assert self.result.levels[4].summary.startswith("No costs")


class NoEffect(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = scenario.build(effect=False)
        cls.result = report.program_impact(cls.world.program, on=scenario.ON)

    def test_a_program_without_effect_shows_none(self):
        effect = next(e for e in self.result.effects if e.key == "team_engagement")
        assert effect.estimate.value == pytest.approx(0.0)


class Retention(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = scenario.build()
        # 1 participant and 6 comparison managers leave voluntarily.
        leaving = cls.world.participants[:1] + cls.world.others[:6]
        for number, person in enumerate(leaving):
            person.exit_date = scenario.START + datetime.timedelta(days=30 + 20 * number)
            person.exit_type = ExitType.VOLUNTARY
            person.save()
        cls.result = report.program_impact(cls.world.program, on=scenario.ON)

    def test_it_draws_both_curves_and_a_hazard_ratio_below_one(self):
        curves = self.result.retention.curves
        assert curves[report.PARTICIPANTS].events == 1
        assert curves[report.COMPARISON].events == 6
        ratio = self.result.retention.hazard_ratio
        assert ratio.enough and ratio.value < 1

    def test_retention_figures_count_voluntary_exits(self):
        figure = _figure(self.result, "participant_retention")
        assert figure.estimate.value == pytest.approx(11 / 12 * 100)
        assert figure.comparison.value == pytest.approx(6 / 12 * 100)
