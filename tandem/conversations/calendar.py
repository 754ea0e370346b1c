"""A one-on-one series as an .ics file: one recurring event (RRULE by cadence), a UID
that stays the same for the life of the series and a SEQUENCE that grows with each
change, so calendars update the invite rather than add a second one. Cancelled once
the series ends. Time, length and the two names only: never the agenda or any note."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar

from tandem.conversations.models import Cadence, OneOnOneSeries
from tandem.lib.ical import CalendarEvent, EventStatus, build_calendar, zone

INTERVAL_WEEKS = {Cadence.WEEKLY: 1, Cadence.FORTNIGHTLY: 2, Cadence.MONTHLY: 4}


def series_uid(series: OneOnOneSeries) -> str:
    return f"oneonone-series-{series.pk}@tandem"


def series_event(series: OneOnOneSeries) -> CalendarEvent:
    start = datetime.combine(series.first_on, series.starts_at, tzinfo=zone(series.time_zone))
    return CalendarEvent(
        uid=series_uid(series),
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
    calendar = Calendar.from_ical(build_calendar([series_event(series)]))
    for vevent in calendar.walk("VEVENT"):
        vevent.add("rrule", {"freq": "weekly", "interval": INTERVAL_WEEKS[Cadence(series.cadence)]})
    return calendar.to_ical()
