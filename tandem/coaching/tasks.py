"""Coaching's background jobs: the emails of pairing, chemistry calls and rating
requests, and the daily reminder of overdue next steps and sessions awaiting notes.
(Session invitations are calendar emails: coaching.calendar.)

Important: no email carries what is said in coaching — no note, takeaway or the text
of a next step. They say who, when and where, and link to Tandem, where only the coach
and the coachee read the rest. Jobs take record ids and read the current state, so a
job that runs late sends what is true when it runs.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tandem.coaching.models import (
    OPEN_STATUSES,
    ActionItem,
    ChemistryCall,
    Engagement,
    Party,
    ReminderSent,
    Session,
    SessionStatus,
)
from tandem.scheduler import periodic

logger = logging.getLogger(__name__)


def absolute(url_name: str, *args: Any) -> str:
    """A link for an email: the site's address from settings.TANDEM_BASE_URL."""
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse(url_name, args=args)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    time_zone: str


def _recipient(user: Any) -> Recipient | None:
    if user is None or not user.is_active or not user.email:
        return None
    return Recipient(user.first_name or str(user), user.email, user.time_zone or "UTC")


def _local(moment: Any, time_zone: str) -> Any:
    return timezone.localtime(moment, timezone=_zone(time_zone))


def _zone(name: str) -> Any:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def notice(to: Recipient, subject: str, lines: list[str], link: str = "") -> EmailMessage:
    body = render_to_string(
        "coaching/email/notice.txt", {"name": to.name, "lines": lines, "link": link}
    )
    return EmailMessage(subject=subject, body=body, to=[to.email])


# Pairing and chemistry calls -----------------------------------------------------------


@task()
def send_pairing_emails(engagement_id: int) -> int:
    """Tell the coach and the coachee they are paired, and ask both to accept the
    agreement; tell the sponsor about the three-way goal-setting meeting."""
    engagement = (
        Engagement.objects.select_related("coach__user", "coachee__user", "sponsor__user")
        .filter(pk=engagement_id)
        .first()
    )
    if engagement is None:
        return 0
    link = absolute("coaching:engagement-detail", engagement.pk)
    coachee, coach = engagement.coachee, engagement.coach
    messages = []
    to_coach = _recipient(coach.user)
    if to_coach:
        messages.append(
            notice(
                to_coach,
                _("New coachee: %(name)s") % {"name": coachee.full_name},
                [
                    _("You are now coaching %(name)s.") % {"name": coachee.full_name},
                    _("Read and accept the coaching agreement; sessions start once you both have."),
                ],
                link,
            )
        )
    to_coachee = _recipient(coachee.user)
    if to_coachee:
        messages.append(
            notice(
                to_coachee,
                _("Your coach: %(name)s") % {"name": coach.name},
                [
                    _("%(coach)s is your coach.") % {"coach": coach.name},
                    _("Read and accept the coaching agreement; sessions start once you both have."),
                ],
                link,
            )
        )
    sponsor = engagement.sponsor
    to_sponsor = _recipient(sponsor.user) if sponsor is not None else None
    if to_sponsor:
        messages.append(
            notice(
                to_sponsor,
                _("%(name)s starts coaching") % {"name": coachee.full_name},
                [
                    _("%(name)s is being coached by %(coach)s, and you are the sponsor.")
                    % {"name": coachee.full_name, "coach": coach.name},
                    _(
                        "You will be asked to a three-way meeting to agree the coaching goals. "
                        "What is said in the sessions stays between coach and coachee."
                    ),
                ],
                link,
            )
        )
    for message in messages:
        message.send()
    return len(messages)


@task()
def send_chemistry_call_request(call_id: int) -> bool:
    call = (
        ChemistryCall.objects.select_related("coach__user", "coachee__user")
        .filter(pk=call_id)
        .first()
    )
    to = _recipient(call.coach.user) if call is not None else None
    if call is None or to is None:
        return False
    coachee = call.coachee
    notice(
        to,
        _("Chemistry call request from %(name)s") % {"name": coachee.full_name},
        [
            _(
                "%(name)s is choosing a coach and would like a short call with you first. "
                "Reply to %(email)s to find a time."
            )
            % {"name": coachee.full_name, "email": coachee.email},
        ],
        absolute("coaching:home"),
    ).send()
    return True


# Sessions --------------------------------------------------------------------------------


