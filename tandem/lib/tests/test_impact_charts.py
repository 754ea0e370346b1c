"""The impact charts: SVG documents that draw a figure without enough data as a gap
(or a note saying so), never as a zero. Text is drawn as paths; matplotlib leaves each
text as a comment beside its path, which is what these tests read."""

import re

import pytest

from tandem.lib import impact, impact_charts, stats

NOT_ENOUGH = stats.Estimate.insufficient(3)


def estimate(value: float, half_width: float = 2.0, n: int = 20) -> stats.Estimate:
    return stats.Estimate(n, value, value - half_width, value + half_width, enough=True)


def texts(svg: str) -> list[str]:
    return re.findall(r"<!-- (.*?) -->", svg)


def stays(count: int, leaving: int) -> list[tuple[float, bool]]:
    return [(30.0 * (person + 1), person < leaving) for person in range(count)]


def test_it_breaks_a_line_where_a_value_is_missing():
    assert impact_charts.runs([1.0, 2.0, None, 4.0, None, None, 7.0, 8.0]) == [
        [0, 1],
        [3],
        [6, 7],
    ]
    assert impact_charts.runs([None, None]) == []


def test_it_draws_the_engagement_trend_with_gaps_not_zeros():
    labels = ["Q1 2026", "Q2 2026", "Q3 2026"]
    svg = impact_charts.trend_svg(
        labels,
        {
            "participants' teams": [estimate(61), NOT_ENOUGH, estimate(67)],
            "comparison teams": [estimate(60), estimate(60.5), estimate(61)],
        },
        "engagement index (0-100)",
    )
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    words = texts(svg)
    assert {"Q1 2026", "participants' teams", "comparison teams"} <= set(words)
    assert any("gaps: not enough data" in word for word in words)
    # The participants' two lone points are two runs, drawn apart: three lines in all.
    assert svg.count('id="line2d_') >= 3


def test_it_names_a_series_without_any_data_in_the_legend():
    svg = impact_charts.trend_svg(["Q1"], {"comparison teams": [NOT_ENOUGH]}, "eNPS")
    assert "comparison teams: not enough data" in texts(svg)


def test_it_refuses_a_series_that_does_not_match_the_labels():
    with pytest.raises(ValueError, match="2 points for 3 labels"):
        impact_charts.trend_svg(["a", "b", "c"], {"x": [estimate(1), estimate(2)]}, "y")


def test_it_draws_retention_curves_and_lists_a_small_group_as_not_enough_data():
    curves = impact.retention_curves(
        {"participants": stays(20, 2), "comparison": stays(30, 9), "new joiners": stays(3, 1)}
    )
    svg = impact_charts.retention_svg(curves)
    words = texts(svg)
    assert "participants (n=20, 2 left)" in words
    assert "comparison (n=30, 9 left)" in words
    assert "new joiners: not enough data (n=3)" in words
    assert any(word.startswith("months since") for word in words)


def test_it_places_each_criterion_on_its_own_baseline_to_target_scale():
    assert impact_charts.progress(55, baseline=40, target=70) == pytest.approx(50)
    # A decreasing target: turnover from 15% down to 8%; 8 is the target, 100.
    assert impact_charts.progress(8, baseline=15, target=8) == pytest.approx(100)
    assert impact_charts.progress(18.5, baseline=15, target=8) == pytest.approx(-50)
    # A target equal to its baseline ("hold at 60"): the target is 100, 66 is 110.
    assert impact_charts.progress(66, baseline=60, target=60) == pytest.approx(110)


def test_it_draws_criteria_against_baseline_and_target_and_says_when_data_is_short():
    svg = impact_charts.criteria_svg(
        [
            impact_charts.CriterionRow("Goal completion", estimate(75, 5), 40, 70, impact.MET),
            impact_charts.CriterionRow("Turnover", estimate(9, 3), 15, 8, impact.NOT_YET_CLEAR),
            impact_charts.CriterionRow("Engagement", NOT_ENOUGH, 60, 70, impact.NOT_ENOUGH_DATA),
        ]
    )
    words = texts(svg)
    assert {"Goal completion", "Turnover", "Engagement", "baseline", "target", "met"} <= set(words)
    assert "not enough data (n=3)" in words


def test_it_draws_the_roi_waterfall_down_for_costs_up_for_benefits_and_the_net():
    svg = impact_charts.waterfall_svg(
        [
            ("Coach fees", -300_000.0),
            ("Participant time", -125_000.0),
            ("Exits avoided", 750_000.0),
        ],
        "EUR",
    )
    words = texts(svg)
    assert {"Coach fees", "Exits avoided", "Net", "net: EUR 325k"} <= set(words)
    assert svg.count('id="patch_') >= 5  # background, axes, three steps and the net


def test_it_writes_amounts_compactly_with_a_true_minus_sign():
    assert impact_charts.money(325_000, "EUR") == "EUR 325k"
    assert impact_charts.money(-1_250_000, "USD") == "\u2212USD 1.25M"
    assert impact_charts.money(0, "EUR") == "EUR 0"


def test_it_refuses_a_waterfall_step_that_is_not_a_finite_amount():
    with pytest.raises(ValueError, match="not a finite amount"):
        impact_charts.waterfall_svg([("Coach fees", float("nan"))], "EUR")


def test_it_draws_effects_around_0_one_panel_per_unit():
    svg = impact_charts.effects_svg(
        [
            ("Team engagement", "points", estimate(4.2, 3)),
            ("360 change", "points", NOT_ENOUGH),
            ("Voluntary turnover", "%", estimate(-3, 2)),
        ]
    )
    words = texts(svg)
    assert {"Team engagement", "360 change", "Voluntary turnover"} <= set(words)
    assert "not enough data (n=3)" in words
    assert sum(word.startswith("effect (") for word in words) == 2  # one panel per unit


def test_it_draws_an_empty_forest_plot_without_failing():
    assert "no effects to show" in texts(impact_charts.effects_svg([]))


def test_it_draws_the_same_svg_twice():
    def draw() -> str:
        return impact_charts.effects_svg([("Engagement", "points", estimate(2))])

    assert draw() == draw()
