"""Sessions and next steps under /api/v1/coaching.

A session's metadata (when, how long, status, rating) is served to the coach, the
coachee and program admins. Its notes, the coachee's takeaways and its next steps only
to the coach and the coachee: `GET /coaching/sessions/{id}/notes` answers 403 to
anyone else who may see the session — an admin, whatever roles they hold — and every
read is written to the audit log. Holding a session without a next step is a 422
naming `next_steps`, and nothing is written."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import errors, refused
from tandem.api.fields import text
from tandem.api.pagination import Pages, RecordId
from tandem.coaching import access, confidential, services
from tandem.coaching.api.common import (
    NOTE_MAX,
    BoundedDate,
    IsoDateTime,
    field_errors,
)
from tandem.coaching.forms import MAX_NEXT_STEPS
from tandem.coaching.models import (
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    ActionItem,
    Session,
    SessionStatus,
)

router = Router(tags=["coaching: sessions"])

SessionStatusName = Literal["scheduled", "held", "cancelled", "no_show"]
OwnerName = Literal["coach", "coachee"]


class SessionOut(Schema):
    """Metadata only."""

    id: int
    engagement_id: int
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    status: SessionStatusName
    rating: int | None
    closed_at: datetime | None
    awaiting_notes: bool = Field(description="Its time has passed and it is not closed yet")
    location: str | None = Field(description="A room or a meeting link: the two parties only")

    @staticmethod
    def resolve_location(session: Session, context: Any) -> str | None:
        return (
            session.location
            if access.is_party(context["request"].user, session.engagement)
            else None
        )

    @staticmethod
    def resolve_awaiting_notes(session: Session) -> bool:
        return session.status == SessionStatus.SCHEDULED and session.is_past()


class CoachingActionItemOut(Schema):
    id: int
    engagement_id: int
    session_id: int
    title: str
    owner: OwnerName
    owner_name: str
    due_date: date
    done_on: date | None
    is_overdue: bool

    @staticmethod
    def resolve_owner_name(item: ActionItem) -> str:
        return item.owner_name()

    @staticmethod
    def resolve_is_overdue(item: ActionItem) -> bool:
        return item.is_overdue()


class NotesOut(Schema):
    session_id: int
    goal: str
    reality: str
    options: str
    will: str
    takeaways: str
    next_steps: list[CoachingActionItemOut]


# Sessions ---------------------------------------------------------------------------------


@router.get(
    "/engagements/{engagement_id}/sessions",
    response={200: list[SessionOut], **errors(401, 403, 404, 422)},
    summary="An engagement's sessions (metadata)",
    operation_id="list_coaching_sessions",
)
@paginate(Pages)
def list_sessions(request: HttpRequest, engagement_id: RecordId) -> Any:
    engagement = access.access_engagement(request.user, engagement_id)
    if not access.can_see_sessions(request.user, engagement):
        raise PermissionDenied("Sessions are for the coach, the coachee and program admins.")
    return engagement.sessions.order_by("starts_at", "pk")


class SessionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    starts_at: IsoDateTime
    duration_minutes: int = Field(60, ge=MIN_SESSION_MINUTES, le=MAX_SESSION_MINUTES)
    location: str = text(300, default="", description="A room or a video-call link")


@router.post(
    "/engagements/{engagement_id}/sessions",
    response={201: SessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Book a session (the coach or the coachee)",
    operation_id="create_coaching_session",
)
def create_session(request: HttpRequest, engagement_id: RecordId, payload: SessionIn) -> Any:
    """Refused (400) before both have accepted the agreement, or once every planned
    session is used; a time more than two weeks past or a year ahead is a 422."""
    engagement = access.access_engagement(request.user, engagement_id)
    if not access.can_schedule(request.user, engagement):
        raise PermissionDenied("The coach and the coachee book their sessions.")
    try:
        session = services.session_schedule(
            engagement=engagement,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            scheduled_by=request.user,
        )
    except services.Refused as error:
        return refused(error)
    except services.ValidationError as error:
        raise field_errors(error) from None
    return Status(201, session)


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **errors(401, 404, 422)},
    summary="One session (metadata)",
    operation_id="get_coaching_session",
)
def get_session(request: HttpRequest, session_id: RecordId) -> Any:
    return access.access_session(request.user, session_id)


@router.post(
    "/sessions/{session_id}/reschedule",
    response={200: SessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Move a booked session",
    operation_id="reschedule_coaching_session",
)
def reschedule_session(request: HttpRequest, session_id: RecordId, payload: SessionIn) -> Any:
    session = access.access_session(request.user, session_id, act=True)
    try:
        return services.session_reschedule(
            session=session,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            by=request.user,
        )
    except services.Refused as error:
        return refused(error)
    except services.ValidationError as error:
        raise field_errors(error) from None


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: SessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Cancel a booked session",
    operation_id="cancel_coaching_session",
)
def cancel_session(request: HttpRequest, session_id: RecordId) -> Any:
    session = access.access_session(request.user, session_id, act=True)
    try:
        return services.session_cancel(session=session, by=request.user)
    except services.Refused as error:
        return refused(error)


@router.post(
    "/sessions/{session_id}/no-show",
    response={200: SessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Record that the coachee did not come (the coach)",
    operation_id="no_show_coaching_session",
)
def no_show_session(request: HttpRequest, session_id: RecordId) -> Any:
    session = access.access_session(request.user, session_id, act=True)
    if not access.is_session_coach(request.user, session):
        raise PermissionDenied("The coach records a no-show.")
    try:
        return services.session_no_show(session=session, by=request.user)
    except services.Refused as error:
        return refused(error)


class CoachingNextStepIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = text(200, min_length=1)
    owner: OwnerName
    due_date: BoundedDate = Field(description="On or after the session's day")


class HoldIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    goal: str = text(NOTE_MAX, default="")
    reality: str = text(NOTE_MAX, default="")
    options: str = text(NOTE_MAX, default="")
    will: str = text(NOTE_MAX, default="")
    next_steps: list[CoachingNextStepIn] = Field(
        min_length=1,
        max_length=MAX_NEXT_STEPS,
        description="At least one: every session closes with a next step, its owner and due date",
    )


@router.post(
    "/sessions/{session_id}/hold",
    response={200: NotesOut, **errors(400, 401, 403, 404, 422)},
    summary="Record a session as held, with GROW notes and next steps (the coach)",
    operation_id="hold_coaching_session",
)
def hold_session(request: HttpRequest, session_id: RecordId, payload: HoldIn) -> Any:
    """Without a next step, or with one due before the session, it is a 422 naming
    `next_steps`, and nothing is written."""
    session = access.access_session_notes(request.user, session_id)
    if not access.is_session_coach(request.user, session):
        raise PermissionDenied("The coach records that a session was held.")
    try:
        services.session_hold(
            session=session,
            grow=services.Grow(payload.goal, payload.reality, payload.options, payload.will),
            next_steps=[
                services.NextStep(step.title, step.owner, step.due_date)
                for step in payload.next_steps
            ],
            held_by=request.user,
        )
    except services.Refused as error:
        return refused(error)
    except services.ValidationError as error:
        raise field_errors(error) from None
    return _notes(request, session, via="api hold")


def _notes(request: HttpRequest, session: Session, *, via: str) -> dict[str, Any]:
    content = confidential.read_session(
        request.user, session, via=via, ip=request.META.get("REMOTE_ADDR")
    )
    notes = content.notes
    return {
        "session_id": session.pk,
        "goal": notes.goal if notes else "",
        "reality": notes.reality if notes else "",
        "options": notes.options if notes else "",
        "will": notes.will if notes else "",
        "takeaways": notes.takeaways if notes else "",
        "next_steps": content.next_steps,
    }


@router.get(
    "/sessions/{session_id}/notes",
    response={200: NotesOut, **errors(401, 403, 404, 422)},
    summary="A session's notes, takeaways and next steps (the coach and the coachee only)",
    operation_id="get_coaching_session_notes",
)
def get_notes(request: HttpRequest, session_id: RecordId) -> Any:
    """403 for anyone else who may see the session (program admins); each read is
    audited."""
    session = access.access_session_notes(request.user, session_id)
    return _notes(request, session, via="api")


class NotesPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    goal: str = text(NOTE_MAX)
    reality: str = text(NOTE_MAX)
    options: str = text(NOTE_MAX)
    will: str = text(NOTE_MAX)


@router.put(
    "/sessions/{session_id}/notes",
    response={200: NotesOut, **errors(400, 401, 403, 404, 422)},
    summary="Replace a held session's GROW notes (the coach)",
    operation_id="replace_coaching_session_notes",
)
def replace_notes(request: HttpRequest, session_id: RecordId, payload: NotesPatch) -> Any:
    session = access.access_session_notes(request.user, session_id)
    try:
        services.session_notes_update(
            session=session,
            grow=services.Grow(payload.goal, payload.reality, payload.options, payload.will),
            by=request.user,
        )
    except services.Refused as error:
        return refused(error)
    return _notes(request, session, via="api notes update")


class RatingIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    rating: int = Field(ge=1, le=5, description="How useful was this session? 1 to 5")
    takeaways: str = text(NOTE_MAX, default="", description="Only the coach and coachee read it")


@router.post(
    "/sessions/{session_id}/rating",
    response={200: SessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Rate a held session and add takeaways (the coachee)",
    operation_id="rate_coaching_session",
)
def rate_session(request: HttpRequest, session_id: RecordId, payload: RatingIn) -> Any:
    session = access.access_session_notes(request.user, session_id)
    try:
        return services.session_rate(
            session=session, rating=payload.rating, takeaways=payload.takeaways, by=request.user
        )
    except services.Refused as error:
        return refused(error)


# Next steps --------------------------------------------------------------------------------


class CoachingActionItemFilter(Schema):
    mine: bool | None = Field(None, description="true: only next steps the caller owns")
    overdue: bool | None = Field(None, description="true: open and past due")
    done: bool | None = Field(None, description="true: ticked off; false: open")
    engagement: RecordId | None = Field(None, description="Only this engagement's")


@router.get(
    "/action-items",
    response={200: list[CoachingActionItemOut], **errors(401, 422)},
    summary="Next steps from coaching sessions (the coach's and the coachee's own)",
    operation_id="list_coaching_action_items",
)
@paginate(Pages)
def list_action_items(request: HttpRequest, filters: Query[CoachingActionItemFilter]) -> Any:
    items = access.action_items_visible_to(request.user)
    today = timezone.localdate()
    if filters.mine is not None:
        mine = items.owned_by(request.user).values("pk")
        items = items.filter(pk__in=mine) if filters.mine else items.exclude(pk__in=mine)
    if filters.overdue is not None:
        late = ActionItem.objects.overdue(today).values("pk")
        items = items.filter(pk__in=late) if filters.overdue else items.exclude(pk__in=late)
    if filters.done is not None:
        items = items.filter(done_on__isnull=not filters.done)
    if filters.engagement is not None:
        items = items.filter(engagement_id=filters.engagement)
    confidential.record_steps_read(request.user, via="api", ip=request.META.get("REMOTE_ADDR"))
    return items.order_by("due_date", "pk")


@router.get(
    "/action-items/{item_id}",
    response={200: CoachingActionItemOut, **errors(401, 404, 422)},
    summary="One next step",
    operation_id="get_coaching_action_item",
)
def get_action_item(request: HttpRequest, item_id: RecordId) -> Any:
    item = access.access_action_item(request.user, item_id)
    confidential.record_steps_read(request.user, via="api", ip=request.META.get("REMOTE_ADDR"))
    return item


class CoachingActionItemPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    done: bool = Field(description="true ticks the step off today; false reopens it")


@router.patch(
    "/action-items/{item_id}",
    response={200: CoachingActionItemOut, **errors(400, 401, 403, 404, 422)},
    summary="Tick a next step off, or reopen it",
    operation_id="update_coaching_action_item",
)
def update_action_item(
    request: HttpRequest, item_id: RecordId, payload: CoachingActionItemPatch
) -> Any:
    item = access.access_action_item(request.user, item_id)
    return services.action_item_set_done(item=item, done=payload.done, on=timezone.localdate())
