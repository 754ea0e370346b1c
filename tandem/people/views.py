from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts import policy


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    people = policy.people_visible_to(request.user).directory()
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/directory.html", {"page": page})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.access_person(request.user, pk)
    return render(request, "people/person_detail.html", {"person": person})


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    return render(request, "people/org_chart.html")


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload the HRIS file: a dry run (the default) previews the changes, otherwise
    they are saved. Any problem lists every bad row and saves nothing."""
    from tandem.people import importing

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
