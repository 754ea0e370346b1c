"""Development plan pages: my plan (participant) and a plan's page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from tandem.accounts import policy
from tandem.programs import access


@login_required
def my_plans(request: HttpRequest) -> HttpResponse:
    person = policy.person_of(request.user)
    plans = access.plans_visible_to(request.user).filter(person=person) if person else []
    return render(request, "programs/my_plans.html", {"plans": plans})


urlpatterns = [
    path("my-plan/", my_plans, name="my-plans"),
]
