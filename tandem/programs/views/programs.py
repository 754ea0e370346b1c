"""Program pages: the list, creating and editing a program, and the program overview
where admins define success criteria, launch, add cohorts and costs, enroll people and
follow each participant through the cycle.

Every view fetches the program through `access.access_program` (program admins see
all of them, a participant only the programs they are enrolled in; writes are for
admins), so no page can forget the rule."""

import copy
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.programs import access, overview, services
from tandem.programs.forms.programs import (
    CRITERIA_ARE_FIXED,
    CohortForm,
    CostLineForm,
    EnrollmentStatusForm,
    EnrollPeopleForm,
    ProgramForm,
    SuccessCriterionForm,
    program_owners,
)
from tandem.programs.models import Enrollment, Program, ProgramStatus, SuccessCriterion

PARTICIPANTS_PAGE_SIZE = 50
# The overdue panel lists this many of each kind and says how many more there are.
OVERDUE_SHOWN = 10

CRITERIA_PARTIAL = "programs/snippets/program_criteria.html"


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _back_to(program: Program, section: str = "") -> HttpResponse:
    url = reverse("programs:program-detail", args=[program.pk])
    return redirect(f"{url}#{section}" if section else url)


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    """Admins get every program with its counts; anyone else the programs they are
    enrolled in, with their own status and step."""
    visible = access.programs_visible_to(request.user)
    if policy.is_program_admin(request.user):
        programs = list(overview.with_counts(visible))
        for program in programs:
            program.stage_bars = overview.stage_bars_of(program)  # type: ignore[attr-defined]
        return render(
            request, "programs/program_list.html", {"programs": programs, "is_admin": True}
        )
    enrollments = overview.with_open_cycle(
        Enrollment.objects.filter(person=policy.person_of(request.user), program__in=visible)
    ).select_related("program", "cohort", "plan")
    return render(
        request,
        "programs/program_list.html",
        {
            "enrollments": enrollments.order_by("-program__start_date", "program__name"),
            "is_admin": False,
        },
    )


def _program_form_page(
    request: HttpRequest, form: ProgramForm, program: Program | None
) -> HttpResponse:
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    initial = {}
    if program_owners().filter(pk=request.user.pk).exists():
        initial["owner"] = request.user.pk
    form = ProgramForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        program = form.save()
        messages.success(
            request,
            _("Created %(name)s. Define its success criteria, then launch it.") % {"name": program},
        )
        return redirect("programs:program-detail", pk=program.pk)
    return _program_form_page(request, form, None)


@login_required
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    before = copy.copy(program)  # validation writes the new values into `program`
    form = ProgramForm(request.POST if request.method == "POST" else None, instance=program)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved the changes to %(name)s.") % {"name": program})
        return redirect("programs:program-detail", pk=program.pk)
    return _program_form_page(request, form, before)


def _criteria_context(program: Program, form: BaseForm | None = None) -> dict[str, Any]:
    return {
        "program": program,
        "criteria": program.criteria.select_related("competency"),
        "criterion_form": form or SuccessCriterionForm(program=program),
        "can_remove_criteria": program.status == ProgramStatus.DRAFT,
        "can_add_criteria": program.status != ProgramStatus.CLOSED,
    }


def _overview(
    request: HttpRequest,
    program: Program,
    *,
    status: int = 200,
    launch_blockers: list[str] | None = None,
    **bound_forms: BaseForm,
) -> HttpResponse:
    """The program overview, with a bound form (and its errors) in place of the blank
    one where a submission was refused."""
    today = timezone.localdate()
    page = Paginator(overview.participants(program, today=today), PARTICIPANTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    cost_lines = list(program.cost_lines.all())
    total_cost = sum((line.amount for line in cost_lines), Decimal("0"))
    late_items = overview.overdue_action_items(program, today=today)
    late_checkins = overview.overdue_checkins(program, today=today)
    late_item_count, late_checkin_count = late_items.count(), late_checkins.count()
    context = {
        **_criteria_context(program, bound_forms.pop("criterion_form", None)),
        "cohort_form": CohortForm(program=program),
        "cost_form": CostLineForm(program=program),
        "enroll_form": EnrollPeopleForm(program=program),
        **bound_forms,
        "cohorts": program.cohorts.annotate(
            participant_count=Count("enrollments", distinct=True)
        ).order_by("start_date", "name"),
        "cost_lines": cost_lines,
        "total_cost": total_cost,
        "over_budget": total_cost > program.budget,
        "budget_share": min(100, round(100 * total_cost / program.budget)) if program.budget else 0,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "stage_bars": overview.stage_bars(overview.stage_counts(program)),
        "overdue_items": late_items[:OVERDUE_SHOWN],
        "overdue_item_count": late_item_count,
        "more_overdue_items": max(0, late_item_count - OVERDUE_SHOWN),
        "overdue_checkins": late_checkins[:OVERDUE_SHOWN],
        "overdue_checkin_count": late_checkin_count,
        "more_overdue_checkins": max(0, late_checkin_count - OVERDUE_SHOWN),
        "launch_blockers": launch_blockers,
        "is_closed": program.status == ProgramStatus.CLOSED,
    }
    return render(request, "programs/program_detail.html", context, status=status)


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk)
    if policy.is_program_admin(request.user):
        return _overview(request, program)
    # A participant reads the program's design and their own part in it; other
    # participants are individual records, so they are not listed here.
    person = policy.person_of(request.user)
    mine = overview.participants(program, today=timezone.localdate()).filter(person=person).first()
    return render(
        request,
        "programs/program_summary.html",
        {
            "program": program,
            "criteria": program.criteria.select_related("competency"),
            "enrollment": mine,
        },
    )


