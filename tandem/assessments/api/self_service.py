"""Self-assessments and style profiles under /api/v1.

The lists are the caller's own ("mine"); one record is readable by its person, their
management chain and program admins once submitted (a draft by its person only);
anyone else gets 404. Only the person answers. Answers are `{item key: 1..5}`; an
unknown item key or a value off the scale is a 422 naming `answers.<key>`, and
nothing is written."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors
from tandem.api.pagination import Pages, RecordId
from tandem.assessments import self_service
from tandem.assessments.models import SelfAssessment, StyleProfile

router = Router(tags=["self-service assessments"])

Answers = dict[str, int]


class CompetencyScoreOut(Schema):
    key: str
    name: str
    mean: float | None = Field(description="null when no item of it is answered")
    answered: int


class CompetencyChangeOut(Schema):
    key: str
    name: str
    before: float | None
    after: float | None
    change: float | None


class BeforeAfterOut(Schema):
    before_id: int
    after_id: int
    competencies: list[CompetencyChangeOut]


class SelfAssessmentSummaryOut(Schema):
    id: int
    person_id: int
    instrument_id: int
    enrollment_id: int | None
    submitted_at: datetime | None
    created_at: datetime


class SelfAssessmentOut(SelfAssessmentSummaryOut):
    answers: Answers
    competencies: list[CompetencyScoreOut]
    before_after: BeforeAfterOut | None = Field(
        description="With two submitted self-assessments on the same enrollment: "
        "the change per competency from the first to this one (or to the latest)."
    )


class StyleProfileSummaryOut(Schema):
    id: int
    person_id: int
    instrument_id: int
    style_key: str
    submitted_at: datetime | None
    created_at: datetime


class StyleProfileOut(StyleProfileSummaryOut):
    style_name: str
    axis_scores: dict[str, float]
    answers: Answers


class SelfAssessmentIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    enrollment_id: RecordId | None = Field(
        None, description="One of the caller's enrollments: the program this is for"
    )


class SelfServiceAnswersIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answers: Answers = Field(description="Item key to a whole number on the scale")


class SelfAssessmentSubmitIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answers: Answers | None = Field(
        None, description="The final answers; leave out to submit the saved draft"
    )


def _answer_errors(invalid: self_service.AnswersInvalid) -> ValidationError:
    return ValidationError(
        [
            {"loc": ["body", "payload", "answers", key], "msg": message, "type": "invalid"}
            for key, message in invalid.problems.items()
        ]
    )


def _self_out(assessment: SelfAssessment) -> dict[str, Any]:
    pair = self_service.before_and_after(assessment)
    before_after = None
    if pair is not None:
        before_after = {
            "before_id": pair[0].pk,
            "after_id": pair[1].pk,
            "competencies": [
                {
                    "key": c.key,
                    "name": c.name,
                    "before": c.before,
                    "after": c.after,
                    "change": c.change,
                }
                for c in self_service.competency_changes(*pair)
            ],
        }
    return {
        "id": assessment.pk,
        "person_id": assessment.person_id,
        "instrument_id": assessment.instrument_id,
        "enrollment_id": assessment.enrollment_id,
        "submitted_at": assessment.submitted_at,
        "created_at": assessment.created_at,
        "answers": assessment.answers,
        "competencies": self_service.competency_scores(assessment),
        "before_after": before_after,
    }


def _style_out(profile: StyleProfile) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "person_id": profile.person_id,
        "instrument_id": profile.instrument_id,
        "style_key": profile.style_key,
        "style_name": self_service.style_result(profile).style["name"],
        "submitted_at": profile.submitted_at,
        "created_at": profile.created_at,
        "axis_scores": profile.axis_scores,
        "answers": profile.answers,
    }


def _caller(request: HttpRequest) -> Any:
    person = policy.person_of(request.user)
    if person is None:
        raise PermissionDenied("Only a person in the organization can assess themselves.")
    return person


# Self-assessments ----------------------------------------------------------------------


@router.get(
    "/self-assessments",
    response={200: list[SelfAssessmentSummaryOut], **errors(401, 422)},
    summary="List my self-assessments",
    operation_id="list_self_assessments",
)
@paginate(Pages)
def list_self_assessments(request: HttpRequest) -> Any:
    """The caller's own self-assessments, drafts included, newest first."""
    person = policy.person_of(request.user)
    if person is None:
        return SelfAssessment.objects.none()
    return SelfAssessment.objects.filter(person=person).order_by("-created_at", "-pk")


