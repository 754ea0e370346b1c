"""The impact figures under /api/v1/impact: a summary per program, a program's whole
impact report, and its parts (criteria status, outcome metrics, effects with the
retention analysis, ROI).

Program admins and executive viewers read them (`insights.access.sees_impact`);
anyone else gets a 404. Everything comes from `report.program_impact`, as on the pages
and in the exports, and nothing names a person. Each estimate is
{n, value, low, high, enough}: value, low and high are null without enough data
(fewer than 5), and n says how many there were.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tandem.api.errors import errors
from tandem.api.pagination import RecordId
from tandem.insights import access, export
from tandem.insights import report as impact_report
from tandem.insights.report import Effect, ProgramImpact
from tandem.insights.views import impact as views
from tandem.lib import impact, stats

router = Router(tags=["impact"])


class ImpactEstimateOut(Schema):
    n: int = Field(..., description="How many people (or teams, goals, cases) it is over")
    value: float | None = Field(..., description="null: not enough data")
    low: float | None = Field(..., description="The 95% interval's lower end")
    high: float | None
    enough: bool


def _estimate(estimate: stats.Estimate) -> dict[str, Any]:
    return export.estimate_data(estimate)


# --- the programs ---------------------------------------------------------------------------


class ImpactCriteriaCountOut(Schema):
    met: int
    not_met: int
    not_yet_clear: int
    not_enough_data: int


class ImpactProgramSummaryOut(Schema):
    program_id: int
    name: str
    status: str
    participants: int
    comparison: int = Field(..., description="Matched non-participants")
    criteria: ImpactCriteriaCountOut
    engagement_effect: ImpactEstimateOut = Field(
        ..., description="Difference in differences of the engagement index of their teams"
    )
    roi_percent: float | None = Field(..., description="null: no costs entered")
    bcr: float | None
    payback_months: float | None
    currency: str


def _summary(summary: views.ProgramSummary) -> dict[str, Any]:
    return {
        "program_id": summary.program.pk,
        "name": summary.program.name,
        "status": summary.program.status,
        "participants": summary.participants,
        "comparison": summary.comparison,
        "criteria": {
            "met": summary.criteria[impact.MET],
            "not_met": summary.criteria[impact.NOT_MET],
            "not_yet_clear": summary.criteria[impact.NOT_YET_CLEAR],
            "not_enough_data": summary.criteria[impact.NOT_ENOUGH_DATA],
        },
        "engagement_effect": _estimate(summary.engagement_effect),
        "roi_percent": summary.roi_percent,
        "bcr": summary.bcr,
        "payback_months": summary.payback_months,
        "currency": summary.currency,
    }


@router.get(
    "/impact/programs",
    response={200: list[ImpactProgramSummaryOut], **errors(401, 404)},
    summary="Every program with participants: criteria met, the effect on team "
    "engagement, ROI and BCR (program admins and executive viewers)",
    operation_id="list_impact_programs",
)
def program_list(request: HttpRequest) -> Any:
    access.require_impact_reader(request.user)
    summaries, _organization = views.dashboard_data(request)
    return [_summary(summary) for summary in summaries]


# --- a program's report ----------------------------------------------------------------------


class ImpactFigureOut(Schema):
    key: str
    label: str
    scope: str = Field(..., description="individual, team or organization")
    unit: str
    participants: ImpactEstimateOut
    comparison: ImpactEstimateOut | None = Field(
        ..., description="The matched comparison group's figure, where the metric has one"
    )
    note: str


def _figure(figure: Any) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "scope": figure.scope,
        "unit": figure.unit,
        "participants": _estimate(figure.estimate),
        "comparison": _estimate(figure.comparison) if figure.comparison is not None else None,
        "note": figure.note,
    }


class ImpactCriterionOut(Schema):
    id: int
    key: str
    label: str
    metric: str
    competency: str | None
    baseline: float
    target: float
    unit: str
    measure_by: date
    due: bool = Field(..., description="The measure-by date has passed")
    actual: ImpactEstimateOut
    verdict: str = Field(..., description="met, not met, not yet clear or not enough data")


def _criterion(status: Any) -> dict[str, Any]:
    criterion = status.criterion
    return {
        "id": criterion.pk,
        "key": export.criterion_key(status),
        "label": export.criterion_label(status),
        "metric": criterion.metric,
        "competency": criterion.competency.name if criterion.competency is not None else None,
        "baseline": float(criterion.baseline),
        "target": float(criterion.target),
        "unit": criterion.unit,
        "measure_by": criterion.measure_by,
        "due": status.due,
        "actual": _estimate(status.actual),
        "verdict": status.verdict,
    }


class ImpactEffectOut(Schema):
    key: str
    label: str
    unit: str
    estimate: ImpactEstimateOut = Field(..., description="The difference in differences")
    participants_before: ImpactEstimateOut
    participants_after: ImpactEstimateOut
    comparison_before: ImpactEstimateOut
    comparison_after: ImpactEstimateOut
    basis: str


def _effect(effect: Effect) -> dict[str, Any]:
    return {
        "key": effect.key,
        "label": effect.label,
        "unit": effect.unit,
        "estimate": _estimate(effect.estimate),
        "participants_before": _estimate(effect.treated_before),
        "participants_after": _estimate(effect.treated_after),
        "comparison_before": _estimate(effect.comparison_before),
        "comparison_after": _estimate(effect.comparison_after),
        "basis": effect.basis,
    }


class ImpactCurveOut(Schema):
    group: str
    n: int
    left: int = Field(..., description="Voluntary exits observed")
    enough: bool
    days: list[float] = Field(..., description="Empty without enough data")
    retained: list[float] = Field(..., description="Kaplan-Meier share still there on each day")
    low: list[float]
    high: list[float]


class ImpactRetentionOut(Schema):
    hazard_ratio: ImpactEstimateOut = Field(
        ..., description="Hazard of leaving voluntarily, participants over comparison"
    )
    exits_avoided: float
    horizon_days: int
    curves: list[ImpactCurveOut]


def _retention(report: ProgramImpact) -> dict[str, Any]:
    retention = report.retention
    return {
        "hazard_ratio": _estimate(retention.hazard_ratio),
        "exits_avoided": retention.exits_avoided,
        "horizon_days": retention.horizon_days,
        "curves": [
            {
                "group": group,
                "n": curve.n,
                "left": curve.events,
                "enough": curve.enough,
                "days": list(curve.timeline),
                "retained": list(curve.survival),
                "low": list(curve.lower),
                "high": list(curve.upper),
            }
            for group, curve in retention.curves.items()
        ],
    }


class ImpactEffectsOut(Schema):
    effects: list[ImpactEffectOut]
    retention: ImpactRetentionOut


class ImpactRoiCostOut(Schema):
    category: str
    label: str
    amount: float
    source: str
    computed: bool


class ImpactRoiBenefitOut(Schema):
    label: str
    value: float
    attribution_percent: float
    confidence_percent: float
    monetized: float | None = Field(..., description="null: could not be put in money")
    note: str


class ImpactRoiIntangibleOut(Schema):
    description: str
    evidence: str


class ImpactRoiOut(Schema):
    program_id: int
    currency: str
    available: bool = Field(..., description="false: no costs entered, so no ROI")
    total_costs: float | None
    total_benefits: float | None
    bcr: float | None
    roi_percent: float | None
    payback_months: float | None
    benefit_months: int | None
    exits_avoided: float | None
    replacement_cost_per_exit: float | None
    costs: list[ImpactRoiCostOut]
    benefits: list[ImpactRoiBenefitOut]
    intangibles: list[ImpactRoiIntangibleOut]


def _roi(report: ProgramImpact) -> dict[str, Any]:
    roi = views.program_roi(report)
    program = report.program
    if roi is None:
        return {
            "program_id": program.pk,
            "currency": program.currency,
            "available": False,
            **dict.fromkeys(
                [
                    "total_costs",
                    "total_benefits",
                    "bcr",
                    "roi_percent",
                    "payback_months",
                    "benefit_months",
                    "exits_avoided",
                    "replacement_cost_per_exit",
                ]
            ),
            "costs": [],
            "benefits": [],
            "intangibles": [],
        }
    result = roi.result
    return {
        "program_id": program.pk,
        "currency": roi.currency,
        "available": True,
        "total_costs": result.total_costs,
        "total_benefits": result.total_benefits,
        "bcr": result.bcr,
        "roi_percent": result.roi_percent,
        "payback_months": result.payback_months,
        "benefit_months": result.months,
        "exits_avoided": roi.exits_avoided,
        "replacement_cost_per_exit": (
            float(roi.replacement.per_exit) if roi.replacement is not None else None
        ),
        "costs": [
            {
                "category": item.category,
                "label": item.label,
                "amount": float(item.amount),
                "source": item.source,
                "computed": item.computed,
            }
            for item in roi.costs
        ],
        "benefits": [
            {
                "label": item.label,
                "value": float(item.value),
                "attribution_percent": float(item.attribution_percent),
                "confidence_percent": float(item.confidence_percent),
                "monetized": float(item.monetized) if item.monetized is not None else None,
                "note": item.note,
            }
            for item in roi.benefits
        ],
        "intangibles": [
            {"description": item.description, "evidence": item.evidence} for item in roi.intangibles
        ],
    }


class ImpactLevelOut(Schema):
    number: int = Field(..., description="1 reaction, 2 learning, 3 application, 4 impact, 5 ROI")
    title: str
    summary: str
    figures: list[str] = Field(..., description="The keys of the figures behind it")


class ImpactTrendOut(Schema):
    pulses: list[str]
    participants: list[ImpactEstimateOut] = Field(
        ..., description="Engagement index of participants' teams, pulse by pulse"
    )
    comparison: list[ImpactEstimateOut]


class ImpactReportOut(Schema):
    program_id: int
    name: str
    on: date
    participants: int
    comparison: int
    figures: list[ImpactFigureOut]
    criteria: list[ImpactCriterionOut]
    effects: list[ImpactEffectOut]
    retention: ImpactRetentionOut
    roi: ImpactRoiOut
    levels: list[ImpactLevelOut]
    trend: ImpactTrendOut


def _report(request: HttpRequest, program_id: int) -> ProgramImpact:
    program = access.access_program_impact(request.user, program_id)
    return views.program_report(request, program)


@router.get(
    "/impact/programs/{program_id}",
    response={200: ImpactReportOut, **errors(401, 404, 422)},
    summary="A program's whole impact report: figures, criteria status, effects, "
    "retention (hazard ratio and curves), ROI, Kirkpatrick and Phillips levels",
    operation_id="get_impact_program",
)
def program_get(request: HttpRequest, program_id: RecordId) -> Any:
    report = _report(request, program_id)
    return {
        "program_id": report.program.pk,
        "name": report.program.name,
        "on": report.on,
        "participants": report.participants,
        "comparison": report.comparison,
        "figures": [_figure(figure) for figure in report.figures],
        "criteria": [_criterion(status) for status in report.criteria],
        "effects": [_effect(effect) for effect in report.effects],
        "retention": _retention(report),
        "roi": _roi(report),
        "levels": [
            {
                "number": level.number,
                "title": level.title,
                "summary": level.summary,
                "figures": [figure.key for figure in level.figures],
            }
            for level in report.levels
        ],
        "trend": {
            "pulses": report.trend_labels,
            "participants": [
                _estimate(e) for e in report.trend.get(impact_report.PARTICIPANTS, [])
            ],
            "comparison": [_estimate(e) for e in report.trend.get(impact_report.COMPARISON, [])],
        },
    }


@router.get(
    "/impact/programs/{program_id}/criteria",
    response={200: list[ImpactCriterionOut], **errors(401, 404, 422)},
    summary="A program's success criteria: actual against target, with a verdict",
    operation_id="list_impact_program_criteria",
)
def program_criteria(request: HttpRequest, program_id: RecordId) -> Any:
    return [_criterion(status) for status in _report(request, program_id).criteria]


@router.get(
    "/impact/programs/{program_id}/metrics",
    response={200: list[ImpactFigureOut], **errors(401, 404, 422)},
    summary="A program's outcome metrics (individual, team, organization), participants "
    "against the matched comparison group",
    operation_id="list_impact_program_metrics",
)
def program_metrics(request: HttpRequest, program_id: RecordId) -> Any:
    return [_figure(figure) for figure in _report(request, program_id).figures]


@router.get(
    "/impact/programs/{program_id}/effects",
    response={200: ImpactEffectsOut, **errors(401, 404, 422)},
    summary="The program's isolated effects (difference in differences) and voluntary "
    "retention (Kaplan-Meier curves, hazard ratio)",
    operation_id="get_impact_program_effects",
)
def program_effects(request: HttpRequest, program_id: RecordId) -> Any:
    report = _report(request, program_id)
    return {
        "effects": [_effect(effect) for effect in report.effects],
        "retention": _retention(report),
    }


@router.get(
    "/impact/programs/{program_id}/roi",
    response={200: ImpactRoiOut, **errors(401, 404, 422)},
    summary="The program's Phillips ROI: costs, benefits, intangibles, BCR, ROI %, payback",
    operation_id="get_impact_program_roi",
)
def program_roi(request: HttpRequest, program_id: RecordId) -> Any:
    return _roi(_report(request, program_id))
