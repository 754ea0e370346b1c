"""The report charts: SVG documents that leave out the figures that are not shown."""

import base64

from tandem.lib import charts


def test_it_draws_the_competency_profile_as_svg():
    svg = charts.competency_profile_svg(
        ["Listening", "Deciding"],
        {"Self": [5.0, 2.5], "All others": [3.5, None]},
        scale_min=1,
        scale_max=5,
    )
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg.count('id="patch_') >= 3  # background, axes, and the three bars drawn


def test_it_draws_the_gap_chart_even_with_missing_gaps():
    svg = charts.gap_svg(["Listening", "Deciding"], [1.5, None], much=4 / 3)
    assert "<svg" in svg


def test_it_embeds_an_svg_as_a_data_uri():
    uri = charts.data_uri("<svg/>")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == b"<svg/>"


def test_it_draws_the_same_svg_twice():
    def draw():
        return charts.gap_svg(["A"], [0.5], much=1.0)

    assert draw() == draw()


def test_it_draws_the_journal_pause_trend_and_trigger_counts():
    trend = charts.pause_trend_svg(["Jan", "Feb", "Mar"], [3, 0, 5], [1, 0, 4])
    bars = charts.count_bars_svg(["Criticism", "Time pressure"], [4, 2])
    assert "<svg" in trend and "<svg" in bars
    assert trend == charts.pause_trend_svg(["Jan", "Feb", "Mar"], [3, 0, 5], [1, 0, 4])
