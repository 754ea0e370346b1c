"""Mentoring relationships under /api/v1/mentoring: relationships (own, or every
relationship's metadata for program admins), the request (accept, decline, the
mentor's questions), the agreement, meetings with the caller's own notes, check-ins,
closing, no-fault exit, the closing survey, introductions, and a program's health.

The same rules as the pages (`mentoring.relationship_access`): content — goals,
questions, topics, notes, comments, whom the mentee was introduced to — is served to
the two parties only, each side's notes to their author, and every read is audited;
a program admin gets metadata; anyone else a 404. A refused step is a 400, bad fields
a 422 naming them; nothing is written in either case."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import errors, refused, service_errors
from tandem.api.fields import NO_NUL, IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.mentoring import health as program_health
from tandem.mentoring import relationship_access as access
from tandem.mentoring import relationships as services
from tandem.mentoring.models import CheckIn, Relationship
from tandem.mentoring.models.relationships import (
    GOAL_MAX_LENGTH,
    MAX_GOALS,
    MAX_MEETING_MINUTES,
    MIN_MEETING_MINUTES,
)

router = Router(tags=["mentoring: relationships"])

TEXT_MAX = 20_000
StatusName = Literal["proposed", "active", "closed", "declined", "expired"]
FormatName = Literal["one_to_one", "group", "flash"]
CadenceName = Literal["weekly", "fortnightly", "monthly"]
OutcomeName = Literal["goals_met", "partly_met", "not_met"]
ExitReasonName = Literal["not_a_fit", "time", "role_change", "goals_changed", "left", "other"]
ModeName = Literal["in_person", "video", "phone"]
KindName = Literal["introduction", "sponsorship", "event"]


def rating() -> Any:
    return Field(..., ge=1, le=5)


def text(max_length: int = TEXT_MAX, *, default: Any = "", min_length: int = 0) -> Any:
    return Field(default, min_length=min_length, max_length=max_length, pattern=NO_NUL)


def _run(step: Any, **kwargs: Any) -> Any:
    """A service step: refusals are a 400, field problems a 422."""
    try:
        return step(**kwargs)
    except services.Refused as error:
        return refused(error)
    except DjangoValidationError as error:
        raise service_errors(error) from None


# Relationships -----------------------------------------------------------------------------


class MentoringPersonRef(Schema):
    id: int
    full_name: str


class RelationshipOut(Schema):
    """Metadata for everyone who may see the relationship; `goals` for its parties
    only (null for an admin)."""

    id: int
    program_id: int
    program_name: str
    mentee: MentoringPersonRef
    mentor: MentoringPersonRef
    format: FormatName
    status: StatusName
    via: str
    score: float | None
    proposed_at: datetime
    expires_at: datetime | None
    mentee_accepted_at: datetime | None
    mentor_accepted_at: datetime | None
    cadence: CadenceName | Literal[""]
    agreed_at: datetime | None
    activated_at: datetime | None
    closed_at: datetime | None
    outcome: str
    exit_reason: str
    rematch_requested: bool
    meeting_count: int
    last_met_on: date | None
    goals: list[str] | None
    my_side: Literal["mentee", "mentor"] | None

    @staticmethod
    def resolve_program_name(relationship: Relationship) -> str:
        return relationship.program.name

    @staticmethod
    def resolve_meeting_count(relationship: Relationship) -> int:
        count = getattr(relationship, "meeting_count", None)
        return count if count is not None else relationship.attendances.count()

    @staticmethod
    def resolve_last_met_on(relationship: Relationship) -> date | None:
        if hasattr(relationship, "last_met_on"):
            return relationship.last_met_on
        return max(
            relationship.attendances.values_list("meeting__held_on", flat=True), default=None
        )

    @staticmethod
    def resolve_goals(relationship: Relationship, context: Any) -> list[str] | None:
        user = context["request"].user
        return relationship.goal_list() if access.is_party(user, relationship) else None

    @staticmethod
    def resolve_my_side(relationship: Relationship, context: Any) -> str | None:
        return access.side_of(context["request"].user, relationship)


@router.get(
    "/relationships",
    response={200: list[RelationshipOut], **errors(401, 422)},
    summary="My mentoring relationships (program admins: every relationship's metadata)",
    operation_id="list_mentoring_relationships",
)
@paginate(Pages)
def list_relationships(request: HttpRequest, status: StatusName | None = None) -> Any:
    relationships = access.relationships_visible_to(request.user).with_meeting_stats()
    if status:
        relationships = relationships.filter(status=status)
    return relationships.order_by("-proposed_at", "-pk")


def _fresh(user: Any, pk: int) -> Relationship:
    return access.relationships_visible_to(user).with_meeting_stats().get(pk=pk)


@router.get(
    "/relationships/{relationship_id}",
    response={200: RelationshipOut, **errors(401, 404, 422)},
    summary="One relationship",
    operation_id="get_mentoring_relationship",
)
def get_relationship(request: HttpRequest, relationship_id: RecordId) -> Any:
    access.access_relationship(request.user, relationship_id)
    return _fresh(request.user, relationship_id)


def _act(request: HttpRequest, relationship_id: int, step: Any, **kwargs: Any) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    result = _run(step, relationship=relationship, user=request.user, **kwargs)
    if isinstance(result, Status):
        return result
    return _fresh(request.user, relationship_id)


@router.post(
    "/relationships/{relationship_id}/accept",
    response={200: RelationshipOut, **errors(400, 401, 403, 404, 422)},
    summary="Accept the request (the mentee or the mentor)",
    operation_id="accept_mentoring_relationship",
)
def accept(request: HttpRequest, relationship_id: RecordId) -> Any:
    return _act(request, relationship_id, services.relationship_accept)


@router.post(
    "/relationships/{relationship_id}/decline",
    response={200: RelationshipOut, **errors(400, 401, 403, 404, 422)},
    summary="Decline the request, without fault; the mentee is offered the next mentor",
    operation_id="decline_mentoring_relationship",
)
def decline(request: HttpRequest, relationship_id: RecordId) -> Any:
    return _act(request, relationship_id, services.relationship_decline)


class AgreementIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    goals: list[str] = Field(..., min_length=1, max_length=MAX_GOALS)
    cadence: CadenceName
    confidentiality: str = text(4000, default=..., min_length=1)


@router.put(
    "/relationships/{relationship_id}/agreement",
    response={200: RelationshipOut, **errors(400, 401, 403, 404, 422)},
    summary="Confirm (or change) the agreement; confirming starts the relationship",
    operation_id="agree_mentoring_relationship",
)
def agree(request: HttpRequest, relationship_id: RecordId, payload: AgreementIn) -> Any:
    if any(len(goal) > GOAL_MAX_LENGTH or "\x00" in goal for goal in payload.goals):
        raise ValidationError(
            [{"loc": ["body", "payload", "goals"], "msg": "A goal is too long.", "type": "value"}]
        )
    return _act(
        request,
        relationship_id,
        services.relationship_agree,
        goals=payload.goals,
        cadence=payload.cadence,
        confidentiality=payload.confidentiality,
    )


class SurveyIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    satisfaction: int = rating()
    goals_met: int = rating()
    would_recommend: bool
    what_changed: str = text()


def _survey(payload: SurveyIn) -> services.SurveyAnswer:
    return services.SurveyAnswer(
        payload.satisfaction, payload.goals_met, payload.would_recommend, payload.what_changed
    )


class CloseIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    outcome: OutcomeName
    survey: SurveyIn | None = Field(None, description="The closer's own survey (parties)")


@router.post(
    "/relationships/{relationship_id}/close",
    response={200: RelationshipOut, **errors(400, 401, 403, 404, 422)},
    summary="Close with the outcome (the parties or a program admin)",
    operation_id="close_mentoring_relationship",
)
def close(request: HttpRequest, relationship_id: RecordId, payload: CloseIn) -> Any:
    relationship = access.access_relationship_admin(request.user, relationship_id)
    survey = _survey(payload.survey) if payload.survey is not None else None
    if survey is not None and not access.is_party(request.user, relationship):
        survey = None
    result = _run(
        services.relationship_close,
        relationship=relationship,
        user=request.user,
        outcome=payload.outcome,
        survey=survey,
    )
    return result if isinstance(result, Status) else _fresh(request.user, relationship_id)


class ExitIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    reason: ExitReasonName
    rematch: bool = True


@router.post(
    "/relationships/{relationship_id}/exit",
    response={200: RelationshipOut, **errors(400, 401, 403, 404, 422)},
    summary="End early without fault, optionally offering the mentee another mentor",
    operation_id="exit_mentoring_relationship",
)
def exit_relationship(request: HttpRequest, relationship_id: RecordId, payload: ExitIn) -> Any:
    relationship = access.access_relationship_admin(request.user, relationship_id)
    result = _run(
        services.relationship_exit,
        relationship=relationship,
        user=request.user,
        reason=payload.reason,
        rematch=payload.rematch,
    )
    return result if isinstance(result, Status) else _fresh(request.user, relationship_id)


class SurveyOut(Schema):
    side: str
    satisfaction: int
    goals_met: int
    would_recommend: bool
    what_changed: str
    submitted_at: datetime


@router.post(
    "/relationships/{relationship_id}/survey",
    response={201: SurveyOut, **errors(400, 401, 403, 404, 422)},
    summary="Answer the closing survey (each side once)",
    operation_id="answer_mentoring_closing_survey",
)
def closing_survey(request: HttpRequest, relationship_id: RecordId, payload: SurveyIn) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    result = _run(
        services.closing_survey_submit,
        relationship=relationship,
        user=request.user,
        answer=_survey(payload),
    )
    return result if isinstance(result, Status) else Status(201, result)


# Questions ----------------------------------------------------------------------------------


class MentorQuestionOut(Schema):
    id: int
    question: str
    asked_at: datetime
    answer: str
    answered_at: datetime | None


class MentorQuestionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    question: str = text(default=..., min_length=1)


class MentorQuestionAnswerIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answer: str = text(default=..., min_length=1)


@router.get(
    "/relationships/{relationship_id}/questions",
    response={200: list[MentorQuestionOut], **errors(401, 403, 404, 422)},
    summary="The mentor's questions and the mentee's answers (the two parties)",
    operation_id="list_mentoring_mentor_questions",
)
def list_questions(request: HttpRequest, relationship_id: RecordId) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    return access.read_questions(request.user, relationship, via="API")


@router.post(
    "/relationships/{relationship_id}/questions",
    response={201: MentorQuestionOut, **errors(400, 401, 403, 404, 422)},
    summary="The mentor asks the mentee a question before accepting",
    operation_id="ask_mentoring_mentor_question",
)
def ask_question(request: HttpRequest, relationship_id: RecordId, payload: MentorQuestionIn) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    result = _run(
        services.question_ask, relationship=relationship, user=request.user, text=payload.question
    )
    return result if isinstance(result, Status) else Status(201, result)


@router.post(
    "/mentor-questions/{question_id}/answer",
    response={200: MentorQuestionOut, **errors(400, 401, 403, 404, 422)},
    summary="The mentee answers the mentor's question",
    operation_id="answer_mentoring_mentor_question",
)
def answer_question(
    request: HttpRequest, question_id: RecordId, payload: MentorQuestionAnswerIn
) -> Any:
    question = access.access_question(request.user, question_id)
    return _run(
        services.question_answer, question=question, user=request.user, answer=payload.answer
    )


# Meetings ------------------------------------------------------------------------------------


class MeetingOut(Schema):
    """A meeting as one party reads it: `my_notes` are the caller's own."""

    id: int
    held_on: date
    duration_minutes: int
    mode: ModeName
    topics: str
    next_step: str
    my_notes: str
    group_size: int


