"""What is overdue: check-ins and next steps (action items). One definition for the
participant's plan, the manager's team page, the program admin's overview and the
email reminders.

- A next step is overdue when it is open and its due date has passed, in a plan that
  is still live: the enrollment is invited or active and the program is running.
- A check-in is overdue when today is past the plan's next check-in date
  (`DevelopmentPlan.next_checkin_due`: `checkin_every_days` after the last check-in,
  or after the plan started), for a live plan.

Every function takes a queryset of plans and answers in a fixed number of queries,
whatever the number of plans.
"""

import datetime
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import DateField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from tandem.programs.models import (
    ActionItem,
    ActionItemQuerySet,
    CheckIn,
    DevelopmentPlan,
    EnrollmentStatus,
    ProgramStatus,
)

LIVE_ENROLLMENT = [EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE]


class CheckinDates(TypedDict):
    last_checkin_on: date | None
    checkin_counted_from: date


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A plan annotated by `with_checkin_dates`: its annotations can be filtered and sorted on.
    PlanWithCheckinDates = WithAnnotations[DevelopmentPlan, CheckinDates]


def live(plans: QuerySet[DevelopmentPlan]) -> QuerySet[DevelopmentPlan]:
    """Plans whose participant is still in a running program."""
    return plans.filter(
        enrollment__status__in=LIVE_ENROLLMENT,
        enrollment__program__status=ProgramStatus.RUNNING,
    )


def with_checkin_dates(plans: QuerySet[DevelopmentPlan]) -> "QuerySet[PlanWithCheckinDates]":
    """Annotate `last_checkin_on` (None before the first check-in) and
    `checkin_counted_from`: the date the next check-in is counted from."""
    last = CheckIn.objects.filter(plan=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    return plans.annotate(
        last_checkin_on=Subquery(last, output_field=DateField()),
        # As DevelopmentPlan.next_checkin_due: the plan's start is its creation date in UTC.
        checkin_counted_from=Coalesce(
            Subquery(last, output_field=DateField()),
            TruncDate("created_at", tzinfo=datetime.UTC),
        ),
    )


def next_checkin_due(plan: "PlanWithCheckinDates") -> date:
    """`plan.next_checkin_due()` without a query, for a plan from `with_checkin_dates`
    (with its enrollment's program selected)."""
    return plan.checkin_counted_from + timedelta(days=plan.enrollment.program.checkin_every_days)


def is_checkin_overdue(plan: "PlanWithCheckinDates", today: date) -> bool:
    """The row-by-row twin of `overdue_checkins`, for a plan from `with_checkin_dates`."""
    enrollment = plan.enrollment
    return (
        enrollment.status in LIVE_ENROLLMENT
        and enrollment.program.status == ProgramStatus.RUNNING
        and today > next_checkin_due(plan)
    )


def overdue_checkins(
    plans: QuerySet[DevelopmentPlan], today: date
) -> "QuerySet[PlanWithCheckinDates]":
    """The live plans among `plans` whose check-in is overdue on `today`, annotated as
    by `with_checkin_dates`."""
    # "today > counted_from + every" is "counted_from < today - every". The interval is
    # a column of the program, and date arithmetic on a column differs from database
    # to database, so compare once per interval in use (a handful: programs share them).
    plans = with_checkin_dates(live(plans))
    intervals = (
        plans.order_by()
        .values_list("enrollment__program__checkin_every_days", flat=True)
        .distinct()
    )
    late = Q(pk__in=[])
    for days in intervals:
        late |= Q(
            enrollment__program__checkin_every_days=days,
            checkin_counted_from__lt=today - timedelta(days=days),
        )
    return plans.filter(late)


def overdue_items(plans: QuerySet[DevelopmentPlan], today: date) -> ActionItemQuerySet:
    """Open next steps past their due date in the live plans among `plans`."""
    return ActionItem.objects.overdue(today).filter(plan__in=live(plans))
