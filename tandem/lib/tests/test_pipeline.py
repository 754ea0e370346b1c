"""The pipeline's figures on hand-computed cases (tandem.lib.pipeline)."""

import math

import pytest

from tandem.lib import pipeline
from tandem.lib.pipeline import OpeningFacts, RoleFacts

# Four roles: one with a ready-now successor, one with a later successor only, two with
# none; the second and third are at high risk of loss.
ROLES = [
    RoleFacts(role_id=1, successors=2, ready_now=1, risk_high=True),
    RoleFacts(role_id=2, successors=1, ready_now=0, risk_high=True),
    RoleFacts(role_id=3, successors=0, ready_now=0, risk_high=True),
    RoleFacts(role_id=4, successors=0, ready_now=0, risk_high=False),
]
# Three filled openings (two from inside: 10 and 60 days; one from outside: 20 days)
# and one still open.
OPENINGS = [
    OpeningFacts(filled=True, internal=True, days_to_fill=10),
    OpeningFacts(filled=True, internal=False, days_to_fill=20),
    OpeningFacts(filled=True, internal=True, days_to_fill=60),
    OpeningFacts(filled=False, internal=False, days_to_fill=None),
]
Z = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def test_it_counts_bench_strength_as_roles_with_a_ready_now_successor():
    estimate = pipeline.bench_strength(ROLES)
    assert (estimate.n, estimate.value) == (4, 0.25)
    low, high = wilson(1, 4)
    assert estimate.low == pytest.approx(low) and estimate.high == pytest.approx(high)
    # By hand: 1 of 4 gives the Wilson interval 4.6%-69.9%.
    assert estimate.format(percent=True) == "25.0% (95% CI 4.6%\u201369.9%, n=4)"


def test_it_counts_coverage_as_roles_with_any_successor():
    estimate = pipeline.coverage(ROLES)
    assert (estimate.n, estimate.value) == (4, 0.5)
    # 2 of 4: the interval is symmetric around one half, 15.0%-85.0%.
    assert estimate.low == pytest.approx(0.15004, abs=1e-5)
    assert estimate.high == pytest.approx(0.84996, abs=1e-5)


def test_it_names_risk_roles_high_risk_without_a_ready_now_successor():
    assert pipeline.risk_roles(ROLES) == [2, 3]


def test_it_counts_the_internal_fill_rate_over_filled_openings_only():
    estimate = pipeline.internal_fill_rate(OPENINGS)
    assert estimate.n == 3 and estimate.value == pytest.approx(2 / 3)
    low, high = wilson(2, 3)
    assert (estimate.low, estimate.high) == (pytest.approx(low), pytest.approx(high))
    assert estimate.format(percent=True) == "66.7% (95% CI 20.8%\u201393.9%, n=3)"


def test_it_measures_time_to_fill_with_the_median_and_a_mean_interval():
    fill = pipeline.time_to_fill(OPENINGS)
    assert (fill.n, fill.median_days) == (3, 20.0)
    assert fill.mean.value == pytest.approx(30.0)
    assert fill.mean.low < 30 < fill.mean.high


def test_it_says_not_enough_data_without_roles_or_filled_openings():
    assert pipeline.bench_strength([]).format() == "not enough data (n=0)"
    assert pipeline.coverage([]).enough is False
    assert pipeline.internal_fill_rate(OPENINGS[3:]).format() == "not enough data (n=0)"
    assert pipeline.time_to_fill([]).median_days is None


def test_its_figures_are_plain_json_and_read_back_as_the_same_estimates():
    figures = pipeline.figures(ROLES, OPENINGS)
    assert figures["critical_roles"] == 4 and figures["risk_roles"] == 2
    assert figures["openings_filled"] == 3 and figures["median_days_to_fill"] == 20.0
    assert pipeline.estimate_of(figures["bench_strength"]) == pipeline.bench_strength(ROLES)
    assert pipeline.estimate_of(figures["internal_fill_rate"]) == pipeline.internal_fill_rate(
        OPENINGS
    )
    empty = pipeline.figures([], [])
    assert pipeline.estimate_of(empty["coverage"]).enough is False
