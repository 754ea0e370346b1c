"""The ROI inputs under /api/v1/impact: a program's assumptions, benefit lines,
intangibles and computed costs, and the salary bands of every level.

The same rules and forms as the pages (`insights.access`, `insights.roi_forms`):
program admins change, executive viewers read (a change is a 403), anyone else gets a
404; bad fields are a 422 naming them, and nothing is written. The ROI figures
themselves are in the impact part (they need the program's retention effect)."""

from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import errors, raise_form_errors
from tandem.api.fields import patched, text
from tandem.api.pagination import Pages, RecordId
from tandem.insights import access, roi
from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
from tandem.insights.roi_forms import (
    BenefitLineForm,
    ImpactSettingsForm,
    IntangibleForm,
    SalaryBandsForm,
)
from tandem.people.api import LevelName
from tandem.people.models import Level

router = Router(tags=["impact"])

# Amounts and shares are JSON numbers or decimal strings ("1250.50"), as stored.
Money = Annotated[
    Decimal, Field(strict=False, ge=0, max_digits=12, decimal_places=2, allow_inf_nan=False)
]
HourlyCost = Annotated[
    Decimal, Field(strict=False, ge=0, max_digits=8, decimal_places=2, allow_inf_nan=False)
]
Percent = Annotated[
    Decimal,
    Field(strict=False, ge=0, le=100, max_digits=4, decimal_places=1, allow_inf_nan=False),
]
ReplacementPercent = Annotated[
    Decimal,
    Field(strict=False, ge=0, le=400, max_digits=4, decimal_places=1, allow_inf_nan=False),
]


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {key: "" if value is None else str(value) for key, value in values.items()}


# Assumptions -----------------------------------------------------------------------------


class RoiSettingsOut(Schema):
    program_id: int
    currency: str
    loaded_hourly_cost: Decimal
    replacement_cost_percent: Decimal
    benefit_months: int
    replacement_cost: Decimal | None = Field(
        description="One participant's exit: the mean salary band of the participants' "
        "levels x replacement_cost_percent; null without salary bands."
    )

    @staticmethod
    def resolve_currency(settings: ImpactSettings) -> str:
        return settings.program.currency

    @staticmethod
    def resolve_replacement_cost(settings: ImpactSettings) -> Decimal | None:
        basis = roi.replacement_cost_basis(settings.program, settings)
        return basis.per_exit if basis else None


class RoiSettingsPatch(Schema):
    """Only the fields sent change."""

    model_config = ConfigDict(strict=True, extra="forbid")

    loaded_hourly_cost: HourlyCost | None = None
    replacement_cost_percent: ReplacementPercent | None = None
    benefit_months: int | None = Field(None, ge=1, le=60)


@router.get(
    "/impact/programs/{program_id}/roi-settings",
    response={200: RoiSettingsOut, **errors(401, 404, 422)},
    summary="A program's ROI assumptions (program admins and executive viewers)",
    operation_id="get_impact_roi_settings",
)
def settings_get(request: HttpRequest, program_id: RecordId) -> Any:
    return ImpactSettings.of(access.access_program_impact(request.user, program_id))


