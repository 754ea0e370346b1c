"""iCalendar (RFC 5545) invitations and feeds, and reading them back.

An event's UID stays the same for its whole life; every change that is sent again (a
new time, a new place, a cancellation) carries a higher SEQUENCE, so calendar clients
replace their copy instead of adding a second one. `CalendarEvent.rescheduled()` and
`.cancelled()` return the changed event with the next sequence number: store it.

Times are written in the event's own IANA time zone (DTSTART;TZID=Europe/Paris:…)
with the matching VTIMEZONE, so a client shows the right hour on either side of a
daylight-saving change, wherever its user is.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Tandem//Tandem leadership development//EN"


class Method(StrEnum):
    """What a calendar sent by email asks of its receiver (RFC 5546)."""

    REQUEST = "REQUEST"  # add or update the event
    CANCEL = "CANCEL"  # remove it


class EventStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One event as calendars see it. `start` and `end` are aware datetimes (any zone);
    they are written in `time_zone`, the zone the event is planned in."""

    uid: str
    start: datetime
    end: datetime
    time_zone: str
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    sequence: int = 0
    status: EventStatus = EventStatus.CONFIRMED

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("An event's start and end must be aware datetimes.")
        if self.end <= self.start:
            raise ValueError("An event must end after it starts.")
        if not self.uid:
            raise ValueError("An event needs a UID.")
        zone(self.time_zone)
        object.__setattr__(self, "attendees", tuple(self.attendees))

    def rescheduled(self, *, start: datetime, end: datetime, **changes: Any) -> "CalendarEvent":
        return replace(self, start=start, end=end, sequence=self.sequence + 1, **changes)

    def cancelled(self) -> "CalendarEvent":
        return replace(self, status=EventStatus.CANCELLED, sequence=self.sequence + 1)

    def without_details(self) -> "CalendarEvent":
        """Title, time, place and link only: what a calendar feed may show."""
        return replace(self, description="", organizer=None, attendees=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (e.g. a background job's arguments); `from_dict` reads it back."""
        return {
            "uid": self.uid,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "time_zone": self.time_zone,
            "summary": self.summary,
            "description": self.description,
            "location": self.location,
            "url": self.url,
            "organizer": [self.organizer.name, self.organizer.email] if self.organizer else None,
            "attendees": [[a.name, a.email] for a in self.attendees],
            "sequence": self.sequence,
            "status": str(self.status),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CalendarEvent":
        organizer = data.get("organizer")
        return cls(
            uid=data["uid"],
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            time_zone=data["time_zone"],
            summary=data["summary"],
            description=data.get("description", ""),
            location=data.get("location", ""),
            url=data.get("url", ""),
            organizer=Attendee(*organizer) if organizer else None,
            attendees=tuple(Attendee(*a) for a in data.get("attendees", ())),
            sequence=data.get("sequence", 0),
            status=EventStatus(data.get("status", EventStatus.CONFIRMED)),
        )


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Paris."
        ) from None


def _address(person: Attendee, **params: Any) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    for key, value in params.items():
        address.params[key.upper()] = value
    return address


def _vevent(event: CalendarEvent, *, stamp: datetime, method: Method | None) -> Event:
    tz = zone(event.time_zone)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp.astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(tz))
    vevent.add("dtend", event.end.astimezone(tz))
    vevent.add("sequence", event.sequence)
    vevent.add("status", str(event.status))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.organizer is not None:
        vevent.add("organizer", _address(event.organizer))
    for attendee in event.attendees:
        params: dict[str, Any] = {"role": "REQ-PARTICIPANT", "cutype": "INDIVIDUAL"}
        if method == Method.REQUEST:
            params |= {"partstat": "NEEDS-ACTION", "rsvp": "TRUE"}
        vevent.add("attendee", _address(attendee, **params))
    return vevent


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    method: Method | None = None,
    name: str = "",
    stamp: datetime | None = None,
) -> bytes:
    """A VCALENDAR with the events and a VTIMEZONE for each zone they use.

    With a `method` (an invitation by email), every event needs an organizer, as
    RFC 5546 requires. Without one, it is a plain calendar, e.g. a subscribed feed."""
    events = list(events)
    stamp = stamp or datetime.now(UTC)
    if method is not None and any(event.organizer is None for event in events):
        raise ValueError(f"A {method} needs an organizer on every event.")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", str(method))
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp, method=method))
    if events:
        # Transitions from a year before the first event to a year after the last: enough
        # for any client, and a feed's VTIMEZONE stays a few lines long.
        calendar.add_missing_timezones(
            first_date=min(e.start for e in events).date() - timedelta(days=366),
            last_date=max(e.end for e in events).date() + timedelta(days=366),
        )
    return calendar.to_ical()


def invitation(event: CalendarEvent, *, stamp: datetime | None = None) -> bytes:
    """The .ics to email for an event: a REQUEST, or a CANCEL once it is cancelled."""
    return build_calendar([event], method=method_of(event), stamp=stamp)


def method_of(event: CalendarEvent) -> Method:
    return Method.CANCEL if event.status == EventStatus.CANCELLED else Method.REQUEST


# Reading calendars back (tests, and checking what was sent) ------------------------------


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    sequence: int
    status: str
    summary: str
    start: datetime  # aware, in the zone of its TZID
    end: datetime
    tzid: str  # the TZID parameter of DTSTART ("" for UTC times)
    description: str = ""
    location: str = ""
    url: str = ""
    organizer: str = ""  # email
    attendees: tuple[tuple[str, str], ...] = ()  # (name, email)
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ParsedCalendar:
    method: str
    events: list[ParsedEvent]
    timezones: list[str]  # the TZIDs of the VTIMEZONE components
    raw: Any = field(default=None, repr=False, compare=False)


def _email(address: Any) -> str:
    text = str(address or "")
    return text[7:] if text.lower().startswith("mailto:") else text


def parse_calendar(data: bytes | str) -> ParsedCalendar:
    """Read a VCALENDAR (raises ValueError if it is not one)."""
    calendar = Calendar.from_ical(data)
    events = []
    for vevent in calendar.walk("VEVENT"):
        dtstart = vevent.get("dtstart")
        start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
        if not isinstance(start, datetime) or not isinstance(end, datetime):
            raise ValueError("Only timed events are read, not all-day ones.")
        attendees = vevent.get("attendee", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        organizer = vevent.get("organizer")
        events.append(
            ParsedEvent(
                uid=str(vevent.get("uid", "")),
                sequence=int(vevent.get("sequence", 0)),
                status=str(vevent.get("status", "")),
                summary=str(vevent.get("summary", "")),
                start=start,
                end=end,
                tzid=str(dtstart.params.get("TZID", "")),
                description=str(vevent.get("description", "")),
                location=str(vevent.get("location", "")),
                url=str(vevent.get("url", "")),
                organizer=_email(organizer),
                attendees=tuple((str(a.params.get("CN", "")), _email(a)) for a in attendees),
                raw=vevent,
            )
        )
    return ParsedCalendar(
        method=str(calendar.get("method", "")),
        events=events,
        timezones=[str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")],
        raw=calendar,
    )


__all__ = [
    "Attendee",
    "CalendarEvent",
    "EventStatus",
    "Method",
    "ParsedCalendar",
    "ParsedEvent",
    "build_calendar",
    "invitation",
    "method_of",
    "parse_calendar",
    "zone",
]
