"""People, org units and objectives under /api/v1. Reads go through the access policy;
writes are for program admins and use the same forms as the pages, so the API and
the pages enforce one set of rules."""

import copy
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import conflict_error, errors, raise_form_errors
from tandem.api.fields import IsoDate
from tandem.api.pagination import Pages, RecordId
from tandem.people.forms import ObjectiveForm, OrgUnitForm, PersonForm
from tandem.people.models import Objective, OrgUnit, Person
from tandem.people.services import person_save

router = Router()

LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]
ExitTypeName = Literal["voluntary", "involuntary", ""]
StatusName = Literal["active", "achieved", "retired"]

# A search string; NUL cannot be stored or searched for in PostgreSQL.
SearchText = Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")]
EMAIL: dict[str, Any] = {"format": "email"}


def unchanged(**constraints: Any) -> Any:
    """A PATCH field that may be left out (the value stays as it is) but not sent as
    null. Its placeholder default is an implementation detail, so it is not documented."""
    extra = constraints.pop("json_schema_extra", {})

    def document(schema: dict[str, Any]) -> None:
        schema.pop("default", None)
        schema.update(extra)

    return Field(None, json_schema_extra=document, **constraints)


T = TypeVar("T")


def _saved(save: Callable[[], T], *, field: str, message: str) -> T:
    """Run a save that the forms validated; if a concurrent write got there first, the
    database refuses it and the caller gets a 422 naming `field`, not a 500."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise conflict_error(field, message) from None


# People ---------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    employee_id: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    title: str
    level: LevelName
    manager_id: int | None
    org_unit_id: int | None
    org_unit: str | None = Field(None, alias="org_unit.path")
    location: str
    hire_date: date
    exit_date: date | None
    exit_type: ExitTypeName
    is_active: bool


class PersonIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    employee_id: str = Field(min_length=1, max_length=64)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = Field(min_length=3, max_length=254, json_schema_extra=EMAIL)
    title: str = Field("", max_length=200)
    level: LevelName
    manager_id: RecordId | None = None
    org_unit_id: RecordId | None = None
    location: str = Field("", max_length=120)
    hire_date: IsoDate
    exit_date: IsoDate | None = None
    exit_type: ExitTypeName = ""


class PersonPatch(Schema):
    """Only the fields sent change. `null` clears manager, org unit and exit date."""

    model_config = ConfigDict(strict=True, extra="forbid")

    employee_id: str = unchanged(min_length=1, max_length=64)
    first_name: str = unchanged(min_length=1, max_length=100)
    last_name: str = unchanged(min_length=1, max_length=100)
    email: str = unchanged(min_length=3, max_length=254, json_schema_extra=EMAIL)
    title: str = unchanged(max_length=200)
    level: LevelName = unchanged()
    manager_id: RecordId | None = None
    org_unit_id: RecordId | None = None
    location: str = unchanged(max_length=120)
    hire_date: IsoDate = unchanged()
    exit_date: IsoDate | None = None
    exit_type: ExitTypeName = unchanged()


class PersonFilter(Schema):
    q: SearchText | None = Field(None, description="Words matched against name, email, title, id")
    level: LevelName | None = None
    org_unit: RecordId | None = Field(None, description="An org unit id; includes units below it")
    manager: RecordId | None = Field(None, description="Direct reports of this person id")
    active: bool | None = Field(None, description="true: employed today; false: departed")


# The API names foreign keys by their ids; the form names them by the relation.
_PERSON_FORM_FIELDS = {"manager_id": "manager", "org_unit_id": "org_unit"}
_PERSON_API_FIELDS = {form: api for api, form in _PERSON_FORM_FIELDS.items()}


def _person_form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {_PERSON_FORM_FIELDS.get(k, k): ("" if v is None else v) for k, v in values.items()}


def _person_out(pk: int) -> Person:
    return Person.objects.select_related("org_unit").get(pk=pk)


def _save_person(request: HttpRequest, form: PersonForm, before: Person | None) -> Person:
    if not form.is_valid():
        raise_form_errors(form, field_names=_PERSON_API_FIELDS)
    return _saved(
        lambda: person_save(person=form.save(commit=False), before=before, changed_by=request.user),
        field="employee_id",
        message="A person with this employee id or email already exists.",
    )


@router.get(
    "/people",
    response={200: list[PersonOut], **errors(401, 422)},
    tags=["people"],
    summary="List people",
    operation_id="list_people",
)
@paginate(Pages)
def list_people(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    """People the caller may see (themselves and their reporting line; everyone for
    program admins), sorted by name."""
    people = policy.people_visible_to(request.user).directory()
    if filters.q:
        people = people.search(filters.q)
    if filters.level:
        people = people.at_level(filters.level)
    if filters.org_unit is not None:
        unit = OrgUnit.objects.filter(pk=filters.org_unit).first()
        people = people.in_unit(unit) if unit else people.none()
    if filters.manager is not None:
        people = people.filter(manager_id=filters.manager)
    if filters.active is True:
        people = people.active()
    elif filters.active is False:
        people = people.departed()
    return people


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **errors(401, 404, 422)},
    tags=["people"],
    summary="One person",
    operation_id="get_person",
)
def get_person(request: HttpRequest, person_id: RecordId) -> Any:
    """Someone outside the caller's reporting line is reported as not found."""
    return policy.access_person(request.user, person_id)


