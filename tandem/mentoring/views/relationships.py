"""Mentoring relationships: the list, the relationship page (the request with its
questions, the agreement, meetings with each side's own notes, check-ins,
introductions, closing and exiting), and the forms behind it.

Access goes through `mentoring.relationship_access`: the two parties see their
relationship fully (each side's notes only to their author), a program admin sees
metadata only (cadence, when they met, satisfaction), anyone else gets a 404."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.mentoring import relationship_access as access
from tandem.mentoring import relationships as services
from tandem.mentoring.forms_relationships import (
    AgreementForm,
    AnswerForm,
    CheckInForm,
    CloseForm,
    ClosingSurveyForm,
    ExitForm,
    IntroductionForm,
    MeetingForm,
    MeetingNotesForm,
    QuestionForm,
)
from tandem.mentoring.models import Relationship, RelationshipStatus

PAGE_SIZE = 50


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _apply_errors(form: Form, error: ValidationError, fallback: str | None = None) -> None:
    """A service's field errors onto the form, next to their fields."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            name = field if field in form.fields else fallback
            for problem in problems:
                form.add_error(name, problem)
    else:
        for problem in error.messages:
            form.add_error(fallback, problem)


def _detail(pk: int) -> HttpResponse:
    return redirect("mentoring:relationship-detail", pk=pk)


def _submitted(
    request: HttpRequest, form: Form, pk: int, action: Callable[[], object], done: str
) -> HttpResponse | None:
    """Run a valid form's service: refused or done, back to the relationship; the
    service's own field errors go onto the form (None: show the form again)."""
    try:
        action()
    except services.Refused as error:
        _refusal(request, error)
    except ValidationError as error:
        _apply_errors(form, error)
        return None
    else:
        messages.success(request, done)
    return _detail(pk)


# The list ------------------------------------------------------------------------------


@login_required
def relationship_list(request: HttpRequest) -> HttpResponse:
    """The viewer's own relationships (as mentee and as mentor); for program admins,
    every relationship's metadata below, a page at a time."""
    user = request.user
    me = policy.person_of(user)
    own = (
        list(
            Relationship.objects.for_user(user)
            .select_related("program", "mentee", "mentor")
            .with_meeting_stats()
            .order_by("-proposed_at", "-pk")
        )
        if me is not None
        else []
    )
    is_admin = policy.is_program_admin(user)
    page = None
    status = request.GET.get("status", "")
    if is_admin:
        everyone = (
            Relationship.objects.select_related("program", "mentee", "mentor")
            .with_health()
            .order_by("-proposed_at", "-pk")
        )
        if status in RelationshipStatus.values:
            everyone = everyone.filter(status=status)
        page = Paginator(everyone, PAGE_SIZE).get_page(request.GET.get("page"))
    due = list(
        access.check_ins_visible_to(user)
        .filter(answered_at__isnull=True, relationship__status=RelationshipStatus.ACTIVE)
        .order_by("due_on")
    )
    context = {
        "me": me,
        "as_mentee": [r for r in own if me is not None and r.mentee_id == me.pk],
        "as_mentor": [r for r in own if me is not None and r.mentor_id == me.pk],
        "is_admin": is_admin,
        "page": page,
        "status": status,
        "statuses": RelationshipStatus.choices,
        "due_check_ins": due,
    }
    return render(request, "mentoring/relationship_list.html", context)


# The relationship page ------------------------------------------------------------------


def _party_context(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    user = request.user
    side = access.side_of(user, relationship)
    questions = access.read_questions(user, relationship, via="relationship page")
    meetings = (
        access.read_meetings(user, relationship, via="relationship page")
        if relationship.status in (RelationshipStatus.ACTIVE, RelationshipStatus.CLOSED)
        else []
    )
    introductions = access.read_introductions(user, relationship, via="relationship page")
    is_mentor = access.is_mentor(user, relationship)
    is_mentee = access.is_mentee(user, relationship)
    request_open = relationship.is_request and (
        relationship.expires_at is None or relationship.expires_at >= timezone.now()
    )
    return {
        "side": side,
        "is_mentor": is_mentor,
        "is_mentee": is_mentee,
        "questions": questions,
        "meetings": meetings,
        "introductions": introductions,
        "request_open": request_open,
        "can_accept": request_open and side is not None and not relationship.accepted_by(side),
        "can_ask": request_open and is_mentor and relationship.mentor_accepted_at is None,
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        "can_agree": relationship.awaits_agreement,
        "can_edit_agreement": relationship.status == RelationshipStatus.ACTIVE,
        "my_check_ins": list(
            access.check_ins_visible_to(user)
            .filter(relationship=relationship, answered_at__isnull=True)
            .order_by("due_on")
        ),
        "own_survey": access.own_closing_survey(user, relationship),
    }


@login_required
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk)
    is_party = access.is_party(request.user, relationship)
    context: dict[str, Any] = {
        "relationship": relationship,
        "is_party": is_party,
        "is_admin": policy.is_program_admin(request.user),
        "now": timezone.now(),
    }
    if is_party:
        context.update(_party_context(request, relationship))
    else:
        context["summary"] = access.admin_summary(relationship)
    return render(request, "mentoring/relationship_detail.html", context)


