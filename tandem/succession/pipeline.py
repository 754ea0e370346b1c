"""The pipeline's facts from the database, into `tandem.lib.pipeline` (which defines the
figures once): every page, the API and the CSV export read `current_figures()`, so they
show the same numbers.

Beyond the lib's figures:
- Pipeline by level: successors on active roles' slates by readiness, per target level
  (the role's level). A level's counts show from `SLICE_MINIMUM` successors; fewer
  are "not enough data" (they are counts of people).
- High-potential share in development programs: people whose latest closed-review
  placement is high potential and who have a current enrollment / all high-potential
  people (active), from `SLICE_MINIMUM` people.
- Mean days to fill with its interval.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from tandem.lib import pipeline, stats
from tandem.lib.anonymity import SLICE_MINIMUM
from tandem.people.models import Level, Person, PersonQuerySet
from tandem.programs.models import Enrollment
from tandem.succession.models import (
    CriticalRole,
    Degree,
    FillSource,
    Opening,
    PipelineSnapshot,
    Placement,
    Rating,
    Readiness,
    ReviewStatus,
)


def role_facts(roles: Any = None) -> list[pipeline.RoleFacts]:
    """One RoleFacts per active critical role (or per role of `roles`), in one query."""
    roles = CriticalRole.objects.active() if roles is None else roles
    rows = roles.annotate(
        successors=Count("slate"),
        ready_now=Count("slate", filter=Q(slate__readiness=Readiness.READY_NOW)),
    ).values_list("pk", "successors", "ready_now", "risk_of_loss")
    return [
        pipeline.RoleFacts(pk, successors, ready_now, risk == Degree.HIGH)
        for pk, successors, ready_now, risk in rows
    ]


def opening_facts(openings: Any = None) -> list[pipeline.OpeningFacts]:
    openings = Opening.objects.all() if openings is None else openings
    return [
        pipeline.OpeningFacts(
            filled=filled_on is not None,
            internal=source == FillSource.INTERNAL,
            days_to_fill=(filled_on - opened_on).days if filled_on else None,
        )
        for opened_on, filled_on, source in openings.values_list("opened_on", "filled_on", "source")
    ]


def risk_role_ids() -> list[int]:
    return pipeline.risk_roles(role_facts())


# Pipeline by level ---------------------------------------------------------------------------


READINESS_ORDER = [Readiness.READY_NOW, Readiness.ONE_TWO_YEARS, Readiness.THREE_PLUS_YEARS]


def pipeline_by_level() -> dict[str, dict[str, int] | None]:
    """Per target level (leader levels with an active critical role): the number of
    roles and of successors by readiness; None where fewer than SLICE_MINIMUM
    successors (not enough data)."""
    roles = dict(
        CriticalRole.objects.active()
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    counts: dict[tuple[str, str], int] = {
        (level, readiness): n
        for level, readiness, n in CriticalRole.objects.active()
        .filter(slate__isnull=False)
        .values_list("level", "slate__readiness")
        .annotate(n=Count("slate"))
        .values_list("level", "slate__readiness", "n")
    }
    result: dict[str, dict[str, int] | None] = {}
    for level in Level.values:
        if level not in roles:
            continue
        row = {readiness.value: counts.get((level, readiness), 0) for readiness in READINESS_ORDER}
        successors = sum(row.values())
        result[level] = (
            {"roles": roles[level], "successors": successors, **row}
            if successors >= SLICE_MINIMUM
            else None
        )
    return result


# High potentials ---------------------------------------------------------------------------


def high_potential_people() -> PersonQuerySet:
    """Active people whose latest closed-review placement is rated high potential
    (calibrated where calibrated).

    For other apps' matching (mentoring may prefer high-potential mentees): the
    result is confidential, like the placements it comes from — use it to rank, never
    show it to anyone outside the person's management chain and program admins."""
    latest = Placement.objects.filter(
        person=OuterRef("pk"), review__status=ReviewStatus.CLOSED
    ).order_by("-review__held_on", "-review_id")
    potential = Coalesce(NullIf("calibrated_potential", Value("")), "potential")
    latest_potential = latest.annotate(final=potential).values("final")[:1]
    return (
        Person.objects.active()
        .annotate(latest_potential=Subquery(latest_potential))
        .filter(latest_potential=Rating.HIGH)
    )


