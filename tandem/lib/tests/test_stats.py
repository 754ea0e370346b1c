"""Intervals against hand-worked cases and printed tables, and properties that hold for
any data: an interval contains its estimate, widens with confidence, narrows with n."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.lib import stats
from tandem.lib.stats import (
    Estimate,
    mean_change_ci,
    mean_ci,
    proportion_ci,
    t_critical,
    t_upper_tail,
)

# Student's t, two-sided 95% (the 0.975 quantile), from the printed table.
T_95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
    16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
    23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
    30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip
# Two-sided 99% (0.995) and 90% (0.95).
T_99 = {1: 63.657, 2: 9.925, 3: 5.841, 5: 4.032, 10: 3.169, 20: 2.845, 30: 2.750, 120: 2.617}
T_90 = {1: 6.314, 2: 2.920, 3: 2.353, 5: 2.015, 10: 1.812, 20: 1.725, 30: 1.697, 120: 1.658}

confidences = st.floats(min_value=0.5, max_value=0.999)
samples = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40
)


# --- the t critical value -------------------------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "table"), [(0.95, T_95), (0.99, T_99), (0.90, T_90)], ids=["95", "99", "90"]
)
def test_it_matches_the_printed_t_table(confidence, table):
    for df, printed in table.items():
        assert round(t_critical(confidence, df), 3) == printed, df


@given(confidences)
def test_it_matches_the_closed_forms_for_one_and_two_degrees_of_freedom(confidence):
    p = 1 - (1 - confidence) / 2
    # df = 1 is the Cauchy distribution: t = tan(pi (p - 1/2)).
    assert t_critical(confidence, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-9)
    # df = 2: t = (2p - 1) / sqrt(2 p (1 - p)).
    assert t_critical(confidence, 2) == pytest.approx(
        (2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-9
    )


def test_it_tends_to_the_normal_quantile():
    assert t_critical(0.95, math.inf) == pytest.approx(1.959964, abs=1e-6)
    assert t_critical(0.95, 10**9) == pytest.approx(1.959964, abs=1e-6)
    # Either side of the switch to the Cornish-Fisher expansion at 1,000.
    assert t_critical(0.95, 1000) == pytest.approx(1.962339, abs=1e-6)
    assert t_critical(0.95, 1001) == pytest.approx(1.962337, abs=1e-6)


def test_it_handles_fractional_degrees_of_freedom():
    # Checked independently: integrate the t density from 0 to t by Simpson's rule;
    # the area must be confidence / 2.
    df = 3.532847
    t = t_critical(0.95, df)
    constant = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))

    def density(x):
        return constant * (1 + x * x / df) ** (-(df + 1) / 2)

    steps = 2000
    h = t / steps
    area = density(0) + density(t)
    area += sum((4 if i % 2 else 2) * density(i * h) for i in range(1, steps))
    assert area * h / 3 == pytest.approx(0.475, abs=1e-10)
    # And it lies between its integer neighbours, 3.182 (df 3) and 2.776 (df 4).
    assert t_critical(0.95, 4) < t < t_critical(0.95, 3)


def test_the_upper_tail_is_a_half_at_zero_and_falls():
    assert t_upper_tail(0, 5) == pytest.approx(0.5)
    assert t_upper_tail(2.571, 5) == pytest.approx(0.025, abs=1e-4)


@pytest.mark.parametrize(
    ("confidence", "df", "message"),
    [
        (1.0, 5, "between 0 and 1"),
        (0, 5, "between 0 and 1"),
        (float("nan"), 5, "between 0 and 1"),
        (0.95, 0, "degrees of freedom"),
        (0.95, -1, "degrees of freedom"),
        (0.95, float("nan"), "degrees of freedom"),
    ],
)
def test_t_critical_refuses_bad_arguments(confidence, df, message):
    with pytest.raises(ValueError, match=message):
        t_critical(confidence, df)


# --- mean_ci --------------------------------------------------------------------------


def test_it_computes_a_t_interval_for_the_mean():
    # 1..5: mean 3; s^2 = (4 + 1 + 0 + 1 + 4) / 4 = 2.5; se = sqrt(2.5 / 5) = 0.707107;
    # t(0.975, 4) = 2.776445; half width 2.776445 * 0.707107 = 1.963243.
    estimate = mean_ci([1, 2, 3, 4, 5])
    assert estimate.enough
    assert estimate.n == 5
    assert estimate.value == 3
    assert estimate.low == pytest.approx(1.036757, abs=1e-6)
    assert estimate.high == pytest.approx(4.963243, abs=1e-6)


def test_it_computes_a_99_percent_interval():
    # 3, 4, 4, 5: mean 4; s^2 = (1 + 0 + 0 + 1) / 3 = 0.666667; se = sqrt(0.666667 / 4)
    # = 0.408248; t(0.995, 3) = 5.840909; half width 2.384541.
    estimate = mean_ci([3, 4, 4, 5], confidence=0.99)
    assert estimate.low == pytest.approx(1.615459, abs=1e-6)
    assert estimate.high == pytest.approx(6.384541, abs=1e-6)
    assert estimate.confidence == 0.99


def test_identical_values_give_a_zero_width_interval():
    estimate = mean_ci([4, 4, 4])
    assert (estimate.low, estimate.value, estimate.high) == (4, 4, 4)


def test_below_the_minimum_there_is_no_number():
    assert mean_ci([3.0]) == Estimate(1, None, None, None, enough=False)
    estimate = mean_ci([3, 4, 5, 4], minimum=5)
    assert not estimate.enough
    assert estimate.value is None
    assert estimate.n == 4
    assert mean_ci([3, 4, 5, 4, 4], minimum=5).enough


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "empty"),
        ([1, float("nan")], r"values\[1\] is nan"),
        ([1, float("inf")], "finite"),
        ([1, "2"], "not a number"),
        ([1, True], "not a number"),
        ("123", "not a string"),
    ],
)
def test_mean_ci_refuses_bad_values(values, message):
    with pytest.raises(ValueError, match=message):
        mean_ci(values)


@pytest.mark.parametrize("minimum", [1, 0, 2.5, True])
def test_the_minimum_is_at_least_two(minimum):
    with pytest.raises(ValueError, match="2 or more"):
        mean_ci([1, 2, 3], minimum=minimum)


@given(samples, confidences)
def test_the_interval_contains_the_mean(values, confidence):
    estimate = mean_ci(values, confidence)
    assert estimate.low <= estimate.value <= estimate.high


@given(samples, confidences, confidences)
def test_the_interval_widens_with_confidence(values, first, second):
    lower, higher = sorted((first, second))
    narrow, wide = mean_ci(values, lower), mean_ci(values, higher)
    assert wide.high - wide.low >= narrow.high - narrow.low


@given(samples)
def test_the_interval_narrows_with_more_data(values):
    # The same sample twice: same mean and (nearly) the same spread, twice the n.
    once, twice = mean_ci(values), mean_ci(values * 2)
    assert twice.value == pytest.approx(once.value, rel=1e-9, abs=1e-9)
    assert twice.high - twice.low <= once.high - once.low


# --- mean_change_ci -------------------------------------------------------------------


def test_it_computes_a_paired_change():
    # after - before = 1, 1, 2, 0: mean 1; s^2 = (0 + 0 + 1 + 1) / 3 = 0.666667;
    # se = sqrt(0.666667 / 4) = 0.408248; t(0.975, 3) = 3.182446; half width 1.299228.
    estimate = mean_change_ci([3, 4, 2, 5], [4, 5, 4, 5], paired=True)
    assert estimate.n == 4
    assert estimate.value == 1
    assert estimate.low == pytest.approx(-0.299228, abs=1e-6)
    assert estimate.high == pytest.approx(2.299228, abs=1e-6)
    assert estimate.format() == "1.0 (95% CI \u22120.3 to 2.3, n=4)"


def test_it_computes_a_welch_change():
    # before 1..5: mean 3, s^2 2.5, s^2/n 0.5; after 2, 4, 6: mean 4, s^2 4, s^2/n 1.333333.
    # se = sqrt(1.833333) = 1.354006; df = 1.833333^2 / (0.5^2 / 4 + 1.333333^2 / 2)
    # = 3.361111 / 0.951389 = 3.532847; t(0.975, 3.532847) = 2.927405;
    # half width 3.963726 (scipy's ttest_ind(..., equal_var=False) agrees).
    estimate = mean_change_ci([1, 2, 3, 4, 5], [2, 4, 6], paired=False)
    assert estimate.value == 1
    assert estimate.low == pytest.approx(-2.963726, abs=1e-6)
    assert estimate.high == pytest.approx(4.963726, abs=1e-6)
    assert (estimate.n, estimate.sizes) == (8, (5, 3))
    assert estimate.format() == "1.0 (95% CI \u22123.0 to 5.0, n=5 before, 3 after)"


def test_a_welch_change_with_one_side_constant_uses_the_other_sides_df():
    # before 3, 3, 3 (no spread); after 1..5: se = sqrt(2.5 / 5), df = 4 exactly.
    estimate = mean_change_ci([3, 3, 3], [1, 2, 3, 4, 5], paired=False)
    assert estimate.value == 0
    assert estimate.high == pytest.approx(1.963243, abs=1e-6)


def test_a_welch_change_with_no_spread_at_all_has_zero_width():
    estimate = mean_change_ci([3, 3], [4, 4, 4], paired=False)
    assert (estimate.low, estimate.value, estimate.high) == (1, 1, 1)


def test_a_change_needs_the_minimum_on_each_side():
    estimate = mean_change_ci([1, 2, 3, 4, 5], [4], paired=False)
    assert not estimate.enough
    assert estimate.format() == "not enough data (n=5 before, 1 after)"
    assert not mean_change_ci([1, 2, 3, 4], [2, 3, 4, 5], paired=True, minimum=5).enough


def test_paired_values_must_pair_up():
    with pytest.raises(ValueError, match="3 before, 2 after"):
        mean_change_ci([1, 2, 3], [1, 2], paired=True)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [([], [1, 2], "before is empty"), ([1, 2], [1, float("nan")], r"after\[1\]")],
)
def test_a_change_refuses_bad_values(before, after, message):
    with pytest.raises(ValueError, match=message):
        mean_change_ci(before, after, paired=False)


def test_paired_must_be_said():
    with pytest.raises(ValueError, match="paired"):
        mean_change_ci([1, 2], [1, 2], paired=1)  # type: ignore[arg-type]


@given(samples, samples, st.booleans(), confidences)
def test_a_change_interval_contains_the_change(before, after, paired, confidence):
    if paired:
        after = (after * len(before))[: len(before)]
    estimate = mean_change_ci(before, after, paired=paired, confidence=confidence)
    assert estimate.low <= estimate.value <= estimate.high
    mean_after, mean_before = sum(after) / len(after), sum(before) / len(before)
    assert estimate.value == pytest.approx(mean_after - mean_before, rel=1e-9, abs=1e-6)


# --- proportion_ci --------------------------------------------------------------------


def test_it_computes_a_wilson_interval():
    # 8 of 10, z = 1.959964, z^2/n = 0.384146: centre (0.8 + 0.192073) / 1.384146
    # = 0.716738; half width 1.959964 / 1.384146 * sqrt(0.016 + 0.0096037) = 0.226577.
    estimate = proportion_ci(8, 10)
    assert estimate.value == 0.8
    assert estimate.low == pytest.approx(0.490162, abs=1e-6)
    assert estimate.high == pytest.approx(0.943318, abs=1e-6)
    assert estimate.format(0, percent=True) == "80% (95% CI 49%\u201394%, n=10)"


def test_a_wilson_interval_with_no_successes_starts_at_zero():
    # 0 of 7: z^2/n = 0.548780; centre 0.274390 / 1.548780 = 0.177165 and the half width
    # is the same, 1.265489 * sqrt(0.548780 / 28) = 0.177165, so the interval is 0-0.354331.
    estimate = proportion_ci(0, 7)
    assert estimate.low == 0
    assert estimate.high == pytest.approx(0.354330, abs=1e-6)
    assert proportion_ci(7, 7).high == 1
    assert proportion_ci(7, 7).low == pytest.approx(1 - 0.354330, abs=1e-6)


def test_a_proportion_below_the_minimum_has_no_number():
    assert proportion_ci(3, 4, minimum=5).format() == "not enough data (n=4)"


@pytest.mark.parametrize(
    ("successes", "n", "message"),
    [
        (0, 0, "at least one case"),
        (5, 4, "between 0 and n"),
        (-1, 4, "between 0 and n"),
        (1.0, 4, "whole number"),
        (1, 4.0, "whole number"),
    ],
)
def test_proportion_ci_refuses_bad_counts(successes, n, message):
    with pytest.raises(ValueError, match=message):
        proportion_ci(successes, n)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_a_wilson_interval_stays_within_0_and_1_and_contains_the_proportion(case):
    successes, n = case
    estimate = proportion_ci(successes, n)
    assert 0 <= estimate.low <= estimate.value <= estimate.high <= 1


@given(
    st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    confidences,
    confidences,
)
def test_a_wilson_interval_widens_with_confidence(case, first, second):
    lower, higher = sorted((first, second))
    narrow, wide = proportion_ci(*case, lower), proportion_ci(*case, higher)
    assert wide.high - wide.low >= narrow.high - narrow.low - 1e-12


@given(st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_a_wilson_interval_narrows_with_more_data(case):
    successes, n = case
    once, more = proportion_ci(successes, n), proportion_ci(successes * 4, n * 4)
    assert more.high - more.low < once.high - once.low


# --- formatting -----------------------------------------------------------------------


def test_it_formats_an_estimate():
    estimate = Estimate(12, 3.42, 3.11, 3.74, enough=True)
    assert estimate.format() == "3.4 (95% CI 3.1\u20133.7, n=12)"
    assert str(estimate) == estimate.format()
    assert estimate.format(2) == "3.42 (95% CI 3.11\u20133.74, n=12)"


def test_it_formats_changes_with_a_sign_and_negative_ends_with_to():
    estimate = Estimate(20, 0.4, -0.04, 0.84, enough=True, confidence=0.9)
    # -0.04 rounds to 0.0, shown without a minus sign.
    assert estimate.format(signed=True) == "+0.4 (90% CI 0.0 to +0.8, n=20)"
    falling = Estimate(20, -0.4, -0.7, -0.1, enough=True, confidence=0.995)
    assert falling.format() == "\u22120.4 (99.5% CI \u22120.7 to \u22120.1, n=20)"


def test_it_formats_not_enough_data():
    assert Estimate.insufficient(3).format() == "not enough data (n=3)"


def test_an_estimate_is_either_a_number_or_not_enough():
    with pytest.raises(ValueError, match="needs a value"):
        Estimate(5, 3.0, None, None, enough=True)
    with pytest.raises(ValueError, match="has no value"):
        Estimate(5, 3.0, 2.0, 4.0, enough=False)


# --- summaries (n, sum, sum of squares) -------------------------------------------------


def test_summary_of_hand_computed_values() -> None:
    summary = stats.Summary.of([2, 4, 4, 5])
    assert (summary.n, summary.total, summary.squares) == (4, 15, 61)
    assert summary.mean == 3.75
    # sum of squared deviations 0.5625*... = 4.75; / (n - 1) = 1.58333...
    assert summary.variance == pytest.approx(4.75 / 3)


def test_summaries_add_up_like_the_values_they_summarise() -> None:
    assert stats.Summary.of([1, 2]) + stats.Summary.of([3]) == stats.Summary.of([1, 2, 3])


def test_equal_values_have_no_variance_even_after_rounding() -> None:
    assert stats.Summary.of([0.1] * 7).variance == 0.0


@given(
    st.lists(st.integers(1, 5) | st.floats(1, 5), min_size=1, max_size=40),
    st.lists(st.integers(1, 5) | st.floats(1, 5), min_size=1, max_size=40),
)
def test_summary_intervals_match_the_intervals_of_the_values(
    before: list[float], after: list[float]
) -> None:
    one = stats.summary_mean_ci(stats.Summary.of(before))
    expected = stats.mean_ci(before)
    assert one.enough == expected.enough and one.n == expected.n
    if expected.enough:
        assert one.value == pytest.approx(expected.value)
        # Sums of squares lose a few digits when the values barely differ
        # (2 and 2.00001): equal to a millionth of a point, far below any display.
        assert one.low == pytest.approx(expected.low, abs=1e-6)
        assert one.high == pytest.approx(expected.high, abs=1e-6)
    change = stats.summary_change_ci(stats.Summary.of(before), stats.Summary.of(after))
    expected = stats.mean_change_ci(before, after, paired=False)
    assert change.enough == expected.enough and change.sizes == expected.sizes
    if expected.enough:
        assert change.value == pytest.approx(expected.value)
        assert change.low == pytest.approx(expected.low, abs=1e-6)
        assert change.high == pytest.approx(expected.high, abs=1e-6)


def test_summary_interval_needs_two_values() -> None:
    assert not stats.summary_mean_ci(stats.Summary.of([4])).enough
    assert str(stats.summary_mean_ci(stats.Summary.of([4]))) == "not enough data (n=1)"
