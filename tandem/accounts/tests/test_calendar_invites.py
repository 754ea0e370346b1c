"""Invitations by email: the .ics attached as text/calendar with its method, sent
through Django's email backend from a background job."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tandem.accounts import calendar
from tandem.accounts.tasks import send_calendar_invite
from tandem.lib.ical import Attendee, CalendarEvent, parse_calendar

PARIS = ZoneInfo("Europe/Paris")
COACH = Attendee("Cora Coach", "cora@example.com")
COACHEE = Attendee("Rita Report", "rita@example.com")


def session(**changes):
    start = datetime(2026, 1, 15, 9, 0, tzinfo=PARIS)
    values = {
        "uid": "coaching-session-7@tandem.example.com",
        "start": start,
        "end": start + timedelta(hours=1),
        "time_zone": "Europe/Paris",
        "summary": "Coaching session: Cora Coach and Rita Report",
        "location": "https://meet.example.com/abc",
        "url": "https://tandem.example.com/coaching/sessions/7/",
        "organizer": calendar.organizer(),
        "attendees": (COACH, COACHEE),
    }
    return CalendarEvent(**(values | changes))


def calendar_parts(message):
    """(content type, payload) of every text/calendar part of a sent email."""
    return [
        (part.get_content_type(), part.get_param("method"), part.get_filename(), part)
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


class TestInviteEmail:
    def test_it_carries_the_ics_as_alternative_and_attachment(self):
        message = calendar.invite_email(session(), to=COACHEE)
        parts = calendar_parts(message)
        assert [(t, m, f) for t, m, f, _p in parts] == [
            ("text/calendar", "REQUEST", None),
            ("text/calendar", "REQUEST", "invite.ics"),
        ]
        for *_rest, part in parts:
            parsed = parse_calendar(part.get_payload(decode=True))
            assert parsed.method == "REQUEST"
            assert parsed.events[0].uid == "coaching-session-7@tandem.example.com"
        assert message.to == ["rita@example.com"]

    def test_it_says_what_when_and_where_in_the_recipients_zone(self):
        message = calendar.invite_email(session(), to=COACHEE, time_zone="America/New_York")
        assert message.subject == "Invitation: Coaching session: Cora Coach and Rita Report"
        assert "Hello Rita Report," in message.body
        assert "Thursday 15 January 2026, 3 a.m.\N{EN DASH}4 a.m." in message.body
        assert "(America/New_York)" in message.body
        assert "Where: https://meet.example.com/abc" in message.body

    def test_it_defaults_to_the_events_zone(self):
        message = calendar.invite_email(session(), to=COACHEE)
        assert "9 a.m.\N{EN DASH}10 a.m." in message.body
        assert "(Europe/Paris)" in message.body

    def test_a_change_and_a_cancellation_say_so(self):
        moved = session().rescheduled(
            start=session().start + timedelta(days=1), end=session().end + timedelta(days=1)
        )
        updated = calendar.invite_email(moved, to=COACH)
        assert updated.subject.startswith("Updated: ")
        cancelled = calendar.invite_email(moved.cancelled(), to=COACH)
        assert cancelled.subject.startswith("Cancelled: ")
        assert "cancelled" in cancelled.body
        ((_t, method, _f, part), *_rest) = calendar_parts(cancelled)
        assert method == "CANCEL"
        (event,) = parse_calendar(part.get_payload(decode=True)).events
        assert (event.uid, event.sequence, event.status) == (session().uid, 2, "CANCELLED")

    def test_the_caller_may_write_its_own_subject_and_text(self):
        message = calendar.invite_email(session(), to=COACH, subject="Session", body="See you")
        assert (message.subject, message.body) == ("Session", "See you")

    def test_tandem_organizes_its_invitations(self, settings):
        settings.DEFAULT_FROM_EMAIL = "Acme Tandem <tandem@acme.example>"
        assert calendar.organizer() == Attendee("Acme Tandem", "tandem@acme.example")


@pytest.mark.django_db
class TestSending:
    def test_the_job_sends_one_email(self):
        assert send_calendar_invite.call(session().to_dict(), "Rita Report", "rita@example.com")
        (sent,) = mail.outbox
        assert sent.to == ["rita@example.com"]
        assert len(calendar_parts(sent)) == 2

    def test_it_enqueues_one_job_per_recipient_after_the_commit(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            calendar.send_invites(session(), recipients=[(COACH, "UTC"), (COACHEE, "Asia/Tokyo")])
            assert mail.outbox == []  # nothing leaves before the transaction commits
        assert len(callbacks) == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["cora@example.com", "rita@example.com"]
        tokyo = next(m for m in mail.outbox if m.to == ["rita@example.com"])
        assert "5 p.m.\N{EN DASH}6 p.m." in tokyo.body

    def test_the_queued_event_holds_nothing_but_the_event(self):
        data = session(description="").to_dict()
        assert CalendarEvent.from_dict(data) == session(description="")
        assert datetime.fromisoformat(data["start"]).astimezone(UTC).hour == 8
