"""Pulse pages: the list (with response rates and the organization's trend), a new
pulse, the schedule settings, a pulse's results (filtered by org unit, level and team,
with breakdowns and the trend of the same slice), opening and closing, a manager's
"my team", and the answer page a person reaches through their emailed link, without an
account.

Program admins run pulses; executive viewers read the results; a manager reads their
own team's figures only. Every figure comes from `insights.pulses`, where the safe-cell
rule decides what shows."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tandem.insights import access, pulses
from tandem.insights.models import Pulse, PulseSettings, PulseStatus
from tandem.insights.pulse_forms import (
    PulseAnswerForm,
    PulseFilterForm,
    PulseForm,
    PulseSettingsForm,
)
from tandem.lib import charts, pulse_charts
from tandem.people.models import Level, OrgUnit, Person
from tandem.programs.services import Refused

# The "by team" table lists at most this many teams (use the filters to narrow it).
MAX_TEAM_ROWS = 200


def _require_reader(request: HttpRequest) -> None:
    if not (access.sees_impact(request.user) or access.led_team(request.user)):
        raise Http404("No such page.")


def _require_runner(request: HttpRequest) -> None:
    _require_reader(request)
    if not access.manages_impact(request.user):
        raise PermissionDenied("Only program admins run pulses.")


def _trend_chart(points: list[tuple[Pulse, pulses.SliceFigures]]) -> str | None:
    if not points:
        return None

    def series(name: str) -> pulse_charts.Series:
        estimates = [getattr(figures, name) for _pulse, figures in points]
        return (
            [e.value if e is not None else None for e in estimates],
            [e.low if e is not None else None for e in estimates],
            [e.high if e is not None else None for e in estimates],
        )

    svg = pulse_charts.pulse_trend_svg(
        [pulse.name for pulse, _figures in points],
        series("index"),
        series("enps"),
        index_label=_("Engagement index"),
        enps_label=_("eNPS"),
    )
    return charts.data_uri(svg)


# The list, a new pulse, the settings ------------------------------------------------------


@login_required
def pulse_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    if not access.sees_impact(request.user):
        return redirect("insights:pulse-team")
    rows = list(Pulse.objects.select_related("org_unit"))
    answered = pulses.answered_counts(rows)
    points = pulses.trend()
    context = {
        "rows": [
            {
                "pulse": pulse,
                "answered": answered.get(pulse.pk, 0),
                "rate": answered.get(pulse.pk, 0) / pulse.invited if pulse.invited else None,
            }
            for pulse in rows
        ],
        "manages": access.manages_impact(request.user),
        "settings": PulseSettings.current(),
        "trend": points,
        "chart": _trend_chart(points),
        "leads_team": access.led_team(request.user) is not None,
        "minimum": pulses.MINIMUM,
    }
    return render(request, "insights/pulse_list.html", context)


@login_required
def pulse_create(request: HttpRequest) -> HttpResponse:
    _require_runner(request)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pulse = pulses.pulse_create(
                name=data["name"],
                org_unit=data["org_unit"],
                closes_on=data["closes_on"],
                created_by=request.user,
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, _("Pulse created. Open it to send the links."))
            return redirect("insights:pulse-detail", pk=pulse.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "insights/pulse_form.html", {"form": form}, status=status)


@login_required
def pulse_settings(request: HttpRequest) -> HttpResponse:
    _require_runner(request)
    form = PulseSettingsForm(request.POST or None, instance=PulseSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pulse settings saved."))
        return redirect("insights:pulse-list")
    status = 422 if request.method == "POST" else 200
    return render(request, "insights/pulse_settings.html", {"form": form}, status=status)


# A pulse's results -------------------------------------------------------------------------


def _subtrees() -> tuple[dict[int, set[int]], dict[int | None, list[int]]]:
    """Each unit's subtree ids, and each unit's children (None: the top units)."""
    ancestry = pulses.unit_ancestry()
    subtree: dict[int, set[int]] = {unit: set() for unit in ancestry}
    children: dict[int | None, list[int]] = {}
    for unit, chain in ancestry.items():
        for above in chain:
            subtree[above].add(unit)
        children.setdefault(chain[-2] if len(chain) > 1 else None, []).append(unit)
    return subtree, children


def _breakdowns(
    results: pulses.PulseResults,
    *,
    unit: OrgUnit | None,
    level: str | None,
    lead: Person | None,
) -> dict[str, list[tuple[Any, dict[str, Any], pulses.SliceFigures]]]:
    """The selected slice split by org unit (the selected unit's children), by level
    and by team, each part through the same rule as any slice."""
    subtree, children = _subtrees()
    units = subtree.get(unit.pk, {unit.pk}) if unit is not None else None
    lead_id = lead.pk if lead is not None else None
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    by_unit = [
        (
            names[child],
            {"org_unit": child},
            results.figures(units=subtree[child], level=level, team_lead=lead_id),
        )
        for child in sorted(children.get(unit.pk if unit else None, []), key=names.__getitem__)
    ]
    by_level = [
        (label, {"level": value}, results.figures(units=units, level=value, team_lead=lead_id))
        for value, label in Level.choices
    ]
    lead_ids = {key[2] for key in results.keys(units=units, level=level, team_lead=lead_id)}
    leads = Person.objects.filter(pk__in=[pk for pk in lead_ids if pk is not None]).order_by(
        "last_name", "first_name", "pk"
    )[:MAX_TEAM_ROWS]
    by_team = [
        (
            _("Team of %(name)s") % {"name": person.full_name},
            {"team_lead": person.pk},
            results.figures(units=units, level=level, team_lead=person.pk),
        )
        for person in leads
    ]
    return {"unit": by_unit, "level": by_level, "team": by_team}


def _query(filters: dict[str, Any], **change: Any) -> str:
    merged = {**filters, **change}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


@login_required
def pulse_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pulse = access.access_pulse(request.user, pk)
    if not access.sees_impact(request.user):
        return _team_detail(request, pulse)
    filters = PulseFilterForm(request.GET or None)
    status = 200
    unit = level = lead = None
    if filters.is_bound:
        if filters.is_valid():
            unit = filters.cleaned_data["org_unit"]
            level = filters.cleaned_data["level"] or None
            lead = filters.cleaned_data["team_lead"]
        else:
            status = 400
    chosen = {
        "org_unit": unit.pk if unit else None,
        "level": level,
        "team_lead": lead.pk if lead else None,
    }
    context: dict[str, Any] = {
        "pulse": pulse,
        "answered": pulses.answered_counts([pulse]).get(pulse.pk, 0),
        "filters": filters,
        "unit": unit,
        "level_label": Level(level).label if level else None,
        "lead": lead,
        "clear_team": _query(chosen, team_lead=None),
        "manages": access.manages_impact(request.user),
    }
    if pulse.status == PulseStatus.CLOSED:
        results = pulses.PulseResults.of(pulse)
        units = pulses.unit_subtree(unit)
        lead_id = lead.pk if lead else None
        context["figures"] = results.figures(units=units, level=level, team_lead=lead_id)
        parts = _breakdowns(results, unit=unit, level=level, lead=lead)
        context["parts"] = {
            name: [(label, _query(chosen, **change), figures) for label, change, figures in rows]
            for name, rows in parts.items()
        }
        context["too_many_teams"] = len(parts["team"]) >= MAX_TEAM_ROWS
        points = pulses.trend(org_unit=unit, level=level, team_lead=lead)
        context["trend"] = points
        context["chart"] = _trend_chart(points)
    return render(request, "insights/pulse_detail.html", context, status=status)


def _team_detail(request: HttpRequest, pulse: Pulse) -> HttpResponse:
    """What a manager sees of a pulse: their own team's figures, nothing else."""
    me = access.led_team(request.user)
    assert me is not None  # access_pulse let them in as a team lead
    figures = pulses.slice_figures(pulse, team_lead=me)
    context = {"pulse": pulse, "figures": figures, "me": me}
    return render(request, "insights/pulse_team_detail.html", context)


@login_required
def pulse_team(request: HttpRequest) -> HttpResponse:
    """A manager's own team, pulse by pulse."""
    me = access.led_team(request.user)
    if me is None:
        raise Http404("No such page.")
    points = pulses.trend(team_lead=me)
    context = {
        "me": me,
        "trend": points,
        "chart": _trend_chart(points),
        "sees_impact": access.sees_impact(request.user),
    }
    return render(request, "insights/pulse_team.html", context)


@login_required
@require_POST
def pulse_open(request: HttpRequest, pk: int) -> HttpResponse:
    pulse = access.access_pulse(request.user, pk, write=True)
    try:
        pulse = pulses.pulse_open(pulse=pulse, opened_by=request.user)
    except Refused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The pulse is open: %(n)d people were sent their link.") % {"n": pulse.invited},
        )
    return redirect("insights:pulse-detail", pk=pk)


