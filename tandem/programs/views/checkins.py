"""Check-ins, next steps and the manager's view of their team's development.

Every check-in page fetches the plan through `access.access_plan` (the participant,
their management chain, program admins; anyone else gets "not found"), and every
next step through `accountability.access_action_item` (those, and its owner)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.programs import access, accountability, overdue, services
from tandem.programs.forms.checkins import (
    MAX_NEXT_STEPS,
    CheckInPageForm,
    NextStepPageForm,
    nameable_people,
    next_step_formset,
)
from tandem.programs.models import ActionItem, DevelopmentPlan, Stage

TEAM_PAGE_SIZE = 50
CHECKINS_PAGE_SIZE = 20


def _plan_url(plan: DevelopmentPlan) -> str:
    return reverse("programs:plan-detail", args=[plan.pk])


# Recording a check-in ---------------------------------------------------------------


@login_required
def checkin_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Record a check-in. It is refused (400, nothing written) without at least one
    next step, or with a next step due before the check-in."""
    plan = access.access_plan(request.user, plan_pk)
    data = request.POST if request.method == "POST" else None
    form = CheckInPageForm(data, plan=plan, user=request.user)
    steps = next_step_formset(data, plan=plan, user=request.user, nameable=form.nameable)
    refusals: list[str] = []
    if data is not None:
        form_ok = form.is_valid()
        steps.held_on = form.cleaned_data.get("held_on") if form_ok else None
        if steps.is_valid() and form_ok:
            try:
                checkin = services.checkin_record(
                    plan=plan,
                    held_on=form.cleaned_data["held_on"],
                    attendees=form.cleaned_data["attendees"],
                    progress=form.cleaned_data["progress"],
                    blockers=form.cleaned_data["blockers"],
                    next_steps=[
                        services.NextStep(
                            f.cleaned_data["title"],
                            f.cleaned_data["owner"],
                            f.cleaned_data["due_date"],
                        )
                        for f in steps.filled()
                    ],
                    recorded_by=request.user,
                )
            except ValidationError as refused:
                refusals = _place_refusals(refused, form)
            else:
                count = checkin.next_steps.count()
                messages.success(
                    request,
                    ngettext(
                        "Check-in recorded with %(count)s next step.",
                        "Check-in recorded with %(count)s next steps.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(_plan_url(plan))
    context = {
        "plan": plan,
        "form": form,
        "steps": steps,
        "refusals": refusals,
        "has_errors": bool(form.errors or steps.total_error_count() or refusals),
    }
    return render(
        request,
        "programs/checkin_form.html",
        context,
        status=400 if data is not None else 200,
    )


def _place_refusals(refused: ValidationError, form: CheckInPageForm) -> list[str]:
    """Put the service's refusal next to what it is about: "next_steps" goes to the
    next-steps section (returned), a field of the form to that field."""
    if not hasattr(refused, "error_dict"):
        return list(refused.messages)
    at_next_steps: list[str] = []
    for field, field_messages in refused.message_dict.items():
        if field == "next_steps":
            at_next_steps.extend(field_messages)
        else:
            form.add_error(field if field in form.fields else None, field_messages)
    return at_next_steps


@login_required
def next_step_row(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """htmx "add another next step": one more empty row, numbered `index`."""
    plan = access.access_plan(request.user, plan_pk)
    raw = request.GET.get("steps-TOTAL_FORMS", "")
    index = int(raw) if raw.isdigit() and len(raw) < 4 else 0
    if index >= MAX_NEXT_STEPS:
        return HttpResponse(status=204)
    row = NextStepPageForm(
        prefix=f"steps-{index}",
        plan=plan,
        user=request.user,
        nameable=nameable_people(plan=plan, user=request.user),
        empty_permitted=True,
        use_required_attribute=False,
    )
    context = {"step": row, "number": index + 1, "total": index + 1, "max": MAX_NEXT_STEPS}
    return render(request, "programs/checkin_next_step_row.html", context)


@login_required
def checkin_list(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Every check-in of a plan, newest first, with who met and the next steps."""
    plan = access.access_plan(request.user, plan_pk)
    checkins = accountability.checkins_with_details(plan.checkins.all())
    page = Paginator(checkins, CHECKINS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/checkin_list.html",
        {"plan": plan, "page": page, "today": timezone.localdate()},
    )


# Next steps -------------------------------------------------------------------------


def _back(request: HttpRequest, item: ActionItem) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    if access.plans_visible_to(request.user).filter(pk=item.plan_id).exists():
        return redirect(_plan_url(item.plan))
    return redirect("programs:team")


def _set_done(request: HttpRequest, pk: int, *, done: bool) -> HttpResponse:
    item = accountability.access_action_item(request.user, pk)
    accountability.action_item_set_done(item=item, done=done, on=timezone.localdate())
    if done:
        messages.success(request, _("Marked “%(title)s” as done.") % {"title": item.title})
    else:
        messages.success(request, _("Reopened “%(title)s”.") % {"title": item.title})
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == f"checkins-panel-{item.plan_id}":
        # The plan page's panel swaps itself; its viewer may see the plan.
        plan = access.access_plan(request.user, item.plan_id)
        response = render(request, "programs/snippets/checkins_panel.html", {"plan": plan})
    else:
        response = _back(request, item)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_POST
def action_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_done(request, pk, done=True)


@login_required
@require_POST
def action_item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_done(request, pk, done=False)


# The manager's team -----------------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """Everyone below the manager who has a live plan, direct reports first, and the
    manager's own overdue next steps. Someone without reports gets an explanation."""
    today = timezone.localdate()
    me = policy.person_of(request.user)
    is_manager = me is not None and Role.MANAGER in policy.roles_of(request.user)
    page = None
    own_overdue: list[ActionItem] = []
    if is_manager:
        page = Paginator(accountability.team_plans(request.user, today), TEAM_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        for plan in page:
            _describe(plan, today)
        own_overdue = list(
            overdue.overdue_items(DevelopmentPlan.objects.all(), today)
            .filter(owner=me)
            .select_related("plan__person", "plan__enrollment__program")
            .order_by("due_date", "pk")
        )
    context: dict[str, Any] = {
        "me": me,
        "is_manager": is_manager,
        "page": page,
        "own_overdue": own_overdue,
        "today": today,
    }
    return render(request, "programs/team.html", context)


def _describe(row: Any, today: date) -> None:
    """Add to a row of `team_plans` what the page shows and cannot compute in the template."""
    row.checkin_due = overdue.next_checkin_due(row)
    row.checkin_overdue = overdue.is_checkin_overdue(row, today)
    row.stage_label = Stage(row.cycle_stage).label if row.cycle_stage else ""


urlpatterns = [
    path("team/", team, name="team"),
    path("plans/<int:plan_pk>/check-ins/", checkin_list, name="checkin-list"),
    path("plans/<int:plan_pk>/check-ins/new/", checkin_create, name="checkin-create"),
    path("plans/<int:plan_pk>/check-ins/next-step-row/", next_step_row, name="next-step-row"),
    path("action-items/<int:pk>/done/", action_item_done, name="action-item-done"),
    path("action-items/<int:pk>/reopen/", action_item_reopen, name="action-item-reopen"),
]
