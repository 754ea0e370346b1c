"""Programs under /api/v1: the programs themselves, launching, success criteria,
cohorts, cost lines and enrollments.

Reads go through `programs.access` (program admins see every program; anyone else
only the programs they are enrolled in, and of those only the enrollments of people
they may see). Writes are for program admins and use the same forms and services as
the pages, so the API and the pages enforce one set of rules. Budgets, costs and
counts over participants are for program admins: others get `null`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import conflict_error, errors, raise_form_errors
from tandem.api.fields import IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.people.api import LevelName, unchanged
from tandem.programs import access, overview, services
from tandem.programs.api.plans import refusals
from tandem.programs.forms.programs import (
    CRITERIA_ARE_FIXED,
    CohortForm,
    CostLineForm,
    EnrollmentForm,
    EnrollmentStatusForm,
    ProgramForm,
    SuccessCriterionForm,
)
from tandem.programs.models import (
    CostLine,
    Enrollment,
    Program,
    ProgramStatus,
    SuccessCriterion,
)

router = Router(tags=["programs"])

KindName = Literal["training", "mentoring", "coaching", "blended"]
ProgramStatusName = Literal["draft", "running", "closed"]
MetricName = Literal[
    "competency_360_change",
    "self_assessment_change",
    "team_engagement",
    "team_voluntary_turnover",
    "internal_promotion_rate",
    "goal_completion_rate",
    "participant_retention",
    "succession_readiness",
]
CostCategoryName = Literal[
    "facilitation",
    "coaching",
    "mentoring",
    "materials",
    "venue_travel",
    "participant_time",
    "platform_admin",
    "other",
]
EnrollmentStatusName = Literal["invited", "active", "completed", "withdrawn"]
StageName = Literal["assess", "set_goals", "learn", "apply", "measure"]

# Amounts are JSON numbers or decimal strings ("1250.50"), as the database holds them.
Money = Annotated[
    Decimal,
    Field(strict=False, ge=0, max_digits=12, decimal_places=2, allow_inf_nan=False),
]
Measure = Annotated[
    Decimal, Field(strict=False, max_digits=10, decimal_places=2, allow_inf_nan=False)
]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="e.g. EUR")]
CheckinDays = Annotated[int, Field(ge=1, le=180)]
# 360 anonymity minimums: the form says "at least 3" next to the field, so the schema
# only keeps the number in the database's range.
Minimum = Annotated[int, Field(ge=0, le=32767, description="At least 3.")]
CENTS = Decimal("0.01")


def _is_admin(context: Any) -> bool:
    return policy.is_program_admin(context["request"].user)


def _refused(reasons: list[str]) -> Status:
    """A step that cannot happen now: 400 with every reason, as the plans' API says it."""
    return Status(400, {"detail": reasons})