def high_potential_ids() -> list[int]:
    """`high_potential_people` as person ids (what mentoring's preference asks for)."""
    return list(high_potential_people().values_list("pk", flat=True))


def high_potential_in_programs() -> stats.Estimate:
    """High potentials with a current enrollment / all high potentials."""
    people = high_potential_people()
    n = people.count()
    if n == 0:
        return stats.Estimate.insufficient(0)
    enrolled = people.filter(pk__in=Enrollment.objects.current().values("person_id")).count()
    return stats.proportion_ci(enrolled, n, minimum=SLICE_MINIMUM)


# The figures ---------------------------------------------------------------------------------


def _estimate_dict(estimate: stats.Estimate) -> dict[str, float | int | None]:
    return {"n": estimate.n, "value": estimate.value, "low": estimate.low, "high": estimate.high}


def current_figures() -> dict[str, Any]:
    """The pipeline as it stands: `tandem.lib.pipeline.figures()` and, beside its keys,
    `mean_days_to_fill`, `pipeline_by_level` and `high_potential_in_programs`."""
    roles, openings = role_facts(), opening_facts()
    figures: dict[str, Any] = pipeline.figures(roles, openings)
    figures["mean_days_to_fill"] = _estimate_dict(pipeline.time_to_fill(openings).mean)
    figures["pipeline_by_level"] = pipeline_by_level()
    figures["high_potential_in_programs"] = _estimate_dict(high_potential_in_programs())
    return figures


PROPORTIONS = ["bench_strength", "coverage", "internal_fill_rate", "high_potential_in_programs"]


def estimates(figures: dict[str, Any]) -> dict[str, stats.Estimate]:
    """The figures' proportions (and the mean time to fill) as Estimates, for display."""
    found = {name: pipeline.estimate_of(figures[name]) for name in PROPORTIONS if name in figures}
    if "mean_days_to_fill" in figures:
        found["mean_days_to_fill"] = pipeline.estimate_of(figures["mean_days_to_fill"])
    return found


# Snapshots and trends ------------------------------------------------------------------------


def snapshot_take(day: datetime.date | None = None) -> PipelineSnapshot:
    """Store today's figures; taking it again the same day replaces them."""
    day = day or timezone.localdate()
    snapshot, _created = PipelineSnapshot.objects.update_or_create(
        taken_on=day, defaults={"figures": current_figures()}
    )
    return snapshot


def snapshot_due(day: datetime.date) -> bool:
    """Monthly: due when no snapshot was taken yet in `day`'s month."""
    return not PipelineSnapshot.objects.filter(
        taken_on__year=day.year, taken_on__month=day.month
    ).exists()


@dataclass(frozen=True)
class Trend:
    """One figure over the snapshots: a value (None: not enough data) per date."""

    name: str
    dates: list[datetime.date]
    values: list[float | None]
    low: list[float | None]
    high: list[float | None]
    n: list[int]


TREND_FIGURES = ["bench_strength", "coverage", "internal_fill_rate", "high_potential_in_programs"]


def trends(limit: int = 36) -> list[Trend]:
    """The proportions over the last `limit` snapshots, oldest first. Snapshots taken
    before a figure existed leave it out (None)."""
    snapshots = list(PipelineSnapshot.objects.order_by("-taken_on")[:limit])[::-1]
    dates = [s.taken_on for s in snapshots]
    result = []
    for name in TREND_FIGURES:
        shown = [
            pipeline.estimate_of(s.figures[name])
            if isinstance(s.figures.get(name), dict)
            else stats.Estimate.insufficient(0)
            for s in snapshots
        ]
        result.append(
            Trend(
                name,
                dates,
                [e.value for e in shown],
                [e.low for e in shown],
                [e.high for e in shown],
                [e.n for e in shown],
            )
        )
    return result


def risk_roles_trend(limit: int = 36) -> tuple[list[datetime.date], list[int]]:
    snapshots = list(PipelineSnapshot.objects.order_by("-taken_on")[:limit])[::-1]
    return [s.taken_on for s in snapshots], [int(s.figures.get("risk_roles", 0)) for s in snapshots]