@router.post(
    "/people",
    response={201: PersonOut, **errors(400, 401, 403, 422)},
    tags=["people"],
    summary="Create a person (program admins)",
    operation_id="create_person",
)
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    policy.require_organization_admin(request.user)
    form = PersonForm(data=_person_form_data(payload.model_dump()))
    person = _save_person(request, form, before=None)
    return Status(201, _person_out(person.pk))


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, **errors(400, 401, 403, 404, 422)},
    tags=["people"],
    summary="Change a person (program admins)",
    operation_id="update_person",
)
def update_person(request: HttpRequest, person_id: RecordId, payload: PersonPatch) -> Any:
    person = policy.access_person(request.user, person_id, write=True)
    before = copy.copy(person)
    current = forms.models.model_to_dict(person, fields=PersonForm.Meta.fields)
    changes = _person_form_data(payload.model_dump(exclude_unset=True))
    form = PersonForm(data={**current, **changes}, instance=person)
    _save_person(request, form, before=before)
    return _person_out(person.pk)


# Org units ------------------------------------------------------------------------


class OrgUnitOut(Schema):
    id: int
    name: str
    path: str
    parent_id: int | None


class OrgUnitIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    parent_id: RecordId | None = None


class OrgUnitPatch(Schema):
    """Only the fields sent change; `"parent_id": null` moves the unit to the top."""

    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = unchanged(min_length=1, max_length=120)
    parent_id: RecordId | None = None


def _save_unit(values: dict[str, Any], unit: OrgUnit | None) -> OrgUnit:
    data = {"name": values["name"], "parent": values["parent_id"] or ""}
    form = OrgUnitForm(data=data, instance=unit)
    if not form.is_valid():
        raise_form_errors(form, field_names={"parent": "parent_id"})
    return _saved(form.save, field="name", message="There is already a unit with this name here.")


@router.get(
    "/org-units",
    response={200: list[OrgUnitOut], **errors(401, 403, 422)},
    tags=["org units"],
    summary="List units",
    operation_id="list_org_units",
)
@paginate(Pages)
def list_org_units(request: HttpRequest, q: SearchText | None = None) -> Any:
    """Every unit, sorted by path; `q` matches part of the path."""
    policy.require_organization_reader(request.user)
    units = OrgUnit.objects.all()
    return units.filter(path__icontains=q) if q else units


@router.get(
    "/org-units/{unit_id}",
    response={200: OrgUnitOut, **errors(401, 403, 404, 422)},
    tags=["org units"],
    summary="One unit",
    operation_id="get_org_unit",
)
def get_org_unit(request: HttpRequest, unit_id: RecordId) -> Any:
    policy.require_organization_reader(request.user)
    return get_object_or_404(OrgUnit, pk=unit_id)


@router.post(
    "/org-units",
    response={201: OrgUnitOut, **errors(400, 401, 403, 422)},
    tags=["org units"],
    summary="Create a unit (program admins)",
    operation_id="create_org_unit",
)
def create_org_unit(request: HttpRequest, payload: OrgUnitIn) -> Any:
    policy.require_organization_admin(request.user)
    return Status(201, _save_unit(payload.model_dump(), None))


