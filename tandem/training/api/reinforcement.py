"""Reinforcement under /api/v1/training: the caller's due burst and its answers, their
cards (due dates), practice logs (own and their reports'; managers confirm), flags
(program admins) and retention (a learner: the person, their management chain, program
admins; a session's or course's cohort: aggregates with n, "not enough data" under 5).

The same rules as the pages (`training.reinforcement_access`): a record the caller may
not see is a 404; a refused step a 400; bad fields a 422 naming them."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, refused, service_errors
from tandem.api.fields import NO_NUL, IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.training import reinforcement as services
from tandem.training import reinforcement_access as access
from tandem.training import retention
from tandem.training.models import Card, LearnerFlag, LearningObjective, PracticeChallenge, Question

router = Router(tags=["training: reinforcement"])


def _run(step: Any, **kwargs: Any) -> Any:
    try:
        return step(**kwargs)
    except services.Refused as error:
        return refused(error)
    except DjangoValidationError as error:
        raise service_errors(error) from None


def _me(request: HttpRequest) -> Any:
    me = policy.person_of(request.user)
    if me is None:
        raise Http404("Bursts are for learners.")
    return me


# The burst ---------------------------------------------------------------------------------


class BurstQuestionOut(Schema):
    id: int
    kind: str
    prompt: str
    options: list[str]


class ChallengeOut(Schema):
    id: int
    prompt: str


class BurstItemOut(Schema):
    card_id: int
    objective: str
    retrievability: float
    question: BurstQuestionOut | None
    challenge: ChallengeOut | None


@router.get(
    "/training/burst",
    response={200: list[BurstItemOut], **errors(401, 404, 422)},
    summary="My due burst: up to 5 items, a recall question or a practice challenge each",
    operation_id="get_training_burst",
)
def my_burst(request: HttpRequest) -> Any:
    return [
        {
            "card_id": item.card.pk,
            "objective": item.card.objective.title,
            "retrievability": round(item.retrievability, 4),
            "question": item.question,
            "challenge": item.challenge,
        }
        for item in services.due_burst(_me(request), timezone.now())
    ]


class BurstAnswerIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    question_id: int | None = Field(None, ge=1, description="A recall question's answer")
    chosen: int | None = Field(None, ge=1, le=6)
    confidence: Literal[1, 2, 3] = Field(2, description="1 guessing, 2 fairly sure, 3 sure")
    challenge_id: int | None = Field(None, ge=1, description="A practice challenge's answer")
    done: bool | None = None
    seconds: int | None = Field(None, ge=0, le=86_400)


class BurstReviewOut(Schema):
    card_id: int
    right: bool | None
    rating: int
    correct: int | None
    explanation: str
    retrievability: float | None
    due_before: datetime
    due_after: datetime


def _field_error(field: str, message: str) -> Any:
    return service_errors(DjangoValidationError({field: message}))


@router.post(
    "/training/cards/{card_id}/answer",
    response={200: BurstReviewOut, **errors(400, 401, 403, 404, 422)},
    summary="Answer a due card: a question (question_id, chosen, confidence) or a "
    "challenge (challenge_id, done)",
    operation_id="answer_training_card",
)
def answer(request: HttpRequest, card_id: RecordId, payload: BurstAnswerIn) -> Any:
    card = access.access_own_card(request.user, card_id)
    if (payload.question_id is None) == (payload.challenge_id is None):
        raise _field_error("question_id", "Give either question_id or challenge_id.")
    if payload.question_id is not None:
        question = Question.objects.filter(pk=payload.question_id).first()
        if question is None:
            raise _field_error("question_id", "No such question.")
        if payload.chosen is None:
            raise _field_error("chosen", "Pick one of the options.")
        result = _run(
            services.burst_answer,
            card=card,
            question=question,
            chosen=payload.chosen,
            confidence=payload.confidence,
            seconds=payload.seconds,
        )
    else:
        assert payload.challenge_id is not None
        challenge = PracticeChallenge.objects.filter(pk=payload.challenge_id).first()
        if challenge is None:
            raise _field_error("challenge_id", "No such challenge.")
        if payload.done is None:
            raise _field_error("done", "Say whether you tried it.")
        result = _run(
            services.challenge_answer,
            card=card,
            challenge=challenge,
            done=payload.done,
            seconds=payload.seconds,
        )
    if not hasattr(result, "card_id"):
        return result
    return {
        "card_id": card.pk,
        "right": result.right,
        "rating": result.rating,
        "correct": result.question.correct if result.question else None,
        "explanation": result.question.explanation if result.question else "",
        "retrievability": result.retrievability,
        "due_before": result.due_before,
        "due_after": result.due_after,
    }


class CardOut(Schema):
    id: int
    objective_id: int
    objective: str
    course: str
    due: datetime
    reviews: int
    lapses: int
    retired: bool

    @staticmethod
    def resolve_objective(card: Card) -> str:
        return card.objective.title

    @staticmethod
    def resolve_course(card: Card) -> str:
        return card.seat.session.course.title


@router.get(
    "/training/cards",
    response={200: list[CardOut], **errors(401, 404, 422)},
    summary="My cards and when each is next due",
    operation_id="list_training_cards",
)
@paginate(Pages)
def my_cards(request: HttpRequest) -> Any:
    return Card.objects.of_person(_me(request)).select_related("objective", "seat__session__course")


# Practice logs ------------------------------------------------------------------------------


class PracticeLogOut(Schema):
    id: int
    person_id: int
    objective_id: int
    challenge_id: int | None
    what_i_did: str
    what_happened: str
    practiced_on: date
    logged_at: datetime
    confirmed_by_id: int | None
    confirmed_at: datetime | None
    manager_note: str


class PracticeLogIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    objective_id: int = Field(..., ge=1)
    what_i_did: str = Field(..., min_length=1, max_length=2000, pattern=NO_NUL)
    what_happened: str = Field("", max_length=2000, pattern=NO_NUL)
    practiced_on: IsoDate | None = Field(None, description="Defaults to today")
    challenge_id: int | None = Field(None, ge=1)


@router.get(
    "/training/practice-logs",
    response={200: list[PracticeLogOut], **errors(401, 422)},
    summary="Practice logs: my own and my reports' (program admins: all)",
    operation_id="list_training_practice_logs",
)
@paginate(Pages)
def practice_logs(request: HttpRequest, person_id: int | None = None) -> Any:
    logs = access.practice_logs_visible_to(request.user)
    if person_id is not None:
        logs = logs.filter(person_id=person_id)
    return logs.order_by("-practiced_on", "-pk")


@router.post(
    "/training/practice-logs",
    response={201: PracticeLogOut, **errors(400, 401, 403, 404, 422)},
    summary="Log a practice: what I applied at work and what happened",
    operation_id="create_training_practice_log",
)
def practice_log_create(request: HttpRequest, payload: PracticeLogIn) -> Any:
    me = _me(request)
    objective = LearningObjective.objects.filter(pk=payload.objective_id).first()
    if objective is None:
        raise _field_error("objective_id", "No such objective.")
    challenge = None
    if payload.challenge_id is not None:
        challenge = PracticeChallenge.objects.filter(pk=payload.challenge_id).first()
        if challenge is None:
            raise _field_error("challenge_id", "No such challenge.")
    rename = {"objective": "objective_id", "challenge": "challenge_id"}
    try:
        log = services.practice_log(
            person=me,
            objective=objective,
            what_i_did=payload.what_i_did,
            what_happened=payload.what_happened,
            practiced_on=payload.practiced_on,
            challenge=challenge,
        )
    except DjangoValidationError as error:
        raise service_errors(error, name=lambda f: rename.get(f, f)) from None
    return Status(201, log)


class ConfirmIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    note: str = Field("", max_length=1000, pattern=NO_NUL)


@router.post(
    "/training/practice-logs/{log_id}/confirm",
    response={200: PracticeLogOut, **errors(400, 401, 403, 404, 422)},
    summary="Confirm a report's practice (their managers, up the chain)",
    operation_id="confirm_training_practice_log",
)
def practice_log_confirm(request: HttpRequest, log_id: RecordId, payload: ConfirmIn) -> Any:
    log = access.access_practice_log(request.user, log_id, confirm=True)
    return _run(
        services.practice_confirm,
        log=log,
        manager=policy.person_of(request.user),
        note=payload.note,
    )


# Flags -------------------------------------------------------------------------------------


class FlagReasonOut(Schema):
    input: str
    text: str


class FlagOut(Schema):
    id: int
    person_id: int
    session_id: int
    reason: str
    detail: str
    suggestion: str
    suggestion_reasons: list[FlagReasonOut]
    raised_at: datetime
    resolved_at: datetime | None
    resolution: str

    @staticmethod
    def resolve_person_id(flag: Any) -> int:
        return int(flag.seat.person_id)

    @staticmethod
    def resolve_session_id(flag: Any) -> int:
        return int(flag.seat.session_id)


@router.get(
    "/training/flags",
    response={200: list[FlagOut], **errors(401, 403, 422)},
    summary="Learners flagged for low retention or practice (program admins)",
    operation_id="list_training_flags",
)
@paginate(Pages)
def flags(request: HttpRequest, resolved: bool = False) -> Any:
    if not access.can_see_flags(request.user):
        raise PermissionDenied("Flags are for program admins.")
    return LearnerFlag.objects.filter(resolved_at__isnull=not resolved).select_related("seat")


class ResolveIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    resolution: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)


@router.post(
    "/training/flags/{flag_id}/resolve",
    response={200: FlagOut, **errors(400, 401, 403, 404, 422)},
    summary="Resolve a flag with what was done (program admins)",
    operation_id="resolve_training_flag",
)
def flag_resolve(request: HttpRequest, flag_id: RecordId, payload: ResolveIn) -> Any:
    flag = access.access_flag(request.user, flag_id)
    return _run(services.flag_resolve, flag=flag, resolution=payload.resolution)


# Retention ---------------------------------------------------------------------------------


class ObjectiveRetentionOut(Schema):
    objective_id: int
    objective: str
    reviews: int
    retention: list[float]


class LearnerRetentionOut(Schema):
    session_id: int
    course_id: int
    days: int
    retention: list[float]
    unreinforced: list[float]
    objectives: list[ObjectiveRetentionOut]
    bursts_done: int
    bursts_due: int
    practice_logged: int
    practice_confirmed: int


def _rounded(values: list[float]) -> list[float]:
    return [round(v, 4) for v in values]


@router.get(
    "/training/retention/people/{person_id}",
    response={200: list[LearnerRetentionOut], **errors(401, 404, 422)},
    summary="A learner's retention by day since each session (the person, their "
    "managers, program admins)",
    operation_id="get_training_learner_retention",
)
def learner_retention(request: HttpRequest, person_id: RecordId) -> Any:
    person = access.access_learner(request.user, person_id)
    return [
        {
            "session_id": learner.seat.session_id,
            "course_id": learner.seat.session.course_id,
            "days": learner.days,
            "retention": _rounded(learner.mean_curve),
            "unreinforced": _rounded(learner.unreinforced),
            "objectives": [
                {
                    "objective_id": o.objective.pk,
                    "objective": o.objective.title,
                    "reviews": o.reviews,
                    "retention": _rounded(o.retention),
                }
                for o in learner.objectives
            ],
            "bursts_done": learner.bursts_done,
            "bursts_due": learner.bursts_due,
            "practice_logged": learner.practice_logged,
            "practice_confirmed": learner.practice_confirmed,
        }
        for learner in retention.learner_retention(person)
    ]


class DayOut(Schema):
    day: int
    mean: float | None
    low: float | None
    high: float | None
    n: int


class CohortRetentionOut(Schema):
    n: int
    enough: bool
    detail: str = Field(description='"not enough data (n=...)" under 5 learners, else ""')
    days: list[DayOut]
    unreinforced: list[float]
    bursts_done: int | None
    bursts_due: int | None
    completion: float | None
    practice_logged: int | None
    learners_practising: int | None
    check_gain: float | None


def _cohort(cohort: retention.CohortRetention) -> dict[str, Any]:
    enough = cohort.enough
    return {
        "n": cohort.n,
        "enough": enough,
        "detail": "" if enough else f"not enough data (n={cohort.n})",
        "days": [
            {"day": day, "mean": e.value, "low": e.low, "high": e.high, "n": e.n}
            for day, e in enumerate(cohort.by_day)
        ]
        if enough
        else [],
        "unreinforced": _rounded(cohort.unreinforced),
        "bursts_done": cohort.bursts_done if enough else None,
        "bursts_due": cohort.bursts_due if enough else None,
        "completion": cohort.completion,
        "practice_logged": cohort.practice_logged if enough else None,
        "learners_practising": cohort.learners_practising if enough else None,
        "check_gain": cohort.check_gain.value,
    }


@router.get(
    "/training/retention/sessions/{session_id}",
    response={200: CohortRetentionOut, **errors(401, 404, 422)},
    summary="A session's cohort retention (aggregates from 5 learners)",
    operation_id="get_training_session_retention",
)
def session_retention(request: HttpRequest, session_id: RecordId) -> Any:
    session = access.access_session_cohort(request.user, session_id)
    return _cohort(retention.session_retention(session))


class CourseRetentionOut(Schema):
    course_id: int
    overall: CohortRetentionOut
    sessions: dict[str, CohortRetentionOut]


@router.get(
    "/training/retention/courses/{course_id}",
    response={200: CourseRetentionOut, **errors(401, 404, 422)},
    summary="A course's retention: all its learners, and each session's cohort",
    operation_id="get_training_course_retention",
)
def course_retention(request: HttpRequest, course_id: RecordId) -> Any:
    course = access.access_course_cohorts(request.user, course_id)
    result = retention.course_retention(course)
    return {
        "course_id": course.pk,
        "overall": _cohort(result.overall),
        "sessions": {str(s.pk): _cohort(c) for s, c in result.sessions},
    }
