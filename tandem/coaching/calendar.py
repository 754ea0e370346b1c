"""Coaching sessions in calendars: the invitations emailed to the coach and the coachee
(lib.ical through accounts.calendar: REQUEST when booked or moved, CANCEL when
cancelled, one UID per session and its SEQUENCE growing with each change), and the
sessions in each party's calendar feed.

A calendar event carries the time, the place, a link and the other party's name —
never what the session is about, and never its notes."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import calendar
from tandem.coaching.models import Session, SessionStatus
from tandem.coaching.tasks import absolute
from tandem.lib.ical import Attendee, CalendarEvent, EventStatus


def _attendee(user: Any, fallback_name: str) -> Attendee | None:
    if user is None or not user.is_active or not user.email:
        return None
    return Attendee(user.get_full_name() or fallback_name, user.email)


def session_event(session: Session, *, other_party: str) -> CalendarEvent:
    """The session as one party's calendar shows it, titled with the other party."""
    engagement = session.engagement
    attendees = tuple(
        attendee
        for attendee in (
            _attendee(engagement.coach.user, engagement.coach.name),
            _attendee(engagement.coachee.user, engagement.coachee.full_name),
        )
        if attendee is not None
    )
    return CalendarEvent(
        uid=session.uid,
        start=session.starts_at,
        end=session.ends_at,
        time_zone=engagement.coach.time_zone,
        summary=_("Coaching session with %(name)s") % {"name": other_party},
        location=session.location,
        url=absolute("coaching:session-detail", session.pk),
        organizer=calendar.organizer(),
        attendees=attendees,
        sequence=session.sequence,
        status=(
            EventStatus.CANCELLED
            if session.status == SessionStatus.CANCELLED
            else EventStatus.CONFIRMED
        ),
    )


def send_session_invites(session: Session) -> None:
    """Email each party the session as it now is, in their own time zone, once the
    current transaction commits."""
    engagement = session.engagement
    parties = [
        (engagement.coach.user, engagement.coach.name, engagement.coachee.full_name),
        (engagement.coachee.user, engagement.coachee.full_name, engagement.coach.name),
    ]
    for user, name, other in parties:
        attendee = _attendee(user, name)
        if attendee is not None and user is not None:
            calendar.send_invites(
                session_event(session, other_party=other),
                recipients=[(attendee, user.time_zone)],
            )


def coaching_events(user: Any) -> list[CalendarEvent]:
    """The feed's source: the user's booked and held sessions, as coach or coachee."""
    sessions = (
        Session.objects.for_user(user)
        .filter(status__in=[SessionStatus.SCHEDULED, SessionStatus.HELD])
        .filter(starts_at__gte=timezone.now() - calendar.FEED_SINCE)
        .select_related("engagement__coach__user", "engagement__coachee__user")
    )
    events = []
    for session in sessions:
        engagement = session.engagement
        is_coach = engagement.coach.user_id == user.pk
        other = engagement.coachee.full_name if is_coach else engagement.coach.name
        events.append(session_event(session, other_party=other))
    return events
