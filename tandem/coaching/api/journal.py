"""The reflection journal under /api/v1/coaching/journal: the author's own entries and
trends. Nobody else lists them; an entry the author shared is read (never changed) by
the coach of their open engagement, and that read is audited."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, raise_form_errors
from tandem.api.fields import NO_NUL, text
from tandem.api.pagination import Pages, RecordId
from tandem.coaching import access, confidential, journal
from tandem.coaching.api.common import NOTE_MAX, BoundedDate
from tandem.coaching.forms import JournalEntryForm
from tandem.coaching.models import JournalEntry
from tandem.people.api import unchanged
from tandem.people.models import Person

router = Router(tags=["coaching: journal"])

TriggerName = Literal[
    "criticism",
    "conflict",
    "pressure",
    "setback",
    "not_heard",
    "uncertainty",
    "interruption",
    "other",
]


class EntryOut(Schema):
    id: int
    occurred_on: date
    trigger: TriggerName
    paused: bool
    situation: str
    reaction: str
    options: str
    choice: str
    outcome: str
    shared_with_coach: bool
    created_at: datetime
    updated_at: datetime


class EntryIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    occurred_on: BoundedDate = Field(description="Not in the future")
    trigger: TriggerName
    paused: bool = False
    situation: str = text(NOTE_MAX, min_length=1, description="Stop: the situation")
    reaction: str = text(NOTE_MAX, default="", description="Stop: the automatic reaction")
    options: str = text(NOTE_MAX, default="", description="Look: the options seen")
    choice: str = text(NOTE_MAX, default="", description="Choose: what was chosen")
    outcome: str = text(NOTE_MAX, default="", description="How it went")
    shared_with_coach: bool = False


class EntryPatch(Schema):
    """Only the fields sent change."""

    model_config = ConfigDict(strict=True, extra="forbid")

    occurred_on: BoundedDate = unchanged()
    trigger: TriggerName = unchanged()
    paused: bool = unchanged()
    situation: str = unchanged(min_length=1, max_length=NOTE_MAX, pattern=NO_NUL)
    reaction: str = unchanged(max_length=NOTE_MAX, pattern=NO_NUL)
    options: str = unchanged(max_length=NOTE_MAX, pattern=NO_NUL)
    choice: str = unchanged(max_length=NOTE_MAX, pattern=NO_NUL)
    outcome: str = unchanged(max_length=NOTE_MAX, pattern=NO_NUL)
    shared_with_coach: bool = unchanged()


class MonthOut(Schema):
    month: date
    entries: int
    paused: int


class TriggerOut(Schema):
    trigger: TriggerName
    count: int
    paused: int


class TrendsOut(Schema):
    total: int
    paused: int
    pause_share: int | None = Field(description="Percent of moments paused in")
    months: list[MonthOut]
    triggers: list[TriggerOut]


def _author(request: HttpRequest) -> Person:
    me = policy.person_of(request.user)
    if me is None:
        raise PermissionDenied("The journal is for people in the organization.")
    return me


@router.get(
    "/journal",
    response={200: list[EntryOut], **errors(401, 403, 422)},
    summary="My reflection journal",
    operation_id="list_journal_entries",
)
@paginate(Pages)
def list_entries(request: HttpRequest) -> Any:
    return JournalEntry.objects.filter(author=_author(request)).order_by("-occurred_on", "-pk")


@router.get(
    "/journal/trends",
    response={200: TrendsOut, **errors(401, 403)},
    summary="My journal's trends: how often I paused, which triggers recur",
    operation_id="journal_trends",
)
def trends(request: HttpRequest) -> Any:
    result = journal.trends_of(_author(request), timezone.localdate())
    return {
        "total": result.total,
        "paused": result.paused,
        "pause_share": result.pause_share,
        "months": result.months,
        "triggers": result.triggers,
    }


@router.post(
    "/journal",
    response={201: EntryOut, **errors(400, 401, 403, 422)},
    summary="Write a journal entry",
    operation_id="create_journal_entry",
)
def create_entry(request: HttpRequest, payload: EntryIn) -> Any:
    me = _author(request)
    form = JournalEntryForm(data=payload.model_dump())
    if not form.is_valid():
        raise_form_errors(form)
    entry = form.save(commit=False)
    entry.author = me
    entry.save()
    return Status(201, entry)


@router.get(
    "/journal/{entry_id}",
    response={200: EntryOut, **errors(401, 404, 422)},
    summary="One journal entry (the author; the coach, if it is shared with them)",
    operation_id="get_journal_entry",
)
def get_entry(request: HttpRequest, entry_id: RecordId) -> Any:
    entry = access.access_journal_entry(request.user, entry_id)
    confidential.record_journal_read(request.user, entry, via="api")
    return entry


@router.patch(
    "/journal/{entry_id}",
    response={200: EntryOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a journal entry (the author)",
    operation_id="update_journal_entry",
)
def update_entry(request: HttpRequest, entry_id: RecordId, payload: EntryPatch) -> Any:
    entry = access.access_journal_entry(request.user, entry_id, write=True)
    current = {name: getattr(entry, name) for name in JournalEntryForm.Meta.fields}
    form = JournalEntryForm(
        data={**current, **payload.model_dump(exclude_unset=True)}, instance=entry
    )
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()


@router.delete(
    "/journal/{entry_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Delete a journal entry (the author)",
    operation_id="delete_journal_entry",
)
def delete_entry(request: HttpRequest, entry_id: RecordId) -> Any:
    access.access_journal_entry(request.user, entry_id, write=True).delete()
    return Status(204, None)
