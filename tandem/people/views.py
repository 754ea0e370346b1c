"""Pages for the organization: the directory, the org chart and a person's page.

Every view fetches people through `accounts.policy`, so the confidentiality rule for
individual records (the person, their management chain, program admins) holds on
every page and every htmx partial."""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.people import importing, services
from tandem.people.forms import DirectoryFilterForm, PersonPageForm
from tandem.people.models import Person, PersonQuerySet

DIRECTORY_PAGE_SIZE = 50


def _is_partial_for(request: HttpRequest, target: str) -> bool:
    """True for an htmx request that swaps only the element with id `target`. A history
    restore asks for the whole page, so it gets the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and htmx.target == target


def _with_report_counts(people: PersonQuerySet) -> PersonQuerySet:
    """Annotate `report_count`: direct reports still employed, in the same query."""
    today = timezone.localdate()
    still_employed = Q(reports__exit_date__isnull=True) | Q(reports__exit_date__gt=today)
    return people.annotate(report_count=Count("reports", filter=still_employed))


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    # A bad value (a hand-edited URL) is reported next to its field; the valid filters
    # still apply, so the page never shows more than was asked for.
    form.is_valid()
    filters = form.cleaned_data
    people = policy.people_visible_to(request.user).directory()
    if not filters.get("include_left"):
        people = people.active()
    if filters.get("q"):
        people = people.search(filters["q"])
    if filters.get("unit"):
        people = people.in_unit(filters["unit"])
    if filters.get("level"):
        people = people.at_level(filters["level"])
    per_page = filters.get("per_page") or DIRECTORY_PAGE_SIZE
    page = Paginator(people, per_page).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "is_filtered": any(filters.get(name) for name in ("q", "unit", "level")),
        "can_create": policy.can_manage_organization(request.user),
    }
    partial = _is_partial_for(request, "directory-results")
    template = "people/snippets/directory_results.html" if partial else "people/directory.html"
    response = render(request, template, context, status=400 if form.errors else 200)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _management_chain(person: Person, *, viewer: Person | None, admin: bool) -> list[tuple]:
    """`(manager, viewable)` pairs from the top of the tree down to `person`'s direct
    manager. `viewable` says whether the viewer may open that manager's page: admins
    always; others only up to and including themselves."""
    viewable = admin or (viewer is not None and viewer.pk != person.pk)
    chain = []
    for manager in person.management_chain():
        chain.append((manager, viewable))
        if not admin and viewer is not None and manager.pk == viewer.pk:
            viewable = False
    return chain[::-1]


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.access_person(request.user, pk)
    reports = _with_report_counts(
        policy.people_visible_to(request.user).filter(manager=person).active()
    ).select_related("org_unit")
    context = {
        "person": person,
        "chain": _management_chain(
            person,
            viewer=policy.person_of(request.user),
            admin=policy.is_program_admin(request.user),
        ),
        "reports": reports.order_by("last_name", "first_name", "pk"),
        "history": person.job_history.select_related("org_unit").order_by("-effective_date", "-pk"),
        "can_edit": policy.can_manage_organization(request.user),
        "tenure_end": person.exit_date or timezone.localdate(),
    }
    return render(request, "people/person_detail.html", context)


@dataclass
class OrgNode:
    """One box in the org chart; `reports` is None until someone expands it."""

    person: Person
    reports: "list[OrgNode] | None" = None


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    """Admins start at the top of the tree; everyone else at themselves. The first
    level below the starting point is shown at once, deeper ones load on demand."""
    viewer = policy.person_of(request.user)
    is_admin = policy.is_program_admin(request.user)
    if is_admin:
        roots = Person.objects.filter(manager__isnull=True).active()
    elif viewer is not None:
        roots = Person.objects.filter(pk=viewer.pk)
    else:
        roots = Person.objects.none()
    roots = (
        _with_report_counts(roots)
        .select_related("org_unit")
        .order_by("last_name", "first_name", "pk")
    )
    root_list = list(roots)
    below = _with_report_counts(
        policy.people_visible_to(request.user).filter(manager__in=root_list).active()
    ).select_related("org_unit")
    by_manager: dict[int, list[OrgNode]] = {}
    for report in below.order_by("last_name", "first_name", "pk"):
        by_manager.setdefault(report.manager_id or 0, []).append(OrgNode(report))
    nodes = [OrgNode(root, by_manager.get(root.pk, [])) for root in root_list]
    return render(request, "people/org_chart.html", {"nodes": nodes, "is_admin": is_admin})


@login_required
def person_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The org chart's lazily loaded branch: `pk`'s direct reports still employed."""
    manager = policy.access_person(request.user, pk)
    response: HttpResponse
    if not request.htmx:  # type: ignore[attr-defined]
        # Without JavaScript the person's page lists the same reports.
        response = redirect(reverse("people:person-detail", args=[manager.pk]) + "#reports")
    else:
        reports = _with_report_counts(
            policy.people_visible_to(request.user).filter(manager=manager).active()
        ).select_related("org_unit")
        nodes = [OrgNode(p) for p in reports.order_by("last_name", "first_name", "pk")]
        response = render(request, "people/snippets/org_nodes.html", {"nodes": nodes})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.access_person(request.user, pk, write=True)
    before = copy.copy(person)  # validation writes the new values into `person`
    form = PersonPageForm(request.POST if request.method == "POST" else None, instance=person)
    if form.is_valid():
        services.person_save(person=form.save(commit=False), before=before, changed_by=request.user)
        messages.success(request, _("Saved the changes to %(name)s.") % {"name": person})
        return redirect("people:person-detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": before},
        status=400 if form.errors else 200,
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    policy.require_organization_admin(request.user)
    manager_pk = request.GET.get("manager", "")
    manager = Person.objects.filter(pk=manager_pk).first() if manager_pk.isdigit() else None
    initial = {"manager": manager.employee_id} if manager else {}
    form = PersonPageForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        person = services.person_save(
            person=form.save(commit=False), before=None, changed_by=request.user
        )
        messages.success(request, _("Added %(name)s.") % {"name": person})
        return redirect("people:person-detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": None},
        status=400 if form.errors else 200,
    )


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload the HRIS file: a dry run (the default) previews the changes, otherwise
    they are saved. Any problem lists every bad row and saves nothing."""
    policy.require_organization_admin(request.user)
    if request.method != "POST":
        return render(request, "people/import.html", {"form": importing.ImportPeopleForm()})
    form = importing.ImportPeopleForm(request.POST, request.FILES)
    context: dict = {"form": form}
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.people_import(
            source=upload,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            imported_by=request.user,
        )
        for problem in result.file_problems:
            form.add_error("file", problem.message)
        row_problems = result.row_problems
        limit = importing.PAGE_PROBLEM_LIMIT
        context.update(
            problems=row_problems[:limit],
            problem_count=len(row_problems),
            hidden_problems=max(0, len(row_problems) - limit),
            summary=result.summary,
        )
        if result.summary is not None:
            # After a preview, the next upload is the real import; after an import,
            # start again from a dry run.
            context["form"] = importing.ImportPeopleForm(
                initial={"dry_run": not result.summary.dry_run}
            )
            return render(request, "people/import.html", context)
    return render(request, "people/import.html", context, status=400)
