"""The leadership pipeline's figures, defined once (pure: plain facts in).

- Bench strength: critical roles with at least one ready-now successor / critical roles.
- Coverage: critical roles with any named successor / critical roles.
- Risk roles: high risk of loss and no ready-now successor.
- Internal fill rate: leadership openings filled from inside / openings filled.
- Time to fill: days from opening to filling, for filled openings.

Each proportion comes with its n and a 95% Wilson interval (tandem.lib.stats); with
no roles or no filled openings it says "not enough data (n=0)".
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.lib import stats


@dataclass(frozen=True)
class RoleFacts:
    """What the pipeline needs to know of one critical role."""

    role_id: int
    successors: int
    ready_now: int
    risk_high: bool


@dataclass(frozen=True)
class OpeningFacts:
    filled: bool
    internal: bool
    days_to_fill: int | None


def _share(hits: int, n: int) -> stats.Estimate:
    return stats.proportion_ci(hits, n) if n else stats.Estimate.insufficient(0)


def bench_strength(roles: Sequence[RoleFacts]) -> stats.Estimate:
    return _share(sum(1 for r in roles if r.ready_now > 0), len(roles))


def coverage(roles: Sequence[RoleFacts]) -> stats.Estimate:
    return _share(sum(1 for r in roles if r.successors > 0), len(roles))


def risk_roles(roles: Sequence[RoleFacts]) -> list[int]:
    """Ids of roles at high risk of loss with no ready-now successor."""
    return [r.role_id for r in roles if r.risk_high and r.ready_now == 0]


def internal_fill_rate(openings: Sequence[OpeningFacts]) -> stats.Estimate:
    filled = [o for o in openings if o.filled]
    return _share(sum(1 for o in filled if o.internal), len(filled))


@dataclass(frozen=True)
class TimeToFill:
    n: int
    median_days: float | None
    mean: stats.Estimate  # mean days with its interval (at least 2 filled openings)


def time_to_fill(openings: Sequence[OpeningFacts]) -> TimeToFill:
    days = [o.days_to_fill for o in openings if o.filled and o.days_to_fill is not None]
    if not days:
        return TimeToFill(0, None, stats.Estimate.insufficient(0))
    return TimeToFill(len(days), float(statistics.median(days)), stats.mean_ci(days))


def _estimate_dict(estimate: stats.Estimate) -> dict[str, float | int | None]:
    return {"n": estimate.n, "value": estimate.value, "low": estimate.low, "high": estimate.high}


def figures(roles: Sequence[RoleFacts], openings: Sequence[OpeningFacts]) -> dict[str, object]:
    """The figures a pipeline snapshot stores (plain JSON): each proportion as
    {n, value, low, high} (value None when there is not enough data)."""
    fill = time_to_fill(openings)
    return {
        "critical_roles": len(roles),
        "bench_strength": _estimate_dict(bench_strength(roles)),
        "coverage": _estimate_dict(coverage(roles)),
        "risk_roles": len(risk_roles(roles)),
        "internal_fill_rate": _estimate_dict(internal_fill_rate(openings)),
        "openings_filled": fill.n,
        "median_days_to_fill": fill.median_days,
    }


def estimate_of(figure: dict[str, float | int | None]) -> stats.Estimate:
    """A stored proportion back as an Estimate (for trends)."""
    n = int(figure["n"] or 0)
    if figure["value"] is None:
        return stats.Estimate.insufficient(n)
    return stats.Estimate(
        n, float(figure["value"]), float(figure["low"] or 0), float(figure["high"] or 0), True
    )