def _saved(save: Any, *, field: str, message: str) -> Any:
    """Run a save the forms validated; a concurrent write the database refuses is a
    422 naming `field`, not a 500."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise conflict_error(field, message) from None


# Success criteria -----------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    metric: MetricName
    metric_label: str
    competency_id: int | None
    competency: str | None
    baseline: Decimal
    target: Decimal
    unit: str
    measure_by: date
    note: str
    direction: Literal["increase", "decrease"]

    @staticmethod
    def resolve_metric_label(obj: SuccessCriterion) -> str:
        return str(obj.get_metric_display())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_competency(obj: SuccessCriterion) -> str | None:
        return obj.competency.name if obj.competency else None


class CriterionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    metric: MetricName
    competency_id: RecordId | None = Field(
        None, description="Required for a 360 or self-assessment change."
    )
    baseline: Measure
    target: Measure
    unit: str = Field("", max_length=20)
    measure_by: IsoDate
    note: str = Field("", max_length=300)


# Cohorts and cost lines -------------------------------------------------------------


class CohortOut(Schema):
    id: int
    name: str
    start_date: date | None
    participant_count: int


class CohortIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    start_date: IsoDate | None = None


class CostLineOut(Schema):
    id: int
    category: CostCategoryName
    description: str
    amount: Decimal
    incurred_on: date | None


class CostLineIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    category: CostCategoryName
    description: str = Field(min_length=1, max_length=200)
    amount: Money
    incurred_on: IsoDate | None = None


# Programs -------------------------------------------------------------------------


class StageCountsOut(Schema):
    assess: int
    set_goals: int
    learn: int
    apply: int
    measure: int


class ProgramOut(Schema):
    id: int
    name: str
    description: str
    kind: KindName
    target_levels: list[LevelName]
    start_date: date
    end_date: date
    owner_id: int
    budget: Decimal | None = Field(description="Program admins only; null for others.")
    currency: str
    checkin_every_days: int
    review_min_peers: int
    review_min_direct_reports: int
    review_min_others: int
    review_min_all_others: int
    review_show_manager: bool
    status: ProgramStatusName
    launched_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_budget(obj: Program, context: Any) -> Decimal | None:
        return obj.budget if _is_admin(context) else None


class ProgramDetailOut(ProgramOut):
    """A program with its criteria and cohorts; for program admins also its total
    cost and how many current participants are at each stage."""

    criteria: list[CriterionOut]
    cohorts: list[CohortOut]
    total_cost: Decimal | None = Field(description="Program admins only; null for others.")
    participant_count: int | None = Field(
        description="Current (invited or active) participants. Program admins only."
    )
    stage_counts: StageCountsOut | None = Field(
        description="Current participants at each stage of their open cycle. Program admins only."
    )
    launch_blockers: list[str] = Field(
        description="Why the program cannot launch now; empty when it can."
    )

    @staticmethod
    def resolve_criteria(obj: Program) -> Any:
        return obj.criteria.select_related("competency")

    @staticmethod
    def resolve_cohorts(obj: Program) -> Any:
        return _cohorts(obj)

    @staticmethod
    def resolve_total_cost(obj: Program, context: Any) -> Decimal | None:
        return obj.total_cost().quantize(CENTS) if _is_admin(context) else None

    @staticmethod
    def resolve_participant_count(obj: Program, context: Any) -> int | None:
        if not _is_admin(context):
            return None
        return obj.enrollments.filter(status__in=overview.CURRENT).count()

    @staticmethod
    def resolve_stage_counts(obj: Program, context: Any) -> dict[str, int] | None:
        return overview.stage_counts(obj) if _is_admin(context) else None

    @staticmethod
    def resolve_launch_blockers(obj: Program) -> list[str]:
        return obj.launch_blockers() if obj.status == ProgramStatus.DRAFT else []


class ProgramIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    kind: KindName
    target_levels: list[LevelName] = Field(default_factory=list, max_length=4)
    start_date: IsoDate
    end_date: IsoDate
    owner_id: RecordId | None = Field(
        None, description="A program admin's user id; the caller when left out."
    )
    budget: Money = Decimal("0")
    currency: Currency = "EUR"
    checkin_every_days: CheckinDays = 14
    review_min_peers: Minimum = Field(3, description="360: fewest peer answers shown; >= 3.")
    review_min_direct_reports: Minimum = Field(
        3, description="360: fewest direct-report answers shown; >= 3."
    )
    review_min_others: Minimum = Field(3, description="360: fewest other answers shown; >= 3.")
    review_min_all_others: Minimum = Field(
        4, description="360: fewest answers for 'all others' combined; >= 3."
    )
    review_show_manager: bool = Field(False, description="360: show the manager as a group of one.")


class ProgramPatch(Schema):
    """Only the fields sent change."""

    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = unchanged(min_length=1, max_length=200)
    description: str = unchanged(max_length=10_000)
    kind: KindName = unchanged()
    target_levels: list[LevelName] = unchanged(max_length=4)
    start_date: IsoDate = unchanged()
    end_date: IsoDate = unchanged()
    owner_id: RecordId = unchanged()
    budget: Money = unchanged()
    currency: Currency = unchanged()
    checkin_every_days: CheckinDays = unchanged()
    review_min_peers: Minimum = unchanged()
    review_min_direct_reports: Minimum = unchanged()
    review_min_others: Minimum = unchanged()
    review_min_all_others: Minimum = unchanged()
    review_show_manager: bool = unchanged()


class ProgramFilter(Schema):
    status: ProgramStatusName | None = None
    kind: KindName | None = None


def _program_form_data(values: dict[str, Any]) -> dict[str, Any]:
    data = {("owner" if k == "owner_id" else k): v for k, v in values.items()}
    if isinstance(data.get("budget"), Decimal):
        data["budget"] = str(data["budget"])
    return data


def _save_program(form: ProgramForm) -> Program:
    if not form.is_valid():
        raise_form_errors(form, field_names={"owner": "owner_id"})
    program = _saved(
        form.save, field="end_date", message="The program cannot end before it starts."
    )
    return Program.objects.get(pk=program.pk)  # amounts as stored, e.g. 48000.00


def _cohorts(program: Program) -> Any:
    return program.cohorts.annotate(participant_count=Count("enrollments", distinct=True)).order_by(
        "start_date", "name", "pk"
    )


@router.get(
    "/programs",
    response={200: list[ProgramOut], **errors(401, 422)},
    summary="List programs",
    operation_id="list_programs",
)
@paginate(Pages)
def list_programs(request: HttpRequest, filters: Query[ProgramFilter]) -> Any:
    """Every program for program admins; for anyone else the programs they are
    enrolled in. Newest start first."""
    programs = access.programs_visible_to(request.user)
    if filters.status:
        programs = programs.filter(status=filters.status)
    if filters.kind:
        programs = programs.filter(kind=filters.kind)
    return programs.order_by("-start_date", "name", "pk")


@router.get(
    "/programs/{program_id}",
    response={200: ProgramDetailOut, **errors(401, 404, 422)},
    summary="One program, with its criteria, cohorts, costs and stage counts",
    operation_id="get_program",
)
def get_program(request: HttpRequest, program_id: RecordId) -> Any:
    """A program the caller is not enrolled in (and does not administer) is not found."""
    return access.access_program(request.user, program_id)


@router.post(
    "/programs",
    response={201: ProgramDetailOut, **errors(400, 401, 403, 422)},
    summary="Create a program (program admins)",
    operation_id="create_program",
)
def create_program(request: HttpRequest, payload: ProgramIn) -> Any:
    """A new program is a draft: define its success criteria, then launch it."""
    access.require_program_admin(request.user)
    values = payload.model_dump()
    if values["owner_id"] is None:
        values["owner_id"] = request.user.pk
    form = ProgramForm(data=_program_form_data(values))
    return Status(201, _save_program(form))


@router.patch(
    "/programs/{program_id}",
    response={200: ProgramDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a program (program admins)",
    operation_id="update_program",
)
def update_program(request: HttpRequest, program_id: RecordId, payload: ProgramPatch) -> Any:
    program = access.access_program(request.user, program_id, write=True)
    current = forms.models.model_to_dict(program, fields=ProgramForm.Meta.fields)
    changes = _program_form_data(payload.model_dump(exclude_unset=True))
    form = ProgramForm(data={**_program_form_data(current), **changes}, instance=program)
    return _save_program(form)


@router.post(
    "/programs/{program_id}/launch",
    response={200: ProgramDetailOut, **refusals(400, 401, 403, 404, 422)},
    summary="Launch a draft program (program admins)",
    operation_id="launch_program",
)
def launch_program(request: HttpRequest, program_id: RecordId) -> Any:
    """Refused with a 400 listing every reason while the program cannot launch
    (`{"detail": [...]}`): it must be a draft with at least one success criterion.
    Nothing changes then."""
    program = access.access_program(request.user, program_id, write=True)
    try:
        return services.program_launch(program=program, launched_by=request.user)
    except services.Refused as refused:
        return _refused(refused.messages)


# Success criteria endpoints ---------------------------------------------------------


@router.get(
    "/programs/{program_id}/criteria",
    response={200: list[CriterionOut], **errors(401, 404, 422)},
    summary="A program's success criteria",
    operation_id="list_success_criteria",
)
@paginate(Pages)
def list_criteria(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id)
    return program.criteria.select_related("competency").order_by("pk")


@router.get(
    "/programs/{program_id}/criteria/{criterion_id}",
    response={200: CriterionOut, **errors(401, 404, 422)},
    summary="One success criterion",
    operation_id="get_success_criterion",
)
def get_criterion(request: HttpRequest, program_id: RecordId, criterion_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id)
    return get_object_or_404(
        SuccessCriterion.objects.select_related("competency"), pk=criterion_id, program=program
    )


@router.post(
    "/programs/{program_id}/criteria",
    response={201: CriterionOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a success criterion (program admins)",
    operation_id="create_success_criterion",
)
def create_criterion(request: HttpRequest, program_id: RecordId, payload: CriterionIn) -> Any:
    program = access.access_program(request.user, program_id, write=True)
    data = payload.model_dump()
    data["competency"] = data.pop("competency_id") or ""
    data["baseline"], data["target"] = str(data["baseline"]), str(data["target"])
    form = SuccessCriterionForm(data=data, program=program)
    if not form.is_valid():
        raise_form_errors(form, field_names={"competency": "competency_id"})
    criterion = form.save()
    return Status(201, SuccessCriterion.objects.select_related("competency").get(pk=criterion.pk))


@router.delete(
    "/programs/{program_id}/criteria/{criterion_id}",
    response={204: None, **refusals(400, 401, 403, 404, 422)},
    summary="Remove a success criterion of a draft program (program admins)",
    operation_id="delete_success_criterion",
)
def delete_criterion(request: HttpRequest, program_id: RecordId, criterion_id: RecordId) -> Any:
    """Once a program is launched its criteria are fixed: results are measured
    against them. Removing one then is refused with a 400."""
    program = access.access_program(request.user, program_id, write=True)
    criterion = get_object_or_404(SuccessCriterion, pk=criterion_id, program=program)
    if program.status != ProgramStatus.DRAFT:
        return _refused([str(CRITERIA_ARE_FIXED)])
    criterion.delete()
    return Status(204, None)


# Cohort and cost line endpoints -----------------------------------------------------


@router.get(
    "/programs/{program_id}/cohorts",
    response={200: list[CohortOut], **errors(401, 404, 422)},
    summary="A program's cohorts",
    operation_id="list_cohorts",
)
@paginate(Pages)
def list_cohorts(request: HttpRequest, program_id: RecordId) -> Any:
    return _cohorts(access.access_program(request.user, program_id))


@router.post(
    "/programs/{program_id}/cohorts",
    response={201: CohortOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a cohort (program admins)",
    operation_id="create_cohort",
)
def create_cohort(request: HttpRequest, program_id: RecordId, payload: CohortIn) -> Any:
    program = access.access_program(request.user, program_id, write=True)
    data = payload.model_dump()
    form = CohortForm(data={**data, "start_date": data["start_date"] or ""}, program=program)
    if not form.is_valid():
        raise_form_errors(form)
    cohort = _saved(
        form.save, field="name", message="This program already has a cohort with this name."
    )
    return Status(201, _cohorts(program).get(pk=cohort.pk))


@router.get(
    "/programs/{program_id}/cost-lines",
    response={200: list[CostLineOut], **errors(401, 403, 404, 422)},
    summary="A program's cost lines (program admins)",
    operation_id="list_cost_lines",
)
@paginate(Pages)
def list_cost_lines(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id)
    access.require_program_admin(request.user)
    return program.cost_lines.order_by("pk")


@router.post(
    "/programs/{program_id}/cost-lines",
    response={201: CostLineOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a cost line (program admins)",
    operation_id="create_cost_line",
)
def create_cost_line(request: HttpRequest, program_id: RecordId, payload: CostLineIn) -> Any:
    program = access.access_program(request.user, program_id, write=True)
    data = payload.model_dump()
    data["amount"] = str(data["amount"])
    data["incurred_on"] = data["incurred_on"] or ""
    form = CostLineForm(data=data, program=program)
    if not form.is_valid():
        raise_form_errors(form)
    return Status(201, CostLine.objects.get(pk=form.save().pk))


# Enrollments ----------------------------------------------------------------------


class EnrollmentOut(Schema):
    id: int
    program_id: int
    person_id: int
    person_name: str = Field(alias="person.full_name")
    employee_id: str = Field(alias="person.employee_id")
    level: LevelName = Field(alias="person.level")
    cohort_id: int | None
    status: EnrollmentStatusName
    enrolled_at: datetime
    status_changed_at: datetime
    plan_id: int | None
    cycle_number: int | None = Field(description="The number of the plan's open cycle.")
    stage: StageName | None = Field(
        alias="cycle_stage", description="The stage of the plan's open cycle."
    )
    overdue_action_items: int = Field(alias="overdue_items")
    checkin_overdue: bool
    last_checkin_on: date | None

    @staticmethod
    def resolve_plan_id(obj: Enrollment) -> int | None:
        plan = getattr(obj, "plan", None)  # None for an enrollment made without a plan
        return plan.pk if plan else None


class EnrollmentIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    person_id: RecordId
    cohort_id: RecordId | None = None


class EnrollmentPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    status: EnrollmentStatusName = Field(
        description=(
            "invited or active → completed or withdrawn; completed or withdrawn → "
            "active (reinstated). Nobody goes back to invited."
        )
    )


class EnrollmentFilter(Schema):
    status: EnrollmentStatusName | None = None
    cohort: RecordId | None = Field(None, description="A cohort id")


def _enrollments(request: HttpRequest, program: Program) -> Any:
    """The program's enrollments the caller may see: all for program admins, else
    the caller's own and those of people in their reporting line."""
    enrollments = overview.participants(program, today=timezone.localdate())
    if policy.is_program_admin(request.user):
        return enrollments
    return enrollments.filter(person__in=policy.people_visible_to(request.user))


