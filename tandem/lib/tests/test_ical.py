from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tandem.lib.ical import (
    Attendee,
    CalendarEvent,
    EventStatus,
    Method,
    build_calendar,
    invitation,
    parse_calendar,
)

PARIS = ZoneInfo("Europe/Paris")
ORGANIZER = Attendee("Tandem", "tandem@example.com")
COACH = Attendee("Cora Coach", "cora@example.com")
COACHEE = Attendee("Rita Report, PhD", "rita@example.com")


def session(**changes):
    values = {
        "uid": "coaching-session-7@tandem.example.com",
        "start": datetime(2026, 1, 15, 9, 0, tzinfo=PARIS),
        "end": datetime(2026, 1, 15, 10, 0, tzinfo=PARIS),
        "time_zone": "Europe/Paris",
        "summary": "Coaching session: Cora Coach and Rita Report",
        "description": "Join from Tandem; notes stay between you two.",
        "location": "Room 4.2",
        "url": "https://tandem.example.com/coaching/sessions/7/",
        "organizer": ORGANIZER,
        "attendees": (COACH, COACHEE),
    }
    return CalendarEvent(**(values | changes))


def only_event(ics):
    parsed = parse_calendar(ics)
    assert len(parsed.events) == 1
    return parsed, parsed.events[0]


def instant_from_vtimezone(ics):
    """DTSTART read as a client without its own time-zone database would: the wall
    time, placed in the offsets the VTIMEZONE component describes."""
    calendar = Calendar.from_ical(ics)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    tz = vtimezone.to_tz()
    (vevent,) = calendar.walk("VEVENT")
    wall = vevent.decoded("dtstart").replace(tzinfo=None)
    return wall.replace(tzinfo=tz).astimezone(UTC)


class TestInvitation:
    def test_it_builds_a_request_that_icalendar_parses(self):
        parsed, event = only_event(invitation(session()))
        assert parsed.method == "REQUEST"
        assert event.uid == "coaching-session-7@tandem.example.com"
        assert (event.sequence, event.status) == (0, "CONFIRMED")
        assert event.summary == "Coaching session: Cora Coach and Rita Report"
        assert event.location == "Room 4.2"
        assert event.url == "https://tandem.example.com/coaching/sessions/7/"
        assert event.organizer == "tandem@example.com"
        assert event.attendees == (
            ("Cora Coach", "cora@example.com"),
            ("Rita Report, PhD", "rita@example.com"),
        )

    def test_it_writes_the_calendar_boilerplate_clients_need(self):
        ics = invitation(session(), stamp=datetime(2026, 1, 2, 8, 30, tzinfo=UTC))
        text = ics.decode()
        assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tandem//")
        assert "DTSTAMP:20260102T083000Z" in text
        assert "RSVP=TRUE" in text
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))

    @pytest.mark.parametrize(
        ("start", "utc"),
        [
            (datetime(2026, 1, 15, 9, 0), datetime(2026, 1, 15, 8, 0, tzinfo=UTC)),  # winter
            (datetime(2026, 7, 15, 9, 0), datetime(2026, 7, 15, 7, 0, tzinfo=UTC)),  # summer
        ],
    )
    def test_it_writes_the_time_in_the_events_zone_with_its_vtimezone(self, start, utc):
        start = start.replace(tzinfo=PARIS)
        ics = invitation(session(start=start, end=start + timedelta(hours=1)))
        assert f"DTSTART;TZID=Europe/Paris:{start:%Y%m%dT%H%M%S}" in ics.decode()
        parsed, event = only_event(ics)
        assert parsed.timezones == ["Europe/Paris"]
        assert event.tzid == "Europe/Paris"
        assert event.start.astimezone(UTC) == utc
        assert instant_from_vtimezone(ics) == utc

    def test_it_writes_a_utc_start_in_the_events_zone(self):
        # Stored in UTC (as the database does), planned in Paris.
        start = datetime(2026, 7, 15, 7, 0, tzinfo=UTC)
        ics = invitation(session(start=start, end=start + timedelta(minutes=45)))
        assert "DTSTART;TZID=Europe/Paris:20260715T090000" in ics.decode()
        assert "DTEND;TZID=Europe/Paris:20260715T094500" in ics.decode()

    def test_it_keeps_the_wall_time_across_a_daylight_saving_change(self):
        # A series planned at 09:00 Paris either side of the last Sunday of March.
        before = datetime(2026, 3, 26, 9, 0, tzinfo=PARIS)
        after = datetime(2026, 4, 2, 9, 0, tzinfo=PARIS)
        events = [
            session(uid=f"s{i}@t", start=moment, end=moment + timedelta(hours=1))
            for i, moment in enumerate((before, after))
        ]
        parsed = parse_calendar(build_calendar(events))
        assert [e.start.astimezone(UTC).hour for e in parsed.events] == [8, 7]
        assert [e.start.hour for e in parsed.events] == [9, 9]
        assert parsed.timezones == ["Europe/Paris"]

    def test_it_keeps_the_length_of_a_session_that_spans_the_change(self):
        # 01:30 to 03:30 Paris on the night the clocks go forward lasts one hour.
        start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 CET
        end = start + timedelta(hours=1)  # 03:30 CEST
        ics = invitation(session(start=start, end=end))
        text = ics.decode()
        assert "DTSTART;TZID=Europe/Paris:20260329T013000" in text
        assert "DTEND;TZID=Europe/Paris:20260329T033000" in text
        _parsed, event = only_event(ics)
        assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(hours=1)

    def test_it_adds_one_vtimezone_per_zone(self):
        tokyo = session(uid="t@t", time_zone="Asia/Tokyo")
        parsed = parse_calendar(build_calendar([session(), tokyo, session(uid="x@t")]))
        assert sorted(parsed.timezones) == ["Asia/Tokyo", "Europe/Paris"]
        assert parsed.events[1].start.hour == 17  # 09:00 Paris is 17:00 Tokyo in winter
        assert parsed.events[1].tzid == "Asia/Tokyo"

    def test_it_writes_utc_events_without_a_vtimezone(self):
        start = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
        ics = invitation(session(time_zone="UTC", start=start, end=start + timedelta(hours=1)))
        assert "DTSTART:20260115T090000Z" in ics.decode()
        assert parse_calendar(ics).timezones == []

    def test_it_escapes_text(self):
        text = "Agenda; review, then\nnext steps"
        _parsed, event = only_event(invitation(session(summary=text, description=text)))
        assert (event.summary, event.description) == (text, text)


