"""The statistics of impact on hand-computed cases (tandem.lib.impact)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.lib import impact, stats
from tandem.lib.impact import BenefitLine, CostLine

Z = 1.959963984540054  # the normal 97.5% quantile


# --- eNPS -----------------------------------------------------------------------------


def test_it_computes_enps_as_promoters_minus_detractors():
    # 10 answers: promoters 10, 9, 9, 10 (4); passives 8, 7 (2); detractors 6, 3, 5, 0 (4).
    # eNPS = 100 (0.4 - 0.4) = 0; Var = (0.4 + 0.4 - 0²) / 10 = 0.08,
    # half width = 1.959964 · √0.08 = 1.959964 · 0.282843 = 0.554362 → ±55.4 points.
    estimate = impact.enps([10, 9, 9, 8, 7, 6, 3, 10, 5, 0])
    assert (estimate.n, estimate.value) == (10, 0.0)
    assert estimate.low == pytest.approx(-100 * Z * math.sqrt(0.08))
    assert estimate.high == pytest.approx(55.4362, abs=1e-4)


def test_it_gives_enps_an_interval_from_the_multinomial_variance():
    # 6 promoters, 2 passives, 2 detractors: 60% - 20% = 40 points.
    # Var = (0.6 + 0.2 - 0.4²) / 10 = 0.064; 1.959964 · 0.252982 = 0.495836 → -9.6 to 89.6.
    estimate = impact.enps([10] * 6 + [8] * 2 + [2] * 2)
    assert estimate.value == pytest.approx(40)
    assert estimate.low == pytest.approx(-9.5836, abs=1e-4)
    assert estimate.high == pytest.approx(89.5836, abs=1e-4)
    assert estimate.format() == "40.0 (95% CI \u22129.6 to 89.6, n=10)"


def test_it_clips_the_enps_interval_to_minus_100_and_100():
    # 5 promoters and 1 detractor: 100 (5/6 - 1/6) = 66.7; Var = (1 - (4/6)²)/6 = 0.0926,
    # 1.96 · 0.3043 = 0.5964 → up to 126, clipped to 100.
    estimate = impact.enps([10, 10, 9, 9, 10, 0])
    assert estimate.value == pytest.approx(200 / 3)
    assert estimate.high == 100.0
    assert estimate.low == pytest.approx(100 * (4 / 6 - Z * math.sqrt((1 - (4 / 6) ** 2) / 6)))


def test_it_says_not_enough_data_for_enps_of_fewer_than_5():
    assert str(impact.enps([10, 9, 9, 0])) == "not enough data (n=4)"
    assert str(impact.enps([])) == "not enough data (n=0)"
    assert impact.enps([10, 9, 9, 0, 5]).enough


@pytest.mark.parametrize("score", [-1, 11, 7.5, True, "9", None])
def test_it_refuses_enps_answers_that_are_not_0_to_10(score):
    with pytest.raises(ValueError, match="from 0 to 10"):
        impact.enps([10, 9, 8, 7, score])


@given(st.lists(st.integers(0, 10), min_size=5, max_size=300))
def test_it_keeps_enps_and_its_interval_within_minus_100_and_100(scores):
    estimate = impact.enps(scores)
    assert estimate.low is not None and estimate.high is not None and estimate.value is not None
    assert -100 <= estimate.low <= estimate.value <= estimate.high <= 100


# --- engagement index -----------------------------------------------------------------

# On a 1-5 scale: means 5, 1, 3, 4, 2 → (mean - 1) / 4 · 100 = 100, 0, 50, 75, 25.
ENGAGEMENT = [[5, 5, 5, 5], [1, 1, 1, 1], [2, 4, 3, 3], [4, 4, 5, 3], [1, 3, 2, 2]]


def test_it_rescales_each_respondents_mean_to_0_100_and_averages_them():
    # Mean 50; deviations 50, -50, 0, 25, -25 → s² = 6250 / 4 = 1562.5, s = 39.528,
    # se = 17.6777; t(4) = 2.776445 → 50 ± 49.0811 = 0.92 to 99.08.
    estimate = impact.engagement_index(ENGAGEMENT)
    assert (estimate.n, estimate.value) == (5, 50.0)
    assert estimate.low == pytest.approx(50 - 2.776445 * math.sqrt(1562.5 / 5), abs=1e-4)
    assert estimate.high == pytest.approx(99.0811, abs=1e-4)


def test_it_takes_the_scale_of_the_items():
    # On 0-10: 10 → 100, 5 → 50, 0 → 0, (10 + 0)/2 → 50, 7.5 → 75; mean 275/5 = 55.
    estimate = impact.engagement_index([[10], [5], [0], [10, 0], [7, 8]], scale=(0, 10))
    assert estimate.value == pytest.approx(55)


def test_it_says_not_enough_data_for_an_engagement_index_of_fewer_than_5():
    assert str(impact.engagement_index(ENGAGEMENT[:4])) == "not enough data (n=4)"


@pytest.mark.parametrize(
    ("answers", "scale", "message"),
    [
        ([[5], [6]], (1, 5), "outside the scale"),
        ([[5], [0]], (1, 5), "outside the scale"),
        ([[5], []], (1, 5), "answered no item"),
        ([[5], ["4"]], (1, 5), "not a number"),
        ([[5]], (5, 1), "scale must be"),
    ],
)
def test_it_refuses_engagement_answers_it_cannot_place(answers, scale, message):
    with pytest.raises(ValueError, match=message):
        impact.engagement_index(answers, scale=scale)


# --- difference in differences ----------------------------------------------------------


def test_it_computes_difference_in_differences_of_independent_groups():
    # Treated: mean 3 → 5 (+2); comparison: 3 → 4 (+1); DiD = 1.
    # Each of the four groups has s² = 2.5, n = 5: Var = 4 · 0.5 = 2, se = 1.4142;
    # df = 2² / (4 · 0.5² / 4) = 16, t(16) = 2.119905 → 1 ± 2.998 = -2.00 to 4.00.
    estimate = impact.difference_in_differences(
        [1, 2, 3, 4, 5], [3, 4, 5, 6, 7], [1, 2, 3, 4, 5], [2, 3, 4, 5, 6]
    )
    assert estimate.value == pytest.approx(1)
    assert estimate.low == pytest.approx(1 - 2.119905 * math.sqrt(2), abs=1e-5)
    assert estimate.high == pytest.approx(3.99800, abs=1e-5)
    assert (estimate.n, estimate.sizes) == (20, (5, 5, 5, 5))


def test_it_computes_paired_difference_in_differences_from_per_person_changes():
    # Treated changes 1, 2, 1, 2, 1: mean 1.4, s² = 1.2 / 4 = 0.3;
    # comparison changes 0, 1, 0, 1, 0: mean 0.4, s² = 0.3. DiD = 1.
    # Var = 0.3/5 + 0.3/5 = 0.12, se = 0.34641; df = 0.12² / (2 · 0.06² / 4) = 8,
    # t(8) = 2.306004 → 1 ± 0.79882 = 0.20 to 1.80.
    estimate = impact.difference_in_differences(
        [1, 2, 3, 4, 5], [2, 4, 4, 6, 6], [2, 2, 2, 2, 2], [2, 3, 2, 3, 2], paired=True
    )
    assert estimate.value == pytest.approx(1)
    assert estimate.low == pytest.approx(0.201177, abs=1e-5)
    assert estimate.high == pytest.approx(1 + 2.306004 * math.sqrt(0.12), abs=1e-5)
    assert estimate.n == 10


def test_it_agrees_with_the_welch_change_when_the_comparison_does_not_move():
    # With a comparison group that is the same constant before and after, DiD is the
    # treated group's Welch change (the comparison adds no variance).
    treated_before, treated_after = [1, 2, 3, 4, 5, 6], [2, 2, 5, 6, 9, 9]
    did = impact.difference_in_differences(treated_before, treated_after, [3] * 5, [3] * 5)
    welch = stats.mean_change_ci(treated_before, treated_after, paired=False)
    assert did.value == pytest.approx(welch.value)
    assert did.low == pytest.approx(welch.low) and did.high == pytest.approx(welch.high)


def test_it_says_not_enough_data_when_any_group_and_phase_has_fewer_than_5():
    five = [1, 2, 3, 4, 5]
    estimate = impact.difference_in_differences(five, five, five, five[:4])
    assert not estimate.enough and estimate.sizes == (5, 5, 5, 4)
    assert str(estimate) == "not enough data (n=19)"
    assert not impact.difference_in_differences([], [], five, five).enough


def test_it_refuses_paired_lists_that_do_not_pair_up():
    with pytest.raises(ValueError, match="pairs"):
        impact.difference_in_differences([1] * 5, [1] * 6, [1] * 5, [1] * 5, paired=True)


def test_it_refuses_values_that_are_not_finite_numbers():
    with pytest.raises(ValueError, match="finite"):
        impact.difference_in_differences([1] * 5, [1] * 5, [1] * 5, [1, 1, 1, 1, math.nan])


@settings(max_examples=50)
@given(
    st.lists(st.integers(0, 100), min_size=5, max_size=30),
    st.lists(st.integers(0, 100), min_size=5, max_size=30),
)
def test_it_puts_0_inside_the_interval_for_two_identical_groups(before, after):
    for paired in (False, True):
        after_values = after if not paired else (after * 6)[: len(before)]
        estimate = impact.difference_in_differences(
            before, after_values, before, after_values, paired=paired
        )
        assert estimate.value == pytest.approx(0, abs=1e-9)
        assert estimate.low is not None and estimate.high is not None
        assert estimate.low <= 1e-9 and estimate.high >= -1e-9


# --- retention ------------------------------------------------------------------------

# Five people: left at day 1, still there at day 2, left at 3 and 4, still there at 5.
STAYS = [(1, True), (2, False), (3, True), (4, True), (5, False)]


def test_it_draws_the_kaplan_meier_curve_by_the_product_limit():
    # Day 1: 5 at risk, 1 leaves → 4/5 = 0.8; day 3: 3 at risk → 0.8 · 2/3 = 0.5333;
    # day 4: 2 at risk → 0.5333 · 1/2 = 0.2667; censored days 2 and 5 keep the level.
    curve = impact.retention_curves({"participants": STAYS})["participants"]
    assert (curve.n, curve.events, curve.enough) == (5, 3, True)
    assert curve.timeline == (0, 1, 2, 3, 4, 5)
    assert curve.survival == pytest.approx([1, 0.8, 0.8, 8 / 15, 4 / 15, 4 / 15])


def test_it_gives_the_curve_the_exponential_greenwood_interval():
    # Day 1: Var(log S) = d / (n (n - d)) = 1/20; V = 0.05 / log(0.8)² = 1.00416,
    # c = log(-log 0.8) = -1.49994 → exp(-exp(c ± 1.96 √V)) = 0.2038 to 0.9692.
    curve = impact.retention_curves({"participants": STAYS})["participants"]
    spread = Z * math.sqrt(0.05 / math.log(0.8) ** 2)
    centre = math.log(-math.log(0.8))
    assert curve.lower[1] == pytest.approx(math.exp(-math.exp(centre + spread)))
    assert curve.upper[1] == pytest.approx(math.exp(-math.exp(centre - spread)))
    assert curve.lower[1] == pytest.approx(0.20381, abs=1e-5)
    assert all(
        lo <= s <= hi for lo, s, hi in zip(curve.lower, curve.survival, curve.upper, strict=True)
    )


def product_limit(stays):
    """The Kaplan-Meier estimate at each distinct day, written out plainly."""
    survival, result = 1.0, {}
    for day in sorted({days for days, _ in stays}):
        at_risk = sum(1 for days, _ in stays if days >= day)
        left = sum(1 for days, event in stays if days == day and event)
        survival *= 1 - left / at_risk
        result[day] = survival
    return result


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.booleans()), min_size=5, max_size=60))
def test_it_matches_the_product_limit_on_any_data(stays):
    curve = impact.retention_curves({"group": stays})["group"]
    expected = product_limit(stays)
    by_day = dict(zip(curve.timeline, curve.survival, strict=True))
    for day, survival in expected.items():
        assert by_day[day] == pytest.approx(survival)


def test_it_draws_no_curve_for_a_group_of_fewer_than_5():
    curves = impact.retention_curves({"participants": STAYS, "pilot": STAYS[:4]})
    assert curves["participants"].enough
    pilot = curves["pilot"]
    assert (pilot.enough, pilot.n, pilot.timeline, pilot.survival) == (False, 4, (), ())
    assert str(pilot) == "not enough data (n=4)"


@pytest.mark.parametrize("stay", [(-1, True), (math.inf, False), ("3", True), (3, 1), (3,), None])
def test_it_refuses_stays_that_are_not_days_and_a_yes_or_no(stay):
    with pytest.raises(ValueError):
        impact.retention_curves({"group": [*STAYS, stay]})


def cox_by_newton(treated, comparison):
    """β and se(β) of a one-binary-covariate Cox model, no tied days (Breslow = Efron):
    score U = Σ_events (x - E_risk[x]), information I = Σ_events p(1 - p) with p the
    treated share of e^β-weighted risk; Newton steps β += U / I; se = 1 / √I."""
    people = [(days, left, 1) for days, left in treated] + [
        (days, left, 0) for days, left in comparison
    ]
    beta = 0.0
    for _ in range(50):
        score = information = 0.0
        for days, left, x in people:
            if not left:
                continue
            at_risk = [other for other in people if other[0] >= days]
            weight_treated = sum(math.exp(beta) for other in at_risk if other[2] == 1)
            weight_all = weight_treated + sum(1 for other in at_risk if other[2] == 0)
            share = weight_treated / weight_all
            score += x - share
            information += share * (1 - share)
        beta += score / information
    return beta, 1 / math.sqrt(information)


def test_it_computes_the_hazard_ratio_of_a_cox_model_on_the_group():
    # Distinct days; treated leave at 2 of 6 days, the comparison at 5 of 6.
    treated = [(30, True), (50, False), (70, False), (90, True), (110, False), (130, False)]
    comparison = [(20, True), (40, True), (60, True), (80, False), (100, True), (120, True)]
    beta, se = cox_by_newton(treated, comparison)
    estimate = impact.hazard_ratio(treated, comparison)
    assert estimate.n == 12
    assert estimate.value == pytest.approx(math.exp(beta), rel=1e-4)
    assert estimate.low == pytest.approx(math.exp(beta - Z * se), rel=1e-4)
    assert estimate.high == pytest.approx(math.exp(beta + Z * se), rel=1e-4)
    assert estimate.value < 1  # the treated group stays longer


def test_it_gives_a_hazard_ratio_of_1_for_identical_groups():
    # The score at β = 0 is 0 when every risk set is half treated and events split evenly.
    group = [(day, day % 3 != 0) for day in range(1, 21)]
    estimate = impact.hazard_ratio(group, group)
    assert estimate.value == pytest.approx(1, abs=1e-6)
    assert estimate.low < 1 < estimate.high


def test_it_says_not_enough_data_for_a_hazard_ratio_of_small_or_eventless_groups():
    everyone_stays = [(day, False) for day in range(10, 100, 10)]
    assert str(impact.hazard_ratio(STAYS[:4], STAYS)) == "not enough data (n=9)"
    assert not impact.hazard_ratio(everyone_stays, everyone_stays).enough
    # One group with nobody leaving: the ratio would be 0, with no interval.
    assert not impact.hazard_ratio(everyone_stays, STAYS).enough


# --- ROI ------------------------------------------------------------------------------


def test_it_computes_bcr_roi_and_payback_as_in_the_issue():
    # Benefits 750,000 and costs 425,000: BCR = 1.7647 (1.76), ROI = 325/425 = 76.5%,
    # payback = 425,000 / (750,000 / 12) = 6.8 months.
    result = impact.roi(
        [CostLine(300_000, "coach fees"), CostLine(125_000, "participant time")],
        [BenefitLine(750_000, attribution=1, confidence=1)],
    )
    assert (result.total_costs, result.total_benefits) == (425_000, 750_000)
    assert round(result.bcr, 2) == 1.76
    assert round(result.roi_percent) == 76
    assert result.payback_months == pytest.approx(6.8)


def test_it_monetizes_a_benefit_by_attribution_and_confidence():
    # 200,000 x 50% attributed x 80% confident = 80,000 against 100,000 of costs:
    # BCR 0.8, ROI -20%, payback 100,000 / (80,000 / 24) = 30 months over 2 years.
    benefit = BenefitLine(200_000, attribution=0.5, confidence=0.8)
    assert benefit.monetized == pytest.approx(80_000)
    result = impact.roi([CostLine(100_000)], [benefit], months=24)
    assert result.bcr == pytest.approx(0.8)
    assert result.roi_percent == pytest.approx(-20)
    assert result.payback_months == pytest.approx(30)


def test_it_has_no_payback_without_benefits():
    result = impact.roi([CostLine(1_000)], [])
    assert (result.bcr, result.roi_percent, result.payback_months) == (0, -100, None)


def test_it_values_exits_avoided_at_their_replacement_cost():
    # 3.5 exits avoided x 60,000 = 210,000.
    assert impact.exits_avoided_value(3.5, 60_000) == pytest.approx(210_000)


@pytest.mark.parametrize(
    "make",
    [
        lambda: CostLine(-1),
        lambda: CostLine(math.nan),
        lambda: BenefitLine(-5, 0.5, 0.5),
        lambda: BenefitLine(100, 1.2, 0.5),
        lambda: BenefitLine(100, 0.5, -0.1),
        lambda: BenefitLine(100, 0.5, True),
        lambda: impact.exits_avoided_value(-1, 50_000),
        lambda: impact.exits_avoided_value(2, -50_000),
        lambda: impact.roi([], [BenefitLine(1, 1, 1)]),
        lambda: impact.roi([CostLine(0)], []),
        lambda: impact.roi([CostLine(1)], [], months=0),
    ],
)
def test_it_refuses_negative_amounts_shares_outside_0_1_and_no_costs(make):
    with pytest.raises(ValueError):
        make()


# Money in cents and shares in whole percent, as people enter them.
amounts = st.integers(0, 10**11).map(lambda cents: cents / 100)
shares = st.integers(0, 100).map(lambda percent: percent / 100)


@given(
    st.lists(amounts.filter(lambda amount: amount > 0), min_size=1, max_size=5),
    st.lists(st.tuples(amounts, shares, shares), max_size=5),
)
def test_it_keeps_bcr_equal_to_1_plus_roi_over_100(costs, benefits):
    result = impact.roi([CostLine(a) for a in costs], [BenefitLine(*b) for b in benefits])
    assert result.bcr == pytest.approx(1 + result.roi_percent / 100, rel=1e-9, abs=1e-12)
    if result.payback_months is not None:
        # payback = costs / (benefits / 12), without dividing by an underflowed benefit
        assert result.payback_months * result.total_benefits == pytest.approx(
            result.total_costs * 12
        )


# --- success criteria -----------------------------------------------------------------


def estimate(low, high):
    return stats.Estimate(10, (low + high) / 2, low, high, enough=True)


@pytest.mark.parametrize(
    ("low", "high", "higher_is_better", "verdict"),
    [
        (0.6, 0.8, True, "met"),
        (0.2, 0.4, True, "not met"),
        (0.4, 0.6, True, "not yet clear"),
        (0.5, 0.7, True, "not yet clear"),  # touching the target is not beyond it
        (0.2, 0.4, False, "met"),  # e.g. turnover, where lower is better
        (0.6, 0.8, False, "not met"),
        (0.4, 0.6, False, "not yet clear"),
    ],
)
def test_it_judges_a_criterion_by_its_whole_interval(low, high, higher_is_better, verdict):
    assert impact.success_verdict(estimate(low, high), 0.5, higher_is_better=higher_is_better) == (
        verdict
    )


def test_it_gives_no_verdict_without_enough_data():
    assert impact.success_verdict(stats.Estimate.insufficient(3), 0.5) == "not enough data"


def test_it_refuses_a_target_that_is_not_a_number():
    with pytest.raises(ValueError, match="target"):
        impact.success_verdict(estimate(0.1, 0.2), math.nan)


# --- the comparison group -----------------------------------------------------------------


def _candidate(pk, level="manager", unit=1, department=10, tenure=1000):
    return impact.Candidate(pk, level, unit, department, tenure)


def test_it_matches_on_level_and_unit_with_the_nearest_tenure():
    treated = [_candidate(1, tenure=1000)]
    pool = [
        _candidate(2, tenure=1300),
        _candidate(3, tenure=950),
        _candidate(4, level="director", tenure=1000),
        _candidate(5, unit=2, tenure=1000),
    ]
    assert impact.matched_comparison(treated, pool) == {1: 3}


def test_it_falls_back_to_the_department_and_uses_each_person_once():
    treated = [_candidate(1, tenure=500), _candidate(2, tenure=510)]
    pool = [_candidate(3, tenure=505), _candidate(4, unit=2, tenure=900)]
    assert impact.matched_comparison(treated, pool) == {1: 3, 2: 4}


def test_it_leaves_out_treated_people_without_anyone_within_the_caliper():
    treated = [_candidate(1, tenure=100)]
    pool = [_candidate(2, tenure=100 + 731)]
    assert impact.matched_comparison(treated, pool) == {}
    assert impact.matched_comparison(treated, pool, caliper_days=800) == {1: 2}


def test_a_participant_is_never_their_own_comparison():
    treated = [_candidate(1), _candidate(2)]
    assert impact.matched_comparison(treated, [*treated, _candidate(3)]) == {1: 3}


def test_ties_go_to_the_smaller_gap_then_the_smaller_id():
    treated = [_candidate(1, tenure=1000)]
    pool = [_candidate(9, tenure=1010), _candidate(8, tenure=990), _candidate(7, tenure=1020)]
    assert impact.matched_comparison(treated, pool) == {1: 8}


def test_survival_at_reads_the_step_function():
    curve = impact.retention_curves(
        {"g": [(10, True), (20, False), (30, True), (40, False), (50, False)]}
    )["g"]
    assert impact.survival_at(curve, 5) == 1.0
    assert impact.survival_at(curve, 10) == pytest.approx(0.8)
    assert impact.survival_at(curve, 29) == pytest.approx(0.8)
    assert impact.survival_at(curve, 30) == pytest.approx(0.8 * 2 / 3)
    assert impact.survival_at(curve, 51) is None


def test_it_falls_back_to_the_same_level_anywhere_when_the_department_has_no_one():
    treated = [_candidate(1, tenure=500)]
    pool = [_candidate(2, unit=7, department=70, tenure=520), _candidate(3, level="senior")]
    assert impact.matched_comparison(treated, pool) == {1: 2}
