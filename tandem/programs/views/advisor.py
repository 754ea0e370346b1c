"""The modality advisor: "training, mentoring or coaching?"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


@login_required
def advisor(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/advisor.html", {})


urlpatterns = [
    path("advisor/", advisor, name="advisor"),
]
