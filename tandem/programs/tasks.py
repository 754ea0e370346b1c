"""Email reminders of what is overdue, once a day.

Each person gets at most one email a day, listing only what is theirs: the next steps
they own that are overdue, their own overdue check-ins as a participant, and, for a
manager, which of their direct reports' check-ins are overdue and since when. Never
the content of a check-in, a coaching note or anything else confidential.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task

from tandem.people.models import Person
from tandem.programs import overdue
from tandem.programs.models import ActionItem, DevelopmentPlan
from tandem.scheduler import periodic

logger = logging.getLogger(__name__)

# A run that has been "running" for longer than this is taken to have died.
RUN_PRESUMED_DEAD_AFTER = timedelta(hours=1)


def _absolute(url_name: str, *args: Any) -> str:
    """A link for an email: the site's address from settings.TANDEM_BASE_URL."""
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse(url_name, args=args)


@dataclass(frozen=True)
class LateCheckin:
    plan: DevelopmentPlan
    due: date

    @property
    def record_url(self) -> str:
        return _absolute("programs:checkin-create", self.plan.pk)


@dataclass
class Reminder:
    """Everything overdue that is one person's to act on."""

    person: Person
    items: list[ActionItem] = field(default_factory=list)
    checkins: list[LateCheckin] = field(default_factory=list)
    team_checkins: list[LateCheckin] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items) + len(self.checkins) + len(self.team_checkins)


def overdue_reminders(today: date) -> list[Reminder]:
    """Who should be reminded of what on `today`, in a fixed number of queries. People
    who have left get nothing."""
    reminders: dict[int, Reminder] = {}

    def reminder_for(person: Person) -> Reminder:
        return reminders.setdefault(person.pk, Reminder(person))

    everyone = DevelopmentPlan.objects.all()
    items = (
        overdue.overdue_items(everyone, today)
        .filter(owner__in=Person.objects.active(today))
        .select_related("owner", "plan__person", "plan__enrollment__program")
        .order_by("due_date", "pk")
    )
    for item in items:
        reminder_for(item.owner).items.append(item)
    late = (
        overdue.overdue_checkins(everyone, today)
        .filter(person__in=Person.objects.active(today))
        .select_related("person__manager", "enrollment__program")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for plan in late:
        entry = LateCheckin(plan, overdue.next_checkin_due(plan))
        reminder_for(plan.person).checkins.append(entry)
        manager = plan.person.manager
        if manager is not None and manager.is_active:
            reminder_for(manager).team_checkins.append(entry)
    return sorted(reminders.values(), key=lambda r: (r.person.last_name, r.person.first_name))


def reminder_email(reminder: Reminder, today: date) -> EmailMultiAlternatives:
    context = {
        "reminder": reminder,
        "person": reminder.person,
        "today": today,
        "links": {"my_plans": _absolute("programs:my-plans"), "team": _absolute("programs:team")},
    }
    subject = " ".join(
        render_to_string("programs/email/overdue_reminder_subject.txt", context).split()
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("programs/email/overdue_reminder.txt", context),
        to=[reminder.person.email],
    )
    message.attach_alternative(
        render_to_string("programs/email/overdue_reminder.html", context), "text/html"
    )
    return message


def _sent_earlier_today(context: TaskContext, today: date) -> bool:
    """Whether another run of this job already sent today's reminders, or is sending
    them now (it started first). Read from the task queue, so several workers agree."""
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path=send_overdue_reminders.module_path)
    own = context.task_result
    try:
        own_id: uuid.UUID | None = uuid.UUID(str(own.id))
    except ValueError:  # not a database-backed run (tests, `.call()`): no record of it
        own_id = None
    if own_id is not None:
        runs = runs.exclude(pk=own_id)
    now = timezone.now()
    started = own.started_at or now
    sent = runs.filter(
        status=TaskResultStatus.SUCCESSFUL,
        return_value__date=today.isoformat(),
        return_value__skipped=False,
    )
    # Two workers may run it at once: the one that started first sends.
    first = Q(started_at__lt=started)
    if own_id is not None:
        first |= Q(started_at=started, pk__lt=own_id)
    sending = runs.filter(
        first,
        status=TaskResultStatus.RUNNING,
        started_at__gte=max(
            timezone.make_aware(datetime.combine(today, time.min)), now - RUN_PRESUMED_DEAD_AFTER
        ),
    )
    return sent.exists() or sending.exists()


@periodic(every=timedelta(hours=24))
@task(takes_context=True)
def send_overdue_reminders(context: TaskContext) -> dict[str, Any]:
    """Email each person what is overdue and theirs to act on; at most once a day."""
    today = timezone.localdate()
    if _sent_earlier_today(context, today):
        return {"date": today.isoformat(), "skipped": True, "sent": 0, "failed": 0}
    sent = failed = 0
    with get_connection() as connection:
        for reminder in overdue_reminders(today):
            message = reminder_email(reminder, today)
            message.connection = connection
            try:
                message.send()
            except Exception:  # one bad address must not stop everyone else's reminder
                logger.exception("overdue reminder to person %s failed", reminder.person.pk)
                failed += 1
            else:
                sent += 1
    return {"date": today.isoformat(), "skipped": False, "sent": sent, "failed": failed}
