"""Setting a mentoring program up: the mentoring home page that routes each user to what
concerns them, the program's page, its settings (weights, hard rules, format,
capacities), the questionnaire builder, the mentor pool; and for participants the
questionnaire and the mentee's intent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.mentoring import access, matching, questionnaire
from tandem.mentoring.forms import (
    AnswerForm,
    IntentForm,
    MentorAddForm,
    MentorForm,
    QuestionForm,
    SettingsForm,
)
from tandem.mentoring.models import Mentee, Mentor, Question, Suggestion
from tandem.mentoring.questionnaire import MENTEE, MENTOR


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Admins: the mentoring programs. Mentees and mentors: what they have to do in each
    program they take part in (answers, intent, suggestions) and their relationships."""
    user = request.user
    programs = list(access.mentoring_programs_visible_to(user).order_by("-start_date", "name"))
    me = policy.person_of(user)
    mine = []
    if me is not None:
        mentee_rows = {
            m.program_id: m
            for m in Mentee.objects.filter(person=me, program__in=[p.pk for p in programs])
        }
        mentor_rows = {
            m.program_id: m
            for m in Mentor.objects.filter(
                person=me, active=True, program__in=[p.pk for p in programs]
            )
        }
        offered = set(
            Suggestion.objects.filter(mentee__person=me, status="offered").values_list(
                "program_id", flat=True
            )
        )
        enrolled = set(
            me.enrollments.filter(status__in=access.LIVE_ENROLLMENT).values_list(
                "program_id", flat=True
            )
        )
        for program in programs:
            if program.pk in enrolled or program.pk in mentor_rows:
                mine.append(
                    {
                        "program": program,
                        "mentee": mentee_rows.get(program.pk),
                        "is_mentee": program.pk in enrolled,
                        "mentor": mentor_rows.get(program.pk),
                        "has_suggestions": program.pk in offered,
                    }
                )
    context = {"programs": programs, "is_admin": access.can_manage(user), "mine": mine}
    return render(request, "mentoring/home.html", context)


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    mentoring = matching.settings_of(program)
    matching.mentees_sync(program)
    mentees = Mentee.objects.filter(program=program).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        intent=Count("pk", filter=Q(intent_stated_at__isnull=False)),
    )
    mentors = Mentor.objects.filter(program=program, active=True).aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    context = {
        "program": program,
        "mentoring": mentoring,
        "mentees": mentees,
        "mentors": mentors,
        "questions": Question.objects.filter(program=program).count(),
        "run": matching.latest_run(program),
    }
    return render(request, "mentoring/program_detail.html", context)


