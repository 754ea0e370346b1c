"""Self-service assessment pages: my self-assessments (start, take, save a draft,
submit, the result with the before/after change) and the style profile (take it, the
result with the 2x2 grid and the tips for flexing towards the other styles).

Every page fetches its record through self_service.access_*: the person, their
management chain and program admins read submitted results; only the person answers;
anyone else gets "not found"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.assessments import self_service
from tandem.assessments.forms.self_service import AnswersForm, SelfAssessmentStartForm
from tandem.assessments.models import SelfAssessment


def _add_answer_errors(form: AnswersForm, problems: dict[str, str]) -> None:
    for key, message in problems.items():
        form.add_error(key if key in form.fields else None, message)


# Self-assessment ---------------------------------------------------------------------


@login_required
def self_list(request: HttpRequest) -> HttpResponse:
    """My self-assessments, and starting a new one (optionally for an enrollment)."""
    person = policy.person_of(request.user)
    form = SelfAssessmentStartForm(
        request.POST if request.method == "POST" else None, person=person
    )
    if request.method == "POST":
        if person is None:
            raise PermissionDenied(_("Only a person in the organization can assess themselves."))
        if form.is_valid():
            assessment = self_service.self_assessment_start(
                person=person, enrollment=form.cleaned_data["enrollment"]
            )
            return redirect("assessments:self-detail", pk=assessment.pk)
    assessments = (
        SelfAssessment.objects.filter(person=person)
        .select_related("enrollment__program")
        .order_by("-created_at", "-pk")
        if person is not None
        else SelfAssessment.objects.none()
    )
    return render(
        request,
        "assessments/self_list.html",
        {"person": person, "assessments": assessments, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def self_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the self-assessment: save a draft (action=save) or submit (action=submit).
    Submitted, it shows read-only."""
    assessment = self_service.access_self_assessment(
        request.user, pk, write=request.method == "POST"
    )
    is_own = policy.person_of(request.user) == assessment.person
    submitting = request.POST.get("action") == "submit"
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        instrument=assessment.instrument,
        complete=submitting,
        initial=AnswersForm.initial_from(assessment.answers),
    )
    if request.method == "POST":
        if assessment.submitted_at is not None:
            messages.error(
                request, _("This self-assessment is submitted and can no longer change.")
            )
            return redirect("assessments:self-detail", pk=assessment.pk)
        if form.is_valid():
            try:
                if submitting:
                    self_service.self_assessment_submit(
                        assessment=assessment, answers=form.answers()
                    )
                else:
                    self_service.self_assessment_save(assessment=assessment, answers=form.answers())
            except self_service.AnswersInvalid as invalid:
                _add_answer_errors(form, invalid.problems)
            else:
                if submitting:
                    messages.success(request, _("Submitted. Here is your result."))
                    return redirect("assessments:self-result", pk=assessment.pk)
                messages.success(request, _("Draft saved. Come back any time to finish it."))
                return redirect("assessments:self-detail", pk=assessment.pk)
    else:
        self_service.record_read(request.user, assessment)
    answered = sum(1 for key in assessment.instrument.item_keys() if key in assessment.answers)
    return render(
        request,
        "assessments/self_detail.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "is_own": is_own,
            "form": form,
            "read_only": assessment.submitted_at is not None,
            "answered": answered,
            "total": len(assessment.instrument.item_keys()),
            "instructions": assessment.instrument.document["instructions"],
        },
        status=400 if form.errors else 200,
    )


@login_required
def self_result(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = self_service.access_self_assessment(request.user, pk)
    if assessment.submitted_at is None:
        return redirect("assessments:self-detail", pk=assessment.pk)
    self_service.record_read(request.user, assessment)
    pair = self_service.before_and_after(assessment)
    low, high = self_service.scale_of(assessment.instrument)
    return render(
        request,
        "assessments/self_result.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "is_own": policy.person_of(request.user) == assessment.person,
            "scores": self_service.competency_scores(assessment),
            "low": low,
            "high": high,
            "before": pair[0] if pair else None,
            "after": pair[1] if pair else None,
            "changes": self_service.competency_changes(*pair) if pair else [],
        },
    )


# Style profile -----------------------------------------------------------------------


@login_required
def style_profile(request: HttpRequest) -> HttpResponse:
    """Take the style profile; my earlier profiles are listed with it."""
    person = policy.person_of(request.user)
    instrument = self_service.style_instrument()
    form = AnswersForm(
        request.POST if request.method == "POST" else None, instrument=instrument, complete=True
    )
    if request.method == "POST":
        if person is None:
            raise PermissionDenied(_("Only a person in the organization can take the profile."))
        if form.is_valid():
            try:
                profile = self_service.style_profile_submit(person=person, answers=form.answers())
            except self_service.AnswersInvalid as invalid:
                _add_answer_errors(form, invalid.problems)
            else:
                return redirect("assessments:style-detail", pk=profile.pk)
    profiles = self_service.style_profiles_visible_to(request.user).filter(person=person)
    return render(
        request,
        "assessments/style_profile.html",
        {
            "person": person,
            "form": form,
            "instrument": instrument,
            "profiles": profiles.order_by("-submitted_at", "-pk") if person else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def style_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = self_service.access_style_profile(request.user, pk)
    self_service.record_read(request.user, profile)
    return render(
        request,
        "assessments/style_detail.html",
        {
            "profile": profile,
            "person": profile.person,
            "is_own": policy.person_of(request.user) == profile.person,
            "result": self_service.style_result(profile),
        },
    )


urlpatterns: list[URLPattern] = [
    path("self/", self_list, name="self-list"),
    path("self/<int:pk>/", self_detail, name="self-detail"),
    path("self/<int:pk>/result/", self_result, name="self-result"),
    path("style/", style_profile, name="style-profile"),
    path("style/<int:pk>/", style_detail, name="style-detail"),
]
