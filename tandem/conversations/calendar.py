"""One-on-ones in calendars, with time, length and the two names only (never the agenda
or any note):

- a series as an .ics file: one recurring event (RRULE by cadence), a UID that stays
  the same for the life of the series and a SEQUENCE that grows with each change, so
  calendars update the invite rather than add a second one; cancelled once the series
  ends;
- each meeting in the personal calendar feed (`oneonone_events`): the meetings held in
  the feed's window and the planned dates ahead, one event per date, without the dates
  called off. The feed has no recurrence rules, so a date is its own event there.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

from tandem.accounts import calendar, policy
from tandem.conversations.models import Cadence, Meeting, MeetingStatus, OneOnOneSeries
from tandem.lib.ical import CalendarEvent, EventStatus, build_calendar, zone

INTERVAL_WEEKS = {Cadence.WEEKLY: 1, Cadence.FORTNIGHTLY: 2, Cadence.MONTHLY: 4}


def series_uid(series: OneOnOneSeries) -> str:
    return f"oneonone-series-{series.pk}@tandem"


# How far ahead the feed lists planned dates.
FEED_AHEAD = timedelta(days=90)


def series_event(series: OneOnOneSeries, on: date | None = None, *, uid: str = "") -> CalendarEvent:
    """The series' event starting on its first date (or on `on`, for one meeting)."""
    start = datetime.combine(on or series.first_on, series.starts_at, tzinfo=zone(series.time_zone))
    return CalendarEvent(
        uid=uid or series_uid(series),
        start=start,
        end=start + timedelta(minutes=series.duration_minutes),
        time_zone=series.time_zone,
        summary=_("1:1 %(manager)s / %(report)s")
        % {"manager": series.manager.full_name, "report": series.report.full_name},
        url=settings.TANDEM_BASE_URL.rstrip("/")
        + reverse("conversations:oneonone-series", args=[series.pk]),
        sequence=series.sequence,
        status=EventStatus.CONFIRMED if series.active else EventStatus.CANCELLED,
    )


def series_ics(series: OneOnOneSeries) -> bytes:
    """The series as a calendar with one recurring event."""
    ics = Calendar.from_ical(build_calendar([series_event(series)]))
    for vevent in ics.walk("VEVENT"):
        vevent.add("rrule", {"freq": "weekly", "interval": INTERVAL_WEEKS[Cadence(series.cadence)]})
    return ics.to_ical()


def oneonone_events(user: Any, *, today: date | None = None) -> list[CalendarEvent]:
    """The feed's source: the user's 1:1 meetings held or planned in the feed's window."""
    person = policy.person_of(user)
    if person is None:
        return []
    today = today or timezone.localdate()
    since = today - calendar.FEED_SINCE
    found = []
    for series in OneOnOneSeries.objects.of(person).select_related("manager", "report"):
        meetings = dict(
            Meeting.objects.filter(series=series, on__gte=since).values_list("on", "status")
        )
        held = [day for day, status in meetings.items() if status == MeetingStatus.COMPLETED]
        planned = (
            [
                day
                for day in series.dates_between(today, today + FEED_AHEAD)
                if meetings.get(day, MeetingStatus.PLANNED) == MeetingStatus.PLANNED
            ]
            if series.active
            else []
        )
        for day in sorted(set(held) | set(planned)):
            uid = calendar.event_uid(f"oneonone-{series.pk}", day.strftime("%Y%m%d"))
            found.append(series_event(series, day, uid=uid))
    return found
