"""The feedback part of /api/v1/conversations. Every endpoint reads through
`feedback_access`: feedback is its giver's and recipient's (and their manager's where
the giver shared it), a request its requester's and the person asked's."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import errors, raise_form_errors, refused, service_errors
from tandem.api.fields import text
from tandem.api.pagination import Pages, RecordId
from tandem.conversations import feedback, feedback_access
from tandem.conversations.feedback_forms import TEXT_MAX, FeedbackForm, FeedbackRequestForm
from tandem.conversations.models import FeedbackRequest

router = Router(tags=["conversations: feedback"])

KindName = Literal["positive", "developmental"]
FEEDBACK_FIELDS = {"recipient": "recipient_id", "request": "request_id"}
REQUEST_FIELDS = {"asked": "asked_id", "goal": "goal_id"}


class FeedbackPersonRef(Schema):
    id: int
    full_name: str


class FeedbackGoalRef(Schema):
    id: int
    title: str


class FeedbackOut(Schema):
    id: int
    giver: FeedbackPersonRef
    recipient: FeedbackPersonRef
    kind: KindName
    situation: str
    behaviour: str
    impact: str
    text: str
    share_with_manager: bool
    request_id: int | None
    created_at: datetime


class FeedbackIn(Schema):
    """Situation, behaviour and impact, or free text (or both)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    recipient_id: RecordId
    kind: KindName
    situation: str = text(TEXT_MAX, default="")
    behaviour: str = text(TEXT_MAX, default="")
    impact: str = text(TEXT_MAX, default="")
    text: str = text(TEXT_MAX, default="", description="Free text instead of (or with) SBI")
    share_with_manager: bool = False
    request_id: RecordId | None = None


class FeedbackRequestOut(Schema):
    id: int
    requester: FeedbackPersonRef
    asked: FeedbackPersonRef
    goal: FeedbackGoalRef | None
    message: str
    declined: bool
    answered: bool
    created_at: datetime

    @staticmethod
    def resolve_answered(obj: FeedbackRequest) -> bool:
        return obj.answers.exists()


class FeedbackRequestIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    asked_id: RecordId
    message: str = text(500, min_length=1)
    goal_id: RecordId | None = None


def _form_data(payload: Schema, renamed: dict[str, str]) -> dict[str, Any]:
    data = payload.model_dump()
    for field, api_name in renamed.items():
        data[field] = data.pop(api_name)
    return {k: ("" if v is None else v) for k, v in data.items()}


@router.get(
    "/conversations/feedback/received",
    response={200: list[FeedbackOut], **errors(401, 403, 422)},
    summary="Feedback I received, newest first",
    operation_id="list_feedback_received",
)
@paginate(Pages)
def list_received(request: HttpRequest, kind: KindName | None = None) -> Any:
    received = feedback_access.received_by(feedback_access.feedback_person(request.user))
    return received.filter(kind=kind) if kind else received


@router.get(
    "/conversations/feedback/given",
    response={200: list[FeedbackOut], **errors(401, 403, 422)},
    summary="Feedback I gave, newest first",
    operation_id="list_feedback_given",
)
@paginate(Pages)
def list_given(request: HttpRequest) -> Any:
    return feedback_access.given_by(feedback_access.feedback_person(request.user))


@router.get(
    "/conversations/feedback/shared",
    response={200: list[FeedbackOut], **errors(401, 403, 422)},
    summary="Feedback to my direct reports that its giver shared with me",
    operation_id="list_feedback_shared",
)
@paginate(Pages)
def list_shared(request: HttpRequest) -> Any:
    shared = feedback_access.shared_with(request.user)
    if shared.exists():
        feedback_access.record_shared_list_read(request.user, via="api")
    return shared


@router.post(
    "/conversations/feedback",
    response={201: FeedbackOut, **errors(400, 401, 403, 422)},
    summary="Give feedback (with request_id: answer a request asked of me)",
    operation_id="give_feedback",
)
def give(request: HttpRequest, payload: FeedbackIn) -> Any:
    me = feedback_access.feedback_person(request.user)
    form = FeedbackForm(data=_form_data(payload, FEEDBACK_FIELDS), giver=me)
    if not form.is_valid():
        raise_form_errors(form, field_names=FEEDBACK_FIELDS)
    try:
        given = feedback.feedback_give(giver=me, **form.cleaned_data)
    except DjangoValidationError as error:
        raise service_errors(error, name=lambda f: FEEDBACK_FIELDS.get(f, f)) from error
    return Status(201, given)


@router.get(
    "/conversations/feedback/{feedback_id}",
    response={200: FeedbackOut, **errors(401, 404, 422)},
    summary="One piece of feedback (its giver, its recipient, their manager if shared)",
    operation_id="get_feedback",
)
def get_feedback(request: HttpRequest, feedback_id: RecordId) -> Any:
    return feedback_access.access_feedback(request.user, feedback_id, via="api")


@router.get(
    "/conversations/feedback-requests",
    response={200: list[FeedbackRequestOut], **errors(401, 403, 422)},
    summary="Requests asked of me (open ones with open=true) and mine",
    operation_id="list_feedback_requests",
)
@paginate(Pages)
def list_requests(
    request: HttpRequest, of: Literal["me", "mine"] | None = None, open: bool = False
) -> Any:
    me = feedback_access.feedback_person(request.user)
    found = feedback_access.requests_visible_to(request.user)
    if of == "me":
        found = feedback_access.open_requests_for(me) if open else found.filter(asked=me)
    elif of == "mine":
        found = found.filter(requester=me)
    elif open:
        found = found.filter(declined=False, answers__isnull=True)
    return found.prefetch_related("answers").order_by("-created_at", "-pk")


@router.post(
    "/conversations/feedback-requests",
    response={201: FeedbackRequestOut, **errors(400, 401, 403, 422)},
    summary="Ask someone for feedback, optionally on a goal of my own plan",
    operation_id="request_feedback",
)
def create_request(request: HttpRequest, payload: FeedbackRequestIn) -> Any:
    me = feedback_access.feedback_person(request.user)
    form = FeedbackRequestForm(data=_form_data(payload, REQUEST_FIELDS), requester=me)
    if not form.is_valid():
        raise_form_errors(form, field_names=REQUEST_FIELDS)
    try:
        created = feedback.feedback_request_create(requester=me, **form.cleaned_data)
    except DjangoValidationError as error:
        raise service_errors(error, name=lambda f: REQUEST_FIELDS.get(f, f)) from error
    return Status(201, created)


@router.post(
    "/conversations/feedback-requests/{request_id}/decline",
    response={200: FeedbackRequestOut, **errors(400, 401, 403, 404, 422)},
    summary="Decline a request asked of me",
    operation_id="decline_feedback_request",
)
def decline_request(request: HttpRequest, request_id: RecordId) -> Any:
    asked = feedback_access.access_request(request.user, request_id, answer=True)
    try:
        return feedback.feedback_request_decline(
            request=asked, by=feedback_access.feedback_person(request.user)
        )
    except DjangoValidationError as error:
        return refused(error)
