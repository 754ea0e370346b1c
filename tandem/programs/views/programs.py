"""Program pages for program admins: list, create, criteria, cohorts, enrollments, overview."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from tandem.programs import access


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    programs = access.programs_visible_to(request.user)
    return render(request, "programs/program_list.html", {"programs": programs})


urlpatterns = [
    path("", program_list, name="program-list"),
]
