"""The impact pages: the dashboard of every program with participants and the
organization's figures; a program's impact report (criteria against targets, outcome
figures by scope, isolated effects, retention, engagement trend, ROI, Kirkpatrick and
Phillips levels) as a page and as a PDF; the exports of their figures.

Program admins and executive viewers read them (`insights.access.sees_impact`);
anyone else gets a 404. Everything shown comes from `report.program_impact`, computed
once per request and program, so the page, the PDF, the exports and the API agree.
Nothing here names a person: executive viewers see what admins see.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import AuditAction, AuditLog
from tandem.insights import access, export, habits
from tandem.insights import report as impact_report
from tandem.insights import roi as roi_module
from tandem.insights.report import Figure, ProgramImpact
from tandem.insights.roi import ProgramRoi
from tandem.insights.views import habits as habits_views
from tandem.lib import charts, impact, impact_charts, stats
from tandem.programs.models import EnrollmentStatus, Program

SCOPES = [
    (impact_report.INDIVIDUAL, gettext_lazy("Individual")),
    (impact_report.TEAM, gettext_lazy("Team")),
    (impact_report.ORGANIZATION, gettext_lazy("Organization")),
]
VERDICT_BADGES = {
    impact.MET: "badge-success",
    impact.NOT_MET: "badge-danger",
    impact.NOT_YET_CLEAR: "badge-carried",
    impact.NOT_ENOUGH_DATA: "",
}
GROUP_LABELS = {
    impact_report.PARTICIPANTS: gettext_lazy("Participants"),
    impact_report.COMPARISON: gettext_lazy("Comparison group"),
}
HEADLINE_EFFECT = "team_engagement"
# Enrollments that count a person as a participant (as metrics.population does).
STARTED = [EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN]


# --- the reports, once per request ----------------------------------------------------------


def program_report(request: HttpRequest, program: Program, **shared: Any) -> ProgramImpact:
    """The program's impact report, computed once per request (the page's figures,
    charts and tables all read the same one). `shared`: what several reports of one
    request may load once (see report.program_impact)."""
    reports: dict[int, ProgramImpact] = request.__dict__.setdefault("_impact_reports", {})
    if program.pk not in reports:
        reports[program.pk] = impact_report.program_impact(program, **shared)
    return reports[program.pk]


def programs_with_participants(user: Any) -> Any:
    """The programs on `user`'s dashboard: those they may read that have started."""
    return (
        access.programs_visible_to(user)
        .filter(enrollments__status__in=STARTED)
        .distinct()
        .order_by("-start_date", "name", "pk")
    )


def program_roi(report: ProgramImpact) -> ProgramRoi | None:
    """The report's ROI with its type (report.py keeps it untyped to avoid an import)."""
    return cast("ProgramRoi | None", report.roi)


# --- formatting ------------------------------------------------------------------------------


def estimate_text(estimate: stats.Estimate, unit: str = "", *, signed: bool = False) -> str:
    """An estimate as the pages print it: "67.0% (95% CI 55.1%-77.2%, n=20)" for a
    percentage, "8.0 (95% CI 5.1-10.9, n=24)" otherwise, or "not enough data (n=3)"."""
    if unit == "%" and estimate.enough:
        assert estimate.value is not None and estimate.low is not None
        assert estimate.high is not None
        as_share = stats.Estimate(
            estimate.n,
            estimate.value / 100,
            estimate.low / 100,
            estimate.high / 100,
            True,
            estimate.confidence,
            estimate.sizes,
        )
        return as_share.format(percent=True, signed=signed)
    digits = 2 if unit == "ratio" else 1
    return estimate.format(digits, signed=signed)


def money_text(amount: float | Decimal, currency: str) -> str:
    return f"{currency} {amount:,.2f}"


# --- the dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramSummary:
    """One program's line on the dashboard (and in the API's list)."""

    program: Program
    participants: int
    comparison: int
    criteria: dict[str, int]  # verdict -> count
    engagement_effect: stats.Estimate
    roi_percent: float | None
    bcr: float | None
    payback_months: float | None
    currency: str


