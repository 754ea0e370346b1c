"""Manager one-on-ones: starting, changing and ending a series, the next meeting (made
on demand), the shared agenda (open items carry over once), shared notes, each side's
private note (its author's alone) and completing a meeting with its next steps.

Services are keyword-only and atomic; a refusal of the whole step is `Refused`, a
field's problem a `ValidationError` naming the field. Private notes are read and
written only here, and only for their author: callers pass the signed-in person."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.conversations.models import (
    AgendaItem,
    Cadence,
    Meeting,
    MeetingStatus,
    NextStep,
    OneOnOneSeries,
    PrivateNote,
)
from tandem.lib.ical import zone
from tandem.people.models import Person

MANAGER, REPORT = "manager", "report"
OWNERS = (MANAGER, REPORT)
MAX_NEXT_STEPS = 20
# How far ahead the next planned date is looked for (a series' cadence is at most 28 days).
LOOKAHEAD = timedelta(days=400)


class Refused(ValidationError):
    """A step refused as a whole (not a field's value)."""


@dataclass(frozen=True)
class NextStepInput:
    title: str
    owner: str  # MANAGER or REPORT
    due_date: date


# Series -------------------------------------------------------------------------------


def _check_zone(name: str) -> None:
    try:
        zone(name)
    except ValueError as error:
        raise ValidationError({"time_zone": str(error)}) from None


@transaction.atomic
def series_start(
    *,
    manager: Person,
    report: Person,
    cadence: str,
    first_on: date,
    starts_at: time,
    duration_minutes: int,
    time_zone: str,
) -> OneOnOneSeries:
    """A manager starts a series with one of their direct reports."""
    if report.manager_id != manager.pk:
        raise ValidationError({"report": _("You hold one-on-ones with your direct reports.")})
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Choose weekly, every two weeks or monthly.")})
    if not 10 <= duration_minutes <= 120:
        raise ValidationError({"duration_minutes": _("Between 10 and 120 minutes.")})
    _check_zone(time_zone)
    if OneOnOneSeries.objects.active().filter(manager=manager, report=report).exists():
        raise ValidationError({"report": _("You already have a running 1:1 with this person.")})
    try:
        with transaction.atomic():
            return OneOnOneSeries.objects.create(
                manager=manager,
                report=report,
                cadence=cadence,
                first_on=first_on,
                starts_at=starts_at,
                duration_minutes=duration_minutes,
                time_zone=time_zone,
            )
    except IntegrityError:
        raise ValidationError(
            {"report": _("You already have a running 1:1 with this person.")}
        ) from None


@transaction.atomic
def series_change_cadence(*, series: OneOnOneSeries, cadence: str, by: Person) -> OneOnOneSeries:
    """Either side changes how often they meet; calendars get a new SEQUENCE."""
    if by.pk not in (series.manager_id, series.report_id):
        raise Refused(_("Only the two of you change this 1:1."))
    if not series.active:
        raise Refused(_("This 1:1 has ended."))
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Choose weekly, every two weeks or monthly.")})
    if cadence != series.cadence:
        series.cadence = cadence
        series.sequence += 1
        series.save(update_fields=["cadence", "sequence"])
    return series


@transaction.atomic
def series_end(*, series: OneOnOneSeries, by: Person) -> OneOnOneSeries:
    """The manager ends the series; its history stays."""
    if by.pk != series.manager_id:
        raise Refused(_("Only the manager ends a 1:1."))
    if not series.active:
        raise Refused(_("This 1:1 has already ended."))
    series.active = False
    series.sequence += 1
    series.save(update_fields=["active", "sequence"])
    return series


def next_planned_date(series: OneOnOneSeries, *, today: date | None = None) -> date | None:
    """The next date a meeting is planned on, without creating it (None once ended)."""
    if not series.active:
        return None
    today = today or timezone.localdate()
    taken = set(
        series.meetings.exclude(status=MeetingStatus.PLANNED)
        .filter(on__gte=today)
        .values_list("on", flat=True)
    )
    for day in series.dates_between(today, max(today, series.first_on) + LOOKAHEAD):
        if day not in taken:
            return day
    return None


# Meetings -----------------------------------------------------------------------------


def _carry_over(meeting: Meeting) -> None:
    """Open items of the series' last completed or cancelled meeting before this one,
    each once (a cancelled meeting's topics are not lost: they move on)."""
    last = (
        Meeting.objects.filter(
            series_id=meeting.series_id,
            status__in=[MeetingStatus.COMPLETED, MeetingStatus.CANCELLED],
            on__lt=meeting.on,
        )
        .order_by("-on")
        .first()
    )
    if last is None:
        return
    for item in last.agenda.filter(done=False):
        if AgendaItem.objects.filter(carried_from=item).exists():
            continue
        AgendaItem.objects.create(
            meeting=meeting, author_id=item.author_id, text=item.text, carried_from=item
        )


@transaction.atomic
def meeting_next(series: OneOnOneSeries, *, today: date | None = None) -> Meeting:
    """The next planned meeting: the first planned date on/after today that has not been
    completed or cancelled, created (with the carried-over agenda) if need be."""
    series = OneOnOneSeries.objects.select_for_update().get(pk=series.pk)
    day = next_planned_date(series, today=today)
    if day is None:
        raise Refused(_("This 1:1 has ended: there is no next meeting."))
    meeting, created = Meeting.objects.get_or_create(series=series, on=day)
    if created:
        _carry_over(meeting)
    return meeting


def _require_open(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise Refused(_("This meeting is %(status)s.") % {"status": meeting.get_status_display()})


def _require_party(meeting: Meeting, person: Person) -> None:
    if person.pk not in (meeting.series.manager_id, meeting.series.report_id):
        raise Refused(_("Only the manager and the report take part in this meeting."))


@transaction.atomic
def agenda_add(*, meeting: Meeting, author: Person, text: str) -> AgendaItem:
    """Either side adds a topic, before or during the meeting."""
    _require_party(meeting, author)
    _require_open(meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the topic.")})
    if len(text) > 300:
        raise ValidationError({"text": _("At most 300 characters.")})
    return AgendaItem.objects.create(meeting=meeting, author=author, text=text)


@transaction.atomic
def agenda_mark(*, item: AgendaItem, done: bool, by: Person) -> AgendaItem:
    _require_party(item.meeting, by)
    _require_open(item.meeting)
    item.done = done
    item.save(update_fields=["done"])
    return item


@transaction.atomic
def shared_notes_save(*, meeting: Meeting, text: str, by: Person) -> Meeting:
    _require_party(meeting, by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused(_("This meeting was cancelled."))
    meeting.shared_notes = text
    meeting.save(update_fields=["shared_notes"])
    return meeting


def private_note_read(*, meeting: Meeting, author: Person) -> str:
    """The author's own private note on the meeting ("" if none). Nobody else's."""
    note = PrivateNote.objects.filter(meeting=meeting, author=author).first()
    return note.body if note is not None else ""


@transaction.atomic
def private_note_save(*, meeting: Meeting, author: Person, body: str) -> str:
    """The author writes their own private note: one per author and meeting."""
    _require_party(meeting, author)
    note, _created = PrivateNote.objects.get_or_create(meeting=meeting, author=author)
    note.body = body
    note.save()
    return note.body


def _owner(meeting: Meeting, owner: str) -> int:
    return meeting.series.manager_id if owner == MANAGER else meeting.series.report_id


@transaction.atomic
def meeting_complete(*, meeting: Meeting, next_steps: list[NextStepInput], by: Person) -> Meeting:
    """Complete the meeting with at least one next step (title, owner, due date), all or
    nothing. Open agenda items carry over to the next planned meeting if it exists
    already (otherwise when it is created)."""
    _require_party(meeting, by)
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _require_open(meeting)
    if not next_steps:
        raise ValidationError(
            {"next_steps": _("Agree at least one next step, with its owner and due date.")}
        )
    if len(next_steps) > MAX_NEXT_STEPS:
        raise ValidationError(
            {"next_steps": _("At most %(n)d next steps.") % {"n": MAX_NEXT_STEPS}}
        )
    problems = []
    for step in next_steps:
        if not step.title.strip() or len(step.title) > 200:
            problems.append(_("Each next step needs a title of at most 200 characters."))
        if step.owner not in OWNERS:
            problems.append(_("A next step is owned by the manager or the report."))
        if step.due_date < meeting.on:
            problems.append(_("A next step is due on or after the meeting's day."))
    if problems:
        raise ValidationError({"next_steps": sorted(set(problems))})
    NextStep.objects.bulk_create(
        NextStep(
            meeting=meeting,
            title=step.title.strip(),
            owner_id=_owner(meeting, step.owner),
            due_date=step.due_date,
        )
        for step in next_steps
    )
    meeting.status = MeetingStatus.COMPLETED
    meeting.completed_at = timezone.now()
    meeting.save(update_fields=["status", "completed_at"])
    _carry_to_following(meeting)
    return meeting


def _carry_to_following(meeting: Meeting) -> None:
    """Once `meeting` is closed, its open items go to the next planned meeting if that
    exists already (otherwise they go when it is made)."""
    following = (
        Meeting.objects.filter(
            series_id=meeting.series_id, status=MeetingStatus.PLANNED, on__gt=meeting.on
        )
        .order_by("on")
        .first()
    )
    if following is not None:
        _carry_over(following)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: Person) -> Meeting:
    """Either side calls off a planned meeting. Its agenda's open items move on to the
    next meeting; the series goes on (the next meeting is the following date)."""
    _require_party(meeting, by)
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _require_open(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    _carry_to_following(meeting)
    return meeting


@transaction.atomic
def next_step_mark(
    *, step: NextStep, done: bool, by: Person, today: date | None = None
) -> NextStep:
    """Either side marks a next step done (today) or open again."""
    _require_party(step.meeting, by)
    step.done_on = (today or timezone.localdate()) if done else None
    step.save(update_fields=["done_on"])
    return step


def open_next_steps(series: OneOnOneSeries) -> list[NextStep]:
    """The series' next steps not yet done, soonest due first."""
    return list(
        NextStep.objects.filter(meeting__series=series, done_on__isnull=True)
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )


# Reads --------------------------------------------------------------------------------


def history(series: OneOnOneSeries) -> list[Meeting]:
    """The series' meetings, newest first."""
    return list(series.meetings.order_by("-on"))


def owner_role(meeting: Meeting, step: NextStep) -> str:
    return MANAGER if step.owner_id == meeting.series.manager_id else REPORT
