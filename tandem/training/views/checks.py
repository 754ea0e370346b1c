"""The learner's own knowledge checks (before and after the session, scored per
objective) and the reaction survey. Only the learner answers; someone without a seat
in the session gets "not found"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from tandem.accounts.forms import place_refusal
from tandem.training import access, forms, services
from tandem.training.models import CheckAttempt, CheckPhase


@login_required
def check_take(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    if phase not in CheckPhase.values:
        raise Http404("No such check.")
    session = access.access_session(request.user, pk)
    seat = access.access_own_seat(request.user, session)
    attempt = CheckAttempt.objects.filter(seat=seat, phase=phase).first()
    if attempt is not None:
        objectives = {o.pk: o for o in session.course.objectives.all()}
        scores = [(objectives[k], v) for k, v in attempt.scores().items() if k in objectives]
        return render(
            request,
            "training/check_result.html",
            {"session": session, "phase": phase, "attempt": attempt, "scores": scores},
        )
    reason = services.check_open(seat, phase)
    questions = services.check_questions(session) if reason is None else []
    form = forms.CheckForm(request.POST or None, questions=questions)
    refusals = [reason] if reason else []
    if request.method == "POST" and reason is None and form.is_valid():
        try:
            services.check_submit(seat=seat, phase=phase, answers=form.answers())
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Check submitted. Here are your scores."))
            return redirect("training:check", pk=session.pk, phase=phase)
    return render(
        request,
        "training/check_form.html",
        {
            "session": session,
            "phase": phase,
            "phase_label": CheckPhase(phase).label,
            "form": form,
            "refusals": refusals,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session(request.user, pk)
    seat = access.access_own_seat(request.user, session)
    reason = services.reaction_open(seat)
    form = forms.ReactionForm(request.POST or None)
    refusals = [reason] if reason else []
    if request.method == "POST" and reason is None and form.is_valid():
        try:
            services.reaction_submit(seat=seat, **form.cleaned_data)
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("training:session-detail", pk=session.pk)
    return render(
        request,
        "training/survey_form.html",
        {"session": session, "form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("sessions/<int:pk>/checks/<str:phase>/", check_take, name="check"),
    path("sessions/<int:pk>/survey/", survey_answer, name="survey"),
]
