"""Calendars: the per-user feed's event sources, and invitations by email.

Apps above accounts (coaching sessions, training sessions, one-on-ones) add a source
in their `AppConfig.ready()`:

    from tandem.accounts.calendar import register_event_source
    register_event_source(coaching_events)   # (user) -> iterable of lib.ical.CalendarEvent

Each source returns the events the user takes part in and may see. The feed keeps only
what any calendar may show — title, time, place, link — and drops descriptions,
organizers and attendees, so nothing confidential can reach a phone's calendar.
A source should still keep confidential content out of the title ("Coaching session
with Cora Coach", never the topic) and need not return events older than
`FEED_SINCE` (the feed drops them).
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tandem.lib.ical import Attendee, CalendarEvent, EventStatus, invitation, method_of, zone

EventSource = Callable[[Any], Iterable[CalendarEvent]]

# How far back the feed goes: calendar apps keep what they have already seen.
FEED_SINCE = timedelta(days=90)

_SOURCES: list[EventSource] = []


def register_event_source(source: EventSource) -> None:
    """Add a source of the feed's events (idempotent: ready() may run twice in tests)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def events_for(user: Any, *, now: datetime | None = None) -> list[CalendarEvent]:
    """Every registered source's events for `user`, as a feed may show them, by start."""
    since = (now or timezone.now()) - FEED_SINCE
    events = [
        event.without_details()
        for source in _SOURCES
        for event in source(user)
        if event.end >= since
    ]
    return sorted(events, key=lambda event: (event.start, event.uid))


def event_uid(kind: str, pk: Any) -> str:
    """A UID that stays the same for a record's whole life: `coaching-session-7@host`."""
    host = urlsplit(settings.TANDEM_BASE_URL).hostname or "tandem"
    return f"{kind}-{pk}@{host}"


def feed_url(raw: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("calendar-feed", args=[raw])


def organizer() -> Attendee:
    """Tandem itself, from DEFAULT_FROM_EMAIL, as the organizer of the invitations it sends."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Attendee(name or "Tandem", email or settings.DEFAULT_FROM_EMAIL)


def invite_email(
    event: CalendarEvent,
    *,
    to: Attendee,
    time_zone: str = "",
    subject: str = "",
    body: str = "",
) -> EmailMultiAlternatives:
    """An email carrying the event's .ics: a REQUEST (new or changed), or a CANCEL once
    the event is cancelled. The text says what, when (in `time_zone`, the recipient's,
    or the event's own) and where; `subject` and `body` replace the default ones.

    The calendar goes in twice, as most mail clients want it: as the text/calendar
    alternative (clients show accept/decline buttons) and as invite.ics."""
    ics = invitation(event).decode()
    method = method_of(event)
    context = {
        "event": event,
        "name": to.name,
        "cancelled": event.status == EventStatus.CANCELLED,
        "updated": event.sequence > 0,
        "start": event.start,
        "end": event.end,
        "time_zone": str(zone(time_zone or event.time_zone)),
    }
    if not subject:
        subject = " ".join(
            render_to_string("accounts/email/calendar_invite_subject.txt", context).split()
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body or render_to_string("accounts/email/calendar_invite.txt", context),
        to=[to.email],
    )
    content_type = f"text/calendar; method={method}"
    message.attach_alternative(ics, content_type)
    message.attach("invite.ics", ics, content_type)
    return message


def send_invites(event: CalendarEvent, *, recipients: Iterable[tuple[Attendee, str]]) -> None:
    """Email the event to each (attendee, their time zone) in a background job, once the
    current transaction commits."""
    from django.db import transaction

    from tandem.accounts.tasks import send_calendar_invite

    data = event.to_dict()
    for attendee, time_zone in recipients:
        transaction.on_commit(
            partial(send_calendar_invite.enqueue, data, attendee.name, attendee.email, time_zone)
        )


__all__ = [
    "FEED_SINCE",
    "EventSource",
    "event_uid",
    "events_for",
    "feed_url",
    "invite_email",
    "organizer",
    "register_event_source",
    "send_invites",
]