@login_required
@require_POST
def program_launch(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    try:
        services.program_launch(program=program, launched_by=request.user)
    except services.Refused as refused:
        return _overview(request, program, status=400, launch_blockers=refused.messages)
    messages.success(
        request,
        _("Launched %(name)s. Enroll participants to start their plans.") % {"name": program},
    )
    return _back_to(program)


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    form = SuccessCriterionForm(request.POST, program=program)
    valid = form.is_valid()
    if valid:
        form.save()
    if _is_htmx(request):
        # htmx swaps only successful responses, so a refused form comes back as 200
        # with its errors in place; without JavaScript it is the usual 400 page.
        context = _criteria_context(program, None if valid else form)
        context["criterion_added"] = valid
        response = render(request, CRITERIA_PARTIAL, context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if not valid:
        return _overview(request, program, status=400, criterion_form=form)
    messages.success(request, _("Added the success criterion."))
    return _back_to(program, "criteria")


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    criterion = get_object_or_404(SuccessCriterion, pk=criterion_pk, program=program)
    refused = program.status != ProgramStatus.DRAFT
    if not refused:
        criterion.delete()
    if _is_htmx(request):
        context = {**_criteria_context(program), "criteria_refused": refused}
        response = render(request, CRITERIA_PARTIAL, context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if refused:
        messages.error(request, CRITERIA_ARE_FIXED)
    else:
        messages.success(request, _("Removed the success criterion."))
    return _back_to(program, "criteria")


@login_required
@require_POST
def cohort_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    form = CohortForm(request.POST, program=program)
    if not form.is_valid():
        return _overview(request, program, status=400, cohort_form=form)
    cohort = form.save()
    messages.success(request, _("Added the cohort %(name)s.") % {"name": cohort.name})
    return _back_to(program, "cohorts")


@login_required
@require_POST
def cost_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    form = CostLineForm(request.POST, program=program)
    if not form.is_valid():
        return _overview(request, program, status=400, cost_form=form)
    form.save()
    messages.success(request, _("Added the cost."))
    return _back_to(program, "costs")


@login_required
@require_POST
def enroll(request: HttpRequest, pk: int) -> HttpResponse:
    """Enroll everyone listed, or nobody: one problem stops the whole list."""
    program = access.access_program(request.user, pk, write=True)
    form = EnrollPeopleForm(request.POST, program=program)
    if form.is_valid():
        people = form.cleaned_data["employee_ids"]
        try:
            with transaction.atomic():
                for person in people:
                    services.enrollment_create(
                        program=program,
                        person=person,
                        enrolled_by=request.user,
                        cohort=form.cleaned_data["cohort"],
                    )
        except services.Refused as refused:
            # Someone changed the program or a person since the form was checked.
            form.add_error("employee_ids", refused.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Enrolled %(count)d person; their plan starts at step 1, assess.",
                    "Enrolled %(count)d people; their plans start at step 1, assess.",
                    len(people),
                )
                % {"count": len(people)},
            )
            return _back_to(program, "participants")
    return _overview(request, program, status=400, enroll_form=form)


@login_required
@require_POST
def enrollment_status(request: HttpRequest, pk: int, enrollment_pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, write=True)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("person"), pk=enrollment_pk, program=program
    )
    form = EnrollmentStatusForm(request.POST, enrollment=enrollment)
    if not form.is_valid():
        for error in form.errors.get("status", []):
            messages.error(request, str(error))
        return _back_to(program, "participants")
    if form.cleaned_data["status"] != enrollment.status:
        services.enrollment_set_status(
            enrollment=enrollment, status=form.cleaned_data["status"], changed_by=request.user
        )
        messages.success(
            request,
            _("%(name)s is now %(status)s.")
            % {"name": enrollment.person, "status": enrollment.get_status_display().lower()},
        )
    return _back_to(program, "participants")


urlpatterns = [
    path("", program_list, name="program-list"),
    path("new/", program_create, name="program-create"),
    path("<int:pk>/", program_detail, name="program-detail"),
    path("<int:pk>/edit/", program_edit, name="program-edit"),
    path("<int:pk>/launch/", program_launch, name="program-launch"),
    path("<int:pk>/criteria/", criterion_add, name="program-criterion-add"),
    path(
        "<int:pk>/criteria/<int:criterion_pk>/remove/",
        criterion_remove,
        name="program-criterion-remove",
    ),
    path("<int:pk>/cohorts/", cohort_add, name="program-cohort-add"),
    path("<int:pk>/costs/", cost_line_add, name="program-cost-add"),
    path("<int:pk>/enrollments/", enroll, name="program-enroll"),
    path(
        "<int:pk>/enrollments/<int:enrollment_pk>/status/",
        enrollment_status,
        name="program-enrollment-status",
    ),
]
