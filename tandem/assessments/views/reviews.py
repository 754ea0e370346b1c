"""360 review pages: my reviews and my team's, starting a review, a review's page
(nominations by group, approval, counts of answers, closing), and the rater page that
a rater reaches through their emailed link, without an account.

Review pages fetch the review through `access.access_review` (the subject, their
management chain and program admins; anyone else gets "not found"). They show who was
asked, in which group, and how many answered: never answers, and never which rater
answered (`services.review_progress`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.assessments import access, services
from tandem.assessments.forms.reviews import NominationForm, RaterAnswersForm, ReviewStartForm
from tandem.assessments.models import (
    Nomination,
    NominationStatus,
    RaterGroup,
    Review,
    ReviewStatus,
)
from tandem.people.models import Person

UNDER_WAY = [ReviewStatus.NOMINATING, ReviewStatus.AWAITING_APPROVAL, ReviewStatus.OPEN]

# Review pages ---------------------------------------------------------------------------


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    person = policy.person_of(request.user)
    visible = access.reviews_visible_to(request.user).order_by("-created_at", "-pk")
    mine = list(visible.filter(subject=person)) if person else []
    others = list(visible.exclude(subject=person) if person else visible)
    # Direct reports without a review under way, each with a link to start one.
    team = (
        list(
            person.reports.active()
            .exclude(reviews_received__status__in=UNDER_WAY)
            .order_by("last_name", "first_name", "pk")
        )
        if person
        else []
    )
    return render(
        request,
        "assessments/review_list.html",
        {"mine": mine, "others": others, "person": person, "team": team},
    )


@login_required
def review_create(request: HttpRequest) -> HttpResponse:
    """Start a 360 for ?person=<pk> (a manager or admin), or for oneself: the
    instrument, the enrollment it belongs to and the closing date. It is compared with
    the subject's most recently closed review."""
    person_pk = request.GET.get("person", "")
    subject: Person | None
    if person_pk.isdigit() and len(person_pk) <= 18:
        subject = access.access_person_for_review(request.user, int(person_pk))
    elif person_pk:
        raise Http404("No such person.")
    else:
        subject = policy.person_of(request.user)
    if subject is None:
        return _choose_subject(request)
    form = ReviewStartForm(request.POST or None, subject=subject)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_start(
                subject=subject,
                closes_on=form.cleaned_data["closes_on"],
                started_by=request.user,
                instrument=form.cleaned_data["instrument"],
                enrollment=form.cleaned_data["enrollment"],
            )
        except services.Refused as error:
            refused = error.messages
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The 360 has started. Nominate the raters next."))
            return redirect("assessments:review-detail", pk=review.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/review_form.html",
        {
            "form": form,
            "subject": subject,
            "refused": refused,
            "previous": services.previous_review_of(subject),
        },
        status=status,
    )


def _choose_subject(request: HttpRequest) -> HttpResponse:
    """A program admin with no person record names the subject by employee id."""
    can_choose = policy.is_program_admin(request.user)
    employee_id = request.GET.get("employee", "").strip()[:64]
    problem = ""
    if can_choose and employee_id:
        person = Person.objects.filter(employee_id=employee_id).first()
        if person is not None:
            return redirect(reverse("assessments:review-create") + f"?person={person.pk}")
        problem = _("No one has the employee id “%(id)s”.") % {"id": employee_id}
    return render(
        request,
        "assessments/review_form.html",
        {"subject": None, "can_choose": can_choose, "employee": employee_id, "problem": problem},
        status=400 if problem else 200,
    )


