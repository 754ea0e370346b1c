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
    policy.require_organization_admin(request.user)
    return render(request, "people/import.html")
