"""Email reminders of what is overdue, once a day.

Each person gets at most one email a day, listing only what is theirs: the next steps
they own that are overdue, their own overdue check-ins as a participant, and, for a
manager, which of their direct reports' check-ins are overdue and since when. Never
the content of a check-in, a coaching note or anything else confidential.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tandem.people.models import Person
from tandem.programs import overdue
from tandem.programs.models import ActionItem, DevelopmentPlan, ReminderSent
from tandem.scheduler import periodic

logger = logging.getLogger(__name__)


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


@periodic(every=timedelta(hours=24))
@task()
def send_overdue_reminders() -> dict[str, Any]:
    """Email each person what is overdue and theirs to act on; at most once a day.

    Each email is sent inside a transaction that claims the person's ReminderSent row
    for today: a second worker (or a second run) finds the claim and skips them, and
    a failed or interrupted send rolls its claim back, so the next run retries."""
    today = timezone.localdate()
    sent = skipped = failed = 0
    with get_connection() as connection:
        for reminder in overdue_reminders(today):
            message = reminder_email(reminder, today)
            message.connection = connection
            try:
                with transaction.atomic():
                    _, claimed = ReminderSent.objects.get_or_create(
                        person=reminder.person, sent_on=today
                    )
                    if claimed:
                        message.send()
            except Exception:  # one bad address must not stop everyone else's reminder
                logger.exception("overdue reminder to person %s failed", reminder.person.pk)
                failed += 1
                continue
            if claimed:
                sent += 1
            else:
                skipped += 1
    return {"date": today.isoformat(), "sent": sent, "already_sent": skipped, "failed": failed}
