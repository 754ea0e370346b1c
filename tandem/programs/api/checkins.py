"""Check-ins, next steps (action items) and the manager's team under /api/v1.

Reads and writes go through the same access rules as the pages (`access.access_plan`,
`accountability.access_action_item`) and the same forms, so both enforce one set of
rules; a check-in without a next step is refused by `services.checkin_record`."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors
from tandem.api.fields import IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.programs import access, accountability, overdue, services
from tandem.programs.forms.checkins import (
    MAX_ATTENDEES,
    MAX_NEXT_STEPS,
    CheckInForm,
    NextStepForm,
    due_date_problem,
)
from tandem.programs.models import ActionItem, CheckIn, Stage

router = Router(tags=["check-ins"])


class PersonRef(Schema):
    id: int
    full_name: str


class ActionItemOut(Schema):
    id: int
    plan_id: int
    checkin_id: int | None
    title: str
    owner: PersonRef
    due_date: date
    done_on: date | None
    is_overdue: bool = Field(description="Open and past its due date")

    @staticmethod
    def resolve_is_overdue(item: ActionItem) -> bool:
        return item.is_overdue()


class CheckInOut(Schema):
    id: int
    plan_id: int
    cycle_number: int = Field(alias="cycle.number")
    held_on: date
    attendees: list[PersonRef]
    progress: str
    blockers: str
    next_steps: list[ActionItemOut]

    @staticmethod
    def resolve_attendees(checkin: CheckIn) -> list[Any]:
        return list(checkin.attendees.all())

    @staticmethod
    def resolve_next_steps(checkin: CheckIn) -> list[Any]:
        return list(checkin.next_steps.all())


class NextStepIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    owner_id: RecordId = Field(
        description="The participant, someone in their management chain, or someone in "
        "the caller's reporting line"
    )
    due_date: IsoDate = Field(description="On or after the check-in's date")


class CheckInIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    held_on: IsoDate = Field(description="Not in the future")
    attendee_ids: list[RecordId] = Field(min_length=1, max_length=MAX_ATTENDEES)
    progress: str = Field(min_length=1, max_length=10_000)
    blockers: str = Field("", max_length=10_000)
    next_steps: list[NextStepIn] = Field(
        min_length=1,
        max_length=MAX_NEXT_STEPS,
        description="At least one: every check-in ends in a next step with an owner and a due date",
    )


class ActionItemPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    done: bool = Field(description="true ticks the next step off today; false reopens it")


class ActionItemFilter(Schema):
    mine: bool | None = Field(None, description="true: only next steps the caller owns")
    plan: RecordId | None = Field(None, description="Only this plan's next steps")
    overdue: bool | None = Field(None, description="true: open and past due; false: the others")
    done: bool | None = Field(None, description="true: ticked off; false: open")


class TeamPlanOut(Schema):
    plan_id: int = Field(alias="pk")
    person: PersonRef
    is_direct_report: bool
    program_id: int = Field(alias="enrollment.program_id")
    program_name: str = Field(alias="enrollment.program.name")
    cycle_number: int | None
    stage: Stage | None = Field(alias="cycle_stage")
    goals_achieved: int
    goals_total: int
    last_checkin_on: date | None
    next_checkin_due: date
    checkin_overdue: bool
    open_items: int
    overdue_items: int

    @staticmethod
    def resolve_is_direct_report(plan: Any) -> bool:
        return plan.is_direct == 0

    @staticmethod
    def resolve_next_checkin_due(plan: Any) -> date:
        return overdue.next_checkin_due(plan)

    @staticmethod
    def resolve_checkin_overdue(plan: Any) -> bool:
        return overdue.is_checkin_overdue(plan, timezone.localdate())


def _field_errors(form: Any, prefix: list[str | int], names: dict[str, str]) -> list[dict]:
    return [
        {
            "loc": ["body", "payload", *prefix, names.get(field, field)],
            "msg": " ".join(str(message) for message in error.messages),
            "type": error.code or "invalid",
        }
        for field, field_errors in form.errors.as_data().items()
        for error in field_errors
    ]


# Check-ins --------------------------------------------------------------------------


@router.get(
    "/plans/{plan_id}/check-ins",
    response={200: list[CheckInOut], **errors(401, 404, 422)},
    summary="A plan's check-ins",
    operation_id="list_checkins",
)
@paginate(Pages)
def list_checkins(request: HttpRequest, plan_id: RecordId) -> Any:
    """Newest first, each with who met and its next steps. A plan the caller may not
    see is "not found"."""
    plan = access.access_plan(request.user, plan_id)
    return accountability.checkins_with_details(plan.checkins.all())


@router.post(
    "/plans/{plan_id}/check-ins",
    response={201: CheckInOut, **errors(400, 401, 403, 404, 422)},
    summary="Record a check-in",
    operation_id="create_checkin",
)
def create_checkin(request: HttpRequest, plan_id: RecordId, payload: CheckInIn) -> Any:
    """Refused with a 422 naming `next_steps`, and nothing written, without at least
    one next step; likewise for a next step due before the check-in."""
    plan = access.access_plan(request.user, plan_id)
    form = CheckInForm(
        data={
            "held_on": payload.held_on,
            "attendees": payload.attendee_ids,
            "progress": payload.progress,
            "blockers": payload.blockers,
        },
        plan=plan,
        user=request.user,
    )
    problems = [] if form.is_valid() else _field_errors(form, [], {"attendees": "attendee_ids"})
    held_on = form.cleaned_data.get("held_on")
    steps = []
    for index, step in enumerate(payload.next_steps):
        step_form = NextStepForm(
            data={"title": step.title, "owner": step.owner_id, "due_date": step.due_date},
            plan=plan,
            user=request.user,
            nameable=form.nameable,
        )
        if not step_form.is_valid():
            problems += _field_errors(step_form, ["next_steps", index], {"owner": "owner_id"})
            continue
        due_date = step_form.cleaned_data["due_date"]
        # Without a valid check-in date, that date is the error to report.
        problem = due_date_problem(held_on=held_on, due_date=due_date) if held_on else None
        if problem:
            problems.append(
                {
                    "loc": ["body", "payload", "next_steps", index, "due_date"],
                    "msg": problem,
                    "type": "before_checkin",
                }
            )
        steps.append(
            services.NextStep(
                step_form.cleaned_data["title"], step_form.cleaned_data["owner"], due_date
            )
        )
    if problems:
        raise ValidationError(problems)
    try:
        checkin = services.checkin_record(
            plan=plan,
            held_on=form.cleaned_data["held_on"],
            attendees=form.cleaned_data["attendees"],
            progress=form.cleaned_data["progress"],
            blockers=form.cleaned_data["blockers"],
            next_steps=steps,
            recorded_by=request.user,
        )
    except DjangoValidationError as refused:
        raise ValidationError(
            [
                {"loc": ["body", "payload", field], "msg": " ".join(messages), "type": "refused"}
                for field, messages in refused.message_dict.items()
            ]
        ) from None
    return Status(
        201, accountability.checkins_with_details(CheckIn.objects.all()).get(pk=checkin.pk)
    )


# Next steps -------------------------------------------------------------------------


@router.get(
    "/action-items",
    response={200: list[ActionItemOut], **errors(401, 422)},
    summary="List next steps",
    operation_id="list_action_items",
)
@paginate(Pages)
def list_action_items(request: HttpRequest, filters: Query[ActionItemFilter]) -> Any:
    """Next steps in the plans the caller may see, and those they own; soonest due first."""
    items: QuerySet[ActionItem] = accountability.action_items_visible_to(request.user)
    today = timezone.localdate()
    if filters.mine is not None:
        me = policy.person_of(request.user)
        mine = items.filter(owner=me) if me is not None else items.none()
        items = mine if filters.mine else items.exclude(pk__in=mine.values("pk"))
    if filters.plan is not None:
        items = items.filter(plan_id=filters.plan)
    if filters.overdue is not None:
        late = ActionItem.objects.overdue(today).values("pk")
        items = items.filter(pk__in=late) if filters.overdue else items.exclude(pk__in=late)
    if filters.done is not None:
        items = items.filter(done_on__isnull=not filters.done)
    return items.order_by("due_date", "pk")


@router.get(
    "/action-items/{item_id}",
    response={200: ActionItemOut, **errors(401, 404, 422)},
    summary="One next step",
    operation_id="get_action_item",
)
def get_action_item(request: HttpRequest, item_id: RecordId) -> Any:
    return accountability.access_action_item(request.user, item_id)


@router.patch(
    "/action-items/{item_id}",
    response={200: ActionItemOut, **errors(400, 401, 403, 404, 422)},
    summary="Tick a next step off, or reopen it",
    operation_id="update_action_item",
)
def update_action_item(request: HttpRequest, item_id: RecordId, payload: ActionItemPatch) -> Any:
    """By its owner, the participant, their managers or program admins; for anyone
    else the next step is "not found"."""
    item = accountability.access_action_item(request.user, item_id)
    return accountability.action_item_set_done(
        item=item, done=payload.done, on=timezone.localdate()
    )


# The manager's team -----------------------------------------------------------------


@router.get(
    "/team",
    response={200: list[TeamPlanOut], **errors(401, 422)},
    summary="My team's development plans",
    operation_id="list_team_plans",
)
@paginate(Pages)
def list_team_plans(request: HttpRequest) -> Any:
    """The live plans of everyone below the caller in the reporting line, direct
    reports first. Empty for someone without reports."""
    return accountability.team_plans(request.user, timezone.localdate())
