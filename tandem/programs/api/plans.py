"""Development plans under /api/v1: the cycle, goals, milestones, learning, comments,
plan templates and competencies.

Every plan endpoint fetches the plan through `access.access_plan` (the participant,
their management chain and program admins; anyone else gets 404) and validates with
the forms the pages use, so the API and the pages enforce one set of rules. A step
the cycle does not allow now (advancing past a gate, closing before the measure step,
adding goals while assessing) is a 400 listing the reasons: `{"detail": [...]}`."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, raise_form_errors
from tandem.api.fields import IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.people.api import unchanged
from tandem.programs import access, services
from tandem.programs.cycle import blockers_to_leave
from tandem.programs.forms.plans import (
    BaselineForm,
    CycleCloseForm,
    GoalForm,
    LearningActivityForm,
    MilestoneForm,
    PlanCommentForm,
    PlanTemplateForm,
    ResultForm,
)
from tandem.programs.models import (
    Competency,
    DevelopmentPlan,
    Goal,
    Measurement,
    Milestone,
    PlanCycle,
    PlanTemplate,
    Stage,
)

router = Router(tags=["plans"])

StageName = Literal["assess", "set_goals", "learn", "apply", "measure"]
GoalStatusName = Literal["not_started", "in_progress", "achieved", "dropped", "carried_forward"]
SettableGoalStatus = Literal["not_started", "in_progress", "achieved", "dropped"]
ModalityName = Literal["training", "mentoring", "coaching", "reinforcement"]
LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]
# Values are stored with two decimals and at most ten digits.
MeasuredValue = Annotated[float, Field(ge=-99_999_999.99, le=99_999_999.99, allow_inf_nan=False)]


class RefusedOut(Schema):
    detail: list[str] | str = Field(
        description="Why the step cannot happen now, one reason per item (or, for a "
        "body that is not JSON, one message)."
    )


def refusals(*statuses: int) -> dict[Any, type[Schema]]:
    """Like `errors(...)`, with 400 meaning "refused by the cycle" (RefusedOut)."""
    others = errors(*(s for s in statuses if s != 400))
    return {400: RefusedOut, **others} if 400 in statuses else others


def _refused(reasons: list[str]) -> Status:
    return Status(400, {"detail": reasons})


# Output -------------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    goal_id: int
    title: str
    due_date: date
    done_on: date | None
    done: bool

    @staticmethod
    def resolve_done(milestone: Milestone) -> bool:
        return milestone.done_on is not None


class GoalOut(Schema):
    id: int
    cycle_number: int = Field(alias="cycle.number")
    title: str
    measure: str
    objective_id: int
    objective: str = Field(alias="objective.title")
    competency_id: int | None
    competency: str | None
    due_date: date
    status: GoalStatusName
    progress: int
    carried_from_id: int | None
    carried_from_cycle: int | None
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_competency(goal: Goal) -> str | None:
        return goal.competency.name if goal.competency else None

    @staticmethod
    def resolve_carried_from_cycle(goal: Goal) -> int | None:
        return goal.carried_from.cycle.number if goal.carried_from else None

    @staticmethod
    def resolve_milestones(goal: Goal) -> list[Milestone]:
        return list(goal.milestones.all())


class MeasurementOut(Schema):
    id: int
    kind: Literal["baseline", "result"]
    label: str
    value: float
    competency_id: int | None
    source: str
    measured_on: date


class ActivityOut(Schema):
    id: int
    modality: ModalityName
    description: str
    created_at: datetime


class CycleOut(Schema):
    id: int
    number: int
    stage: StageName
    started_on: date
    next_stage: StageName | None = Field(description="null at the measure step: close the cycle")
    blockers: list[str] = Field(description="What must happen before moving on")
    goals: list[GoalOut]
    measurements: list[MeasurementOut]
    activities: list[ActivityOut]


class ClosedCycleOut(Schema):
    id: int
    number: int
    started_on: date
    closed_on: date
    outcome: str


class PlanSummaryOut(Schema):
    id: int
    person_id: int
    person: str = Field(alias="person.full_name")
    program_id: int = Field(alias="enrollment.program_id")
    program: str = Field(alias="enrollment.program.name")
    cycle_number: int
    stage: StageName
    created_at: datetime


class PlanOut(Schema):
    id: int
    person_id: int
    person: str
    program_id: int
    program: str
    template_id: int | None
    focus_areas: list[str]
    cycle: CycleOut
    previous_cycles: list[ClosedCycleOut]


def _cycle_out(cycle: PlanCycle) -> dict[str, Any]:
    following = Stage.after(cycle.stage)
    return {
        "id": cycle.pk,
        "number": cycle.number,
        "stage": cycle.stage,
        "started_on": cycle.started_on,
        "next_stage": following.value if following else None,
        "blockers": blockers_to_leave(cycle) if following else [],
        "goals": list(cycle.goals_in_full().select_related("cycle")),
        "measurements": list(cycle.measurements.all()),
        "activities": list(cycle.activities.all()),
    }


def _plan_out(plan: DevelopmentPlan) -> dict[str, Any]:
    cycle = plan.current_cycle()
    return {
        "id": plan.pk,
        "person_id": plan.person_id,
        "person": plan.person.full_name,
        "program_id": plan.enrollment.program_id,
        "program": plan.enrollment.program.name,
        "template_id": plan.template_id,
        "focus_areas": [str(area) for area in plan.focus_areas],
        "cycle": _cycle_out(cycle),
        "previous_cycles": list(plan.cycles.filter(closed_on__isnull=False).order_by("number")),
    }


# Plans and the cycle ------------------------------------------------------------------


class PlanFilter(Schema):
    program: RecordId | None = Field(None, description="A program id")
    person: RecordId | None = Field(None, description="A person id")
    stage: StageName | None = Field(None, description="The open cycle's step")


@router.get(
    "/plans",
    response={200: list[PlanSummaryOut], **errors(401, 422)},
    summary="List development plans",
    operation_id="list_plans",
)
@paginate(Pages)
def list_plans(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    """Plans the caller may see: their own, their reporting line's, and every plan for
    program admins. Newest first."""
    plans = access.plans_visible_to(request.user).with_open_cycle()
    if filters.program is not None:
        plans = plans.filter(enrollment__program_id=filters.program)
    if filters.person is not None:
        plans = plans.filter(person_id=filters.person)
    if filters.stage is not None:
        plans = plans.filter(cycles__closed_on__isnull=True, cycles__stage=filters.stage)
    return plans.order_by("-created_at", "-pk")


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, **errors(401, 404, 422)},
    summary="One plan with its open cycle",
    operation_id="get_plan",
)
def get_plan(request: HttpRequest, plan_id: RecordId) -> Any:
    """The open cycle's step, what blocks moving on, its goals, learning and
    measurements; and the closed cycles with their outcome."""
    return _plan_out(access.access_plan(request.user, plan_id))


@router.post(
    "/plans/{plan_id}/advance",
    response={200: PlanOut, **refusals(400, 401, 403, 404, 422)},
    summary="Move the plan to its next step",
    operation_id="advance_plan",
)
def advance_plan(request: HttpRequest, plan_id: RecordId) -> Any:
    """Refused (400, nothing changes) while a gate is not met: a submitted
    self-assessment or closed 360 before leaving assess, a goal before leaving set
    goals, a way to learn before leaving learn, a check-in before leaving apply; the
    message says which. The measure step is left by closing the cycle."""
    plan = access.access_plan(request.user, plan_id)
    try:
        services.plan_advance(plan=plan, advanced_by=request.user)
    except services.Refused as refused:
        return _refused(refused.messages)
    return _plan_out(plan)


class ResultIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    value: MeasuredValue
    competency_id: RecordId | None = None


class CycleCloseIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    outcome: str = Field(min_length=1, max_length=5000, description="What came of this cycle")
    results: list[ResultIn] = Field(default_factory=list, max_length=50)


def _raise_result_errors(form: ResultForm, index: int) -> None:
    """A 422 naming the field of result row `index`, as pydantic would name it."""
    raise ValidationError(
        [
            {
                "loc": ["body", "payload", "results", index, _RESULT_API_FIELDS.get(field, field)],
                "msg": " ".join(str(message) for message in error.messages),
                "type": error.code or "invalid",
            }
            for field, field_errors in form.errors.as_data().items()
            for error in field_errors
        ]
    )


_RESULT_API_FIELDS = {"competency": "competency_id", "__all__": "label"}


@router.post(
    "/plans/{plan_id}/close-cycle",
    response={200: PlanOut, **refusals(400, 401, 403, 404, 422)},
    summary="Close the measure step and open the next cycle",
    operation_id="close_plan_cycle",
)
def close_plan_cycle(request: HttpRequest, plan_id: RecordId, payload: CycleCloseIn) -> Any:
    """Records the results and the outcome, then opens the next cycle at the assess
    step with the unfinished goals carried forward and the latest measurements as
    its baseline. Returns the plan in its new cycle."""
    plan = access.access_plan(request.user, plan_id)
    form = CycleCloseForm(data={"outcome": payload.outcome})
    if not form.is_valid():
        raise_form_errors(form)
    results = []
    for index, row in enumerate(payload.results):
        result_form = ResultForm(
            data={
                "label": row.label,
                "value": str(row.value),
                "competency": row.competency_id or "",
            }
        )
        if not result_form.is_valid():
            _raise_result_errors(result_form, index)
        data = result_form.cleaned_data
        results.append(
            services.Result(
                label=data["label"],
                value=data["value"],
                competency_id=data["competency"].pk if data["competency"] else None,
            )
        )
    try:
        services.cycle_close(
            plan=plan,
            outcome=form.cleaned_data["outcome"],
            results=results,
            closed_by=request.user,
        )
    except services.Refused as refused:
        return _refused(refused.messages)
    return _plan_out(plan)


# Goals and milestones -----------------------------------------------------------------


class GoalIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    measure: str = Field(min_length=1, max_length=300, description="What will show it is met")
    objective_id: RecordId = Field(description="The organizational objective it serves")
    competency_id: RecordId | None = None
    due_date: IsoDate
    status: SettableGoalStatus = "not_started"
    progress: int = Field(0, ge=0, le=100)


class GoalPatch(Schema):
    """Only the fields sent change; `"competency_id": null` clears the competency."""

    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = unchanged(min_length=1, max_length=200)
    measure: str = unchanged(min_length=1, max_length=300)
    objective_id: RecordId = unchanged()
    competency_id: RecordId | None = None
    due_date: IsoDate = unchanged()
    status: SettableGoalStatus = unchanged()
    progress: int = unchanged(ge=0, le=100)


_GOAL_FORM_FIELDS = {"objective_id": "objective", "competency_id": "competency"}
_GOAL_API_FIELDS = {form: api for api, form in _GOAL_FORM_FIELDS.items()}


def _goal_form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {_GOAL_FORM_FIELDS.get(k, k): ("" if v is None else v) for k, v in values.items()}


def _goal_out(pk: int) -> Goal:
    return (
        Goal.objects.select_related("cycle", "objective", "competency", "carried_from__cycle")
        .prefetch_related("milestones")
        .get(pk=pk)
    )


def _plan_goal(plan: DevelopmentPlan, goal_id: int) -> Goal:
    return get_object_or_404(Goal.objects.select_related("cycle"), pk=goal_id, cycle__plan=plan)


@router.get(
    "/plans/{plan_id}/goals",
    response={200: list[GoalOut], **errors(401, 404, 422)},
    summary="List a plan's goals",
    operation_id="list_plan_goals",
)
@paginate(Pages)
def list_plan_goals(
    request: HttpRequest,
    plan_id: RecordId,
    cycle: Annotated[int, Field(ge=1, le=32767)] | None = None,
) -> Any:
    """Goals of the open cycle, or of cycle number `cycle`; by due date."""
    plan = access.access_plan(request.user, plan_id)
    goals = Goal.objects.filter(cycle__plan=plan)
    goals = (
        goals.filter(cycle__number=cycle)
        if cycle is not None
        else goals.filter(cycle__closed_on__isnull=True)
    )
    return goals.select_related(
        "cycle", "objective", "competency", "carried_from__cycle"
    ).prefetch_related("milestones")


@router.post(
    "/plans/{plan_id}/goals",
    response={201: GoalOut, **refusals(400, 401, 403, 404, 422)},
    summary="Add a goal to the open cycle",
    operation_id="create_plan_goal",
)
def create_plan_goal(request: HttpRequest, plan_id: RecordId, payload: GoalIn) -> Any:
    """Goals are added from the set-goals step on (400 while assessing). The
    objective must exist (422 otherwise); the competency is optional."""
    plan = access.access_plan(request.user, plan_id)
    cycle = plan.current_cycle()
    reason = cycle.goals_closed_reason()
    if reason:
        return _refused([reason])
    form = GoalForm(data=_goal_form_data(payload.model_dump()), cycle=cycle)
    if not form.is_valid():
        raise_form_errors(form, field_names=_GOAL_API_FIELDS)
    return Status(201, _goal_out(form.save().pk))


@router.get(
    "/plans/{plan_id}/goals/{goal_id}",
    response={200: GoalOut, **errors(401, 404, 422)},
    summary="One goal",
    operation_id="get_plan_goal",
)
def get_plan_goal(request: HttpRequest, plan_id: RecordId, goal_id: RecordId) -> Any:
    plan = access.access_plan(request.user, plan_id)
    return _goal_out(_plan_goal(plan, goal_id).pk)


@router.patch(
    "/plans/{plan_id}/goals/{goal_id}",
    response={200: GoalOut, **refusals(400, 401, 403, 404, 422)},
    summary="Change a goal",
    operation_id="update_plan_goal",
)
def update_plan_goal(
    request: HttpRequest, plan_id: RecordId, goal_id: RecordId, payload: GoalPatch
) -> Any:
    """Goals of a closed cycle no longer change (400)."""
    plan = access.access_plan(request.user, plan_id)
    goal = _plan_goal(plan, goal_id)
    if not goal.cycle.is_open:
        return _refused(["This goal belongs to a closed cycle and can no longer change."])
    current = {
        "title": goal.title,
        "measure": goal.measure,
        "objective": goal.objective_id,
        "competency": goal.competency_id or "",
        "due_date": goal.due_date,
        "status": goal.status,
        "progress": goal.progress,
    }
    changes = _goal_form_data(payload.model_dump(exclude_unset=True))
    form = GoalForm(data={**current, **changes}, instance=goal, cycle=goal.cycle)
    if not form.is_valid():
        raise_form_errors(form, field_names=_GOAL_API_FIELDS)
    return _goal_out(form.save().pk)


class MilestoneIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    due_date: IsoDate


class MilestonePatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = unchanged(min_length=1, max_length=200)
    due_date: IsoDate = unchanged()
    done: bool = unchanged(description="true ticks it done today; false reopens it")


@router.post(
    "/plans/{plan_id}/goals/{goal_id}/milestones",
    response={201: MilestoneOut, **refusals(400, 401, 403, 404, 422)},
    summary="Add a milestone to a goal",
    operation_id="create_goal_milestone",
)
def create_goal_milestone(
    request: HttpRequest, plan_id: RecordId, goal_id: RecordId, payload: MilestoneIn
) -> Any:
    plan = access.access_plan(request.user, plan_id)
    goal = _plan_goal(plan, goal_id)
    if not goal.cycle.is_open:
        return _refused(["This goal belongs to a closed cycle and can no longer change."])
    form = MilestoneForm(data=payload.model_dump(), goal=goal)
    if not form.is_valid():
        raise_form_errors(form)
    return Status(201, form.save())


def _plan_milestone(plan: DevelopmentPlan, milestone_id: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("goal__cycle"), pk=milestone_id, goal__cycle__plan=plan
    )


@router.get(
    "/plans/{plan_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **errors(401, 404, 422)},
    summary="One milestone",
    operation_id="get_milestone",
)
def get_milestone(request: HttpRequest, plan_id: RecordId, milestone_id: RecordId) -> Any:
    return _plan_milestone(access.access_plan(request.user, plan_id), milestone_id)


@router.patch(
    "/plans/{plan_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **refusals(400, 401, 403, 404, 422)},
    summary="Tick a milestone done, or change it",
    operation_id="update_milestone",
)
def update_milestone(
    request: HttpRequest, plan_id: RecordId, milestone_id: RecordId, payload: MilestonePatch
) -> Any:
    milestone = _plan_milestone(access.access_plan(request.user, plan_id), milestone_id)
    if not milestone.goal.cycle.is_open:
        return _refused(["This goal belongs to a closed cycle and can no longer change."])
    changes = payload.model_dump(exclude_unset=True)
    done = changes.pop("done", None)
    form = MilestoneForm(
        data={"title": milestone.title, "due_date": milestone.due_date, **changes},
        instance=milestone,
        goal=milestone.goal,
    )
    if not form.is_valid():
        raise_form_errors(form)
    milestone = form.save(commit=False)
    if done is not None:
        milestone.done_on = (milestone.done_on or timezone.localdate()) if done else None
    milestone.save()
    return milestone


# Learning, measurements and comments --------------------------------------------------


class ActivityIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    modality: ModalityName
    description: str = Field(min_length=1, max_length=300)


@router.post(
    "/plans/{plan_id}/activities",
    response={201: ActivityOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a way to learn to the open cycle",
    operation_id="create_plan_activity",
)
def create_plan_activity(request: HttpRequest, plan_id: RecordId, payload: ActivityIn) -> Any:
    plan = access.access_plan(request.user, plan_id)
    form = LearningActivityForm(data=payload.model_dump())
    if not form.is_valid():
        raise_form_errors(form)
    activity = form.save(commit=False)
    activity.cycle = plan.current_cycle()
    activity.save()
    return Status(201, activity)


class BaselineIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    value: MeasuredValue
    competency_id: RecordId | None = None
    source: str = Field("", max_length=60, description="e.g. 360, self")


@router.post(
    "/plans/{plan_id}/baselines",
    response={201: MeasurementOut, **errors(400, 401, 403, 404, 422)},
    summary="Record a baseline measurement in the open cycle",
    operation_id="create_plan_baseline",
)
def create_plan_baseline(request: HttpRequest, plan_id: RecordId, payload: BaselineIn) -> Any:
    plan = access.access_plan(request.user, plan_id)
    values = payload.model_dump()
    form = BaselineForm(
        data={
            "label": values["label"],
            "value": str(values["value"]),
            "competency": values["competency_id"] or "",
            "source": values["source"],
        }
    )
    if not form.is_valid():
        raise_form_errors(form, field_names={"competency": "competency_id"})
    baseline = form.save(commit=False)
    baseline.cycle = plan.current_cycle()
    baseline.kind = Measurement.Kind.BASELINE
    baseline.save()
    return Status(201, baseline)


class CommentOut(Schema):
    id: int
    author_id: int
    author: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(comment: Any) -> str:
        return comment.author.get_full_name() or comment.author.username


class CommentIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    body: str = Field(min_length=1, max_length=10_000)


@router.get(
    "/plans/{plan_id}/comments",
    response={200: list[CommentOut], **errors(401, 404, 422)},
    summary="List a plan's comments",
    operation_id="list_plan_comments",
)
@paginate(Pages)
def list_plan_comments(request: HttpRequest, plan_id: RecordId) -> Any:
    """Oldest first, as a conversation reads."""
    plan = access.access_plan(request.user, plan_id)
    return plan.comments.select_related("author")


@router.post(
    "/plans/{plan_id}/comments",
    response={201: CommentOut, **errors(400, 401, 403, 404, 422)},
    summary="Comment on a plan",
    operation_id="create_plan_comment",
)
def create_plan_comment(request: HttpRequest, plan_id: RecordId, payload: CommentIn) -> Any:
    """Anyone who may see the plan may comment: the participant, their managers, admins."""
    plan = access.access_plan(request.user, plan_id)
    form = PlanCommentForm(data=payload.model_dump())
    if not form.is_valid():
        raise_form_errors(form)
    comment = form.save(commit=False)
    comment.plan = plan
    comment.author = request.user
    comment.save()
    return Status(201, comment)


# Plan templates and competencies ------------------------------------------------------


class PlanTemplateOut(Schema):
    id: int
    level: LevelName
    title: str
    focus_areas: list[str]
    suggested_goals: list[str]
    updated_at: datetime


class PlanTemplatePatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = unchanged(min_length=1, max_length=200)
    focus_areas: list[Annotated[str, Field(max_length=200)]] = unchanged(
        min_length=1, max_length=50
    )
    suggested_goals: list[Annotated[str, Field(max_length=200)]] = unchanged(max_length=50)


@router.get(
    "/plan-templates",
    response={200: list[PlanTemplateOut], **errors(401, 403, 422)},
    tags=["plan templates"],
    summary="List plan templates",
    operation_id="list_plan_templates",
)
@paginate(Pages)
def list_plan_templates(request: HttpRequest) -> Any:
    """One per leader level: the focus areas and suggested goals a new plan starts from."""
    policy.require_organization_reader(request.user)
    return PlanTemplate.objects.all()


@router.get(
    "/plan-templates/{template_id}",
    response={200: PlanTemplateOut, **errors(401, 403, 404, 422)},
    tags=["plan templates"],
    summary="One plan template",
    operation_id="get_plan_template",
)
def get_plan_template(request: HttpRequest, template_id: RecordId) -> Any:
    policy.require_organization_reader(request.user)
    return get_object_or_404(PlanTemplate, pk=template_id)


@router.patch(
    "/plan-templates/{template_id}",
    response={200: PlanTemplateOut, **errors(400, 401, 403, 404, 422)},
    tags=["plan templates"],
    summary="Change a plan template (program admins)",
    operation_id="update_plan_template",
)
def update_plan_template(
    request: HttpRequest, template_id: RecordId, payload: PlanTemplatePatch
) -> Any:
    access.require_program_admin(request.user)
    template = get_object_or_404(PlanTemplate, pk=template_id)
    values = {
        "title": template.title,
        "focus_areas": list(template.focus_areas),
        "suggested_goals": list(template.suggested_goals),
        **payload.model_dump(exclude_unset=True),
    }
    form = PlanTemplateForm(data=values, instance=template)
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()


class CompetencyOut(Schema):
    id: int
    name: str
    description: str


@router.get(
    "/competencies",
    response={200: list[CompetencyOut], **errors(401, 403, 422)},
    tags=["competencies"],
    summary="List competencies",
    operation_id="list_competencies",
)
@paginate(Pages)
def list_competencies(request: HttpRequest) -> Any:
    """The organization's competency model; goals and results may name one."""
    policy.require_organization_reader(request.user)
    return Competency.objects.all()
