"""The pipeline half under /api/v1/succession: critical roles (read: admins and the
chain above the role; write: admins), their slates and successors, development actions,
openings (admins), the pipeline's figures, trends and CSV export (admins and executive
viewers), and the bridge's proposal and enrollment (admins).

The same rules and the same forms as the pages (`succession.access`,
`succession.pipeline_forms`): a record the caller may not see is a 404, a change they
may not make a 403, bad fields a 422 naming them. The figures are
`succession.pipeline.current_figures()`, as on the page and in the CSV."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts.models import AuditAction, AuditLog
from tandem.api.errors import errors, raise_form_errors, service_errors
from tandem.api.fields import NO_NUL, IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.lib import csvsafe
from tandem.succession import bridge, pipeline, slates
from tandem.succession import pipeline_access as access
from tandem.succession.models import CriticalRole, DevelopmentAction, Opening, Successor
from tandem.succession.pipeline_forms import (
    ActionForm,
    ActionStatusForm,
    EnrollForm,
    OpeningFillForm,
    OpeningForm,
    RoleForm,
    SuccessorForm,
    SuccessorUpdateForm,
)
from tandem.succession.views.pipeline import export_rows

router = Router(tags=["succession: pipeline"])

LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]
DegreeName = Literal["low", "medium", "high"]
ReadinessName = Literal["ready_now", "one_two_years", "three_plus_years"]
KindName = Literal["mentoring", "coaching", "course", "stretch"]
StatusName = Literal["planned", "under_way", "done"]


def _run(step: Any, **kwargs: Any) -> Any:
    try:
        return step(**kwargs)
    except DjangoValidationError as error:
        raise service_errors(error, name=lambda field: _API_NAMES.get(field, field)) from None


_API_NAMES = {
    "person": "person_id",
    "incumbent": "incumbent_id",
    "org_unit": "org_unit_id",
    "role": "role_id",
    "program": "program_id",
}


def _check(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise_form_errors(form, field_names=_API_NAMES)
    return dict(form.cleaned_data)


# Critical roles ------------------------------------------------------------------------------


class RoleOut(Schema):
    id: int
    title: str
    org_unit_id: int | None
    level: str
    incumbent_id: int | None
    incumbent: str | None
    impact_of_loss: str
    risk_of_loss: str
    vacancy_expected_on: date | None
    vacancy_reason: str
    notes: str
    active: bool

    @staticmethod
    def resolve_incumbent(role: CriticalRole) -> str | None:
        return role.incumbent.full_name if role.incumbent else None


class RoleIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    level: LevelName
    org_unit_id: int | None = Field(None, ge=1)
    incumbent_id: int | None = Field(None, ge=1)
    impact_of_loss: DegreeName = "medium"
    risk_of_loss: DegreeName = "medium"
    vacancy_expected_on: IsoDate | None = None
    vacancy_reason: Literal["", "retirement", "move", "other"] = ""
    notes: str = Field("", max_length=2000, pattern=NO_NUL)
    active: bool = True


class RolePatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200, pattern=NO_NUL)
    level: LevelName | None = None
    org_unit_id: int | None = Field(None, ge=1)
    incumbent_id: int | None = Field(None, ge=1)
    impact_of_loss: DegreeName | None = None
    risk_of_loss: DegreeName | None = None
    vacancy_expected_on: IsoDate | None = None
    vacancy_reason: Literal["", "retirement", "move", "other"] | None = None
    notes: str | None = Field(None, max_length=2000, pattern=NO_NUL)
    active: bool | None = None


def _role_form_data(values: dict[str, Any]) -> dict[str, Any]:
    data = {_FORM_NAMES.get(key, key): value for key, value in values.items()}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    if not data.get("active"):
        data.pop("active", None)  # an unchecked checkbox is absent
    return data


_FORM_NAMES = {api: form for form, api in _API_NAMES.items()}


@router.get(
    "/succession/roles",
    response={200: list[RoleOut], **errors(401, 422)},
    summary="Critical roles I may see (program admins: all; managers: those in their line)",
    operation_id="list_succession_roles",
)
@paginate(Pages)
def role_list(request: HttpRequest) -> Any:
    return access.roles_visible_to(request.user).order_by("title", "pk")


@router.post(
    "/succession/roles",
    response={201: RoleOut, **errors(400, 401, 403, 422)},
    summary="Mark a critical role (program admins)",
    operation_id="create_succession_role",
)
def role_create(request: HttpRequest, payload: RoleIn) -> Any:
    if not access.manages_succession(request.user):
        raise PermissionDenied("Only program admins mark critical roles.")
    form = RoleForm(data=_role_form_data(payload.model_dump()), instance=CriticalRole())
    _check(form)
    role = _run(slates.role_save, role=form.save(commit=False), saved_by=request.user)
    return Status(201, role)


@router.get(
    "/succession/roles/{role_id}",
    response={200: RoleOut, **errors(401, 404, 422)},
    summary="A critical role",
    operation_id="get_succession_role",
)
def role_get(request: HttpRequest, role_id: RecordId) -> Any:
    return access.access_role(request.user, role_id)


@router.patch(
    "/succession/roles/{role_id}",
    response={200: RoleOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a critical role: only the fields sent (program admins)",
    operation_id="update_succession_role",
)
def role_update(request: HttpRequest, role_id: RecordId, payload: RolePatch) -> Any:
    role = access.access_role(request.user, role_id, write=True)
    current = model_to_dict(role, fields=slates.ROLE_FIELDS)
    current.update(_role_form_data_raw(payload.model_dump(exclude_unset=True)))
    form = RoleForm(data=_role_form_data(current), instance=role)
    _check(form)
    return _run(slates.role_save, role=form.save(commit=False), saved_by=request.user)


def _role_form_data_raw(values: dict[str, Any]) -> dict[str, Any]:
    return {_FORM_NAMES.get(key, key): value for key, value in values.items()}


@router.delete(
    "/succession/roles/{role_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Delete a critical role with its slate (program admins; to keep its history, "
    "set active to false instead)",
    operation_id="delete_succession_role",
)
def role_delete(request: HttpRequest, role_id: RecordId) -> Any:
    role = access.access_role(request.user, role_id, write=True)
    AuditLog.objects.record(
        actor=request.user, action=AuditAction.DELETE, target=role, summary=role.title
    )
    role.delete()
    return Status(204, None)


# Slates ---------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    successor_id: int
    kind: str
    description: str
    plan_id: int | None
    link: str
    due_on: date | None
    status: str
    created_at: datetime


class SuccessorOut(Schema):
    id: int
    role_id: int
    person_id: int
    person: str
    rank: int
    readiness: str
    note: str
    readiness_changed_at: datetime
    actions: list[ActionOut]

    @staticmethod
    def resolve_person(successor: Successor) -> str:
        return successor.person.full_name

    @staticmethod
    def resolve_actions(successor: Successor) -> list[DevelopmentAction]:
        return list(successor.actions.all())


class SuccessorIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    person_id: int = Field(..., ge=1)
    readiness: ReadinessName
    rank: int | None = Field(None, ge=1, le=50, description="1 first; empty: last")
    note: str = Field("", max_length=500, pattern=NO_NUL)


class SuccessorPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    rank: int | None = Field(None, ge=1, le=50)
    readiness: ReadinessName | None = None
    note: str | None = Field(None, max_length=500, pattern=NO_NUL)


@router.get(
    "/succession/roles/{role_id}/slate",
    response={200: list[SuccessorOut], **errors(401, 404, 422)},
    summary="A role's slate: its successors by rank, with their development actions",
    operation_id="list_succession_slate",
)
def slate(request: HttpRequest, role_id: RecordId) -> Any:
    role = access.access_role(request.user, role_id)
    return (
        Successor.objects.filter(role=role)
        .select_related("person")
        .prefetch_related("actions")
        .order_by("rank", "pk")
    )


@router.post(
    "/succession/roles/{role_id}/slate",
    response={201: SuccessorOut, **errors(400, 401, 403, 404, 422)},
    summary="Name a successor to a role's slate, at a rank, with their readiness",
    operation_id="add_succession_successor",
)
def successor_add(request: HttpRequest, role_id: RecordId, payload: SuccessorIn) -> Any:
    role = access.access_role(request.user, role_id)
    form = SuccessorForm(
        data={
            "person": payload.person_id,
            "readiness": payload.readiness,
            "rank": payload.rank or "",
            "note": payload.note,
        },
        candidates=access.candidates_for(request.user, role),
        role=role,
    )
    data = _check(form)
    successor = _run(slates.successor_add, role=role, added_by=request.user, **data)
    return Status(201, successor)


@router.get(
    "/succession/successors/{successor_id}",
    response={200: SuccessorOut, **errors(401, 404, 422)},
    summary="A successor on a slate, with their development actions",
    operation_id="get_succession_successor",
)
def successor_get(request: HttpRequest, successor_id: RecordId) -> Any:
    return access.access_successor(request.user, successor_id)


@router.patch(
    "/succession/successors/{successor_id}",
    response={200: SuccessorOut, **errors(400, 401, 403, 404, 422)},
    summary="Move a successor to another rank, or change their readiness or note",
    operation_id="update_succession_successor",
)
def successor_update(request: HttpRequest, successor_id: RecordId, payload: SuccessorPatch) -> Any:
    successor = access.access_successor(request.user, successor_id)
    sent = payload.model_dump(exclude_unset=True)
    _check(SuccessorUpdateForm(data={k: ("" if v is None else v) for k, v in sent.items()}))
    return slates.successor_update(
        successor=successor,
        changed_by=request.user,
        rank=sent.get("rank"),
        readiness=sent.get("readiness"),
        note=sent.get("note"),
    )


@router.delete(
    "/succession/successors/{successor_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Take a successor off the slate (the others move up)",
    operation_id="delete_succession_successor",
)
def successor_remove(request: HttpRequest, successor_id: RecordId) -> Any:
    successor = access.access_successor(request.user, successor_id)
    slates.successor_remove(successor=successor, removed_by=request.user)
    return Status(204, None)


class ActionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    kind: KindName
    description: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)
    link: str = Field("", max_length=300, pattern=NO_NUL)
    due_on: IsoDate | None = None


class ActionPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    status: StatusName


@router.post(
    "/succession/successors/{successor_id}/actions",
    response={201: ActionOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a development action for a successor (recorded on their current "
    "development plan, if they have one)",
    operation_id="add_succession_action",
)
def action_add(request: HttpRequest, successor_id: RecordId, payload: ActionIn) -> Any:
    successor = access.access_successor(request.user, successor_id)
    data = _check(
        ActionForm(
            data={
                "kind": payload.kind,
                "description": payload.description,
                "link": payload.link,
                "due_on": payload.due_on.isoformat() if payload.due_on else "",
            }
        )
    )
    return Status(201, slates.action_add(successor=successor, added_by=request.user, **data))


@router.get(
    "/succession/actions/{action_id}",
    response={200: ActionOut, **errors(401, 404, 422)},
    summary="A development action",
    operation_id="get_succession_action",
)
def action_get(request: HttpRequest, action_id: RecordId) -> Any:
    return access.access_action(request.user, action_id)


@router.patch(
    "/succession/actions/{action_id}",
    response={200: ActionOut, **errors(400, 401, 403, 404, 422)},
    summary="Set a development action's status",
    operation_id="update_succession_action",
)
def action_update(request: HttpRequest, action_id: RecordId, payload: ActionPatch) -> Any:
    action = access.access_action(request.user, action_id)
    data = _check(ActionStatusForm(data={"status": payload.status}))
    slates.action_set_status(action=action, status=data["status"], changed_by=request.user)
    return action


@router.delete(
    "/succession/actions/{action_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove a development action",
    operation_id="delete_succession_action",
)
def action_remove(request: HttpRequest, action_id: RecordId) -> Any:
    action = access.access_action(request.user, action_id)
    slates.action_remove(action=action, removed_by=request.user)
    return Status(204, None)


# Openings --------------------------------------------------------------------------------------


class OpeningOut(Schema):
    id: int
    title: str
    role_id: int | None
    level: str
    org_unit_id: int | None
    opened_on: date
    filled_on: date | None
    source: str
    filled_by_id: int | None
    days_to_fill: int | None


class OpeningIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    level: LevelName
    opened_on: IsoDate
    role_id: int | None = Field(None, ge=1)
    org_unit_id: int | None = Field(None, ge=1)


class FillIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    filled_on: IsoDate
    source: Literal["internal", "external"]
    person_id: int | None = Field(None, ge=1, description="Who, when filled from inside")


def _require_openings(request: HttpRequest) -> None:
    if not access.manages_succession(request.user):
        raise Http404("No such endpoint.")


@router.get(
    "/succession/openings",
    response={200: list[OpeningOut], **errors(401, 404, 422)},
    summary="Leadership openings, newest first (program admins)",
    operation_id="list_succession_openings",
)
@paginate(Pages)
def opening_list(request: HttpRequest) -> Any:
    _require_openings(request)
    return Opening.objects.order_by("-opened_on", "pk")


@router.post(
    "/succession/openings",
    response={201: OpeningOut, **errors(400, 401, 403, 404, 422)},
    summary="Record a leadership opening (program admins)",
    operation_id="create_succession_opening",
)
def opening_create(request: HttpRequest, payload: OpeningIn) -> Any:
    _require_openings(request)
    data = _check(
        OpeningForm(
            data={
                "title": payload.title,
                "level": payload.level,
                "opened_on": payload.opened_on.isoformat(),
                "role": payload.role_id or "",
                "org_unit": payload.org_unit_id or "",
            }
        )
    )
    opening = _run(slates.opening_open, opened_by=request.user, **data)
    return Status(201, opening)


@router.post(
    "/succession/openings/{opening_id}/fill",
    response={200: OpeningOut, **errors(400, 401, 403, 404, 422)},
    summary="Record how an opening was filled: from inside (who) or outside",
    operation_id="fill_succession_opening",
)
def opening_fill(request: HttpRequest, opening_id: RecordId, payload: FillIn) -> Any:
    opening = access.access_opening(request.user, opening_id)
    data = _check(
        OpeningFillForm(
            data={
                "filled_on": payload.filled_on.isoformat(),
                "source": payload.source,
                "person": payload.person_id or "",
            },
            opening=opening,
        )
    )
    return _run(slates.opening_fill, opening=opening, filled_by=request.user, **data)


# The pipeline's figures --------------------------------------------------------------------------


class PipelineEstimateOut(Schema):
    n: int
    value: float | None = Field(..., description="None: not enough data")
    low: float | None
    high: float | None


class LevelRowOut(Schema):
    roles: int
    successors: int
    ready_now: int
    one_two_years: int
    three_plus_years: int


class FiguresOut(Schema):
    critical_roles: int
    bench_strength: PipelineEstimateOut
    coverage: PipelineEstimateOut
    risk_roles: int
    internal_fill_rate: PipelineEstimateOut
    openings_filled: int
    median_days_to_fill: float | None
    mean_days_to_fill: PipelineEstimateOut
    pipeline_by_level: dict[str, LevelRowOut | None] = Field(
        ..., description="Per target level; null: fewer than 5 successors"
    )
    high_potential_in_programs: PipelineEstimateOut


def _require_pipeline(request: HttpRequest) -> None:
    if not access.sees_pipeline(request.user):
        raise Http404("No such endpoint.")


@router.get(
    "/succession/pipeline",
    response={200: FiguresOut, **errors(401, 404)},
    summary="The pipeline's figures now (program admins and executive viewers)",
    operation_id="get_succession_pipeline",
)
def figures(request: HttpRequest) -> Any:
    _require_pipeline(request)
    return pipeline.current_figures()


class TrendOut(Schema):
    figure: str
    dates: list[date]
    values: list[float | None]
    low: list[float | None]
    high: list[float | None]
    n: list[int]


class PipelineTrendsOut(Schema):
    proportions: list[TrendOut]
    risk_roles: list[int]


@router.get(
    "/succession/pipeline/trends",
    response={200: PipelineTrendsOut, **errors(401, 404)},
    summary="The figures over the stored snapshots, oldest first",
    operation_id="get_succession_pipeline_trends",
)
def trends(request: HttpRequest) -> Any:
    _require_pipeline(request)
    _dates, risk = pipeline.risk_roles_trend()
    return {
        "proportions": [
            {
                "figure": t.name,
                "dates": t.dates,
                "values": t.values,
                "low": t.low,
                "high": t.high,
                "n": t.n,
            }
            for t in pipeline.trends()
        ],
        "risk_roles": risk,
    }


@router.get(
    "/succession/pipeline/export",
    response={200: None, **errors(401, 404)},
    summary="The figures as CSV (figure, n, value, low, high), as on the dashboard",
    operation_id="export_succession_pipeline",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}, "description": "CSV"}}},
)
def export(request: HttpRequest) -> HttpResponse:
    _require_pipeline(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"pipeline-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csvsafe.writer(response).writerows(export_rows(pipeline.current_figures()))
    AuditLog.objects.record(
        actor=request.user, action=AuditAction.EXPORT, target_type="pipeline", summary=name
    )
    return response


class SnapshotOut(Schema):
    taken_on: date
    figures: dict[str, Any]


@router.post(
    "/succession/pipeline/snapshots",
    response={201: SnapshotOut, **errors(400, 401, 403, 404, 422)},
    summary="Store today's figures for the trends (again the same day: replaced)",
    operation_id="create_succession_pipeline_snapshot",
)
def snapshot(request: HttpRequest) -> Any:
    _require_openings(request)
    return Status(201, pipeline.snapshot_take())


# The bridge to development ----------------------------------------------------------------------


class BridgeProgramOut(Schema):
    id: int
    name: str


class BridgeProposalOut(Schema):
    person_id: int
    has_plan: bool
    programs: list[BridgeProgramOut]
    recommendation: str | None
    label: str | None
    reasons: list[str]


class EnrollIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    program_id: int = Field(..., ge=1)


class BridgeEnrollmentOut(Schema):
    id: int
    program_id: int
    person_id: int
    status: str


@router.get(
    "/succession/bridge/people/{person_id}",
    response={200: BridgeProposalOut, **errors(401, 404, 422)},
    summary="The proposal to enroll a person in a program, with the modality advisor's "
    "suggestion (program admins)",
    operation_id="get_succession_bridge_proposal",
)
def proposal(request: HttpRequest, person_id: RecordId) -> Any:
    person = access.access_gap_person(request.user, person_id)
    found = bridge.proposal_for(person, sharing=max(1, len(bridge.gaps())))
    advice = found.advice or {}
    return {
        "person_id": person.pk,
        "has_plan": slates.current_plan(person) is not None,
        "programs": [{"id": p.pk, "name": p.name} for p in found.programs],
        "recommendation": advice.get("recommendation"),
        "label": advice.get("label"),
        "reasons": found.reasons,
    }


@router.post(
    "/succession/bridge/people/{person_id}/enroll",
    response={201: BridgeEnrollmentOut, **errors(400, 401, 403, 404, 422)},
    summary="Accept the proposal: enroll the person in one of the programs proposed",
    operation_id="enroll_succession_bridge",
)
def enroll(request: HttpRequest, person_id: RecordId, payload: EnrollIn) -> Any:
    person = access.access_gap_person(request.user, person_id)
    data = _check(
        EnrollForm(data={"program": payload.program_id}, programs=bridge.programs_for(person))
    )
    return Status(
        201,
        _run(
            bridge.bridge_enroll, person=person, program=data["program"], enrolled_by=request.user
        ),
    )