@router.patch(
    "/impact/programs/{program_id}/roi-settings",
    response={200: RoiSettingsOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a program's ROI assumptions: only the fields sent (program admins)",
    operation_id="update_impact_roi_settings",
)
def settings_update(request: HttpRequest, program_id: RecordId, payload: RoiSettingsPatch) -> Any:
    program = access.access_program_impact(request.user, program_id, write=True)
    settings = ImpactSettings.of(program)
    fields = ImpactSettingsForm.Meta.fields
    form = ImpactSettingsForm(
        data=_form_data(patched(settings, fields, payload.model_dump(exclude_unset=True))),
        instance=settings,
    )
    if not form.is_valid():
        raise_form_errors(form)
    saved = roi.impact_settings_save(settings=form.save(commit=False), saved_by=request.user)
    return ImpactSettings.objects.get(pk=saved.pk)  # as stored: "40.0", not the "40" sent


# Benefit lines ----------------------------------------------------------------------------


class RoiBenefitOut(Schema):
    id: int
    program_id: int
    description: str
    value: Decimal
    attribution_percent: Decimal
    confidence_percent: Decimal
    monetized: Decimal = Field(description="value x attribution x confidence")
    estimator: str
    basis: str

    @staticmethod
    def resolve_monetized(line: BenefitLine) -> Decimal:
        return roi.cents(line.monetized)


class RoiBenefitIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    description: str = text(200, min_length=1)
    value: Money
    attribution_percent: Percent
    confidence_percent: Percent
    estimator: str = text(120, default="")
    basis: str = text(300, default="")


class RoiBenefitPatch(Schema):
    """Only the fields sent change."""

    model_config = ConfigDict(strict=True, extra="forbid")

    description: str | None = text(200, min_length=1, default=None)
    value: Money | None = None
    attribution_percent: Percent | None = None
    confidence_percent: Percent | None = None
    estimator: str | None = text(120, default=None)
    basis: str | None = text(300, default=None)


@router.get(
    "/impact/programs/{program_id}/benefits",
    response={200: list[RoiBenefitOut], **errors(401, 404, 422)},
    summary="A program's benefit lines (program admins and executive viewers)",
    operation_id="list_impact_benefits",
)
@paginate(Pages)
def benefit_list(request: HttpRequest, program_id: RecordId) -> Any:
    return access.access_program_impact(request.user, program_id).benefit_lines.order_by("pk")


@router.post(
    "/impact/programs/{program_id}/benefits",
    response={201: RoiBenefitOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a benefit line: an estimate, the share due to the program and the "
    "estimator's confidence (program admins)",
    operation_id="create_impact_benefit",
)
def benefit_create(request: HttpRequest, program_id: RecordId, payload: RoiBenefitIn) -> Any:
    program = access.access_program_impact(request.user, program_id, write=True)
    form = BenefitLineForm(data=_form_data(payload.model_dump()), program=program)
    if not form.is_valid():
        raise_form_errors(form)
    line = roi.benefit_line_save(line=form.save(commit=False), saved_by=request.user)
    return Status(201, BenefitLine.objects.get(pk=line.pk))


@router.get(
    "/impact/benefits/{benefit_id}",
    response={200: RoiBenefitOut, **errors(401, 404, 422)},
    summary="A benefit line (program admins and executive viewers)",
    operation_id="get_impact_benefit",
)
def benefit_get(request: HttpRequest, benefit_id: RecordId) -> Any:
    line = BenefitLine.objects.filter(pk=benefit_id).first()
    if line is None:
        raise Http404("No such benefit line.")
    access.access_program_impact(request.user, line.program_id)  # 404 for those who may not see it
    return line


@router.patch(
    "/impact/benefits/{benefit_id}",
    response={200: RoiBenefitOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a benefit line: only the fields sent (program admins)",
    operation_id="update_impact_benefit",
)
def benefit_update(request: HttpRequest, benefit_id: RecordId, payload: RoiBenefitPatch) -> Any:
    line = access.access_benefit(request.user, benefit_id)
    sent = payload.model_dump(exclude_unset=True)
    form = BenefitLineForm(
        data=_form_data(patched(line, BenefitLineForm.Meta.fields, sent)), instance=line
    )
    if not form.is_valid():
        raise_form_errors(form)
    roi.benefit_line_save(line=form.save(commit=False), saved_by=request.user)
    return BenefitLine.objects.get(pk=line.pk)


@router.delete(
    "/impact/benefits/{benefit_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Delete a benefit line (program admins)",
    operation_id="delete_impact_benefit",
)
def benefit_delete(request: HttpRequest, benefit_id: RecordId) -> Any:
    roi.benefit_line_delete(
        line=access.access_benefit(request.user, benefit_id), deleted_by=request.user
    )
    return Status(204, None)


# Intangibles ------------------------------------------------------------------------------


class RoiIntangibleOut(Schema):
    id: int
    program_id: int
    description: str
    evidence: str


class RoiIntangibleIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    description: str = text(200, min_length=1)
    evidence: str = text(300, default="")


@router.get(
    "/impact/programs/{program_id}/intangibles",
    response={200: list[RoiIntangibleOut], **errors(401, 404, 422)},
    summary="A program's intangibles: benefits listed, never monetized",
    operation_id="list_impact_intangibles",
)
@paginate(Pages)
def intangible_list(request: HttpRequest, program_id: RecordId) -> Any:
    return access.access_program_impact(request.user, program_id).intangibles.order_by("pk")


@router.post(
    "/impact/programs/{program_id}/intangibles",
    response={201: RoiIntangibleOut, **errors(400, 401, 403, 404, 422)},
    summary="Add an intangible (program admins)",
    operation_id="create_impact_intangible",
)
def intangible_create(request: HttpRequest, program_id: RecordId, payload: RoiIntangibleIn) -> Any:
    program = access.access_program_impact(request.user, program_id, write=True)
    form = IntangibleForm(data=_form_data(payload.model_dump()), program=program)
    if not form.is_valid():
        raise_form_errors(form)
    return Status(
        201, roi.intangible_add(intangible=form.save(commit=False), added_by=request.user)
    )


@router.get(
    "/impact/intangibles/{intangible_id}",
    response={200: RoiIntangibleOut, **errors(401, 404, 422)},
    summary="An intangible (program admins and executive viewers)",
    operation_id="get_impact_intangible",
)
def intangible_get(request: HttpRequest, intangible_id: RecordId) -> Any:
    item = Intangible.objects.filter(pk=intangible_id).first()
    if item is None:
        raise Http404("No such intangible.")
    access.access_program_impact(request.user, item.program_id)  # 404 for those who may not see it
    return item


@router.delete(
    "/impact/intangibles/{intangible_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Delete an intangible (program admins)",
    operation_id="delete_impact_intangible",
)
def intangible_delete(request: HttpRequest, intangible_id: RecordId) -> Any:
    item: Intangible = access.access_intangible(request.user, intangible_id)
    roi.intangible_delete(intangible=item, deleted_by=request.user)
    return Status(204, None)


# Salary bands -----------------------------------------------------------------------------


class RoiSalaryBandOut(Schema):
    level: LevelName
    level_label: str
    annual_midpoint: Decimal

    @staticmethod
    def resolve_level_label(band: SalaryBand) -> str:
        return str(band.get_level_display())


class RoiSalaryBandIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    level: LevelName
    annual_midpoint: Money


class RoiSalaryBandsIn(Schema):
    """Every level's band: a level not listed has no band afterwards."""

    model_config = ConfigDict(strict=True, extra="forbid")

    bands: list[RoiSalaryBandIn] = Field(..., max_length=len(Level.values))


def _bands() -> list[SalaryBand]:
    found = {band.level: band for band in SalaryBand.objects.all()}
    return [found[level] for level in Level.values if level in found]


@router.get(
    "/impact/salary-bands",
    response={200: list[RoiSalaryBandOut], **errors(401, 404)},
    summary="The annual salary midpoint of each level, for exits' replacement cost "
    "(program admins and executive viewers)",
    operation_id="list_impact_salary_bands",
)
def salary_bands(request: HttpRequest) -> Any:
    if not access.sees_impact(request.user):
        raise Http404("No such endpoint.")
    return _bands()


@router.put(
    "/impact/salary-bands",
    response={200: list[RoiSalaryBandOut], **errors(400, 401, 403, 404, 422)},
    summary="Set every level's salary band; a level not listed loses its band (program admins)",
    operation_id="set_impact_salary_bands",
)
def salary_bands_set(request: HttpRequest, payload: RoiSalaryBandsIn) -> Any:
    if not access.sees_impact(request.user):
        raise Http404("No such endpoint.")
    access.require_manager_of_impact(request.user)
    seen: set[str] = set()
    for position, band in enumerate(payload.bands):
        if band.level in seen:
            raise ValidationError(
                [
                    {
                        "loc": ["body", "payload", "bands", position, "level"],
                        "msg": "This level is listed twice.",
                        "type": "unique",
                    }
                ]
            )
        seen.add(band.level)
    data = {band.level: str(band.annual_midpoint) for band in payload.bands}
    form = SalaryBandsForm(data=data, initial={})
    if not form.is_valid():
        raise_form_errors(form, field_names=dict.fromkeys(Level.values, "bands"))
    roi.salary_bands_set(midpoints=form.midpoints(), set_by=request.user)
    return _bands()


# Computed costs ----------------------------------------------------------------------------


class RoiCostItemOut(Schema):
    category: str
    category_label: str
    label: str
    amount: Decimal
    source: str = Field(description="Where the figure comes from")
    computed: bool = Field(description="Computed from sessions, seats and meetings")


class RoiCostsOut(Schema):
    currency: str
    total: Decimal
    items: list[RoiCostItemOut]


@router.get(
    "/impact/programs/{program_id}/costs",
    response={200: RoiCostsOut, **errors(401, 404, 422)},
    summary="A program's fully loaded costs, with where each comes from (its cost lines; "
    "coach fees and participant time computed where it has no lines of those kinds)",
    operation_id="list_impact_costs",
)
def costs(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program_impact(request.user, program_id)
    items = roi.program_costs(program)
    return {
        "currency": program.currency,
        "total": sum((item.amount for item in items), Decimal("0")),
        "items": items,
    }
