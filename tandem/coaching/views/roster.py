"""The coach roster: program admins list, add and change coaches; anyone signed in
reads an active coach's profile (without the rate or the capacity)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from tandem.coaching import access, services
from tandem.coaching.forms import CoachForm
from tandem.coaching.workload import roster_with_workload


@login_required
def coach_list(request: HttpRequest) -> HttpResponse:
    access.require_roster_admin(request.user)
    return render(request, "coaching/coach_list.html", {"coaches": list(roster_with_workload())})


@login_required
def coach_create(request: HttpRequest) -> HttpResponse:
    access.require_roster_admin(request.user)
    form = CoachForm(request.POST or None, initial={"languages": ["en"], "kind": "external"})
    if request.method == "POST" and form.is_valid():
        coach = services.coach_save(form=form, saved_by=request.user)
        messages.success(request, _("%(name)s is on the roster.") % {"name": coach.name})
        return redirect("coaching:coach-detail", pk=coach.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/coach_form.html", {"form": form}, status=status)


@login_required
def coach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coach = access.access_coach(request.user, pk, write=True)
    form = CoachForm(request.POST or None, instance=coach)
    if request.method == "POST" and form.is_valid():
        services.coach_save(form=form, saved_by=request.user)
        messages.success(request, _("Saved %(name)s's profile.") % {"name": coach.name})
        return redirect("coaching:coach-detail", pk=coach.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coaching/coach_form.html", {"form": form, "coach": coach}, status=status
    )


@login_required
def coach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    coach = access.access_coach(request.user, pk)
    context = {
        "coach": coach,
        "specialties": list(coach.specialties.all()),
        "sees_terms": access.sees_coach_terms(request.user, coach),
        "can_edit": access.policy.is_program_admin(request.user),
        "load": coach.coachee_count(),
    }
    return render(request, "coaching/coach_detail.html", context)


urlpatterns = [
    path("coaches/", coach_list, name="coach-list"),
    path("coaches/new/", coach_create, name="coach-create"),
    path("coaches/<int:pk>/", coach_detail, name="coach-detail"),
    path("coaches/<int:pk>/edit/", coach_edit, name="coach-edit"),
]
