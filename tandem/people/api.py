"""People, org units and objectives under /api/v1. Reads go through the access policy;
writes are for program admins and use the same forms as the pages."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import ErrorOut, raise_form_errors
from tandem.people.forms import ObjectiveForm, OrgUnitForm, PersonForm
from tandem.people.models import Objective, OrgUnit, Person
from tandem.people.services import person_save

router = Router()

LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]
ExitTypeName = Literal["voluntary", "involuntary", ""]


class PersonOut(Schema):
    id: int
    employee_id: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    title: str
    level: str
    manager_id: int | None
    org_unit_id: int | None
    org_unit: str | None = Field(None, alias="org_unit.path")
    location: str
    hire_date: date
    exit_date: date | None
    exit_type: str
    is_active: bool


class PersonIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    employee_id: str = Field(min_length=1, max_length=64)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = Field(min_length=3, max_length=254)
    title: str = Field("", max_length=200)
    level: LevelName
    manager_id: int | None = None
    org_unit_id: int | None = None
    location: str = Field("", max_length=120)
    hire_date: date = Field(strict=False)
    exit_date: date | None = Field(None, strict=False)
    exit_type: ExitTypeName = ""


class PersonPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    employee_id: str | None = Field(None, min_length=1, max_length=64)
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    email: str | None = Field(None, min_length=3, max_length=254)
    title: str | None = Field(None, max_length=200)
    level: LevelName | None = None
    manager_id: int | None = None
    org_unit_id: int | None = None
    location: str | None = Field(None, max_length=120)
    hire_date: date | None = Field(None, strict=False)
    exit_date: date | None = Field(None, strict=False)
    exit_type: ExitTypeName | None = None


class PersonFilter(FilterSchema):
    q: str | None = Field(None, description="Words matched against name, email, title, id")
    level: LevelName | None = None
    org_unit: int | None = Field(None, description="An org unit id; includes units below it")
    manager: int | None = Field(None, description="Direct reports of this person id")
    active: bool | None = Field(None, description="true: employed today; false: departed")


_PERSON_FIELDS = {
    "manager_id": "manager",
    "org_unit_id": "org_unit",
}


def _person_form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {_PERSON_FIELDS.get(k, k): ("" if v is None else v) for k, v in values.items()}


def _person_initial(person: Person) -> dict[str, Any]:
    return {
        field: getattr(person, attribute)
        for field, attribute in {
            "employee_id": "employee_id",
            "first_name": "first_name",
            "last_name": "last_name",
            "email": "email",
            "title": "title",
            "level": "level",
            "manager": "manager_id",
            "org_unit": "org_unit_id",
            "location": "location",
            "hire_date": "hire_date",
            "exit_date": "exit_date",
            "exit_type": "exit_type",
        }.items()
    }


@router.get("/people", response=list[PersonOut], tags=["people"], summary="List people")
@paginate(PageNumberPagination)
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
    response={200: PersonOut, 404: ErrorOut},
    tags=["people"],
    summary="One person",
)
def get_person(request: HttpRequest, person_id: int) -> Any:
    return policy.access_person(request.user, person_id)


@router.post(
    "/people",
    response={201: PersonOut, 403: ErrorOut, 422: ErrorOut},
    tags=["people"],
    summary="Create a person (program admins)",
)
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    policy.require_organization_admin(request.user)
    form = PersonForm(data=_person_form_data(payload.dict()))
    if not form.is_valid():
        raise_form_errors(form)
    person = person_save(person=form.save(commit=False), before=None, changed_by=request.user)
    return 201, Person.objects.select_related("org_unit").get(pk=person.pk)


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["people"],
    summary="Change a person (program admins)",
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    person = policy.access_person(request.user, person_id, write=True)
    before = Person.objects.get(pk=person.pk)
    data = {**_person_initial(person), **_person_form_data(payload.dict(exclude_unset=True))}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = PersonForm(data=data, instance=person)
    if not form.is_valid():
        raise_form_errors(form)
    person_save(person=form.save(commit=False), before=before, changed_by=request.user)
    return Person.objects.select_related("org_unit").get(pk=person.pk)


class OrgUnitOut(Schema):
    id: int
    name: str
    path: str
    parent_id: int | None


class OrgUnitIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    parent_id: int | None = None


@router.get("/org-units", response=list[OrgUnitOut], tags=["org units"], summary="List units")
@paginate(PageNumberPagination, page_size=200)
def list_org_units(request: HttpRequest, q: str | None = None) -> Any:
    policy.require_organization_reader(request.user)
    units = OrgUnit.objects.all()
    return units.filter(path__icontains=q) if q else units


@router.get("/org-units/{unit_id}", response={200: OrgUnitOut, 404: ErrorOut}, tags=["org units"])
def get_org_unit(request: HttpRequest, unit_id: int) -> Any:
    policy.require_organization_reader(request.user)
    return get_object_or_404(OrgUnit, pk=unit_id)


def _save_unit(request: HttpRequest, payload: OrgUnitIn, unit: OrgUnit | None) -> OrgUnit:
    policy.require_organization_admin(request.user)
    form = OrgUnitForm(
        data={"name": payload.name, "parent": payload.parent_id or ""}, instance=unit
    )
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()


@router.post(
    "/org-units",
    response={201: OrgUnitOut, 403: ErrorOut, 422: ErrorOut},
    tags=["org units"],
    summary="Create a unit (program admins)",
)
def create_org_unit(request: HttpRequest, payload: OrgUnitIn) -> Any:
    return 201, _save_unit(request, payload, None)


@router.put(
    "/org-units/{unit_id}",
    response={200: OrgUnitOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["org units"],
    summary="Rename or move a unit (program admins)",
)
def update_org_unit(request: HttpRequest, unit_id: int, payload: OrgUnitIn) -> Any:
    policy.require_organization_admin(request.user)
    return _save_unit(request, payload, get_object_or_404(OrgUnit, pk=unit_id))


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    parent_id: int | None
    org_unit_id: int | None
    owner_id: int | None
    period: str
    status: str


class ObjectiveIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    parent_id: int | None = None
    org_unit_id: int | None = None
    owner_id: int | None = None
    period: str = Field("", max_length=40)
    status: Literal["active", "achieved", "retired"] = "active"


@router.get("/objectives", response=list[ObjectiveOut], tags=["objectives"])
@paginate(PageNumberPagination)
def list_objectives(
    request: HttpRequest, status: str | None = None, parent: int | None = None
) -> Any:
    policy.require_organization_reader(request.user)
    objectives = Objective.objects.all()
    if status:
        objectives = objectives.filter(status=status)
    if parent is not None:
        objectives = objectives.filter(parent_id=parent)
    return objectives


@router.get(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, 404: ErrorOut},
    tags=["objectives"],
)
def get_objective(request: HttpRequest, objective_id: int) -> Any:
    policy.require_organization_reader(request.user)
    return get_object_or_404(Objective, pk=objective_id)


def _save_objective(
    request: HttpRequest, payload: ObjectiveIn, objective: Objective | None
) -> Objective:
    policy.require_organization_admin(request.user)
    values = payload.dict()
    data = {
        "title": values["title"],
        "description": values["description"],
        "parent": values["parent_id"] or "",
        "org_unit": values["org_unit_id"] or "",
        "owner": values["owner_id"] or "",
        "period": values["period"],
        "status": values["status"],
    }
    form = ObjectiveForm(data=data, instance=objective)
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()


@router.post(
    "/objectives",
    response={201: ObjectiveOut, 403: ErrorOut, 422: ErrorOut},
    tags=["objectives"],
    summary="Create an objective (program admins)",
)
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Any:
    return 201, _save_objective(request, payload, None)


@router.put(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["objectives"],
    summary="Change an objective (program admins)",
)
def update_objective(request: HttpRequest, objective_id: int, payload: ObjectiveIn) -> Any:
    policy.require_organization_admin(request.user)
    return _save_objective(request, payload, get_object_or_404(Objective, pk=objective_id))