@router.patch(
    "/org-units/{unit_id}",
    response={200: OrgUnitOut, **errors(400, 401, 403, 404, 422)},
    tags=["org units"],
    summary="Rename or move a unit (program admins)",
    operation_id="update_org_unit",
)
def update_org_unit(request: HttpRequest, unit_id: RecordId, payload: OrgUnitPatch) -> Any:
    policy.require_organization_admin(request.user)
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    values = {"name": unit.name, "parent_id": unit.parent_id}
    values.update(payload.model_dump(exclude_unset=True))
    return _save_unit(values, unit)


# Objectives -----------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    parent_id: int | None
    org_unit_id: int | None
    owner_id: int | None
    period: str
    status: StatusName


class ObjectiveIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    parent_id: RecordId | None = None
    org_unit_id: RecordId | None = None
    owner_id: RecordId | None = None
    period: str = Field("", max_length=40)
    status: StatusName = "active"


class ObjectivePatch(Schema):
    """Only the fields sent change; `null` clears parent, org unit and owner."""

    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = unchanged(min_length=1, max_length=200)
    description: str = unchanged(max_length=10_000)
    parent_id: RecordId | None = None
    org_unit_id: RecordId | None = None
    owner_id: RecordId | None = None
    period: str = unchanged(max_length=40)
    status: StatusName = unchanged()


_OBJECTIVE_FORM_FIELDS = {"parent_id": "parent", "org_unit_id": "org_unit", "owner_id": "owner"}
_OBJECTIVE_API_FIELDS = {form: api for api, form in _OBJECTIVE_FORM_FIELDS.items()}


def _save_objective(values: dict[str, Any], objective: Objective | None) -> Objective:
    data = {_OBJECTIVE_FORM_FIELDS.get(k, k): ("" if v is None else v) for k, v in values.items()}
    form = ObjectiveForm(data=data, instance=objective)
    if not form.is_valid():
        raise_form_errors(form, field_names=_OBJECTIVE_API_FIELDS)
    return _saved(form.save, field="title", message="This objective conflicts with another.")


@router.get(
    "/objectives",
    response={200: list[ObjectiveOut], **errors(401, 403, 422)},
    tags=["objectives"],
    summary="List objectives",
    operation_id="list_objectives",
)
@paginate(Pages)
def list_objectives(
    request: HttpRequest, status: StatusName | None = None, parent: RecordId | None = None
) -> Any:
    """Every objective, sorted by title; filter by status or by parent objective."""
    policy.require_organization_reader(request.user)
    objectives = Objective.objects.all()
    if status:
        objectives = objectives.filter(status=status)
    if parent is not None:
        objectives = objectives.filter(parent_id=parent)
    return objectives


@router.get(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, **errors(401, 403, 404, 422)},
    tags=["objectives"],
    summary="One objective",
    operation_id="get_objective",
)
def get_objective(request: HttpRequest, objective_id: RecordId) -> Any:
    policy.require_organization_reader(request.user)
    return get_object_or_404(Objective, pk=objective_id)


@router.post(
    "/objectives",
    response={201: ObjectiveOut, **errors(400, 401, 403, 422)},
    tags=["objectives"],
    summary="Create an objective (program admins)",
    operation_id="create_objective",
)
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Any:
    policy.require_organization_admin(request.user)
    return Status(201, _save_objective(payload.model_dump(), None))


@router.patch(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, **errors(400, 401, 403, 404, 422)},
    tags=["objectives"],
    summary="Change an objective (program admins)",
    operation_id="update_objective",
)
def update_objective(request: HttpRequest, objective_id: RecordId, payload: ObjectivePatch) -> Any:
    policy.require_organization_admin(request.user)
    objective = get_object_or_404(Objective, pk=objective_id)
    current = forms.models.model_to_dict(objective, fields=ObjectiveForm.Meta.fields)
    values = {_OBJECTIVE_API_FIELDS.get(k, k): v for k, v in current.items()}
    values.update(payload.model_dump(exclude_unset=True))
    return _save_objective(values, objective)