@router.post(
    "/self-assessments",
    response={201: SelfAssessmentOut, **errors(400, 401, 403, 422)},
    summary="Start a self-assessment",
    operation_id="create_self_assessment",
)
def create_self_assessment(request: HttpRequest, payload: SelfAssessmentIn) -> Any:
    """A new draft on the newest version of the leadership self-assessment, optionally
    for one of the caller's enrollments."""
    person = _caller(request)
    enrollment = None
    if payload.enrollment_id is not None:
        enrollment = self_service.enrollments_of(person).filter(pk=payload.enrollment_id).first()
        if enrollment is None:
            raise ValidationError(
                [
                    {
                        "loc": ["body", "payload", "enrollment_id"],
                        "msg": "Not one of your enrollments.",
                        "type": "invalid_choice",
                    }
                ]
            )
    assessment = self_service.self_assessment_start(person=person, enrollment=enrollment)
    return Status(201, _self_out(assessment))


@router.get(
    "/self-assessments/{assessment_id}",
    response={200: SelfAssessmentOut, **errors(401, 404, 422)},
    summary="One self-assessment with its per-competency means",
    operation_id="get_self_assessment",
)
def get_self_assessment(request: HttpRequest, assessment_id: RecordId) -> Any:
    assessment = self_service.access_self_assessment(request.user, assessment_id)
    self_service.record_read(request.user, assessment)
    return _self_out(assessment)


@router.put(
    "/self-assessments/{assessment_id}",
    response={200: SelfAssessmentOut, **errors(400, 401, 403, 404, 422)},
    summary="Save draft answers",
    operation_id="save_self_assessment",
)
def save_self_assessment(
    request: HttpRequest, assessment_id: RecordId, payload: SelfServiceAnswersIn
) -> Any:
    """Replaces the draft's answers; items may be left out. 400 once submitted."""
    assessment = self_service.access_self_assessment(request.user, assessment_id, write=True)
    try:
        self_service.self_assessment_save(assessment=assessment, answers=payload.answers)
    except self_service.Refused as refused:
        return Status(400, {"detail": str(refused)})
    except self_service.AnswersInvalid as invalid:
        raise _answer_errors(invalid) from invalid
    return _self_out(assessment)


@router.post(
    "/self-assessments/{assessment_id}/submit",
    response={200: SelfAssessmentOut, **errors(400, 401, 403, 404, 422)},
    summary="Submit a self-assessment",
    operation_id="submit_self_assessment",
)
def submit_self_assessment(
    request: HttpRequest, assessment_id: RecordId, payload: SelfAssessmentSubmitIn | None = None
) -> Any:
    """Every item needs an answer (422 naming each missing one); after this the
    answers can no longer change (400)."""
    assessment = self_service.access_self_assessment(request.user, assessment_id, write=True)
    answers = payload.answers if payload is not None else None
    try:
        self_service.self_assessment_submit(assessment=assessment, answers=answers)
    except self_service.Refused as refused:
        return Status(400, {"detail": str(refused)})
    except self_service.AnswersInvalid as invalid:
        raise _answer_errors(invalid) from invalid
    return _self_out(assessment)


# Style profiles --------------------------------------------------------------------------


@router.get(
    "/style-profiles",
    response={200: list[StyleProfileSummaryOut], **errors(401, 422)},
    summary="List my style profiles",
    operation_id="list_style_profiles",
)
@paginate(Pages)
def list_style_profiles(request: HttpRequest) -> Any:
    person = policy.person_of(request.user)
    if person is None:
        return StyleProfile.objects.none()
    return StyleProfile.objects.filter(person=person).order_by("-created_at", "-pk")


@router.post(
    "/style-profiles",
    response={201: StyleProfileOut, **errors(400, 401, 403, 422)},
    summary="Take the style profile",
    operation_id="create_style_profile",
)
def create_style_profile(request: HttpRequest, payload: SelfServiceAnswersIn) -> Any:
    """Every item answered, on the scale; returns the scored profile."""
    person = _caller(request)
    try:
        profile = self_service.style_profile_submit(person=person, answers=payload.answers)
    except self_service.AnswersInvalid as invalid:
        raise _answer_errors(invalid) from invalid
    return Status(201, _style_out(profile))


@router.get(
    "/style-profiles/{profile_id}",
    response={200: StyleProfileOut, **errors(401, 404, 422)},
    summary="One style profile",
    operation_id="get_style_profile",
)
def get_style_profile(request: HttpRequest, profile_id: RecordId) -> Any:
    profile = self_service.access_style_profile(request.user, profile_id)
    self_service.record_read(request.user, profile)
    return _style_out(profile)
