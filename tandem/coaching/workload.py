"""A coach's workload, and the roster's: how many coachees, sessions this month,
sessions whose time has passed without being closed (awaiting notes) and how many next
steps the coach owes. Counts and dates only."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from tandem.coaching.models import (
    OPEN_STATUSES,
    ActionItem,
    Coach,
    CoachQuerySet,
    Engagement,
    Party,
    Session,
    SessionStatus,
)


def month_start(now: datetime) -> datetime:
    """Midnight of the first day of `now`'s month, in the current time zone."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def roster_with_workload(now: datetime | None = None) -> CoachQuerySet:
    """Every coach with their load, in one query: `load` (open engagements),
    `sessions_this_month` (held or booked this month) and `awaiting_notes`."""
    now = now or timezone.now()
    in_month = Q(
        engagements__sessions__starts_at__gte=month_start(now),
        engagements__sessions__status__in=[SessionStatus.HELD, SessionStatus.SCHEDULED],
    )
    awaiting = Q(
        engagements__sessions__status=SessionStatus.SCHEDULED,
        engagements__sessions__starts_at__lt=now,
    )
    return (
        Coach.objects.select_related("user")
        .annotate(
            load=Count(
                "engagements", filter=Q(engagements__status__in=OPEN_STATUSES), distinct=True
            ),
            sessions_this_month=Count("engagements__sessions", filter=in_month, distinct=True),
            awaiting_notes=Count("engagements__sessions", filter=awaiting, distinct=True),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


@dataclass
class Workload:
    coach: Coach
    engagements: list[Engagement]
    sessions_this_month: int
    held_this_month: int
    upcoming: list[Session]
    awaiting_notes: list[Session]
    open_items: int
    overdue_items: int

    @property
    def active_coachees(self) -> int:
        return len(self.engagements)


def of_coach(coach: Coach, now: datetime) -> Workload:
    """One coach's workload, in a fixed number of queries."""
    sessions = Session.objects.filter(engagement__coach=coach).select_related("engagement__coachee")
    this_month = sessions.filter(
        starts_at__gte=month_start(now),
        status__in=[SessionStatus.HELD, SessionStatus.SCHEDULED],
    )
    owned = ActionItem.objects.open().filter(engagement__coach=coach, owner=Party.COACH)
    return Workload(
        coach=coach,
        engagements=list(
            Engagement.objects.open()
            .filter(coach=coach)
            .select_related("coachee")
            .with_health()
            .order_by("coachee__last_name", "coachee__first_name", "pk")
        ),
        sessions_this_month=this_month.count(),
        held_this_month=this_month.filter(status=SessionStatus.HELD).count(),
        upcoming=list(sessions.upcoming(now).order_by("starts_at")[:10]),
        awaiting_notes=list(sessions.awaiting_notes(now).order_by("starts_at")),
        open_items=owned.count(),
        overdue_items=owned.overdue(timezone.localdate(now)).count(),
    )