@login_required
@require_POST
def pulse_close(request: HttpRequest, pk: int) -> HttpResponse:
    pulse = access.access_pulse(request.user, pk, write=True)
    try:
        pulses.pulse_close(pulse=pulse, closed_by=request.user)
    except Refused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pulse is closed; its results are below."))
    return redirect("insights:pulse-detail", pk=pk)


# Answering through the link ----------------------------------------------------------------

UNAVAILABLE = {
    pulses.UNKNOWN: (
        gettext_lazy("This link is not valid"),
        gettext_lazy("Check that you opened the whole link from your email."),
    ),
    pulses.USED: (
        gettext_lazy("This link has already been used"),
        gettext_lazy("Your answers were recorded. Thank you — there is nothing more to do."),
    ),
    pulses.EXPIRED: (
        gettext_lazy("This link has expired"),
        gettext_lazy("The pulse stopped taking answers on its closing date."),
    ),
    pulses.CLOSED: (
        gettext_lazy("This pulse is closed"),
        gettext_lazy("The pulse is no longer taking answers."),
    ),
}


def _unavailable(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    title, text = UNAVAILABLE[problem]
    return render(
        request, "insights/pulse_unavailable.html", {"title": title, "text": text}, status=status
    )


@never_cache
def pulse_answer(request: HttpRequest, token: str) -> HttpResponse:
    link = pulses.pulse_link(token)
    if link.invitation is None or link.problem is not None:
        return _unavailable(request, link.problem or pulses.UNKNOWN, link.status)
    # Bound on every POST, even an empty one, so the page says what is missing.
    form = PulseAnswerForm(
        request.POST if request.method == "POST" else None,
        organization=pulses.organization_name(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                pulses.pulse_answer(raw_token=token, answers=form.answers())
            except pulses.LinkRefused as refused:  # used or closed since the page opened
                gone = 404 if refused.problem == pulses.UNKNOWN else 410
                return _unavailable(request, refused.problem, gone)
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            else:
                return redirect("insights:pulse-answer-done")
        status = 400
    context = {"form": form, "pulse": link.invitation.pulse, "minimum": pulses.MINIMUM}
    return render(request, "insights/pulse_answer.html", context, status=status)


def pulse_answer_done(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/pulse_answer_done.html")