class TestChanges:
    def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(self):
        first = session()
        moved = first.rescheduled(
            start=first.start + timedelta(days=1), end=first.end + timedelta(days=1)
        )
        _p, sent_first = only_event(invitation(first))
        parsed, sent_moved = only_event(invitation(moved))
        assert parsed.method == "REQUEST"
        assert sent_moved.uid == sent_first.uid
        assert sent_moved.sequence == sent_first.sequence + 1
        assert sent_moved.start.day == 16

    def test_a_cancellation_keeps_the_uid_and_raises_the_sequence(self):
        moved = session().rescheduled(
            start=session().start + timedelta(hours=2), end=session().end + timedelta(hours=2)
        )
        cancelled = moved.cancelled()
        _p, sent = only_event(invitation(moved))
        parsed, cancel = only_event(invitation(cancelled))
        assert parsed.method == "CANCEL"
        assert (cancel.uid, cancel.status) == (sent.uid, "CANCELLED")
        assert cancel.sequence == 2 > sent.sequence
        assert "RSVP" not in invitation(cancelled).decode()

    def test_it_round_trips_through_a_dict_for_background_jobs(self):
        event = session().cancelled()
        assert CalendarEvent.from_dict(event.to_dict()) == event

    def test_it_drops_the_details_a_feed_must_not_show(self):
        bare = session().without_details()
        assert (bare.description, bare.organizer, bare.attendees) == ("", None, ())
        assert (bare.summary, bare.location, bare.url) == (
            session().summary,
            session().location,
            session().url,
        )


class TestFeed:
    def test_it_builds_a_named_calendar_without_a_method(self):
        ics = build_calendar([session().without_details()], name="Tandem — Rita")
        text = ics.decode()
        assert "METHOD" not in text
        assert "X-WR-CALNAME:Tandem — Rita" in text
        assert "ATTENDEE" not in text and "DESCRIPTION" not in text

    def test_an_empty_calendar_is_valid(self):
        parsed = parse_calendar(build_calendar([]))
        assert (parsed.events, parsed.timezones) == ([], [])


class TestBadInput:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"start": datetime(2026, 1, 15, 9)}, "aware"),
            ({"end": datetime(2026, 1, 15, 8, 0, tzinfo=PARIS)}, "end after"),
            ({"uid": ""}, "UID"),
            ({"time_zone": "Mars/Olympus_Mons"}, "Unknown time zone"),
        ],
    )
    def test_it_refuses_an_impossible_event(self, changes, message):
        with pytest.raises(ValueError, match=message):
            session(**changes)

    def test_an_invitation_needs_an_organizer(self):
        with pytest.raises(ValueError, match="organizer"):
            build_calendar([session(organizer=None)], method=Method.REQUEST)

    def test_it_refuses_to_parse_what_is_not_a_calendar(self):
        with pytest.raises(ValueError):
            parse_calendar(b"hello")

    def test_status_values_are_the_rfc_ones(self):
        assert {s.value for s in EventStatus} == {"CONFIRMED", "CANCELLED"}