def program_summary(report: ProgramImpact) -> ProgramSummary:
    verdicts = dict.fromkeys(
        [impact.MET, impact.NOT_MET, impact.NOT_YET_CLEAR, impact.NOT_ENOUGH_DATA], 0
    )
    for status in report.criteria:
        verdicts[status.verdict] += 1
    effect = next(
        (e.estimate for e in report.effects if e.key == HEADLINE_EFFECT),
        stats.Estimate.insufficient(0),
    )
    roi = program_roi(report)
    result = roi.result if roi is not None else None
    return ProgramSummary(
        program=report.program,
        participants=report.participants,
        comparison=report.comparison,
        criteria=verdicts,
        engagement_effect=effect,
        roi_percent=result.roi_percent if result else None,
        bcr=result.bcr if result else None,
        payback_months=result.payback_months if result else None,
        currency=report.program.currency,
    )


def dashboard_data(request: HttpRequest) -> tuple[list[ProgramSummary], list[Figure]]:
    """Every visible program's summary and the organization's figures; people and the
    organization's figures are loaded once for all the programs."""
    programs = list(programs_with_participants(request.user))
    organization = impact_report.organization_figures()
    summaries = [
        program_summary(program_report(request, program, organization=organization))
        for program in programs
    ]
    return summaries, organization


def _effects_chart(summaries: Iterable[ProgramSummary]) -> str | None:
    rows = [(summary.program.name, "points", summary.engagement_effect) for summary in summaries]
    if not rows:
        return None
    return charts.data_uri(impact_charts.effects_svg(rows))


def cascade_card(result: habits.Cascade) -> dict[str, Any]:
    """The dashboard's cascade card: the chart, and per group its teams' engagement in
    the latest closed pulse and its habit means (groups only, as on the cascade page)."""
    context = habits_views.cascade_context(result)
    context["summary"] = [
        {
            "group": group,
            "engagement": (
                group.engagement[-1] if group.engagement else stats.Estimate.insufficient(0)
            ).format(),
            "held_share": group.held_share.format(percent=True),
            "feedback": group.feedback_per_report_month.format(2),
        }
        for group in context["groups"]
    ]
    return context


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require_impact_reader(request.user)
    summaries, organization = dashboard_data(request)
    context = {
        "programs": [
            {
                "summary": summary,
                "met": summary.criteria[impact.MET],
                "not_met": summary.criteria[impact.NOT_MET],
                "unclear": summary.criteria[impact.NOT_YET_CLEAR],
                "short": summary.criteria[impact.NOT_ENOUGH_DATA],
                "effect": estimate_text(summary.engagement_effect, signed=True),
                "roi": None if summary.roi_percent is None else f"{summary.roi_percent:.0f}%",
                "bcr": None if summary.bcr is None else f"{summary.bcr:.2f}",
            }
            for summary in summaries
        ],
        "organization": [
            {"figure": figure, "text": estimate_text(figure.estimate, figure.unit)}
            for figure in organization
        ],
        "effects_chart": _effects_chart(summaries),
        "cascade": cascade_card(habits.cascade()),
    }
    return render(request, "insights/impact_dashboard.html", context)


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    access.require_impact_reader(request.user)
    summaries, organization = dashboard_data(request)
    name = f"impact-{timezone.localdate():%Y-%m-%d}.csv"
    AuditLog.objects.record(
        actor=request.user, action=AuditAction.EXPORT, target_type="impact", summary=name
    )
    return export.csv_response(export.dashboard_rows(summaries, organization), name)


# --- a program's report --------------------------------------------------------------------


