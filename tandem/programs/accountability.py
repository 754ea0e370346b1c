"""Accountability between check-ins: who may see and tick off next steps, the
plan's check-in panel and the manager's view of their team's development.

Rules:
- A next step (action item) is seen and ticked off by whoever may work on its plan
  (the participant, their management chain, program admins) and by its owner, who
  may be named in a plan they cannot otherwise see. Anyone else: "not found".
- A manager's team is everyone below them in the reporting line, direct reports
  first; only plans that are still live appear, and only plan-level facts (cycle,
  goals, check-in dates, counts of next steps): never coaching or mentoring notes.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from tandem.accounts import policy
from tandem.people.models import Person
from tandem.programs import access, overdue
from tandem.programs.models import (
    ActionItem,
    ActionItemQuerySet,
    CheckIn,
    DevelopmentPlan,
    Goal,
    GoalStatus,
    PlanCycle,
    ProgramStatus,
)

# Next steps -------------------------------------------------------------------------


def action_items_visible_to(user: Any) -> ActionItemQuerySet:
    visible = Q(plan__in=access.plans_visible_to(user))
    me = policy.person_of(user)
    if me is not None:
        visible |= Q(owner=me)
    return ActionItem.objects.filter(visible).select_related("owner", "plan__person")


def access_action_item(user: Any, pk: int) -> ActionItem:
    """The next step `pk` if `user` may see it, and so tick it off or reopen it."""
    item = action_items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such next step.")
    return item


def action_item_set_done(*, item: ActionItem, done: bool, on: date) -> ActionItem:
    """Tick a next step off (on `on`) or reopen it. Ticking off a done step keeps its date."""
    if done and item.done_on is None:
        item.complete(on=on)
    elif not done and item.done_on is not None:
        item.done_on = None
        item.save(update_fields=["done_on"])
    return item


# The plan's panel -------------------------------------------------------------------

RECENT_CHECKINS = 3


def checkins_with_details(checkins: QuerySet[CheckIn]) -> QuerySet[CheckIn]:
    """Check-ins with who met and their next steps, in a fixed number of queries."""
    return checkins.select_related("cycle").prefetch_related(
        Prefetch("attendees", queryset=Person.objects.order_by("last_name", "first_name")),
        Prefetch("next_steps", queryset=ActionItem.objects.select_related("owner")),
    )


@dataclass
class CheckinsPanel:
    plan: DevelopmentPlan
    today: date
    next_due: date
    is_overdue: bool
    is_live: bool
    open_items: list[ActionItem]
    recent: list[CheckIn]
    total: int

    @property
    def overdue_items(self) -> int:
        return sum(1 for item in self.open_items if item.is_overdue(self.today))


def checkins_panel(plan: DevelopmentPlan, today: date) -> CheckinsPanel:
    """What the plan page shows of check-ins and next steps, in five queries."""
    annotated = overdue.with_checkin_dates(
        DevelopmentPlan.objects.filter(pk=plan.pk).select_related("enrollment__program")
    ).annotate(checkin_count=Count("checkins"))
    row = annotated.get()
    recent = list(checkins_with_details(plan.checkins.all())[:RECENT_CHECKINS])
    open_items = list(plan.action_items.open().select_related("owner").order_by("due_date", "pk"))
    return CheckinsPanel(
        plan=plan,
        today=today,
        next_due=overdue.next_checkin_due(row),
        is_overdue=overdue.is_checkin_overdue(row, today),
        is_live=row.enrollment.status in overdue.LIVE_ENROLLMENT
        and row.enrollment.program.status == ProgramStatus.RUNNING,
        open_items=open_items,
        recent=recent,
        total=row.checkin_count,  # type: ignore[attr-defined]
    )


# The manager's team -----------------------------------------------------------------


def _count(items: QuerySet[Any], plan_path: str) -> Coalesce:
    """How many of `items` belong to the outer plan, as a subquery."""
    counted = (
        items.filter(**{plan_path: OuterRef("pk")})
        .order_by()
        .values(plan_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def team_plans(user: Any, today: date) -> QuerySet[DevelopmentPlan]:
    """The live plans of everyone below `user` in the reporting line, direct reports
    first, with what the team page shows annotated, in one query: `is_direct`,
    `cycle_number`, `cycle_stage`, `goals_total`, `goals_achieved`, `open_items`,
    `overdue_items` and the check-in dates of `overdue.with_checkin_dates`."""
    me = policy.person_of(user)
    if me is None:
        return DevelopmentPlan.objects.none()
    team = policy.people_visible_to(user).below(me).active()
    open_cycle = PlanCycle.objects.filter(plan=OuterRef("pk"), closed_on__isnull=True)
    goals = Goal.objects.filter(cycle__closed_on__isnull=True).exclude(status=GoalStatus.DROPPED)
    plans = overdue.live(DevelopmentPlan.objects.filter(person__in=team))
    return (
        overdue.with_checkin_dates(plans)
        .select_related("person", "enrollment__program")
        .annotate(
            is_direct=Case(When(person__manager_id=me.pk, then=Value(0)), default=Value(1)),
            cycle_number=Subquery(open_cycle.values("number")[:1], output_field=IntegerField()),
            cycle_stage=Subquery(open_cycle.values("stage")[:1], output_field=CharField()),
            goals_total=_count(goals, "cycle__plan"),
            goals_achieved=_count(goals.filter(status=GoalStatus.ACHIEVED), "cycle__plan"),
            open_items=_count(ActionItem.objects.open(), "plan"),
            overdue_items=_count(ActionItem.objects.overdue(today), "plan"),
        )
        .order_by("is_direct", "person__last_name", "person__first_name", "person_id", "pk")
    )
