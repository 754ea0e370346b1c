"""Check-ins, next steps and the manager's view of their team's development."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


@login_required
def team(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/team.html", {})


urlpatterns = [
    path("team/", team, name="team"),
]