def _criteria(report: ProgramImpact) -> list[dict[str, Any]]:
    rows = []
    for status in report.criteria:
        criterion = status.criterion
        rows.append(
            {
                "key": export.criterion_key(status),
                "label": export.criterion_label(status),
                "baseline": criterion.baseline,
                "target": criterion.target,
                "unit": criterion.unit,
                "measure_by": criterion.measure_by,
                "due": status.due,
                "actual": estimate_text(status.actual, criterion.unit),
                "verdict": status.verdict,
                "badge": VERDICT_BADGES.get(status.verdict, ""),
            }
        )
    return rows


def _figure_row(figure: impact_report.Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "unit": figure.unit,
        "text": estimate_text(figure.estimate, figure.unit),
        "comparison": (
            estimate_text(figure.comparison, figure.unit) if figure.comparison is not None else ""
        ),
        "note": figure.note,
    }


def _scopes(report: ProgramImpact) -> list[dict[str, Any]]:
    return [
        {
            "scope": scope,
            "label": label,
            "figures": [_figure_row(f) for f in report.figures if f.scope == scope],
        }
        for scope, label in SCOPES
    ]


def _effects(report: ProgramImpact) -> list[dict[str, Any]]:
    return [
        {
            "key": effect.key,
            "label": effect.label,
            "unit": effect.unit,
            "text": estimate_text(effect.estimate, effect.unit, signed=True),
            "groups": [
                (group, estimate_text(estimate, effect.unit))
                for group, estimate in export.effect_groups(effect)
            ],
            "basis": effect.basis,
        }
        for effect in report.effects
    ]


def _retention(report: ProgramImpact) -> dict[str, Any]:
    retention = report.retention
    return {
        "hazard_ratio": estimate_text(retention.hazard_ratio, "ratio"),
        "exits_avoided": retention.exits_avoided,
        "horizon_days": retention.horizon_days,
        "curves": [
            {
                "group": group,
                "label": GROUP_LABELS.get(group, group),
                "text": (
                    _("n=%(n)d, %(left)d left voluntarily") % {"n": curve.n, "left": curve.events}
                    if curve.enough
                    else _("not enough data (n=%(n)d)") % {"n": curve.n}
                ),
            }
            for group, curve in retention.curves.items()
        ],
    }


def _roi(report: ProgramImpact) -> dict[str, Any] | None:
    roi = program_roi(report)
    if roi is None:
        return None
    currency = roi.currency
    result = roi.result
    replacement = roi.replacement
    settings = roi.settings
    return {
        "currency": currency,
        "total_costs": money_text(result.total_costs, currency),
        "total_benefits": money_text(result.total_benefits, currency),
        "bcr": f"{result.bcr:.2f}",
        "roi_percent": f"{result.roi_percent:.0f}%",
        "payback": (
            _("%(months).1f months") % {"months": result.payback_months}
            if result.payback_months is not None
            else _("no payback: no monetized benefits")
        ),
        "months": result.months,
        "costs": [
            {
                "category": item.category_label,
                "label": item.label,
                "amount": money_text(item.amount, currency),
                "source": item.source,
                "computed": item.computed,
            }
            for item in roi.costs
        ],
        "benefits": [
            {
                "label": item.label,
                "value": money_text(item.value, currency),
                "attribution": f"{item.attribution_percent:.0f}%",
                "confidence": f"{item.confidence_percent:.0f}%",
                "monetized": (
                    money_text(item.monetized, currency) if item.monetized is not None else None
                ),
                "note": item.note,
            }
            for item in roi.benefits
        ],
        "intangibles": roi.intangibles,
        "assumptions": [
            (
                _("Participant time: loaded cost per hour"),
                money_text(settings.loaded_hourly_cost, currency),
            ),
            (
                _("Replacement cost of an exit"),
                _("%(percent)s%% of the salary band")
                % {"percent": f"{settings.replacement_cost_percent:.0f}"},
            ),
            (
                _("Replacement cost per exit"),
                money_text(replacement.per_exit, currency)
                if replacement is not None
                else _("no salary bands for the participants' levels"),
            ),
            (_("Benefits counted"), _("%(months)d months") % {"months": settings.benefit_months}),
            (
                _("Voluntary exits avoided"),
                f"{roi.exits_avoided:.1f}",
            ),
        ],
    }


