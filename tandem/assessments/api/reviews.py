"""360 reviews under /api/v1: reviews, nominations, and the rater's answers through
their link's token.

Review endpoints fetch the review through `access.access_review` (the subject, their
management chain and program admins; anyone else gets 404). They return statuses,
the rater list and counts of answers per group where the group is large enough:
never an answer, and never which rater answered.

The rater endpoints need no account: the token is the credential. An unknown token is
a 404; a used, expired or closed one a 410; neither writes anything."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import ErrorOut, errors
from tandem.api.fields import IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.assessments import access, services, tokens
from tandem.assessments.models import Nomination, RaterInvitation, Review
from tandem.people.models import Person

router = Router(tags=["reviews"])
# No account and no cookie: the single-use token in the path is the credential, so the
# document says these operations need no authentication (and no CSRF token).
rater_router = Router(tags=["rater"], auth=None)

GroupName = Literal["manager", "peers", "direct_reports", "others"]
StatusName = Literal["nominating", "awaiting_approval", "open", "closed"]
NominationStatusName = Literal["proposed", "approved", "declined"]
Token = Annotated[str, Field(min_length=1, max_length=tokens.MAX_TOKEN_LENGTH)]
GONE = {410: ErrorOut}


def _field_errors(error: DjangoValidationError, *prefix: str) -> ValidationError:
    return ValidationError(
        [
            {
                "loc": ["body", "payload", *prefix, field],
                "msg": " ".join(messages),
                "type": "invalid",
            }
            for field, messages in error.message_dict.items()
        ]
    )


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", field], "msg": message, "type": "invalid"}])


def _refused(error: services.Refused) -> Status:
    return Status(400, {"detail": " ".join(error.messages)})


# Output -------------------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    subject_id: int
    subject: str
    status: StatusName
    closes_on: date
    instrument_id: int
    created_at: datetime

    @staticmethod
    def resolve_subject(review: Any) -> str:
        return review["subject"] if isinstance(review, dict) else review.subject.full_name


class GroupProgressOut(Schema):
    group: GroupName
    nominated: int
    approved: int
    minimum: int | None = Field(description="Nominations needed for the group to show")
    answered: int | None = Field(
        description="How many of the group answered; null while the group is too small "
        "to say (then only the total shows)"
    )


class ReviewDetailOut(ReviewOut):
    enrollment_id: int | None = Field(description="The enrollment whose program's settings apply")
    previous_id: int | None = Field(
        description="The subject's most recently closed review, which the report compares with"
    )
    min_peers: int
    min_direct_reports: int
    min_others: int
    min_all_others: int
    show_manager: bool
    invited: int
    answered: int
    groups: list[GroupProgressOut]


class NominationOut(Schema):
    id: int
    group: GroupName
    person_id: int | None
    name: str
    email: str
    status: NominationStatusName


def _detail(review: Review) -> dict[str, Any]:
    progress = services.review_progress(review)
    return {
        "id": review.pk,
        "subject_id": review.subject_id,
        "subject": review.subject.full_name,
        "status": review.status,
        "closes_on": review.closes_on,
        "instrument_id": review.instrument_id,
        "created_at": review.created_at,
        "enrollment_id": review.enrollment_id,
        "previous_id": review.previous_id,
        "min_peers": review.min_peers,
        "min_direct_reports": review.min_direct_reports,
        "min_others": review.min_others,
        "min_all_others": review.min_all_others,
        "show_manager": review.show_manager,
        "invited": progress.invited,
        "answered": progress.answered,
        "groups": [
            {
                "group": g.group,
                "nominated": g.nominated,
                "approved": g.approved,
                "minimum": g.minimum,
                "answered": g.answered,
            }
            for g in progress.groups
        ],
    }


# Input --------------------------------------------------------------------------------


class ReviewIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    subject_id: RecordId
    closes_on: IsoDate
    instrument_id: RecordId | None = Field(
        None,
        description="The newest version of a 360 instrument; the leadership 360 when left out",
    )
    enrollment_id: RecordId | None = Field(
        None,
        description="One of the subject's enrollments: its program's anonymity settings apply",
    )


class NominationIn(Schema):
    """A rater: `person_id` for someone in the organization, or `name` and `email`."""

    model_config = ConfigDict(strict=True, extra="forbid")

    group: GroupName
    person_id: RecordId | None = None
    name: Annotated[str, Field(max_length=200)] = ""
    email: Annotated[str, Field(max_length=254)] = ""


class NominationPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    status: NominationStatusName


# Reviews ------------------------------------------------------------------------------


@router.get(
    "/reviews",
    response={200: list[ReviewOut], **errors(401, 422)},
    summary="List the 360 reviews you may see",
    operation_id="list_reviews",
)
@paginate(Pages)
def list_reviews(request: HttpRequest) -> Any:
    return access.reviews_visible_to(request.user).order_by("-created_at", "-pk")


@router.post(
    "/reviews",
    response={201: ReviewDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Start a 360 review (the subject's manager is nominated automatically)",
    operation_id="create_review",
)
def create_review(request: HttpRequest, payload: ReviewIn) -> Any:
    """The review is compared with the subject's most recently closed one (`previous_id`)."""
    subject = access.access_person_for_review(request.user, payload.subject_id)
    instrument = None
    if payload.instrument_id is not None:
        instrument = services.startable_instruments().filter(pk=payload.instrument_id).first()
        if instrument is None:
            raise _invalid("instrument_id", "Choose the newest version of a 360 instrument.")
    enrollment = None
    if payload.enrollment_id is not None:
        enrollment = (
            subject.enrollments.select_related("program").filter(pk=payload.enrollment_id).first()
        )
        if enrollment is None:
            raise _invalid("enrollment_id", "Choose one of the subject's enrollments.")
    try:
        review = services.review_start(
            subject=subject,
            closes_on=payload.closes_on,
            started_by=request.user,
            instrument=instrument,
            enrollment=enrollment,
        )
    except services.Refused as error:
        return _refused(error)
    except DjangoValidationError as error:
        raise _field_errors(error) from None
    return Status(201, _detail(review))


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewDetailOut, **errors(401, 404, 422)},
    summary="A review's status, minimums and counts of answers",
    operation_id="get_review",
)
def get_review(request: HttpRequest, review_id: RecordId) -> Any:
    review = access.access_review(request.user, review_id)
    ip = request.META.get("REMOTE_ADDR")
    services.record_status_read(request.user, review, via="api", ip=ip)
    return _detail(review)


