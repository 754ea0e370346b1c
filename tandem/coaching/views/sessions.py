"""Sessions: book, move, cancel, record a no-show; the session page.

The session page shows its metadata to the two parties and to program admins; its
notes, the coachee's takeaways and the next steps only to the coach and the coachee
(`coaching.confidential`, which audits each read)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.forms import place_refusal
from tandem.coaching import access, confidential, services
from tandem.coaching.forms import (
    BaseNextStepFormSet,
    GrowForm,
    RatingForm,
    SessionForm,
    next_step_formset,
)
from tandem.coaching.models import Engagement, EngagementStatus, Session


def _session_form_page(
    request: HttpRequest,
    *,
    engagement: Engagement,
    session: Session | None,
    form: SessionForm,
    refusals: list[str],
) -> HttpResponse:
    return render(
        request,
        "coaching/session_form.html",
        {"engagement": engagement, "session": session, "form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach or the coachee books a session (once both accepted the agreement)."""
    engagement = access.access_engagement(request.user, pk)
    if not access.can_schedule(request.user, engagement):
        raise PermissionDenied(_("The coach and the coachee book their sessions."))
    form = SessionForm(
        request.POST or None, initial={"duration_minutes": engagement.session_minutes}
    )
    refusals: list[str] = []
    if engagement.status == EngagementStatus.AGREEMENT:
        refusals.append(str(services.AGREEMENT_FIRST))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(
                engagement=engagement,
                scheduled_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Session booked; both of you get an invitation by email."))
            return redirect("coaching:session-detail", pk=session.pk)
    return _session_form_page(
        request, engagement=engagement, session=None, form=form, refusals=refusals
    )


@login_required
def session_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session(request.user, pk, act=True)
    initial = {
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "location": session.location,
    }
    form = SessionForm(request.POST or None, initial=initial)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Session moved; both of you get the updated invitation."))
            return redirect("coaching:session-detail", pk=session.pk)
    return _session_form_page(
        request, engagement=session.engagement, session=session, form=form, refusals=refusals
    )


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    session = access.access_session(request.user, pk, act=True)
    try:
        action(session=session, by=request.user)
    except services.Refused as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("coaching:session-detail", pk=session.pk)


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.session_cancel, _("Session cancelled; both of you are told."))


@login_required
@require_POST
def session_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session(request.user, pk, act=True)
    if not access.is_session_coach(request.user, session):
        raise PermissionDenied(_("The coach records a no-show."))
    return _act(request, pk, services.session_no_show, _("Recorded as a no-show."))


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Metadata for the parties and program admins; the notes, takeaways and next steps
    for the coach and the coachee only, each read audited."""
    session = access.access_session(request.user, pk)
    engagement = session.engagement
    is_party = access.is_party(request.user, engagement)
    content = (
        confidential.read_session(request.user, session, via="session page", ip=_ip(request))
        if is_party
        else None
    )
    context: dict[str, Any] = {
        "session": session,
        "engagement": engagement,
        "is_party": is_party,
        "is_coach": access.is_session_coach(request.user, session),
        "is_coachee": access.is_session_coachee(request.user, session),
        "content": content,
        "now": timezone.now(),
    }
    return render(request, "coaching/session_detail.html", context)


def _grow(form: GrowForm) -> services.Grow:
    return services.Grow(**{name: form.cleaned_data[name] for name in GrowForm.base_fields})


def _steps(formset: BaseNextStepFormSet) -> list[services.NextStep]:
    return [
        services.NextStep(
            f.cleaned_data["title"], f.cleaned_data["owner"], f.cleaned_data["due_date"]
        )
        for f in formset.filled()
    ]


@login_required
def session_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach records the session as held: GROW notes and at least one next step with
    an owner and a due date. Without one it is refused (400) and nothing is written."""
    session = access.access_session_notes(request.user, pk)
    if not access.is_session_coach(request.user, session):
        raise PermissionDenied(_("The coach records that a session was held."))
    data = request.POST if request.method == "POST" else None
    form = GrowForm(data, prefix="grow")
    steps = next_step_formset(data)
    refusals: list[str] = []
    form_ok, steps_ok = (form.is_valid(), steps.is_valid()) if data is not None else (False, False)
    if form_ok and steps_ok:
        try:
            services.session_hold(
                session=session, grow=_grow(form), next_steps=_steps(steps), held_by=request.user
            )
        except services.Refused as error:
            refusals = list(error.messages)
        except ValidationError as error:
            refusals = [m for messages_ in error.message_dict.values() for m in messages_]
        else:
            messages.success(request, _("Session recorded as held, with its next steps."))
            return redirect("coaching:session-detail", pk=session.pk)
    context = {
        "session": session,
        "engagement": session.engagement,
        "form": form,
        "steps": steps,
        "refusals": refusals,
        "has_errors": bool(form.errors or steps.total_error_count() or refusals),
    }
    return render(
        request, "coaching/session_hold.html", context, status=400 if data is not None else 200
    )


@login_required
def session_notes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session_notes(request.user, pk)
    if not access.is_session_coach(request.user, session):
        raise PermissionDenied(_("The coach writes the session notes."))
    content = confidential.read_session(request.user, session, via="notes form", ip=_ip(request))
    initial = {}
    if content.notes is not None:
        initial = {name: getattr(content.notes, name) for name in GrowForm.base_fields}
    form = GrowForm(request.POST or None, prefix="grow", initial=initial)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.session_notes_update(session=session, grow=_grow(form), by=request.user)
        except services.Refused as error:
            refusals = list(error.messages)
        else:
            messages.success(request, _("Notes saved."))
            return redirect("coaching:session-detail", pk=session.pk)
    return render(
        request,
        "coaching/session_notes_form.html",
        {"session": session, "engagement": session.engagement, "form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def session_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The coachee's one-question rating, and their own takeaways."""
    session = access.access_session_notes(request.user, pk)
    if not access.is_session_coachee(request.user, session):
        raise PermissionDenied(_("The coachee rates the session."))
    content = confidential.read_session(request.user, session, via="rating form", ip=_ip(request))
    initial: dict[str, Any] = {"rating": session.rating}
    if content.notes is not None:
        initial["takeaways"] = content.notes.takeaways
    form = RatingForm(request.POST or None, initial=initial)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.session_rate(
                session=session,
                rating=form.cleaned_data["rating"],
                takeaways=form.cleaned_data["takeaways"],
                by=request.user,
            )
        except ValidationError as error:
            refusals = list(error.messages)
        else:
            messages.success(request, _("Thank you: your rating and takeaways are saved."))
            return redirect("coaching:session-detail", pk=session.pk)
    return render(
        request,
        "coaching/session_rate.html",
        {"session": session, "engagement": session.engagement, "form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("engagements/<int:pk>/sessions/new/", session_create, name="session-create"),
    path("sessions/<int:pk>/", session_detail, name="session-detail"),
    path("sessions/<int:pk>/reschedule/", session_reschedule, name="session-reschedule"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/no-show/", session_no_show, name="session-no-show"),
    path("sessions/<int:pk>/hold/", session_hold, name="session-hold"),
    path("sessions/<int:pk>/notes/", session_notes_edit, name="session-notes"),
    path("sessions/<int:pk>/rate/", session_rate, name="session-rate"),
]
