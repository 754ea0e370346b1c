"""One-on-one services: starting, cadence, ending, the next meeting on demand, the
agenda carried over once, private notes per author and completing with next steps."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tandem.conversations import guide, oneonones
from tandem.conversations.calendar import series_ics, series_uid
from tandem.conversations.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    NextStep,
    OneOnOneSeries,
    PrivateNote,
)
from tandem.lib.ical import parse_calendar

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def start(org, **changes):
    values = {
        "manager": org.manager,
        "report": org.report,
        "cadence": "weekly",
        "first_on": timezone.localdate(),
        "starts_at": datetime.time(9, 30),
        "duration_minutes": 30,
        "time_zone": "Europe/Paris",
    }
    return oneonones.series_start(**(values | changes))


def step(org_owner="report", due=None):
    return oneonones.NextStepInput("Draft the plan", org_owner, due or timezone.localdate() + DAY)


def test_it_starts_a_series_only_with_a_direct_report(org):
    series = start(org)
    assert series.active and series.manager == org.manager
    with pytest.raises(ValidationError) as error:
        start(org, report=org.outsider)
    assert "report" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        start(org)
    assert "report" in error.value.message_dict  # one running series per pair
    with pytest.raises(ValidationError) as error:
        start(org, manager=org.ceo, report=org.manager, time_zone="Mars/Olympus")
    assert "time_zone" in error.value.message_dict
    assert OneOnOneSeries.objects.count() == 1


def test_it_lets_either_side_change_the_cadence_and_only_the_manager_end_it(org):
    series = start(org)
    oneonones.series_change_cadence(series=series, cadence="monthly", by=org.report)
    assert series.cadence == "monthly" and series.sequence == 1
    with pytest.raises(ValidationError):
        oneonones.series_change_cadence(series=series, cadence="weekly", by=org.outsider)
    with pytest.raises(oneonones.Refused):
        oneonones.series_end(series=series, by=org.report)
    oneonones.series_end(series=series, by=org.manager)
    series.refresh_from_db()
    assert not series.active and series.sequence == 2
    with pytest.raises(oneonones.Refused):
        oneonones.meeting_next(series)


def test_it_creates_the_next_meeting_on_demand_once(org):
    series = start(org, first_on=timezone.localdate() - 3 * DAY)
    meeting = oneonones.meeting_next(series)
    assert meeting.on == timezone.localdate() + 4 * DAY
    assert oneonones.meeting_next(series) == meeting
    assert Meeting.objects.count() == 1


def test_it_carries_open_items_of_the_last_completed_meeting_over_once(org):
    series = start(org)
    first = oneonones.meeting_next(series)
    open_item = oneonones.agenda_add(meeting=first, author=org.report, text="Promotion path")
    done_item = oneonones.agenda_add(meeting=first, author=org.manager, text="Q3 review")
    oneonones.agenda_mark(item=done_item, done=True, by=org.report)
    oneonones.meeting_complete(meeting=first, next_steps=[step()], by=org.manager)
    second = oneonones.meeting_next(series)
    assert second.on == first.on + 7 * DAY
    carried = list(second.agenda.all())
    assert [(i.text, i.carried_from_id) for i in carried] == [("Promotion path", open_item.pk)]
    oneonones.meeting_complete(meeting=second, next_steps=[step(due=second.on)], by=org.manager)
    third = oneonones.meeting_next(series)
    # The carried copy is itself open, so it carries on; the original never twice.
    assert AgendaItem.objects.filter(carried_from=open_item).count() == 1
    assert [i.carried_from_id for i in third.agenda.all()] == [carried[0].pk]


def test_it_carries_over_into_a_meeting_opened_before_the_last_was_completed(org):
    series = start(org, first_on=timezone.localdate() - 7 * DAY)
    past = Meeting.objects.create(series=series, on=timezone.localdate() - 7 * DAY)
    oneonones.agenda_add(meeting=past, author=org.report, text="Workload")
    upcoming = oneonones.meeting_next(series)
    assert not upcoming.agenda.exists()
    oneonones.meeting_complete(meeting=past, next_steps=[step(due=past.on)], by=org.report)
    assert [i.text for i in upcoming.agenda.all()] == ["Workload"]


def test_it_refuses_to_complete_without_a_next_step_and_writes_nothing(org):
    meeting = oneonones.meeting_next(start(org))
    with pytest.raises(ValidationError) as error:
        oneonones.meeting_complete(meeting=meeting, next_steps=[], by=org.manager)
    assert "next_steps" in error.value.message_dict
    late = oneonones.NextStepInput("Old", "manager", meeting.on - DAY)
    with pytest.raises(ValidationError) as error:
        oneonones.meeting_complete(meeting=meeting, next_steps=[step(), late], by=org.manager)
    assert "next_steps" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not NextStep.objects.exists()


def test_it_completes_with_next_steps_owned_by_either_side(org):
    meeting = oneonones.meeting_next(start(org))
    oneonones.meeting_complete(
        meeting=meeting, next_steps=[step("manager"), step("report")], by=org.report
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.COMPLETED and meeting.completed_at
    assert {s.owner for s in meeting.next_steps.all()} == {org.manager, org.report}
    with pytest.raises(oneonones.Refused):
        oneonones.agenda_add(meeting=meeting, author=org.report, text="Too late")
    with pytest.raises(oneonones.Refused):
        oneonones.meeting_complete(meeting=meeting, next_steps=[step()], by=org.report)


def test_it_keeps_each_private_note_to_its_author_and_encrypted(org):
    meeting = oneonones.meeting_next(start(org))
    oneonones.private_note_save(meeting=meeting, author=org.manager, body="Seems tired")
    oneonones.private_note_save(meeting=meeting, author=org.report, body="Ask about raise")
    assert oneonones.private_note_read(meeting=meeting, author=org.manager) == "Seems tired"
    assert oneonones.private_note_read(meeting=meeting, author=org.report) == "Ask about raise"
    assert oneonones.private_note_read(meeting=meeting, author=org.ceo) == ""
    with pytest.raises(oneonones.Refused):
        oneonones.private_note_save(meeting=meeting, author=org.ceo, body="x")
    assert PrivateNote.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM conversations_privatenote")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "Seems tired" not in stored and "raise" not in stored


def test_it_writes_the_series_as_one_recurring_event_with_a_stable_uid(org):
    series = start(org, cadence="fortnightly")
    first = parse_calendar(series_ics(series)).events[0]
    assert first.uid == series_uid(series) and first.sequence == 0
    assert first.tzid == "Europe/Paris" and first.start.hour == 9
    assert first.raw.get("rrule")["INTERVAL"] == [2]
    oneonones.series_change_cadence(series=series, cadence="weekly", by=org.manager)
    again = parse_calendar(series_ics(series)).events[0]
    assert again.uid == first.uid and again.sequence == 1
    assert again.raw.get("rrule")["INTERVAL"] == [1]
    oneonones.series_end(series=series, by=org.manager)
    assert parse_calendar(series_ics(series)).events[0].status == "CANCELLED"


def test_it_guides_by_purpose_with_questions():
    keys = [purpose.key for purpose in guide.GUIDE]
    assert keys == ["grow", "career", "feedback", "recognition"]
    assert all(str(q).endswith(("?", ".")) for p in guide.GUIDE for _s, q in p.prompts)
    assert "Listen before you answer" in str(guide.LISTEN_FIRST)


def test_either_side_cancels_a_planned_meeting_and_its_open_topics_move_on(org):
    series = start(org)
    first = oneonones.meeting_next(series)
    oneonones.agenda_add(meeting=first, author=org.report, text="Conference budget")
    with pytest.raises(oneonones.Refused):
        oneonones.meeting_cancel(meeting=first, by=org.outsider)
    oneonones.meeting_cancel(meeting=first, by=org.report)
    first.refresh_from_db()
    assert first.status == MeetingStatus.CANCELLED
    # The cancelled date is skipped: the next meeting is the following week's.
    assert oneonones.next_planned_date(series) == first.on + 7 * DAY
    second = oneonones.meeting_next(series)
    assert [i.text for i in second.agenda.all()] == ["Conference budget"]
    with pytest.raises(oneonones.Refused):
        oneonones.meeting_cancel(meeting=first, by=org.manager)
    oneonones.meeting_complete(meeting=second, next_steps=[step(due=second.on)], by=org.report)
    with pytest.raises(oneonones.Refused):
        oneonones.meeting_cancel(meeting=second, by=org.manager)


def test_either_side_marks_a_next_step_done_and_open_again(org):
    series = start(org)
    meeting = oneonones.meeting_next(series)
    oneonones.meeting_complete(
        meeting=meeting, next_steps=[step("manager"), step("report")], by=org.manager
    )
    mine, theirs = meeting.next_steps.order_by("pk")
    assert oneonones.open_next_steps(series) == [mine, theirs]
    day = timezone.localdate() + 2 * DAY
    oneonones.next_step_mark(step=mine, done=True, by=org.report, today=day)
    mine.refresh_from_db()
    assert mine.done_on == day
    assert oneonones.open_next_steps(series) == [theirs]
    with pytest.raises(oneonones.Refused):
        oneonones.next_step_mark(step=theirs, done=True, by=org.ceo)
    oneonones.next_step_mark(step=mine, done=False, by=org.manager)
    mine.refresh_from_db()
    assert mine.done_on is None and len(oneonones.open_next_steps(series)) == 2


def test_the_calendar_feed_lists_meetings_held_and_planned_without_those_called_off(org):
    from tandem.accounts.calendar import events_for
    from tandem.conversations.calendar import oneonone_events

    today = timezone.localdate()
    series = start(org, first_on=today - 14 * DAY)
    held = Meeting.objects.create(series=series, on=today - 14 * DAY)
    oneonones.meeting_complete(meeting=held, next_steps=[step(due=today)], by=org.manager)
    Meeting.objects.create(series=series, on=today - 7 * DAY)  # never held: not shown
    upcoming = oneonones.meeting_next(series)
    assert upcoming.on == today
    oneonones.meeting_cancel(meeting=upcoming, by=org.manager)
    events = oneonone_events(org.report.user, today=today)
    starts = [event.start.date() for event in events]
    assert starts[0] == today - 14 * DAY
    assert today - 7 * DAY not in starts and today not in starts
    assert starts[1] == today + 7 * DAY and starts[-1] <= today + 90 * DAY
    assert len(starts) == 1 + 90 // 7
    assert events[1].summary == "1:1 Max Manager / Rita Report"
    assert events[1].start.hour == 9 and str(events[1].start.tzinfo) == "Europe/Paris"
    assert len({event.uid for event in events}) == len(events)
    assert oneonone_events(org.outsider.user, today=today) == []
    # It is a registered source of the personal feed.
    assert any(e.uid == events[1].uid for e in events_for(org.manager.user))
    oneonones.series_end(series=series, by=org.manager)
    assert [e.start.date() for e in oneonone_events(org.report.user, today=today)] == [
        today - 14 * DAY
    ]