@router.get(
    "/programs/{program_id}/enrollments",
    response={200: list[EnrollmentOut], **errors(401, 404, 422)},
    summary="A program's enrollments, with each plan's cycle step and what is overdue",
    operation_id="list_enrollments",
)
@paginate(Pages)
def list_enrollments(
    request: HttpRequest, program_id: RecordId, filters: Query[EnrollmentFilter]
) -> Any:
    """Sorted by name. Participants see their own enrollment (and their reports')."""
    enrollments = _enrollments(request, access.access_program(request.user, program_id))
    if filters.status:
        enrollments = enrollments.filter(status=filters.status)
    if filters.cohort is not None:
        enrollments = enrollments.filter(cohort_id=filters.cohort)
    return enrollments


@router.get(
    "/programs/{program_id}/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **errors(401, 404, 422)},
    summary="One enrollment",
    operation_id="get_enrollment",
)
def get_enrollment(request: HttpRequest, program_id: RecordId, enrollment_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id)
    return get_object_or_404(_enrollments(request, program), pk=enrollment_id)


@router.post(
    "/programs/{program_id}/enrollments",
    response={201: EnrollmentOut, **errors(400, 401, 403, 404, 422)},
    summary="Enroll a person (program admins)",
    operation_id="create_enrollment",
)
def create_enrollment(request: HttpRequest, program_id: RecordId, payload: EnrollmentIn) -> Any:
    """Opens the person's plan at cycle 1, step 1 (assess), from the plan template of
    their leader level. Someone already enrolled or who has left is a 422."""
    program = access.access_program(request.user, program_id, write=True)
    form = EnrollmentForm(
        data={"person": payload.person_id, "cohort": payload.cohort_id or ""}, program=program
    )
    if not form.is_valid():
        raise_form_errors(form, field_names={"person": "person_id", "cohort": "cohort_id"})
    try:
        enrollment = services.enrollment_create(
            program=program,
            person=form.cleaned_data["person"],
            cohort=form.cleaned_data["cohort"],
            enrolled_by=request.user,
        )
    except (services.Refused, IntegrityError) as refused:
        message = " ".join(getattr(refused, "messages", ["This person is already enrolled."]))
        raise conflict_error("person_id", message) from None
    return Status(201, _enrollments(request, program).get(pk=enrollment.pk))


@router.patch(
    "/programs/{program_id}/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **errors(400, 401, 403, 404, 422)},
    summary="Complete, withdraw or reinstate an enrollment (program admins)",
    operation_id="update_enrollment",
)
def update_enrollment(
    request: HttpRequest, program_id: RecordId, enrollment_id: RecordId, payload: EnrollmentPatch
) -> Any:
    program = access.access_program(request.user, program_id, write=True)
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, program=program)
    form = EnrollmentStatusForm(data=payload.model_dump(), enrollment=enrollment)
    if not form.is_valid():
        raise_form_errors(form)
    if form.cleaned_data["status"] != enrollment.status:
        services.enrollment_set_status(
            enrollment=enrollment, status=form.cleaned_data["status"], changed_by=request.user
        )
    return _enrollments(request, program).get(pk=enrollment.pk)
