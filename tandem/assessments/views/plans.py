"""The assessments' part of the development plan page (programs.panels), and starting
the measure step's follow-up 360 from it.

The plan page has already checked that the viewer may see the plan; what the panels
show of the assessments goes through plan_summary, which applies the report and
self-service rules on top (see its docstring)."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.assessments import plan_summary, services
from tandem.assessments.forms.plans import FollowUpForm
from tandem.assessments.models import Instrument, Review
from tandem.programs import access as programs_access
from tandem.programs.models import DevelopmentPlan, PlanCycle, Stage
from tandem.programs.panels import Panel

# A follow-up 360 started from the plan collects answers for three weeks unless changed.
FOLLOW_UP_DAYS = 21


def _follow_up_form(data: Any = None) -> FollowUpForm:
    closes_on = timezone.localdate() + datetime.timedelta(days=FOLLOW_UP_DAYS)
    return FollowUpForm(data, prefix="follow-up", initial={"closes_on": closes_on})


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _is_own(request: HttpRequest, plan: DevelopmentPlan) -> bool:
    viewer = policy.person_of(request.user)
    return viewer is not None and viewer.pk == plan.person_id


# Panels of the plan page --------------------------------------------------------------


def assessment_panel(request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle) -> Panel:
    """The main column: suggested goal areas and strengths from the latest 360, the shift
    since the previous one, the self-assessment before and after, and in the measure
    step the follow-up 360."""
    user = request.user
    in_measure = cycle.stage == Stage.MEASURE
    return Panel(
        "assessments/snippets/plan_assessment.html",
        {
            "review_view": plan_summary.review_view(user, plan, via="plan page", ip=_ip(request)),
            "self_change": plan_summary.self_change(user, plan),
            "self_draft": plan_summary.own_draft(user, plan),
            "ask_for_self_assessment": plan_summary.asks_for_self_assessment(user, plan, cycle),
            "follow_up": plan_summary.follow_up(user, plan) if in_measure else None,
            "follow_up_form": _follow_up_form() if in_measure else None,
        },
    )


def self_view_panel(request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle) -> Panel:
    """The side column: the latest self-assessment and style profile."""
    return Panel(
        "assessments/snippets/self_summary.html",
        {"summary": plan_summary.self_view(request.user, plan)},
    )


# The follow-up 360 --------------------------------------------------------------------


def _same_instrument(previous: Review | None) -> Instrument | None:
    """The newest version of the previous 360's instrument, so the two compare
    competency by competency; None (the default 360) without a previous one."""
    if previous is None:
        return None
    return (
        Instrument.objects.filter(key=previous.instrument.key, kind=previous.instrument.kind)
        .order_by("-version")
        .first()
    )


@login_required
def follow_up_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the follow-up 360 of the plan's person, on the plan's enrollment. The service
    links it to their latest closed 360, so its report shows the shift."""
    plan = programs_access.access_plan(request.user, pk)
    follow_up = plan_summary.follow_up(request.user, plan)
    form = _follow_up_form(request.POST if request.method == "POST" else None)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_start(
                subject=plan.person,
                closes_on=form.cleaned_data["closes_on"],
                started_by=request.user,
                instrument=_same_instrument(follow_up.previous),
                enrollment=plan.enrollment,
            )
        except services.Refused as error:
            refused = error.messages
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The follow-up 360 has started. Nominate the raters next."))
            return redirect("assessments:review-detail", pk=review.pk)
    return render(
        request,
        "assessments/plan_follow_up.html",
        {
            "plan": plan,
            "person": plan.person,
            "is_own": _is_own(request, plan),
            "follow_up": follow_up,
            "form": form,
            "refused": refused,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("plans/<int:pk>/follow-up-360/", follow_up_start, name="plan-follow-up"),
]