@task()
def send_rating_request(session_id: int) -> bool:
    """Ask the coachee, after a held session, for their one-question rating."""
    session = (
        Session.objects.select_related("engagement__coach__user", "engagement__coachee__user")
        .filter(pk=session_id, status=SessionStatus.HELD, rating__isnull=True)
        .first()
    )
    to = _recipient(session.engagement.coachee.user) if session is not None else None
    if session is None or to is None:
        return False
    notice(
        to,
        _("How useful was your coaching session?"),
        [
            _(
                "One question about your session with %(coach)s, and room for your own "
                "takeaways (only you and your coach read them)."
            )
            % {"coach": session.engagement.coach.name},
        ],
        absolute("coaching:session-rate", session.pk),
    ).send()
    return True


# The daily reminder ---------------------------------------------------------------------

# A coach has a day after a session to close it before being reminded.
NOTES_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class DueStep:
    due_date: date
    with_name: str  # the other party; never what the step says


@dataclass(frozen=True)
class PastSession:
    local_start: datetime
    with_name: str


@dataclass
class Reminder:
    user: Any
    overdue: list[DueStep] = field(default_factory=list)
    awaiting_notes: list[PastSession] = field(default_factory=list)


def coaching_reminders(now: datetime) -> list[Reminder]:
    """Who is reminded of what: the owners of overdue next steps in open engagements,
    and coaches of sessions past by more than a day and not closed. Fixed queries."""
    today = timezone.localdate(now)
    reminders: dict[int, Reminder] = {}

    def for_user(user: Any) -> Reminder | None:
        if user is None or not user.is_active or not user.email:
            return None
        return reminders.setdefault(user.pk, Reminder(user))

    items = (
        ActionItem.objects.overdue(today)
        .filter(engagement__status__in=OPEN_STATUSES)
        .select_related("engagement__coach__user", "engagement__coachee__user")
        .order_by("due_date", "pk")
    )
    for item in items:
        engagement = item.engagement
        if item.owner == Party.COACH:
            reminder = for_user(engagement.coach.user)
            other = engagement.coachee.full_name
        else:
            reminder = for_user(engagement.coachee.user)
            other = engagement.coach.name
        if reminder is not None:
            reminder.overdue.append(DueStep(item.due_date, other))
    sessions = (
        Session.objects.awaiting_notes(now - NOTES_GRACE)
        .filter(engagement__status__in=OPEN_STATUSES)
        .select_related("engagement__coach__user", "engagement__coachee")
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        coach_user = session.engagement.coach.user
        reminder = for_user(coach_user)
        if reminder is not None:
            reminder.awaiting_notes.append(
                PastSession(
                    _local(session.starts_at, coach_user.time_zone),
                    session.engagement.coachee.full_name,
                )
            )
    return list(reminders.values())


def reminder_email(reminder: Reminder) -> EmailMessage:
    user = reminder.user
    context = {
        "name": user.first_name or str(user),
        "overdue": reminder.overdue,
        "awaiting_notes": reminder.awaiting_notes,
        "link": absolute("coaching:action-items"),
    }
    return EmailMessage(
        subject=_("Coaching: what is overdue"),
        body=render_to_string("coaching/email/reminder.txt", context),
        to=[user.email],
    )


@periodic(every=timedelta(hours=24))
@task()
def send_coaching_reminders() -> dict[str, Any]:
    """Email each coach and coachee what is overdue and theirs, at most once a day.
    Each send claims the user's ReminderSent row for today in the same transaction:
    another worker or run skips them, and a failed send rolls the claim back."""
    now = timezone.now()
    today = timezone.localdate(now)
    sent = skipped = failed = 0
    with get_connection() as connection:
        for reminder in coaching_reminders(now):
            message = reminder_email(reminder)
            message.connection = connection
            try:
                with transaction.atomic():
                    _sent, claimed = ReminderSent.objects.get_or_create(
                        user=reminder.user, sent_on=today
                    )
                    if claimed:
                        message.send()
            except Exception:  # one bad address must not stop everyone else's reminder
                logger.exception("coaching reminder to user %s failed", reminder.user.pk)
                failed += 1
                continue
            sent, skipped = (sent + 1, skipped) if claimed else (sent, skipped + 1)
    return {"date": today.isoformat(), "sent": sent, "already_sent": skipped, "failed": failed}
