"""The pipeline dashboard (figures with n and interval, trends from the snapshots, the
CSV export of exactly the figures shown) and leadership openings (open, fill).

Every figure comes from `succession.pipeline.current_figures()`, the same dict the API
and the export return."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.accounts.models import AuditAction, AuditLog
from tandem.lib import charts, csvsafe, pipeline_charts
from tandem.people.models import Level
from tandem.succession import pipeline, slates
from tandem.succession import pipeline_access as access
from tandem.succession.models import Opening, Readiness
from tandem.succession.pipeline_forms import OpeningFillForm, OpeningForm

FIGURE_LABELS = {
    "bench_strength": gettext_lazy("Bench strength"),
    "coverage": gettext_lazy("Coverage"),
    "internal_fill_rate": gettext_lazy("Internal fill rate"),
    "high_potential_in_programs": gettext_lazy("High potentials in development programs"),
    "mean_days_to_fill": gettext_lazy("Mean days to fill"),
}


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _require_pipeline(request: HttpRequest) -> None:
    if not access.sees_pipeline(request.user):
        raise Http404("No such page.")


def export_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """The figures as CSV rows (figure, n, value, low, high): exactly what the page
    shows, unrounded, from the same dict."""
    rows: list[list[Any]] = [["figure", "n", "value", "low", "high"]]
    for name in [*pipeline.PROPORTIONS, "mean_days_to_fill"]:
        figure = figures[name]
        rows.append([name, figure["n"], figure["value"], figure["low"], figure["high"]])
    rows.append(["critical_roles", figures["critical_roles"], figures["critical_roles"], "", ""])
    rows.append(["risk_roles", figures["critical_roles"], figures["risk_roles"], "", ""])
    rows.append(
        [
            "median_days_to_fill",
            figures["openings_filled"],
            figures["median_days_to_fill"],
            "",
            "",
        ]
    )
    for level, row in figures["pipeline_by_level"].items():
        for key in ("roles", "successors", *Readiness.values):
            value = row[key] if row is not None else None
            rows.append([f"pipeline_by_level.{level}.{key}", "", value, "", ""])
    return rows


def _trend_charts() -> dict[str, str | None]:
    trends = pipeline.trends()
    if not trends or not trends[0].dates:
        return {"proportions": None, "risk": None}
    labels = [f"{day:%b %Y}" for day in trends[0].dates]
    series = {str(FIGURE_LABELS[t.name]): (t.values, t.low, t.high) for t in trends}
    dates, risk = pipeline.risk_roles_trend()
    return {
        "proportions": charts.data_uri(pipeline_charts.proportions_trend_svg(labels, series)),
        "risk": charts.data_uri(
            pipeline_charts.counts_trend_svg(
                [f"{day:%b %Y}" for day in dates], risk, name=_("Risk roles")
            )
        ),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_pipeline(request)
    figures = pipeline.current_figures()
    estimates = pipeline.estimates(figures)
    shown = [
        (name, FIGURE_LABELS[name], estimates[name].format(percent=True))
        for name in ["bench_strength", "coverage", "internal_fill_rate"]
    ]
    levels = [(Level(level).label, row) for level, row in figures["pipeline_by_level"].items()]
    context = {
        "figures": figures,
        "shown": shown,
        "high_potential": estimates["high_potential_in_programs"].format(percent=True),
        "mean_days": estimates["mean_days_to_fill"].format(),
        "levels": levels,
        "readiness": Readiness.choices,
        "trend": _trend_charts(),
        "manages": access.manages_succession(request.user),
    }
    return render(request, "succession/pipeline_dashboard.html", context)


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _require_pipeline(request)
    figures = pipeline.current_figures()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"pipeline-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csvsafe.writer(response).writerows(export_rows(figures))
    AuditLog.objects.record(
        actor=request.user, action=AuditAction.EXPORT, target_type="pipeline", summary=name
    )
    return response


@login_required
@require_POST
def snapshot_take(request: HttpRequest) -> HttpResponse:
    if not access.manages_succession(request.user):
        raise Http404("No such page.")
    pipeline.snapshot_take()
    messages.success(request, _("Today's figures are stored for the trends."))
    return redirect("succession:pipeline")


# Openings ----------------------------------------------------------------------------------


def _require_openings(request: HttpRequest) -> None:
    if not access.manages_succession(request.user):
        raise Http404("No such page.")


@login_required
def opening_list(request: HttpRequest) -> HttpResponse:
    _require_openings(request)
    openings = Opening.objects.select_related("role", "org_unit", "filled_by")[:500]
    return render(request, "succession/opening_list.html", {"openings": openings})


@login_required
def opening_new(request: HttpRequest) -> HttpResponse:
    _require_openings(request)
    form = OpeningForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slates.opening_open(
                title=data["title"],
                level=data["level"],
                opened_on=data["opened_on"],
                role=data["role"],
                org_unit=data["org_unit"],
                opened_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Opening recorded."))
            return redirect("succession:opening-list")
    status = 422 if request.method == "POST" else 200
    return render(request, "succession/opening_form.html", {"form": form}, status=status)


@login_required
def opening_fill(request: HttpRequest, pk: int) -> HttpResponse:
    opening = access.access_opening(request.user, pk)
    if opening.filled_on is not None:
        messages.info(request, _("This opening is already filled."))
        return redirect("succession:opening-list")
    form = OpeningFillForm(
        request.POST or None, opening=opening, initial={"filled_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slates.opening_fill(
                opening=opening,
                filled_on=data["filled_on"],
                source=data["source"],
                person=data["person"],
                filled_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Opening filled."))
            return redirect("succession:opening-list")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "opening": opening}
    return render(request, "succession/opening_fill.html", context, status=status)