def _levels(report: ProgramImpact) -> list[dict[str, Any]]:
    return [
        {
            "number": level.number,
            "title": level.title,
            "summary": level.summary,
            "figures": [_figure_row(f) for f in level.figures],
        }
        for level in report.levels
    ]


def _charts(report: ProgramImpact) -> dict[str, str | None]:
    criteria = [
        impact_charts.CriterionRow(
            export.criterion_label(status),
            status.actual,
            float(status.criterion.baseline),
            float(status.criterion.target),
            status.verdict,
        )
        for status in report.criteria
    ]
    trend = None
    if report.trend_labels:
        trend = impact_charts.trend_svg(
            report.trend_labels,
            {
                _("Participants' teams"): report.trend.get(impact_report.PARTICIPANTS, []),
                _("Comparison teams"): report.trend.get(impact_report.COMPARISON, []),
            },
            _("engagement index (0-100)"),
        )
    roi = program_roi(report)
    waterfall = None
    if roi is not None:
        waterfall = impact_charts.waterfall_svg(
            roi_module.waterfall(roi),
            roi.currency,
        )
    svgs = {
        "criteria": impact_charts.criteria_svg(criteria) if criteria else None,
        "effects": impact_charts.effects_svg(
            [(e.label, e.unit, e.estimate) for e in report.effects]
        )
        if report.effects
        else None,
        "retention": impact_charts.retention_svg(
            {str(GROUP_LABELS.get(g, g)): c for g, c in report.retention.curves.items()}
        ),
        "trend": trend,
        "waterfall": waterfall,
    }
    return {name: charts.data_uri(svg) if svg else None for name, svg in svgs.items()}


def _roi_inputs_url(program: Program) -> str | None:
    try:
        return reverse("insights:roi-inputs", args=[program.pk])
    except NoReverseMatch:  # the ROI inputs pages are not installed
        return None


def report_context(report: ProgramImpact, *, manages: bool) -> dict[str, Any]:
    """What the program's impact page and its PDF show."""
    return {
        "report": report,
        "program": report.program,
        "criteria": _criteria(report),
        "scopes": _scopes(report),
        "effects": _effects(report),
        "retention": _retention(report),
        "roi": _roi(report),
        "levels": _levels(report),
        "charts": _charts(report),
        "roi_inputs_url": _roi_inputs_url(report.program),
        "manages": manages,
    }


@login_required
def program_page(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program_impact(request.user, pk)
    report = program_report(request, program)
    context = report_context(report, manages=access.manages_impact(request.user))
    return render(request, "insights/impact_program.html", context)


@login_required
def program_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from tandem.insights import pdf

    program = access.access_program_impact(request.user, pk)
    problem = pdf.pdf_unavailable()
    if problem is not None:
        return HttpResponse(
            _("The PDF cannot be produced on this server: %(problem)s") % {"problem": problem},
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    report = program_report(request, program)
    context = report_context(report, manages=access.manages_impact(request.user))
    body = pdf.impact_report_pdf(context, base_url=request.build_absolute_uri("/"))
    AuditLog.objects.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=program,
        summary=f"Impact report of {program} (pdf)",
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="impact-report-{program.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _program_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    program = access.access_program_impact(request.user, pk)
    rows = export.report_rows(program_report(request, program))
    name = f"impact-{program.pk}-{timezone.localdate():%Y-%m-%d}.{kind}"
    AuditLog.objects.record(
        actor=request.user, action=AuditAction.EXPORT, target=program, summary=name
    )
    if kind == "xlsx":
        return export.xlsx_response(rows, name)
    return export.csv_response(rows, name)


@login_required
def program_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _program_export(request, pk, "csv")


@login_required
def program_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _program_export(request, pk, "xlsx")