@login_required
@require_POST
def relationship_accept(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk, act=True)
    try:
        relationship = services.relationship_accept(relationship=relationship, user=request.user)
    except services.Refused as error:
        _refusal(request, error)
    else:
        if relationship.accepted_by_both:
            messages.success(request, _("You have both accepted. Next: agree the terms."))
        else:
            messages.success(request, _("You accepted. Waiting for the other side."))
    return _detail(pk)


@login_required
@require_POST
def relationship_decline(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk, act=True)
    try:
        services.relationship_decline(relationship=relationship, user=request.user)
    except services.Refused as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Declined. Nobody is at fault; the program takes it on."))
    return _detail(pk)


@login_required
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk, act=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_ask(
                relationship=relationship, user=request.user, text=form.cleaned_data["question"]
            )
        except (services.Refused, ValidationError) as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Your question is sent."))
            return _detail(pk)
    else:
        _refusal(request, ValidationError(list(form.errors["question"])))
    return _detail(pk)


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.access_question(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(
                question=question, user=request.user, answer=form.cleaned_data["answer"]
            )
        except (services.Refused, ValidationError) as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Your answer is sent."))
    else:
        _refusal(request, ValidationError(list(form.errors["answer"])))
    return _detail(question.relationship_id)


FORM_PAGES: dict[str, tuple[Any, Any, Any]] = {
    # page: (title, lede, submit label)
    "agreement": (
        gettext_lazy("The mentoring agreement"),
        gettext_lazy(
            "Agree the goals (from what the mentee asked for), how often you meet and what "
            "stays confidential. Confirming the agreement starts the relationship; either of "
            "you can change it later."
        ),
        gettext_lazy("Confirm the agreement"),
    ),
    "meeting": (
        gettext_lazy("Log a meeting"),
        gettext_lazy(
            "The date and the length are seen by the program admin. The topics and the next "
            "step are shared by the two of you; your private notes are read by you alone."
        ),
        gettext_lazy("Log the meeting"),
    ),
    "notes": (
        gettext_lazy("My notes of the meeting"),
        gettext_lazy("Only you read these notes."),
        gettext_lazy("Save my notes"),
    ),
    "check_in": (
        gettext_lazy("Mentoring check-in"),
        gettext_lazy(
            "Four quick questions. The program admin sees the ratings, never your comment; "
            "the other side does not see your answers."
        ),
        gettext_lazy("Send"),
    ),
    "close": (
        gettext_lazy("Close the relationship"),
        gettext_lazy(
            "Close the relationship with how far the goals were met. Both sides are then "
            "asked for a short closing survey; the program admin sees the ratings only."
        ),
        gettext_lazy("Close the relationship"),
    ),
    "survey": (
        gettext_lazy("Closing survey"),
        gettext_lazy("The program admin sees the ratings only, never what you write."),
        gettext_lazy("Send"),
    ),
    "exit": (
        gettext_lazy("End early, without fault"),
        gettext_lazy(
            "Either side may end a relationship early. Nobody is at fault; the reason only "
            "helps the program, and the mentee can be offered another mentor."
        ),
        gettext_lazy("End the relationship"),
    ),
    "introduction": (
        gettext_lazy("Log an introduction or sponsorship"),
        gettext_lazy(
            "A door you opened for the mentee: someone you introduced them to, a time you "
            "spoke up for them, or an event you invited them to. The program admin sees "
            "only how many, by kind."
        ),
        gettext_lazy("Log it"),
    ),
}


def _form_page(
    request: HttpRequest, page: str, relationship: Relationship, form: Form, **extra: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    title, lede, submit = FORM_PAGES[page]
    context = {
        "relationship": relationship,
        "form": form,
        "title": title,
        "lede": lede,
        "submit": submit,
        "danger": page == "exit",
        **extra,
    }
    return render(request, "mentoring/relationship_form.html", context, status=status)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the agreement (which starts the relationship) or change it."""
    relationship = access.access_relationship(request.user, pk, act=True)
    initial = {
        "goals": "\n".join(relationship.goal_list()),
        "cadence": relationship.cadence or "fortnightly",
        "confidentiality": relationship.confidentiality,
    }
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _submitted(
            request,
            form,
            pk,
            lambda: services.relationship_agree(
                relationship=relationship, user=request.user, **form.cleaned_data
            ),
            _("The agreement is confirmed."),
        )
        if done is not None:
            return done
    return _form_page(request, "agreement", relationship, form)


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk, act=True)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _submitted(
            request,
            form,
            pk,
            lambda: services.meeting_log(
                relationship=relationship,
                user=request.user,
                record=services.MeetingRecord(**form.cleaned_data),
            ),
            _("Meeting logged."),
        )
        if done is not None:
            return done
    return _form_page(request, "meeting", relationship, form)


@login_required
def meeting_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """A party's own private notes of a meeting."""
    meeting = access.access_meeting(request.user, pk)
    view, relationship = access.read_meeting(request.user, meeting, via="notes page")
    form = MeetingNotesForm(request.POST or None, initial={"notes": view.my_notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_notes_save(
                meeting=meeting, user=request.user, notes=form.cleaned_data["notes"]
            )
        except services.Refused as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Your notes are saved."))
        return _detail(relationship.pk)
    return _form_page(request, "notes", relationship, form, view=view)


@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = access.access_check_in(request.user, pk)
    relationship = check_in.relationship
    if check_in.answered_at is not None:
        messages.info(request, _("You have already answered this check-in. Thank you."))
        return _detail(relationship.pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in_answer(
                check_in=check_in,
                user=request.user,
                answer=services.CheckInAnswer(
                    satisfaction=data["satisfaction"],
                    goal_progress=data["goal_progress"],
                    frequency_ok=data["frequency_ok"] == "yes",
                    comment=data["comment"],
                ),
            )
        except services.Refused as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Thank you for checking in."))
        return _detail(relationship.pk)
    return _form_page(request, "check_in", relationship, form, check_in=check_in)


def _survey(data: dict[str, Any]) -> services.SurveyAnswer:
    return services.SurveyAnswer(
        satisfaction=data["satisfaction"],
        goals_met=data["goals_met"],
        would_recommend=data["would_recommend"] == "yes",
        what_changed=data["what_changed"],
    )


@login_required
def relationship_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close with the outcome (and, for a party, the closing survey)."""
    relationship = access.access_relationship_admin(request.user, pk)
    is_party = access.is_party(request.user, relationship)
    form = CloseForm(request.POST or None, with_survey=is_party)
    if request.method == "POST" and form.is_valid():
        done = _submitted(
            request,
            form,
            pk,
            lambda: services.relationship_close(
                relationship=relationship,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                survey=_survey(form.cleaned_data) if is_party else None,
            ),
            _("The relationship is closed. Thank you."),
        )
        if done is not None:
            return done
    return _form_page(request, "close", relationship, form)


@login_required
def closing_survey(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk, act=True)
    if access.own_closing_survey(request.user, relationship) is not None:
        messages.info(request, _("You have already answered the closing survey. Thank you."))
        return _detail(pk)
    form = ClosingSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closing_survey_submit(
                relationship=relationship, user=request.user, answer=_survey(form.cleaned_data)
            )
        except services.Refused as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Thank you for your answers."))
        return _detail(pk)
    return _form_page(request, "survey", relationship, form)


@login_required
def relationship_exit(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship_admin(request.user, pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _submitted(
            request,
            form,
            pk,
            lambda: services.relationship_exit(
                relationship=relationship,
                user=request.user,
                reason=form.cleaned_data["reason"],
                rematch=form.cleaned_data["rematch"],
            ),
            _("The relationship has ended, without fault."),
        )
        if done is not None:
            return done
    return _form_page(request, "exit", relationship, form)


@login_required
def introduction_create(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = access.access_relationship(request.user, pk, act=True)
    if not access.is_mentor(request.user, relationship):
        raise PermissionDenied(_("The mentor logs introductions and sponsorship."))
    form = IntroductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _submitted(
            request,
            form,
            pk,
            lambda: services.introduction_log(
                relationship=relationship, user=request.user, **form.cleaned_data
            ),
            _("Logged."),
        )
        if done is not None:
            return done
    return _form_page(request, "introduction", relationship, form)


urlpatterns = [
    path("relationships/", relationship_list, name="relationship-list"),
    path("relationships/<int:pk>/", relationship_detail, name="relationship-detail"),
    path("relationships/<int:pk>/accept/", relationship_accept, name="relationship-accept"),
    path("relationships/<int:pk>/decline/", relationship_decline, name="relationship-decline"),
    path("relationships/<int:pk>/questions/", question_ask, name="mentor-question-ask"),
    path("relationships/<int:pk>/agreement/", agreement, name="agreement"),
    path("relationships/<int:pk>/meetings/new/", meeting_create, name="meeting-create"),
    path("relationships/<int:pk>/close/", relationship_close, name="relationship-close"),
    path("relationships/<int:pk>/survey/", closing_survey, name="closing-survey"),
    path("relationships/<int:pk>/exit/", relationship_exit, name="relationship-exit"),
    path(
        "relationships/<int:pk>/introductions/new/",
        introduction_create,
        name="introduction-create",
    ),
    path("questions/<int:pk>/answer/", question_answer, name="mentor-question-answer"),
    path("meetings/<int:pk>/notes/", meeting_notes, name="meeting-notes"),
    path("check-ins/<int:pk>/", check_in, name="check-in"),
]
