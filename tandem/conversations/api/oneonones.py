"""The oneonones part of /api/v1/conversations: series, meetings, the agenda, shared
notes, the caller's own private note, completing with next steps and the .ics.

Everything is for the series' manager and report only; anyone else gets 404. A private
note is only ever the caller's own: there is no way to read the other party's.
Completing a meeting without a next step is a 422 naming `next_steps`, nothing written."""

from datetime import date, datetime, time
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, refused, service_errors
from tandem.api.fields import IsoDate, text
from tandem.api.pagination import RecordId
from tandem.conversations import calendar, oneonones
from tandem.conversations import oneonone_access as access
from tandem.conversations.models import AgendaItem, Meeting, OneOnOneSeries
from tandem.people.models import Person

router = Router(tags=["conversations: one-on-ones"])

CadenceName = Literal["weekly", "fortnightly", "monthly"]
OwnerName = Literal["manager", "report"]
NOTE_MAX = 20_000
PREFIX = "/conversations/one-on-ones"


def _me(request: HttpRequest) -> Person:
    person = policy.person_of(request.user)
    if person is None:
        raise Http404("No one-on-ones.")
    return person


def _field_errors(error: DjangoValidationError) -> Any:
    if isinstance(error, oneonones.Refused):
        return refused(error)
    raise service_errors(error) from None


class OneOnOnePersonRef(Schema):
    id: int
    full_name: str


class OneOnOneSeriesOut(Schema):
    id: int
    manager: OneOnOnePersonRef
    report: OneOnOnePersonRef
    cadence: CadenceName
    first_on: date
    starts_at: time
    duration_minutes: int
    time_zone: str
    active: bool
    sequence: int
    next_on: date | None = Field(description="The next planned date (None once ended)")

    @staticmethod
    def resolve_next_on(series: OneOnOneSeries) -> date | None:
        return oneonones.next_planned_date(series)


class OneOnOneAgendaItemOut(Schema):
    id: int
    meeting_id: int
    author: OneOnOnePersonRef
    text: str
    done: bool
    carried_from_id: int | None


class OneOnOneNextStepOut(Schema):
    id: int
    title: str
    owner: OneOnOnePersonRef
    due_date: date
    done_on: date | None


class OneOnOneMeetingOut(Schema):
    id: int
    series_id: int
    on: date
    status: Literal["planned", "completed", "cancelled"]
    shared_notes: str
    completed_at: datetime | None
    agenda: list[OneOnOneAgendaItemOut]
    next_steps: list[OneOnOneNextStepOut]

    @staticmethod
    def resolve_agenda(meeting: Meeting) -> list[AgendaItem]:
        return list(meeting.agenda.select_related("author"))

    @staticmethod
    def resolve_next_steps(meeting: Meeting) -> list[Any]:
        return list(meeting.next_steps.select_related("owner"))


# Series ---------------------------------------------------------------------------------


@router.get(
    PREFIX,
    response={200: list[OneOnOneSeriesOut], **errors(401)},
    summary="My one-on-one series (as manager or report)",
    operation_id="list_oneonone_series",
)
def list_series(request: HttpRequest) -> Any:
    return list(access.series_visible_to(request.user).order_by("-active", "created_at", "pk"))


class OneOnOneSeriesIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    report_id: RecordId
    cadence: CadenceName = "fortnightly"
    first_on: IsoDate
    starts_at: str = Field("10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM")
    duration_minutes: int = Field(30, ge=10, le=120)
    time_zone: str = text(64, min_length=1, default="UTC")


@router.post(
    PREFIX,
    response={201: OneOnOneSeriesOut, **errors(400, 401, 403, 404, 422)},
    summary="Start a one-on-one with a direct report (the manager)",
    operation_id="create_oneonone_series",
)
def create_series(request: HttpRequest, payload: OneOnOneSeriesIn) -> Any:
    """A person who is not the caller's direct report is a 422 on `report_id`."""
    manager = _me(request)
    report = Person.objects.filter(pk=payload.report_id, manager=manager).first()
    if report is None:
        raise service_errors(
            DjangoValidationError({"report_id": "Choose one of your direct reports."})
        )
    try:
        series = oneonones.series_start(
            manager=manager,
            report=report,
            cadence=payload.cadence,
            first_on=payload.first_on,
            starts_at=time.fromisoformat(payload.starts_at),
            duration_minutes=payload.duration_minutes,
            time_zone=payload.time_zone,
        )
    except DjangoValidationError as error:
        raise service_errors(
            error, name=lambda field: "report_id" if field == "report" else field
        ) from None
    return Status(201, series)


@router.get(
    PREFIX + "/{series_id}",
    response={200: OneOnOneSeriesOut, **errors(401, 404, 422)},
    summary="One series",
    operation_id="get_oneonone_series",
)
def get_series(request: HttpRequest, series_id: RecordId) -> Any:
    return access.access_series(request.user, series_id)


class OneOnOneSeriesPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    cadence: CadenceName | None = None
    active: Literal[False] | None = Field(None, description="false ends it (the manager)")


@router.patch(
    PREFIX + "/{series_id}",
    response={200: OneOnOneSeriesOut, **errors(400, 401, 403, 404, 422)},
    summary="Change the cadence (either side) or end the series (the manager)",
    operation_id="update_oneonone_series",
)
def update_series(request: HttpRequest, series_id: RecordId, payload: OneOnOneSeriesPatch) -> Any:
    series = access.access_series(request.user, series_id, manage=payload.active is False)
    me = _me(request)
    try:
        if payload.cadence is not None:
            oneonones.series_change_cadence(series=series, cadence=payload.cadence, by=me)
        if payload.active is False:
            oneonones.series_end(series=series, by=me)
    except DjangoValidationError as error:
        return _field_errors(error)
    return series


@router.get(
    PREFIX + "/{series_id}/calendar.ics",
    response={200: None, **errors(401, 404, 422)},
    summary="The series as an .ics (one recurring event)",
    operation_id="get_oneonone_series_ics",
)
def series_ics(request: HttpRequest, series_id: RecordId) -> HttpResponse:
    series = access.access_series(request.user, series_id)
    response = HttpResponse(calendar.series_ics(series), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{series.pk}.ics"'
    return response


@router.post(
    PREFIX + "/{series_id}/next-meeting",
    response={200: OneOnOneMeetingOut, **errors(400, 401, 403, 404, 422)},
    summary="The next planned meeting, created if need be",
    operation_id="next_oneonone_meeting",
)
def next_meeting(request: HttpRequest, series_id: RecordId) -> Any:
    """A 400 once the series has ended."""
    series = access.access_series(request.user, series_id)
    try:
        return oneonones.meeting_next(series)
    except DjangoValidationError as error:
        return refused(error)


# Meetings -------------------------------------------------------------------------------


@router.get(
    PREFIX + "/meetings/{meeting_id}",
    response={200: OneOnOneMeetingOut, **errors(401, 404, 422)},
    summary="One meeting: agenda, shared notes, next steps (never a private note)",
    operation_id="get_oneonone_meeting",
)
def get_meeting(request: HttpRequest, meeting_id: RecordId) -> Any:
    return access.access_meeting(request.user, meeting_id)


class OneOnOneAgendaItemIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    text: str = text(300, min_length=1)


@router.post(
    PREFIX + "/meetings/{meeting_id}/agenda",
    response={201: OneOnOneAgendaItemOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a topic to the agenda (either side, while planned)",
    operation_id="add_oneonone_agenda_item",
)
def add_agenda_item(
    request: HttpRequest, meeting_id: RecordId, payload: OneOnOneAgendaItemIn
) -> Any:
    meeting = access.access_meeting(request.user, meeting_id)
    try:
        item = oneonones.agenda_add(meeting=meeting, author=_me(request), text=payload.text)
    except DjangoValidationError as error:
        return _field_errors(error)
    return Status(201, item)


@router.get(
    PREFIX + "/agenda/{item_id}",
    response={200: OneOnOneAgendaItemOut, **errors(401, 404, 422)},
    summary="One agenda item",
    operation_id="get_oneonone_agenda_item",
)
def get_agenda_item(request: HttpRequest, item_id: RecordId) -> Any:
    return access.access_agenda_item(request.user, item_id)


class OneOnOneAgendaItemPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    done: bool


@router.patch(
    PREFIX + "/agenda/{item_id}",
    response={200: OneOnOneAgendaItemOut, **errors(400, 401, 403, 404, 422)},
    summary="Mark an agenda item discussed (or open again)",
    operation_id="update_oneonone_agenda_item",
)
def update_agenda_item(
    request: HttpRequest, item_id: RecordId, payload: OneOnOneAgendaItemPatch
) -> Any:
    item = access.access_agenda_item(request.user, item_id)
    try:
        return oneonones.agenda_mark(item=item, done=payload.done, by=_me(request))
    except DjangoValidationError as error:
        return _field_errors(error)


class OneOnOneSharedNotesIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    shared_notes: str = text(NOTE_MAX)


@router.put(
    PREFIX + "/meetings/{meeting_id}/shared-notes",
    response={200: OneOnOneMeetingOut, **errors(400, 401, 403, 404, 422)},
    summary="Replace the meeting's shared notes",
    operation_id="replace_oneonone_shared_notes",
)
def replace_shared_notes(
    request: HttpRequest, meeting_id: RecordId, payload: OneOnOneSharedNotesIn
) -> Any:
    meeting = access.access_meeting(request.user, meeting_id)
    try:
        return oneonones.shared_notes_save(
            meeting=meeting, text=payload.shared_notes, by=_me(request)
        )
    except DjangoValidationError as error:
        return _field_errors(error)


class OneOnOnePrivateNoteOut(Schema):
    meeting_id: int
    body: str


class OneOnOnePrivateNoteIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    body: str = text(NOTE_MAX)


@router.get(
    PREFIX + "/meetings/{meeting_id}/private-note",
    response={200: OneOnOnePrivateNoteOut, **errors(401, 404, 422)},
    summary="My own private note on the meeting (nobody else's, ever)",
    operation_id="get_oneonone_private_note",
)
def get_private_note(request: HttpRequest, meeting_id: RecordId) -> Any:
    meeting = access.access_meeting(request.user, meeting_id)
    body = oneonones.private_note_read(meeting=meeting, author=_me(request))
    return {"meeting_id": meeting.pk, "body": body}


@router.put(
    PREFIX + "/meetings/{meeting_id}/private-note",
    response={200: OneOnOnePrivateNoteOut, **errors(400, 401, 403, 404, 422)},
    summary="Write my own private note on the meeting",
    operation_id="replace_oneonone_private_note",
)
def replace_private_note(
    request: HttpRequest, meeting_id: RecordId, payload: OneOnOnePrivateNoteIn
) -> Any:
    meeting = access.access_meeting(request.user, meeting_id)
    body = oneonones.private_note_save(meeting=meeting, author=_me(request), body=payload.body)
    return {"meeting_id": meeting.pk, "body": body}


class OneOnOneNextStepIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = text(200, min_length=1)
    owner: OwnerName
    due_date: IsoDate = Field(description="On or after the meeting's day")


class OneOnOneCompleteIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    next_steps: list[OneOnOneNextStepIn] = Field(
        min_length=1,
        max_length=oneonones.MAX_NEXT_STEPS,
        description="At least one, with its owner and due date",
    )


@router.post(
    PREFIX + "/meetings/{meeting_id}/complete",
    response={200: OneOnOneMeetingOut, **errors(400, 401, 403, 404, 422)},
    summary="Complete the meeting with its next steps",
    operation_id="complete_oneonone_meeting",
)
def complete_meeting(
    request: HttpRequest, meeting_id: RecordId, payload: OneOnOneCompleteIn
) -> Any:
    """Without a next step, or with one due before the meeting, a 422 naming
    `next_steps`; a meeting no longer planned is a 400. Nothing is written either way."""
    meeting = access.access_meeting(request.user, meeting_id)
    try:
        return oneonones.meeting_complete(
            meeting=meeting,
            next_steps=[
                oneonones.NextStepInput(step.title, step.owner, step.due_date)
                for step in payload.next_steps
            ],
            by=_me(request),
        )
    except DjangoValidationError as error:
        return _field_errors(error)


@router.post(
    PREFIX + "/meetings/{meeting_id}/cancel",
    response={200: OneOnOneMeetingOut, **errors(400, 401, 403, 404, 422)},
    summary="Call off a planned meeting; its open agenda items move to the next one",
    operation_id="cancel_oneonone_meeting",
)
def cancel_meeting(request: HttpRequest, meeting_id: RecordId) -> Any:
    """A meeting no longer planned (completed or already cancelled) is a 400."""
    meeting = access.access_meeting(request.user, meeting_id)
    try:
        return oneonones.meeting_cancel(meeting=meeting, by=_me(request))
    except DjangoValidationError as error:
        return _field_errors(error)


@router.get(
    PREFIX + "/{series_id}/open-next-steps",
    response={200: list[OneOnOneNextStepOut], **errors(401, 404, 422)},
    summary="The series' next steps not yet done, soonest due first",
    operation_id="list_oneonone_open_next_steps",
)
def list_open_next_steps(request: HttpRequest, series_id: RecordId) -> Any:
    return oneonones.open_next_steps(access.access_series(request.user, series_id))


@router.get(
    PREFIX + "/next-steps/{step_id}",
    response={200: OneOnOneNextStepOut, **errors(401, 404, 422)},
    summary="One next step",
    operation_id="get_oneonone_next_step",
)
def get_next_step(request: HttpRequest, step_id: RecordId) -> Any:
    return access.access_next_step(request.user, step_id)


class OneOnOneNextStepPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    done: bool = Field(description="true: done today; false: open again")


@router.patch(
    PREFIX + "/next-steps/{step_id}",
    response={200: OneOnOneNextStepOut, **errors(400, 401, 403, 404, 422)},
    summary="Mark a next step done (or open again); either side",
    operation_id="update_oneonone_next_step",
)
def update_next_step(
    request: HttpRequest, step_id: RecordId, payload: OneOnOneNextStepPatch
) -> Any:
    step = access.access_next_step(request.user, step_id)
    try:
        return oneonones.next_step_mark(step=step, done=payload.done, by=_me(request))
    except DjangoValidationError as error:
        return _field_errors(error)
