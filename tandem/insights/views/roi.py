"""A program's ROI inputs: its assumptions, the salary bands, benefit lines and
intangibles, and the costs Tandem computes from them (read-only, with their source).

Program admins change them; executive viewers read the page without its forms (a
POST is a 403); anyone else gets a 404 (`insights.access`). The impact pages link here."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.insights import access, roi
from tandem.insights.models import ImpactSettings, SalaryBand
from tandem.insights.roi_forms import (
    BenefitLineForm,
    ImpactSettingsForm,
    IntangibleForm,
    SalaryBandsForm,
)
from tandem.people.models import Level
from tandem.programs.models import Program


def _back_to(program: Program, section: str) -> HttpResponse:
    return redirect(f"{reverse('insights:roi-inputs', args=[program.pk])}#{section}")


def _bands_by_level() -> list[SalaryBand]:
    found = {band.level: band for band in SalaryBand.objects.all()}
    return [found[level] for level in Level.values if level in found]


def _inputs_page(
    request: HttpRequest, program: Program, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The inputs page; where a submission was refused, its bound form (with the
    errors next to the fields) stands in for the blank one."""
    manages = access.manages_impact(request.user)
    settings = ImpactSettings.of(program)
    context: dict[str, Any] = {
        "program": program,
        "manages": manages,
        "settings": settings,
        "costs": roi.program_costs(program, settings),
        "replacement": roi.replacement_cost_basis(program, settings),
        "bands": _bands_by_level(),
        "benefit_lines": list(program.benefit_lines.order_by("pk")),
        "intangibles": list(program.intangibles.order_by("pk")),
    }
    context["total_cost"] = sum(item.amount for item in context["costs"])
    if manages:
        context.update(
            settings_form=ImpactSettingsForm(instance=settings),
            bands_form=SalaryBandsForm(),
            benefit_form=BenefitLineForm(program=program),
            intangible_form=IntangibleForm(program=program),
        )
        context.update(bound)
    return render(request, "insights/roi_inputs.html", context, status=status)


@login_required
def roi_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program_impact(request.user, pk)
    return _inputs_page(request, program)


@login_required
@require_POST
def roi_settings_save(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program_impact(request.user, pk, write=True)
    form = ImpactSettingsForm(request.POST, instance=ImpactSettings.of(program))
    if not form.is_valid():
        return _inputs_page(request, program, status=400, settings_form=form)
    roi.impact_settings_save(settings=form.save(commit=False), saved_by=request.user)
    messages.success(request, _("ROI assumptions saved."))
    return _back_to(program, "assumptions")


@login_required
@require_POST
def salary_bands_save(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program_impact(request.user, pk, write=True)
    form = SalaryBandsForm(request.POST)
    if not form.is_valid():
        return _inputs_page(request, program, status=400, bands_form=form)
    roi.salary_bands_set(midpoints=form.midpoints(), set_by=request.user)
    messages.success(request, _("Salary bands saved."))
    return _back_to(program, "salary-bands")


@login_required
@require_POST
def benefit_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program_impact(request.user, pk, write=True)
    form = BenefitLineForm(request.POST, program=program)
    if not form.is_valid():
        return _inputs_page(request, program, status=400, benefit_form=form)
    roi.benefit_line_save(line=form.save(commit=False), saved_by=request.user)
    messages.success(request, _("Benefit added."))
    return _back_to(program, "benefits")


@login_required
def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = access.access_benefit(request.user, pk)
    form = BenefitLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        roi.benefit_line_save(line=form.save(commit=False), saved_by=request.user)
        messages.success(request, _("Benefit saved."))
        return _back_to(line.program, "benefits")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "line": line, "program": line.program}
    return render(request, "insights/roi_benefit_form.html", context, status=status)


@login_required
@require_POST
def benefit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = access.access_benefit(request.user, pk)
    roi.benefit_line_delete(line=line, deleted_by=request.user)
    messages.success(request, _("Benefit deleted."))
    return _back_to(line.program, "benefits")


@login_required
@require_POST
def intangible_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program_impact(request.user, pk, write=True)
    form = IntangibleForm(request.POST, program=program)
    if not form.is_valid():
        return _inputs_page(request, program, status=400, intangible_form=form)
    roi.intangible_add(intangible=form.save(commit=False), added_by=request.user)
    messages.success(request, _("Intangible added."))
    return _back_to(program, "intangibles")


@login_required
@require_POST
def intangible_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_intangible(request.user, pk)
    roi.intangible_delete(intangible=item, deleted_by=request.user)
    messages.success(request, _("Intangible deleted."))
    return _back_to(item.program, "intangibles")
