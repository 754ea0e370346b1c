"""What a program admin reads about a program: where each participant is in the
cycle, how many are at each stage, and what is overdue (by the one definition in
`programs.overdue`). Every function answers in a fixed number of queries whatever the
number of participants; the pages and the API both read through here."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tandem.programs import overdue
from tandem.programs.models import (
    ActionItem,
    CheckIn,
    DevelopmentPlan,
    Enrollment,
    EnrollmentStatus,
    PlanCycle,
    Program,
    Stage,
)

# Participants still in the program: they are counted at a stage; completed and
# withdrawn ones are not.
CURRENT = [EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE]


def plans_of(program: Program) -> QuerySet[DevelopmentPlan]:
    return DevelopmentPlan.objects.filter(enrollment__program=program)


def with_open_cycle(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate the number (`cycle_number`) and stage (`cycle_stage`) of each
    enrollment's open cycle; None for an enrollment without a plan."""
    open_cycle = PlanCycle.objects.filter(plan=OuterRef("plan"), closed_on__isnull=True)
    return enrollments.annotate(
        cycle_number=Subquery(open_cycle.values("number")[:1]),
        cycle_stage=Subquery(open_cycle.values("stage")[:1]),
    )


def participants(program: Program, *, today: date) -> QuerySet[Enrollment]:
    """The program's enrollments, each annotated with its plan's open cycle
    (`cycle_number`, `cycle_stage`), its overdue next steps (`overdue_items`), whether
    its check-in is overdue (`checkin_overdue`) and its last check-in
    (`last_checkin_on`), all in the same query."""
    plans = plans_of(program)
    late_items = (
        overdue.overdue_items(plans, today)
        .filter(plan=OuterRef("plan"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    late_checkin = overdue.overdue_checkins(plans, today).filter(pk=OuterRef("plan"))
    last_checkin = CheckIn.objects.filter(plan=OuterRef("plan")).order_by("-held_on")
    return (
        with_open_cycle(program.enrollments.select_related("person", "cohort", "plan"))
        .annotate(
            overdue_items=Coalesce(Subquery(late_items, output_field=IntegerField()), 0),
            checkin_overdue=Exists(late_checkin),
            last_checkin_on=Subquery(last_checkin.values("held_on")[:1]),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


def overdue_checkins(program: Program, *, today: date) -> QuerySet[DevelopmentPlan]:
    """Plans of the program whose check-in is overdue, longest overdue first."""
    return (
        overdue.overdue_checkins(plans_of(program), today)
        .select_related("person", "enrollment")
        .order_by(F("checkin_counted_from"), "pk")
    )


def overdue_action_items(program: Program, *, today: date) -> QuerySet[ActionItem]:
    """Open next steps past their due date in the program's live plans."""
    return (
        overdue.overdue_items(plans_of(program), today)
        .select_related("owner", "plan__person")
        .order_by("due_date", "pk")
    )


def stage_counts(program: Program) -> dict[str, int]:
    """How many current participants are at each stage of their open cycle."""
    rows = (
        PlanCycle.objects.filter(
            plan__enrollment__program=program,
            plan__enrollment__status__in=CURRENT,
            closed_on__isnull=True,
        )
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(Stage.values, 0)
    counts.update({row["stage"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class StageBar:
    stage: Stage
    count: int
    share: int  # percent of the current participants, for the bar's width


def stage_bars(counts: dict[str, int]) -> list[StageBar]:
    total = sum(counts.values())
    return [
        StageBar(stage, counts[stage], round(100 * counts[stage] / total) if total else 0)
        for stage in Stage
    ]


def with_counts(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Annotate `participant_count` (current), `completed_count` and `at_<stage>` for
    each stage, in one query."""
    current = Q(enrollments__status__in=CURRENT)
    at_stage = {
        f"at_{stage}": Count(
            "enrollments",
            filter=current
            & Q(
                enrollments__plan__cycles__closed_on__isnull=True,
                enrollments__plan__cycles__stage=stage,
            ),
            distinct=True,
        )
        for stage in Stage.values
    }
    # Counting over a fresh queryset keeps a caller's filter on enrollments (e.g.
    # "programs I am enrolled in") from narrowing the counts to the caller's own.
    return Program.objects.filter(pk__in=programs.values("pk")).annotate(
        participant_count=Count("enrollments", filter=current, distinct=True),
        completed_count=Count(
            "enrollments",
            filter=Q(enrollments__status=EnrollmentStatus.COMPLETED),
            distinct=True,
        ),
        **at_stage,
    )


def stage_bars_of(program: Program) -> list[StageBar]:
    """Bars for a program annotated by `with_counts`."""
    return stage_bars({stage: getattr(program, f"at_{stage}") for stage in Stage.values})
