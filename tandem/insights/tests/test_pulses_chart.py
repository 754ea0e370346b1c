"""The pulse trend chart (tandem.lib.pulse_charts): plain numbers in, an SVG out; a
pulse that is not shown has no point."""

from tandem.lib import pulse_charts


def test_it_draws_both_panels_and_skips_pulses_not_shown():
    svg = pulse_charts.pulse_trend_svg(
        ["Q1", "Q2", "Q3"],
        ([50.0, None, 60.0], [45.0, None, 55.0], [55.0, None, 65.0]),
        ([10.0, None, -5.0], [0.0, None, -20.0], [20.0, None, 10.0]),
        index_label="Engagement index",
        enps_label="eNPS",
    )
    assert svg.startswith("<?xml") and "</svg>" in svg


def test_one_pulse_or_none_shown_still_draws():
    one = pulse_charts.pulse_trend_svg(
        ["Q1"], ([50.0], [45.0], [55.0]), ([None], [None], [None]), index_label="i", enps_label="e"
    )
    assert "</svg>" in one
    empty = pulse_charts.pulse_trend_svg(
        ["Q1", "Q2"], ([None, None],) * 3, ([None, None],) * 3, index_label="i", enps_label="e"
    )
    assert "</svg>" in empty
