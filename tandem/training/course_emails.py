"""Course sessions in calendars and mailboxes.

Invitations (lib.ical through accounts.calendar, sent by a background job once the
transaction commits): a REQUEST when a learner gets a seat (enrolled, or promoted from
the waitlist) and again, with a higher SEQUENCE, when the session moves; a CANCEL when
the learner cancels their seat or the session is cancelled. The UID is the session's
own, for its whole life, so a calendar replaces its copy instead of adding another.

Plain notices (course_tasks): "you are on the waitlist" and "a seat opened up for you".
"""

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import calendar
from tandem.lib.ical import Attendee, CalendarEvent, EventStatus
from tandem.training.models import CourseSession, Seat, SeatStatus, SessionStatus


def absolute(url_name: str, *args: Any) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse(url_name, args=args)


def location_of(session: CourseSession) -> str:
    return session.venue or session.video_link


def session_event(session: CourseSession, *, cancelled: bool = False) -> CalendarEvent:
    """The session as a learner's calendar shows it. No attendee list: the roster of a
    training session is the learners' own business, not every invitee's."""
    status = (
        EventStatus.CANCELLED
        if cancelled or session.status == SessionStatus.CANCELLED
        else EventStatus.CONFIRMED
    )
    return CalendarEvent(
        uid=session.uid,
        start=session.starts_at,
        end=session.ends_at,
        time_zone=session.time_zone,
        summary=str(session.course.title),
        description=session.course.description[:500],
        location=location_of(session),
        url=absolute("training:session-detail", session.pk),
        organizer=calendar.organizer(),
        sequence=session.sequence,
        status=status,
    )


def _attendee(seat: Seat) -> tuple[Attendee, str] | None:
    user = seat.person.user
    if user is None or not user.is_active or not user.email:
        return None
    return Attendee(seat.person.full_name, user.email), user.time_zone or seat.session.time_zone


def send_invitation(seat: Seat, *, cancelled: bool = False) -> None:
    """Email the learner the session as it now is (or its cancellation) after commit."""
    recipient = _attendee(seat)
    if recipient is None:
        return
    attendee, time_zone = recipient
    event = replace(session_event(seat.session, cancelled=cancelled), attendees=(attendee,))
    calendar.send_invites(event, recipients=[(attendee, time_zone)])


def send_invitations(session: CourseSession, *, cancelled: bool = False) -> None:
    """Every enrolled learner of the session gets the session as it now is."""
    for seat in session.seats.enrolled().select_related("person__user", "session__course"):
        send_invitation(seat, cancelled=cancelled)


def training_events(user: Any) -> list[CalendarEvent]:
    """The calendar feed's source: the sessions the user has a seat in, and those they
    facilitate."""
    from tandem.accounts import policy

    me = policy.person_of(user)
    if me is None:
        return []
    since = timezone.now() - calendar.FEED_SINCE
    seated = CourseSession.objects.filter(seats__person=me, seats__status=SeatStatus.ENROLLED)
    facilitated = CourseSession.objects.filter(facilitator=me)
    sessions = (
        (seated | facilitated)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(starts_at__gte=since)
        .select_related("course")
        .distinct()
    )
    return [session_event(session) for session in sessions]


def seat_notice_text(seat: Seat, kind: str) -> tuple[str, list[str]]:
    """The subject and lines of a plain notice about a seat (`waitlisted`, `promoted`)."""
    session = seat.session
    user = seat.person.user
    zone = getattr(user, "time_zone", "") or session.time_zone
    when = timezone.localtime(session.starts_at, timezone=calendar.zone(zone))
    values = {"course": session.course.title, "when": f"{when:%A %d %B %Y, %H:%M} ({zone})"}
    if kind == "promoted":
        return (
            _("A seat opened up: %(course)s") % values,
            [
                _("A seat opened up in %(course)s on %(when)s, and it is yours.") % values,
                _("The calendar invitation follows in a separate email."),
            ],
        )
    position = seat.session.seats.waitlisted().filter(requested_at__lte=seat.requested_at).count()
    values["position"] = str(position)
    return (
        _("On the waitlist: %(course)s") % values,
        [
            _("%(course)s on %(when)s is full; you are number %(position)s on the waitlist.")
            % values,
            _("If a seat opens up, it is yours, and we will email you."),
        ],
    )


def seat_notice(seat_id: int, kind: str) -> Any:
    """The email of a seat notice as the seat now is, or None when it no longer applies."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    seat = Seat.objects.select_related("person__user", "session__course").filter(pk=seat_id).first()
    if seat is None:
        return None
    wanted = SeatStatus.ENROLLED if kind == "promoted" else SeatStatus.WAITLISTED
    user = seat.person.user
    if seat.status != wanted or user is None or not user.is_active or not user.email:
        return None
    subject, lines = seat_notice_text(seat, kind)
    body = render_to_string(
        "training/email/seat_notice.txt",
        {
            "name": seat.person.first_name,
            "lines": lines,
            "link": absolute("training:session-detail", seat.session_id),
        },
    )
    return EmailMessage(subject=subject, body=body, to=[user.email])