def _step(request: HttpRequest, review_id: int, action: Any, **kwargs: Any) -> Any:
    review = access.access_review(request.user, review_id, manage=True)
    try:
        action(review=review, **kwargs)
    except services.Refused as error:
        return _refused(error)
    return _detail(access.access_review(request.user, review_id))


@router.post(
    "/reviews/{review_id}/submit",
    response={200: ReviewDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Send the rater list to the manager for approval",
    operation_id="submit_review",
)
def submit_review(request: HttpRequest, review_id: RecordId) -> Any:
    return _step(request, review_id, services.submit_for_approval, by=request.user)


@router.post(
    "/reviews/{review_id}/approve",
    response={200: ReviewDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Approve the raters (the manager or an admin) and send the invitations",
    operation_id="approve_review",
)
def approve_review(request: HttpRequest, review_id: RecordId) -> Any:
    return _step(request, review_id, services.approve, approved_by=request.user)


@router.post(
    "/reviews/{review_id}/close",
    response={200: ReviewDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Close the review: no more answers",
    operation_id="close_review",
)
def close_review(request: HttpRequest, review_id: RecordId) -> Any:
    return _step(request, review_id, services.review_close, by=request.user)


# Nominations --------------------------------------------------------------------------


@router.get(
    "/reviews/{review_id}/nominations",
    response={200: list[NominationOut], **errors(401, 404, 422)},
    summary="The rater list: names, groups and approval (never who answered)",
    operation_id="list_nominations",
)
def list_nominations(request: HttpRequest, review_id: RecordId) -> Any:
    return list(access.access_review(request.user, review_id).nominations.all())


@router.post(
    "/reviews/{review_id}/nominations",
    response={201: NominationOut, **errors(400, 401, 403, 404, 422)},
    summary="Nominate a rater (also after the review opened: the manager then approves)",
    operation_id="create_nomination",
)
def create_nomination(request: HttpRequest, review_id: RecordId, payload: NominationIn) -> Any:
    review = access.access_review(request.user, review_id, manage=True)
    person = None
    if payload.person_id is not None:
        # Only someone the caller may see; anyone else is nominated by name and email.
        person = Person.objects.filter(pk=payload.person_id).first()
        if person is None or not policy.can_view_person(request.user, person):
            raise _invalid("person_id", "No such person.")
    try:
        nomination = services.nominate(
            review=review,
            group=payload.group,
            by=request.user,
            person=person,
            name=payload.name,
            email=payload.email,
        )
    except DjangoValidationError as error:
        raise _field_errors(error) from None
    return Status(201, nomination)


@router.get(
    "/reviews/{review_id}/nominations/{nomination_id}",
    response={200: NominationOut, **errors(401, 404, 422)},
    summary="One nominated rater",
    operation_id="get_nomination",
)
def get_nomination(request: HttpRequest, review_id: RecordId, nomination_id: RecordId) -> Any:
    review = access.access_review(request.user, review_id)
    return get_object_or_404(Nomination, pk=nomination_id, review=review)


@router.patch(
    "/reviews/{review_id}/nominations/{nomination_id}",
    response={200: NominationOut, **errors(400, 401, 403, 404, 422)},
    summary="Approve or decline a nominated rater (the manager or an admin)",
    operation_id="update_nomination",
)
def update_nomination(
    request: HttpRequest, review_id: RecordId, nomination_id: RecordId, payload: NominationPatch
) -> Any:
    """While the review is open, approving a rater added late invites them by email; a
    rater already invited cannot be declined (400)."""
    review = access.access_review(request.user, review_id, manage=True)
    nomination = get_object_or_404(Nomination, pk=nomination_id, review=review)
    try:
        return services.nomination_set_status(
            nomination=nomination, status=payload.status, by=request.user
        )
    except services.Refused as error:
        return _refused(error)
    except DjangoValidationError as error:
        raise _field_errors(error) from None


# The rater, through the token ----------------------------------------------------------


class RaterItemOut(Schema):
    key: str
    text: str


class RaterCompetencyOut(Schema):
    key: str
    name: str
    items: list[RaterItemOut]


class RaterScaleOut(Schema):
    min: int
    max: int
    labels: dict[str, str]
    not_observed: bool


class RaterDraftOut(Schema):
    answers: dict[str, int | str]
    comments: dict[str, str]
    saved_at: datetime


class RaterFormOut(Schema):
    subject: str
    group: GroupName
    closes_on: date
    instructions: str
    scale: RaterScaleOut
    competencies: list[RaterCompetencyOut]
    draft: RaterDraftOut | None


Answer = int | Literal["n/o"]


class RaterAnswersIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answers: dict[Annotated[str, Field(max_length=40)], Answer] = Field(
        default_factory=dict, description='Item key → a point of the scale, or "n/o"'
    )
    comments: dict[Annotated[str, Field(max_length=80)], Annotated[str, Field(max_length=4000)]] = (
        Field(default_factory=dict, description="Competency key → comment")
    )


class RaterSubmittedOut(Schema):
    submitted_at: datetime


def _open_link(token: str) -> RaterInvitation | Status:
    link = services.rater_link(token)
    if link.invitation is None or link.problem is not None:
        messages = {
            services.UNKNOWN: "This link is not valid.",
            services.USED: "These answers have already been submitted.",
            services.EXPIRED: "This link has expired.",
            services.CLOSED: "This review is closed.",
        }
        return Status(link.status, {"detail": messages[link.problem or services.UNKNOWN]})
    return link.invitation


def _rater_form(invitation: RaterInvitation) -> dict[str, Any]:
    review = invitation.nomination.review
    doc = review.instrument.document
    draft = services.draft_of(invitation)
    return {
        "subject": review.subject.full_name,
        "group": invitation.nomination.group,
        "closes_on": review.closes_on,
        "instructions": doc.get("instructions", ""),
        "scale": {**doc["scale"], "not_observed": bool(doc["scale"].get("not_observed"))},
        "competencies": doc["competencies"],
        "draft": (
            {"answers": draft.answers, "comments": draft.comments, "saved_at": draft.updated_at}
            if draft
            else None
        ),
    }


def _gone_after_race(token: str) -> Status:
    again = _open_link(token)
    return again if isinstance(again, Status) else Status(410, {"detail": "Refused."})


@rater_router.get(
    "/rater/{token}",
    response={200: RaterFormOut, **errors(401, 404, 422), **GONE},
    summary="The items to answer and the rater's draft (no account: the token)",
    operation_id="get_rater_form",
)
def get_rater_form(request: HttpRequest, token: Token) -> Any:
    invitation = _open_link(token)
    if isinstance(invitation, Status):
        return invitation
    return _rater_form(invitation)


@rater_router.put(
    "/rater/{token}",
    response={200: RaterFormOut, **errors(400, 401, 403, 404, 422), **GONE},
    summary="Save a draft of the answers",
    operation_id="save_rater_draft",
)
def save_rater_draft(request: HttpRequest, token: Token, payload: RaterAnswersIn) -> Any:
    invitation = _open_link(token)
    if isinstance(invitation, Status):
        return invitation
    try:
        services.response_save_draft(
            invitation=invitation, answers=payload.answers, comments=payload.comments
        )
    except services.Refused:
        return _gone_after_race(token)
    except DjangoValidationError as error:
        raise _field_errors(error, "answers") from None
    return _rater_form(invitation)


@rater_router.post(
    "/rater/{token}/submit",
    response={200: RaterSubmittedOut, **errors(400, 401, 403, 404, 422), **GONE},
    summary='Submit the answers: every item answered or "n/o"; a link submits once',
    operation_id="submit_rater_answers",
)
def submit_rater_answers(request: HttpRequest, token: Token, payload: RaterAnswersIn) -> Any:
    invitation = _open_link(token)
    if isinstance(invitation, Status):
        return invitation
    try:
        response = services.response_submit(
            invitation=invitation, answers=payload.answers, comments=payload.comments
        )
    except services.Refused:
        return _gone_after_race(token)
    except DjangoValidationError as error:
        raise _field_errors(error, "answers") from None
    return {"submitted_at": response.submitted_at}


router.add_router("/", rater_router)