def _render_detail(
    request: HttpRequest,
    review: Review,
    *,
    nomination_form: NominationForm | None = None,
    refused: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    progress = services.review_progress(review)
    nominations = list(review.nominations.all())
    by_group = [
        {
            "progress": group,
            "nominations": [n for n in nominations if n.group == group.group],
        }
        for group in progress.groups
    ]
    user = request.user
    return render(
        request,
        "assessments/review_detail.html",
        {
            "review": review,
            "progress": progress,
            "by_group": by_group,
            "has_nominations": bool(nominations),
            "is_subject": access.is_subject(user, review),
            "can_nominate": access.can_nominate(user, review),
            "can_submit": access.can_submit_for_approval(user, review),
            "can_approve": access.can_approve(user, review),
            "can_decide": access.can_decide_nominations(user, review),
            "can_close": access.can_close(user, review),
            "is_open": review.status == ReviewStatus.OPEN,
            "nomination_form": nomination_form or NominationForm(review=review),
            "refused": refused or [],
            "statuses": NominationStatus,
            "self_assessment": getattr(review, "self_assessment", None),
        },
        status=status,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.access_review(request.user, pk)
    ip = request.META.get("REMOTE_ADDR")
    services.record_status_read(request.user, review, via="page", ip=ip)
    return _render_detail(request, review)


@login_required
@require_POST
def review_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.access_review(request.user, pk, manage=True)
    form = NominationForm(request.POST, review=review)
    if form.is_valid():
        try:
            services.nominate(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request, _("%(name)s was nominated.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("assessments:review-detail", pk=review.pk)
    return _render_detail(request, review, nomination_form=form, status=400)


@login_required
@require_POST
def nomination_status(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    review = access.access_review(request.user, pk, manage=True)
    nomination = get_object_or_404(Nomination, pk=nomination_pk, review=review)
    status = request.POST.get("status", "")
    if status not in (NominationStatus.APPROVED, NominationStatus.DECLINED):
        return _render_detail(request, review, refused=[_("Approve or decline.")], status=400)
    try:
        services.nomination_set_status(nomination=nomination, status=status, by=request.user)
    except (services.Refused, ValidationError) as error:
        return _render_detail(request, review, refused=error.messages, status=400)
    if review.status == ReviewStatus.OPEN and status == NominationStatus.APPROVED:
        messages.success(
            request, _("%(name)s was approved and invited by email.") % {"name": nomination.name}
        )
    return redirect(reverse("assessments:review-detail", args=[review.pk]) + "#raters")


def _step(request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any) -> HttpResponse:
    review = access.access_review(request.user, pk, manage=True)
    try:
        action(review=review, **kwargs)
    except services.Refused as error:
        return _render_detail(request, review, refused=error.messages, status=400)
    messages.success(request, done)
    return redirect("assessments:review-detail", pk=review.pk)


@login_required
@require_POST
def review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.submit_for_approval,
        _("The rater list was sent to the manager for approval."),
        by=request.user,
    )


@login_required
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.approve,
        _("The raters were approved and invited by email."),
        approved_by=request.user,
    )


@login_required
@require_POST
def review_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.review_close, _("The review is closed."), by=request.user)


# The rater page: no account, the token is the credential --------------------------------

UNAVAILABLE = {
    services.UNKNOWN: (
        _("This link is not valid"),
        _(
            "Check that you opened the whole link from your email. If it still does not work, "
            "ask the person who invited you to send it again."
        ),
    ),
    services.USED: (
        _("This link has already been used"),
        _("Your answers were submitted. Thank you — there is nothing more to do."),
    ),
    services.EXPIRED: (
        _("This link has expired"),
        _("The review stopped collecting answers on its closing date."),
    ),
    services.CLOSED: (
        _("This review is closed"),
        _("The review is no longer collecting answers."),
    ),
}


def _unavailable(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    title, text = UNAVAILABLE[problem]
    return render(
        request,
        "assessments/rater_unavailable.html",
        {"title": title, "text": text},
        status=status,
    )


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """A rater's answers: items grouped by competency, a draft that can be saved and
    resumed, and a submit that needs every item answered or "not observed"."""
    link = services.rater_link(token)
    if link.invitation is None or link.problem is not None:
        return _unavailable(request, link.problem or services.UNKNOWN, link.status)
    invitation = link.invitation
    review = invitation.nomination.review
    instrument = review.instrument
    draft = services.draft_of(invitation)
    status = 200
    if request.method == "POST":
        form = RaterAnswersForm(request.POST, instrument=instrument)
        submitting = request.POST.get("action") == "submit"
        if form.is_valid():
            save = services.response_submit if submitting else services.response_save_draft
            try:
                save(invitation=invitation, answers=form.answers(), comments=form.comments())
            except services.Refused:  # used or closed since the page was opened
                again = services.rater_link(token)
                return _unavailable(request, again.problem or services.USED, 410)
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            else:
                if submitting:
                    return redirect("assessments:rate-done")
                messages.success(request, _("Your draft is saved. You can come back to it."))
                return redirect("assessments:rate", token=token)
        status = 400
    else:
        initial = RaterAnswersForm.initial_from(draft.answers, draft.comments) if draft else {}
        form = RaterAnswersForm(initial=initial, instrument=instrument)
    return render(
        request,
        "assessments/rater_form.html",
        {
            "form": form,
            "sections": form.sections(),
            "review": review,
            "subject": review.subject,
            "instrument": instrument,
            "group": RaterGroup(invitation.nomination.group).label,
            "has_draft": draft is not None,
            "expires_at": invitation.expires_at,
        },
        status=status,
    )


def rate_done(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/rater_done.html")


urlpatterns: list[URLPattern] = [
    path("reviews/", review_list, name="review-list"),
    path("reviews/new/", review_create, name="review-create"),
    path("reviews/<int:pk>/", review_detail, name="review-detail"),
    path("reviews/<int:pk>/nominations/", review_nominate, name="review-nominate"),
    path(
        "reviews/<int:pk>/nominations/<int:nomination_pk>/status/",
        nomination_status,
        name="nomination-status",
    ),
    path("reviews/<int:pk>/submit/", review_submit, name="review-submit"),
    path("reviews/<int:pk>/approve/", review_approve, name="review-approve"),
    path("reviews/<int:pk>/close/", review_close, name="review-close"),
    path("rate/done/", rate_done, name="rate-done"),
    path("rate/<str:token>/", rate, name="rate"),
]