@login_required
def program_settings(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    mentoring = matching.settings_of(program)
    form = SettingsForm(request.POST or None, instance=mentoring)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved the mentoring settings."))
        return redirect("mentoring:program-detail", pk=program.pk)
    context = {"program": program, "form": form}
    return render(request, "mentoring/settings_form.html", context, status=_status(request))


# The questionnaire builder -----------------------------------------------------------


@login_required
def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    matching.settings_of(program)
    questions = questionnaire.questions_of(program)
    total = sum(q.weight for q in questions if q.scored) or 1
    rows = [(q, round(100 * q.weight / total) if q.scored else None) for q in questions]
    context = {"program": program, "rows": rows}
    return render(request, "mentoring/question_list.html", context)


@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    form = QuestionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        last = max(
            Question.objects.filter(program=program).values_list("order", flat=True), default=0
        )
        form.instance.order = last + 10
        form.save()
        messages.success(request, _("Added the question."))
        return redirect("mentoring:question-list", pk=program.pk)
    context = {"program": program, "form": form}
    return render(request, "mentoring/question_form.html", context, status=_status(request))


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.access_question(request.user, pk)
    form = QuestionForm(request.POST or None, instance=question, program=question.program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved the question."))
        return redirect("mentoring:question-list", pk=question.program_id)
    context = {"program": question.program, "form": form, "question": question}
    return render(request, "mentoring/question_form.html", context, status=_status(request))


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.access_question(request.user, pk)
    question.delete()
    messages.success(request, _("Removed the question “%(text)s”.") % {"text": question.text})
    return redirect("mentoring:question-list", pk=question.program_id)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a question up or down one place."""
    question = access.access_question(request.user, pk)
    questions = questionnaire.questions_of(question.program)
    at = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    to = at - 1 if request.POST.get("direction") == "up" else at + 1
    if 0 <= to < len(questions):
        questions[at], questions[to] = questions[to], questions[at]
        with transaction.atomic():
            for order, q in enumerate(questions, start=1):
                q.order = order * 10
            Question.objects.bulk_update(questions, ["order"])
    return redirect("mentoring:question-list", pk=question.program_id)


@login_required
@require_POST
def question_defaults(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    added = questionnaire.questionnaire_add_defaults(program=program)
    messages.success(request, _("Added %(n)d built-in questions.") % {"n": len(added)})
    return redirect("mentoring:question-list", pk=program.pk)


# The mentor pool ---------------------------------------------------------------------


@login_required
def mentor_list(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    mentoring = matching.settings_of(program)
    form = MentorAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = questionnaire.mentor_add(
                program=program,
                person=form.cleaned_data["person"],
                capacity=form.cleaned_data["capacity"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("person", message)
        else:
            messages.success(request, _("%(name)s is in the mentor pool.") % {"name": mentor})
            return redirect("mentoring:mentor-list", pk=program.pk)
    load = dict(
        matching.open_relationships(program)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    mentors = list(
        Mentor.objects.filter(program=program)
        .select_related("person__org_unit")
        .order_by(F("active").desc(), "person__last_name", "person__first_name", "pk")
    )
    rows = [(m, load.get(m.person_id, 0), m.effective_capacity(mentoring)) for m in mentors]
    context = {"program": program, "rows": rows, "form": form}
    return render(request, "mentoring/mentor_list.html", context, status=_status(request))


@login_required
def mentor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = access.access_mentor(request.user, pk)
    form = MentorForm(request.POST or None, instance=mentor)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": mentor})
        return redirect("mentoring:mentor-list", pk=mentor.program_id)
    context = {"program": mentor.program, "mentor": mentor, "form": form}
    return render(request, "mentoring/mentor_form.html", context, status=_status(request))


# Answers and intent (one's own) ----------------------------------------------------------


def _answer(request: HttpRequest, answerer: Mentee | Mentor, side: str) -> HttpResponse:
    program = answerer.program
    questions = questionnaire.questions_of(program)
    form = AnswerForm(
        request.POST or None, questions=questions, side=side, initial=answerer.answers
    )
    if request.method == "POST" and form.is_valid():
        questionnaire.answers_save(answerer=answerer, raw=form.answers)
        messages.success(request, _("Saved your answers."))
        if side == MENTEE and not answerer.intent_stated:  # type: ignore[union-attr]
            return redirect("mentoring:intent", pk=program.pk)
        return redirect("mentoring:home")
    context = {"program": program, "form": form, "side": side, "answerer": answerer}
    return render(request, "mentoring/answer_form.html", context, status=_status(request))


@login_required
def mentee_answers(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, access.access_own_mentee(request.user, pk), MENTEE)


@login_required
def mentor_answers(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, access.access_own_mentor(request.user, pk), MENTOR)


@login_required
def intent(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = access.access_own_mentee(request.user, pk)
    initial = {"goals": "\n".join(mentee.goals), "help_wanted": mentee.help_wanted}
    form = IntentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        questionnaire.intent_state(
            mentee=mentee,
            goals=form.cleaned_data["goals"],
            help_wanted=form.cleaned_data["help_wanted"],
        )
        messages.success(request, _("Saved what you want from mentoring."))
        return redirect("mentoring:home")
    context = {"program": mentee.program, "form": form, "mentee": mentee}
    return render(request, "mentoring/intent_form.html", context, status=_status(request))


urlpatterns = [
    path("", home, name="home"),
    path("programs/<int:pk>/", program_detail, name="program-detail"),
    path("programs/<int:pk>/settings/", program_settings, name="program-settings"),
    path("programs/<int:pk>/questions/", question_list, name="question-list"),
    path("programs/<int:pk>/questions/new/", question_create, name="question-create"),
    path("programs/<int:pk>/questions/defaults/", question_defaults, name="question-defaults"),
    path("questions/<int:pk>/edit/", question_edit, name="question-edit"),
    path("questions/<int:pk>/delete/", question_delete, name="question-delete"),
    path("questions/<int:pk>/move/", question_move, name="question-move"),
    path("programs/<int:pk>/mentors/", mentor_list, name="mentor-list"),
    path("mentors/<int:pk>/edit/", mentor_edit, name="mentor-edit"),
    path("programs/<int:pk>/answers/mentee/", mentee_answers, name="mentee-answers"),
    path("programs/<int:pk>/answers/mentor/", mentor_answers, name="mentor-answers"),
    path("programs/<int:pk>/intent/", intent, name="intent"),
]
