"""Critical roles and their slates: the list, a role's succession chart with its ranked
successors and their development actions, the bridge's proposal to enroll a candidate.

Access goes through `succession.access`, one helper per resource."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.succession import bridge, pipeline, slates
from tandem.succession import pipeline_access as access
from tandem.succession.models import (
    CriticalRole,
    DevelopmentAction,
    Readiness,
    Successor,
)
from tandem.succession.pipeline_forms import (
    ActionForm,
    ActionStatusForm,
    EnrollForm,
    RoleForm,
    SuccessorForm,
    SuccessorUpdateForm,
)


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """Admins: every role; managers: the roles in their line. Nobody else."""
    manages = access.manages_succession(request.user)
    if not (manages or access.can_see_slates(request.user)):
        raise Http404("No such page.")
    roles = list(
        access.roles_visible_to(request.user)
        .annotate(
            slate_size=Count("slate"),
            ready_now=Count("slate", filter=Q(slate__readiness=Readiness.READY_NOW)),
        )
        .order_by("-active", "title", "pk")
    )
    risk = set(pipeline.risk_role_ids())
    context = {"roles": roles, "risk": risk, "manages": manages}
    return render(request, "succession/role_list.html", context)


@login_required
def role_new(request: HttpRequest) -> HttpResponse:
    if not access.manages_succession(request.user):
        raise Http404("No such page.")
    return _role_form(request, CriticalRole())


@login_required
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _role_form(request, access.access_role(request.user, pk, write=True))


def _role_form(request: HttpRequest, role: CriticalRole) -> HttpResponse:
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        try:
            role = slates.role_save(role=form.save(commit=False), saved_by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Critical role saved."))
            return redirect("succession:role-detail", role.pk)
    return render(request, "succession/role_form.html", {"form": form, "role": role})


def _slate(role: CriticalRole) -> list[Successor]:
    return list(
        Successor.objects.filter(role=role)
        .select_related("person")
        .prefetch_related("actions__plan__enrollment__program")
        .order_by("rank", "pk")
    )


def _role_page(
    request: HttpRequest,
    role: CriticalRole,
    *,
    add_form: SuccessorForm | None = None,
    action_forms: dict[int, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    slate = _slate(role)
    planned = {
        entry.person_id: slates.current_plan(entry.person) for entry in slate
    }  # a query per candidate: a slate is a handful of people
    action_forms = action_forms or {}
    entries: list[dict[str, Any]] = [
        {
            "successor": entry,
            "plan": planned[entry.person_id],
            "action_form": action_forms.get(entry.pk) or ActionForm(prefix=f"a{entry.pk}"),
        }
        for entry in slate
    ]
    columns = [
        (label, [e for e in entries if e["successor"].readiness == value])
        for value, label in Readiness.choices
    ]
    add_form = add_form or SuccessorForm(
        candidates=access.candidates_for(request.user, role), role=role
    )
    context = {
        "role": role,
        "entries": entries,
        "columns": columns,
        "add_form": add_form,
        "readiness_choices": Readiness.choices,
        "is_risk": role.pk in pipeline.risk_role_ids(),
        "manages": access.manages_succession(request.user),
        "status_form": ActionStatusForm(),
    }
    return render(request, "succession/role_detail.html", context, status=status)


@login_required
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _role_page(request, access.access_role(request.user, pk))


@login_required
@require_POST
def successor_add(request: HttpRequest, pk: int) -> HttpResponse:
    role = access.access_role(request.user, pk)
    form = SuccessorForm(
        request.POST, candidates=access.candidates_for(request.user, role), role=role
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            slates.successor_add(
                role=role,
                person=data["person"],
                readiness=data["readiness"],
                rank=data["rank"],
                note=data["note"],
                added_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s added to the slate.") % {"name": data["person"]})
            return redirect("succession:role-detail", role.pk)
    return _role_page(request, role, add_form=form, status=422)


@login_required
@require_POST
def successor_update(request: HttpRequest, pk: int) -> HttpResponse:
    successor = access.access_successor(request.user, pk)
    form = SuccessorUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        slates.successor_update(
            successor=successor,
            changed_by=request.user,
            rank=data["rank"],
            readiness=data["readiness"] or None,
            note=data["note"] if "note" in request.POST else None,
        )
        messages.success(request, _("Slate updated."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("succession:role-detail", successor.role_id)


@login_required
@require_POST
def successor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    successor = access.access_successor(request.user, pk)
    role_id = successor.role_id
    slates.successor_remove(successor=successor, removed_by=request.user)
    messages.success(request, _("Removed from the slate."))
    return redirect("succession:role-detail", role_id)


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    successor = access.access_successor(request.user, pk)
    form = ActionForm(request.POST, prefix=f"a{successor.pk}")
    if form.is_valid():
        data = form.cleaned_data
        action = slates.action_add(successor=successor, added_by=request.user, **data)
        if action.plan_id:
            messages.success(request, _("Development action added to their development plan."))
        else:
            messages.success(
                request, _("Development action added. They have no development plan yet.")
            )
        return redirect("succession:role-detail", successor.role_id)
    return _role_page(request, successor.role, action_forms={successor.pk: form}, status=422)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action: DevelopmentAction = access.access_action(request.user, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        slates.action_set_status(
            action=action, status=form.cleaned_data["status"], changed_by=request.user
        )
        messages.success(request, _("Development action updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("succession:role-detail", action.successor.role_id)


# The bridge to development ---------------------------------------------------------------


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    """Candidates on risk roles and high potentials without a development plan."""
    if not access.manages_succession(request.user):
        raise Http404("No such page.")
    gaps = bridge.gaps()
    return render(request, "succession/pipeline_gaps.html", {"gaps": gaps})


@login_required
def bridge_person(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal for one person; POST accepts it (enrolls them)."""
    person = access.access_gap_person(request.user, pk)
    proposal = bridge.proposal_for(person, sharing=max(1, len(bridge.gaps())))
    form = EnrollForm(
        request.POST or None,
        programs=proposal.programs,
        initial={"program": proposal.program.pk if proposal.program else None},
    )
    plan = slates.current_plan(person)
    if request.method == "POST":
        if plan is not None:
            raise PermissionDenied("They already have a development plan.")
        if form.is_valid():
            try:
                bridge.bridge_enroll(
                    person=person, program=form.cleaned_data["program"], enrolled_by=request.user
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is enrolled in %(program)s.")
                    % {"name": person, "program": form.cleaned_data["program"]},
                )
                return redirect("succession:gap-list")
    context: dict[str, Any] = {"person": person, "proposal": proposal, "form": form, "plan": plan}
    status = 422 if request.method == "POST" else 200
    return render(request, "succession/pipeline_bridge.html", context, status=status)
