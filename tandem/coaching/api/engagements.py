"""Engagements under /api/v1/coaching: pairing, the agreement, goals, the end and the
evaluation. Summaries only — coach, coachee, sponsor, dates, status, sessions held
against planned, goals; program admins and the two parties also get the ratings.
Nothing said in a session is served here."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, refused
from tandem.api.fields import text
from tandem.api.pagination import Pages, RecordId
from tandem.coaching import access, services
from tandem.coaching.api.common import BoundedDate, CoachingPersonRef, field_errors
from tandem.coaching.models import (
    MAX_PLANNED_SESSIONS,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    Engagement,
    EngagementGoal,
    PairedVia,
)
from tandem.people.models import Person
from tandem.programs.models import Goal

router = Router(tags=["coaching: engagements"])

EngagementStatusName = Literal["agreement", "active", "completed", "ended"]
PartyName = Literal["coach", "coachee", "sponsor", "admin"]


class CoachingGoalOut(Schema):
    id: int
    engagement_id: int
    title: str
    plan_goal_id: int | None
    progress: int


class EvaluationOut(Schema):
    party: Literal["coachee", "sponsor"]
    goals_rating: int
    value_rating: int


class EngagementOut(Schema):
    """An engagement annotated by `EngagementQuerySet.with_health`."""

    id: int
    coach_id: int
    coach: str
    coachee: CoachingPersonRef
    sponsor: CoachingPersonRef | None
    plan_id: int | None
    status: EngagementStatusName
    paired_via: Literal["admin", "choice"]
    starts_on: date
    ends_on: date
    planned_sessions: int
    session_minutes: int
    goal_setting_on: date | None
    coach_accepted_at: datetime | None
    coachee_accepted_at: datetime | None
    ended_at: datetime | None
    ended_by: PartyName | None
    sessions_held: int = Field(alias="held_count")
    sessions_scheduled: int = Field(alias="scheduled_count")
    last_session_at: datetime | None = Field(alias="last_held_at")
    mean_rating: float | None = Field(description="Program admins and the two parties only")

    @staticmethod
    def resolve_coach(engagement: Engagement) -> str:
        return engagement.coach.name

    @staticmethod
    def resolve_ended_by(engagement: Engagement) -> str | None:
        return engagement.ended_by_party or None

    @staticmethod
    def resolve_mean_rating(engagement: Any, context: Any) -> float | None:
        user = context["request"].user
        if engagement.mean_rating is None:
            return None
        if not (policy.is_program_admin(user) or access.is_party(user, engagement)):
            return None
        return round(engagement.mean_rating, 2)


class EngagementDetailOut(EngagementOut):
    agreement: str = Field(alias="agreement_terms")
    goals: list[CoachingGoalOut]
    evaluations: list[EvaluationOut] = Field(
        description="Program admins, the two parties and each evaluation's author"
    )

    @staticmethod
    def resolve_goals(engagement: Engagement) -> list[Any]:
        return list(engagement.goals.all())

    @staticmethod
    def resolve_evaluations(engagement: Engagement, context: Any) -> list[Any]:
        user = context["request"].user
        sees_all = policy.is_program_admin(user) or access.is_party(user, engagement)
        mine = access.parties(user, engagement)
        return [e for e in engagement.evaluations.all() if sees_all or e.party in mine]


def _detail(engagement_id: int, user: Any) -> Engagement:
    return access.engagements_visible_to(user).with_health().get(pk=engagement_id)


class EngagementFilter(Schema):
    status: EngagementStatusName | None = None


@router.get(
    "/engagements",
    response={200: list[EngagementOut], **errors(401, 422)},
    summary="Coaching engagements (summaries, never content)",
    operation_id="list_engagements",
)
@paginate(Pages)
def list_engagements(request: HttpRequest, filters: Query[EngagementFilter]) -> Any:
    """Every engagement for program admins, with its health; otherwise those the caller
    coaches, is coached in, sponsors, or manages the coachee of."""
    engagements = access.engagements_visible_to(request.user).with_health()
    if filters.status:
        engagements = engagements.filter(status=filters.status)
    return engagements.order_by("-created_at", "-pk")


@router.get(
    "/engagements/{engagement_id}",
    response={200: EngagementDetailOut, **errors(401, 404, 422)},
    summary="One engagement",
    operation_id="get_engagement",
)
def get_engagement(request: HttpRequest, engagement_id: RecordId) -> Any:
    access.access_engagement(request.user, engagement_id)
    return _detail(engagement_id, request.user)


class CoachingPairIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    coach_id: RecordId
    coachee_id: RecordId | None = Field(
        None, description="Program admins: whom to pair. Left out: the caller chooses a coach"
    )
    sponsor_id: RecordId | None = Field(
        None, description="Program admins; left out, the coachee's manager is the sponsor"
    )
    planned_sessions: int = Field(8, ge=1, le=MAX_PLANNED_SESSIONS)
    session_minutes: int = Field(60, ge=MIN_SESSION_MINUTES, le=MAX_SESSION_MINUTES)
    starts_on: BoundedDate | None = None
    ends_on: BoundedDate | None = None


def _invalid(field: str, message: str) -> DjangoValidationError:
    return DjangoValidationError({field: message})


@router.post(
    "/engagements",
    response={201: EngagementDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Pair a coachee with a coach",
    operation_id="create_engagement",
)
def create_engagement(request: HttpRequest, payload: CoachingPairIn) -> Any:
    """Program admins pair anyone; a participant of a coaching or blended program
    chooses their own coach (leave `coachee_id` out). Refused (400) when the coach has
    no free place — counted under a lock, so two requests for the last place cannot
    both succeed — or the coachee already has a coach."""
    user = request.user
    is_admin = policy.is_program_admin(user)
    if payload.coachee_id is not None:
        coachee = access.access_coachee(user, payload.coachee_id)
    else:
        me = policy.person_of(user)
        if me is None:
            raise field_errors(_invalid("coachee_id", "Name the coachee."))
        coachee = access.access_coachee(user, me.pk)
    coach = access.coaches_visible_to(user).filter(pk=payload.coach_id).first()
    if coach is None:
        raise field_errors(_invalid("coach_id", "No such coach."))
    extra: dict[str, Any] = {}
    if payload.sponsor_id is not None:
        if not is_admin:
            raise field_errors(_invalid("sponsor_id", "Program admins choose the sponsor."))
        sponsor = Person.objects.active().filter(pk=payload.sponsor_id).first()
        if sponsor is None:
            raise field_errors(_invalid("sponsor_id", "No such person."))
        extra["sponsor"] = sponsor
    if payload.starts_on and payload.ends_on and payload.ends_on < payload.starts_on:
        raise field_errors(_invalid("ends_on", "On or after starts_on."))
    try:
        engagement = services.engagement_pair(
            coach=coach,
            coachee=coachee,
            paired_by=user,
            via=PairedVia.ADMIN if is_admin and payload.coachee_id else PairedVia.CHOICE,
            planned_sessions=payload.planned_sessions,
            session_minutes=payload.session_minutes,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            **extra,
        )
    except services.Refused as error:
        return refused(error)
    return Status(201, _detail(engagement.pk, user))


class AcceptIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    accept: Literal[True] = Field(description="true: I have read the agreement and accept it")


@router.post(
    "/engagements/{engagement_id}/agreement",
    response={200: EngagementDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Accept the coaching agreement (the coach or the coachee)",
    operation_id="accept_agreement",
)
def accept_agreement(request: HttpRequest, engagement_id: RecordId, payload: AcceptIn) -> Any:
    engagement = access.access_engagement(request.user, engagement_id, write=True)
    try:
        services.agreement_accept(engagement=engagement, user=request.user)
    except services.Refused as error:
        return refused(error)
    return _detail(engagement.pk, request.user)


class EndIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    completed: bool = Field(
        description="true: the coaching has done its work; false: ended early, without fault"
    )


@router.post(
    "/engagements/{engagement_id}/end",
    response={200: EngagementDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="End an engagement (either side, or a program admin), without fault",
    operation_id="end_engagement",
)
def end_engagement(request: HttpRequest, engagement_id: RecordId, payload: EndIn) -> Any:
    engagement = access.access_engagement(request.user, engagement_id, write=True)
    try:
        services.engagement_end(
            engagement=engagement, ended_by=request.user, completed=payload.completed
        )
    except services.Refused as error:
        return refused(error)
    return _detail(engagement.pk, request.user)


class CoachingGoalIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = text(200, min_length=1)
    plan_goal_id: RecordId | None = Field(
        None, description="A goal of the coachee's current development plan cycle"
    )


@router.post(
    "/engagements/{engagement_id}/goals",
    response={201: CoachingGoalOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a coaching goal",
    operation_id="create_coaching_goal",
)
def create_goal(request: HttpRequest, engagement_id: RecordId, payload: CoachingGoalIn) -> Any:
    engagement = access.access_engagement(request.user, engagement_id, write=True)
    plan_goal = None
    if payload.plan_goal_id is not None:
        plan_goal = Goal.objects.filter(
            pk=payload.plan_goal_id,
            cycle__plan_id=engagement.plan_id,
            cycle__closed_on__isnull=True,
        ).first()
        if plan_goal is None or engagement.plan_id is None:
            raise field_errors(
                _invalid("plan_goal_id", "Not a goal of the coachee's current plan cycle.")
            )
    try:
        goal = services.goal_add(
            engagement=engagement, title=payload.title, plan_goal=plan_goal, added_by=request.user
        )
    except services.Refused as error:
        return refused(error)
    return Status(201, goal)


@router.get(
    "/goals/{goal_id}",
    response={200: CoachingGoalOut, **errors(401, 404, 422)},
    summary="One coaching goal",
    operation_id="get_coaching_goal",
)
def get_goal(request: HttpRequest, goal_id: RecordId) -> Any:
    return access.access_goal(request.user, goal_id)


class CoachingGoalPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    progress: int = Field(ge=0, le=100)


@router.patch(
    "/goals/{goal_id}",
    response={200: CoachingGoalOut, **errors(400, 401, 403, 404, 422)},
    summary="Update a coaching goal's progress",
    operation_id="update_coaching_goal",
)
def update_goal(request: HttpRequest, goal_id: RecordId, payload: CoachingGoalPatch) -> Any:
    goal: EngagementGoal = access.access_goal(request.user, goal_id, write=True)
    return services.goal_set_progress(goal=goal, progress=payload.progress, by=request.user)


class EvaluationIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    goals_rating: int = Field(ge=1, le=5, description="How far coaching moved the goals")
    value_rating: int = Field(ge=1, le=5, description="How worthwhile the engagement was")


@router.post(
    "/engagements/{engagement_id}/evaluation",
    response={201: EvaluationOut, **errors(400, 401, 403, 404, 422)},
    summary="Evaluate an ended engagement (the coachee or the sponsor)",
    operation_id="evaluate_engagement",
)
def evaluate_engagement(
    request: HttpRequest, engagement_id: RecordId, payload: EvaluationIn
) -> Any:
    engagement = access.access_engagement(request.user, engagement_id)
    try:
        evaluation = services.evaluation_submit(
            engagement=engagement,
            author=request.user,
            goals_rating=payload.goals_rating,
            value_rating=payload.value_rating,
        )
    except services.Refused as error:
        return refused(error)
    return Status(201, evaluation)
