"""The modality advisor: "training, mentoring or coaching?".

Any signed-in user may ask it. Opened from a plan (`?plan=<id>`, a plan the user may
work on), it starts from the participant's level and can add the recommended
modalities to the plan's "learn" step."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts import policy
from tandem.lib.advisor import advise
from tandem.programs import access
from tandem.programs import advisor as advising
from tandem.programs.forms.advisor import AdvisorForm
from tandem.programs.models import DevelopmentPlan
from tandem.programs.services import Refused

QUESTION_NAMES = tuple(AdvisorForm.base_fields)


def _plan_from(request: HttpRequest) -> DevelopmentPlan | None:
    raw = request.GET.get("plan")
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404("No such plan.")
    return access.access_plan(request.user, int(raw))


def _answers(form: AdvisorForm) -> dict[str, dict[str, str]]:
    """Each question with the answer given, as the page shows it."""
    answers = {}
    for name in QUESTION_NAMES:
        field = form[name]
        value = form.cleaned_data[name]
        choices = dict(getattr(field.field, "choices", []))
        if name == "budget_per_person":
            shown = f"{value:,.2f}".removesuffix(".00")
        elif name == "practice_and_feedback":
            shown = str(choices["yes" if value else "no"])
        elif choices:
            shown = str(choices[value])
        else:
            shown = f"{value:,}"
        answers[name] = {
            "question": str(field.label),
            "name": str(advising.INPUT_NAMES[name]),
            "answer": shown,
        }
    return answers


def _next_to_answers(
    reasons: list[dict[str, str]], answers: dict[str, dict[str, str]]
) -> list[dict[str, str]]:
    return [{**answers[reason["input"]], **reason} for reason in reasons]


def _add_label(request: HttpRequest, plan: DevelopmentPlan) -> str:
    if policy.person_of(request.user) == plan.person:
        return _("Add to my plan")
    return _("Add to %(name)s's plan") % {"name": plan.person.full_name}


@login_required
def advisor(request: HttpRequest) -> HttpResponse:
    plan = _plan_from(request)
    if request.method == "POST":
        data: Any = request.POST
    elif any(name in request.GET for name in QUESTION_NAMES):
        data = request.GET
    else:
        data = None
    form = AdvisorForm(data, initial={"level": plan.person.level} if plan else None)
    advice = advise(form.situation()) if form.is_bound and form.is_valid() else None
    cycle = plan.current_cycle() if plan else None
    blocker = advising.learn_step_blocker(cycle) if cycle else None
    status = 400 if form.errors else 200

    if request.method == "POST" and "add_to_plan" in request.POST and advice is not None:
        if plan is None:
            blocker, status = _("Open the advisor from a plan to add its advice to it."), 400
        else:
            try:
                created = advising.plan_add_advice(plan=plan, advice=advice, added_by=request.user)
            except Refused as refused:
                blocker, status = " ".join(refused.messages), 409
            else:
                if not created:
                    messages.info(request, _("The plan already has these learning activities."))
                else:
                    messages.success(
                        request,
                        ngettext(
                            "Added %(count)d learning activity to %(name)s's plan.",
                            "Added %(count)d learning activities to %(name)s's plan.",
                            len(created),
                        )
                        % {"count": len(created), "name": plan.person.full_name},
                    )
                query = {"plan": plan.pk, **{name: form.data[name] for name in QUESTION_NAMES}}
                return redirect(f"{reverse('programs:advisor')}?{urlencode(query)}")

    context: dict[str, Any] = {"form": form, "plan": plan, "cycle": cycle, "blocker": blocker}
    if advice is not None:
        shown = advising.advice_as_dict(advice)
        answers = _answers(form)
        context.update(
            advice=shown,
            reasons=_next_to_answers(shown["reasons"], answers),
            weighed_against=_next_to_answers(shown["weighed_against"], answers),
            components=[
                {"key": key, "label": advising.COMPONENT_LABELS[key]} for key in advice.components
            ],
            add_label=_add_label(request, plan) if plan else "",
            in_plan=bool(cycle and not blocker and advising.advice_in_cycle(cycle, advice)),
        )
    return render(request, "programs/advisor.html", context, status=status)


urlpatterns = [
    path("advisor/", advisor, name="advisor"),
]