def _meeting_out(view: access.MeetingView) -> dict[str, Any]:
    meeting = view.meeting
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.mode,
        "topics": meeting.topics,
        "next_step": meeting.next_step,
        "my_notes": view.my_notes,
        "group_size": view.group_size,
    }


@router.get(
    "/relationships/{relationship_id}/meetings",
    response={200: list[MeetingOut], **errors(401, 403, 404, 422)},
    summary="The relationship's meetings (the two parties; each sees their own notes)",
    operation_id="list_mentoring_meetings",
)
def list_meetings(request: HttpRequest, relationship_id: RecordId) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    return [
        _meeting_out(view) for view in access.read_meetings(request.user, relationship, via="API")
    ]


class MeetingIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    held_on: IsoDate
    duration_minutes: int = Field(60, ge=MIN_MEETING_MINUTES, le=MAX_MEETING_MINUTES)
    mode: ModeName = "video"
    topics: str = text()
    next_step: str = text()
    notes: str = text()


@router.post(
    "/relationships/{relationship_id}/meetings",
    response={201: MeetingOut, **errors(400, 401, 403, 404, 422)},
    summary="Log a meeting that took place (group format: once for the whole group)",
    operation_id="create_mentoring_meeting",
)
def create_meeting(request: HttpRequest, relationship_id: RecordId, payload: MeetingIn) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    result = _run(
        services.meeting_log,
        relationship=relationship,
        user=request.user,
        record=services.MeetingRecord(**payload.dict()),
    )
    if isinstance(result, Status):
        return result
    view, _relationship = access.read_meeting(request.user, result, via="API")
    return Status(201, _meeting_out(view))


class NotesIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    notes: str = text()


@router.put(
    "/meetings/{meeting_id}/notes",
    response={200: MeetingOut, **errors(400, 401, 404, 422)},
    summary="Write my own private notes of a meeting",
    operation_id="save_mentoring_meeting_notes",
)
def save_notes(request: HttpRequest, meeting_id: RecordId, payload: NotesIn) -> Any:
    meeting = access.access_meeting(request.user, meeting_id)
    result = _run(
        services.meeting_notes_save, meeting=meeting, user=request.user, notes=payload.notes
    )
    if isinstance(result, Status):
        return result
    view, _relationship = access.read_meeting(request.user, meeting, via="API")
    return _meeting_out(view)


# Check-ins -----------------------------------------------------------------------------------


class MentoringCheckInOut(Schema):
    id: int
    relationship_id: int
    side: Literal["mentee", "mentor"]
    due_on: date
    satisfaction: int | None
    goal_progress: int | None
    frequency_ok: bool | None
    comment: str
    answered_at: datetime | None


@router.get(
    "/check-ins",
    response={200: list[MentoringCheckInOut], **errors(401, 422)},
    summary="My check-ins (as mentee and as mentor)",
    operation_id="list_mentoring_check_ins",
)
@paginate(Pages)
def list_check_ins(request: HttpRequest, unanswered: bool = False) -> Any:
    check_ins = access.check_ins_visible_to(request.user)
    if unanswered:
        check_ins = check_ins.filter(answered_at__isnull=True)
    return check_ins.order_by("-due_on", "pk")


class MentoringCheckInIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    satisfaction: int = rating()
    goal_progress: int = rating()
    frequency_ok: bool
    comment: str = text()


@router.get(
    "/check-ins/{check_in_id}",
    response={200: MentoringCheckInOut, **errors(401, 404, 422)},
    summary="One of my check-ins",
    operation_id="get_mentoring_check_in",
)
def get_check_in(request: HttpRequest, check_in_id: RecordId) -> Any:
    return access.access_check_in(request.user, check_in_id)


@router.post(
    "/check-ins/{check_in_id}",
    response={200: MentoringCheckInOut, **errors(400, 401, 403, 404, 422)},
    summary="Answer my check-in (once)",
    operation_id="answer_mentoring_check_in",
)
def answer_check_in(
    request: HttpRequest, check_in_id: RecordId, payload: MentoringCheckInIn
) -> Any:
    check_in: CheckIn = access.access_check_in(request.user, check_in_id)
    return _run(
        services.check_in_answer,
        check_in=check_in,
        user=request.user,
        answer=services.CheckInAnswer(
            payload.satisfaction, payload.goal_progress, payload.frequency_ok, payload.comment
        ),
    )


# Introductions --------------------------------------------------------------------------------


class IntroductionOut(Schema):
    id: int
    kind: KindName
    whom: str
    happened_on: date
    note: str


class IntroductionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    kind: KindName
    whom: str = text(300, default=..., min_length=1)
    happened_on: IsoDate
    note: str = text()


@router.get(
    "/relationships/{relationship_id}/introductions",
    response={200: list[IntroductionOut], **errors(401, 403, 404, 422)},
    summary="Introductions and sponsorship the mentor logged (the two parties)",
    operation_id="list_mentoring_introductions",
)
def list_introductions(request: HttpRequest, relationship_id: RecordId) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    return access.read_introductions(request.user, relationship, via="API")


@router.post(
    "/relationships/{relationship_id}/introductions",
    response={201: IntroductionOut, **errors(400, 401, 403, 404, 422)},
    summary="The mentor logs an introduction, sponsorship or event invitation",
    operation_id="create_mentoring_introduction",
)
def create_introduction(
    request: HttpRequest, relationship_id: RecordId, payload: IntroductionIn
) -> Any:
    relationship = access.access_relationship(request.user, relationship_id, act=True)
    result = _run(
        services.introduction_log, relationship=relationship, user=request.user, **payload.dict()
    )
    return result if isinstance(result, Status) else Status(201, result)


# Health ---------------------------------------------------------------------------------------


class AtRiskOut(Schema):
    relationship_id: int
    mentee: MentoringPersonRef
    mentor: MentoringPersonRef
    reasons: list[str]
    last_met_on: date | None


class MentorLoadOut(Schema):
    mentor: MentoringPersonRef
    open: int
    capacity: int | None


class HealthOut(Schema):
    program_id: int
    mentees_with_intent: int
    mentees_matched: int
    match_rate: float | None = Field(description="Percent of mentees with intent who started")
    median_days_to_match: float | None
    meetings_per_relationship: float | None
    satisfaction_n: int
    satisfaction_mean: float | None = Field(description="Null under 3 answers")
    by_status: dict[str, int]
    at_risk: list[AtRiskOut]
    mentor_load: list[MentorLoadOut]


@router.get(
    "/programs/{program_id}/health",
    response={200: HealthOut, **errors(401, 404, 422)},
    summary="A mentoring program's health (program admins; metadata only)",
    operation_id="get_mentoring_health",
)
def get_health(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program_health(request.user, program_id)
    figures = program_health.program_health(program, today=timezone.localdate())

    def ref(person: Any) -> dict[str, Any]:
        return {"id": person.pk, "full_name": person.full_name}

    return {
        "program_id": program.pk,
        "mentees_with_intent": figures.mentees_with_intent,
        "mentees_matched": figures.mentees_matched,
        "match_rate": figures.match_rate,
        "median_days_to_match": figures.median_days_to_match,
        "meetings_per_relationship": figures.meetings_per_relationship,
        "satisfaction_n": figures.satisfaction_n,
        "satisfaction_mean": figures.satisfaction_mean,
        "by_status": figures.by_status,
        "at_risk": [
            {
                "relationship_id": item.relationship.pk,
                "mentee": ref(item.relationship.mentee),
                "mentor": ref(item.relationship.mentor),
                "reasons": item.reasons,
                "last_met_on": item.last_met_on,
            }
            for item in figures.at_risk
        ],
        "mentor_load": [
            {"mentor": ref(row.person), "open": row.open, "capacity": row.capacity}
            for row in figures.mentor_load
        ],
    }
