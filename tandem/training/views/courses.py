"""Courses: the list (what is on offer), the course page (objectives, sessions with
seats left, Kirkpatrick 1-2 for those who may read aggregates) and, for program
admins, creating and changing courses, objectives, questions and practice challenges."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.training import access, forms, kirkpatrick
from tandem.training.models import Course, PracticeChallenge, Question, Seat, SessionStatus


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    """Admins: every course. Everyone else: active courses with upcoming sessions."""
    courses = access.courses_visible_to(request.user).annotate(
        upcoming=Count(
            "sessions",
            filter=Q(
                sessions__status=SessionStatus.SCHEDULED,
                sessions__starts_at__gte=timezone.now(),
            ),
            distinct=True,
        ),
        objective_count=Count("objectives", distinct=True),
    )
    if not access.can_manage(request.user):
        courses = courses.filter(active=True, upcoming__gt=0)
    me_seats = []
    if (me := policy.person_of(request.user)) is not None:
        me_seats = list(
            Seat.objects.filter(person=me, session__starts_at__gte=timezone.now())
            .exclude(status="cancelled")
            .select_related("session__course")
            .order_by("session__starts_at")
        )
    return render(
        request,
        "training/course_list.html",
        {
            "courses": courses,
            "can_manage": access.can_manage(request.user),
            "my_seats": me_seats,
        },
    )


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, course: Course | None = None
) -> HttpResponse:
    return render(
        request,
        "training/course_form.html",
        {"form": form, "title": title, "back": back, "course": course},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    access.require_manager_of_courses(request.user)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = form.save(commit=False)
        course.created_by = request.user
        course.save()
        messages.success(request, _("Course created. Add its objectives next."))
        return redirect("training:course-detail", pk=course.pk)
    return _form_page(request, form, title=_("New course"), back="training:course-list")


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course(request.user, pk, write=True)
    form = forms.CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Course saved."))
        return redirect("training:course-detail", pk=course.pk)
    return _form_page(request, form, title=_("Edit the course"), back="", course=course)


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course(request.user, pk)
    sessions = list(
        access.sessions_visible_to(request.user)
        .filter(course=course)
        .with_counts()
        .order_by("starts_at", "pk")
    )
    objectives = list(course.objectives.select_related("competency"))
    manage = access.can_manage(request.user)
    summary = None
    if access.can_read_summaries(request.user):
        summary = kirkpatrick.of_course(course)
    my_seats = {}
    if (me := policy.person_of(request.user)) is not None:
        my_seats = {
            seat.session_id: seat for seat in Seat.objects.filter(person=me, session__course=course)
        }
    for session in sessions:
        session.my_seat = my_seats.get(session.pk)  # type: ignore[attr-defined]
        session.seats_left = max(session.capacity - session.seats_taken, 0)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "course": course,
        "objectives": objectives,
        "sessions": sessions,
        "can_manage": manage,
        "summary": summary,
        "now": timezone.now(),
    }
    if manage:
        context["questions"] = list(
            Question.objects.filter(objective__course=course).select_related("objective")
        )
        context["challenges"] = list(
            PracticeChallenge.objects.filter(objective__course=course).select_related("objective")
        )
    return render(request, "training/course_detail.html", context)


def _course_part(request: HttpRequest, pk: int, form_class: Any, title: str) -> HttpResponse:
    course = access.access_course(request.user, pk, write=True)
    form = form_class(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("training:course-detail", pk=course.pk)
    return _form_page(request, form, title=title, back="", course=course)


@login_required
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_part(request, pk, forms.ObjectiveForm, _("Add a learning objective"))


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_part(request, pk, forms.QuestionForm, _("Write a knowledge-check question"))


@login_required
def challenge_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_part(request, pk, forms.ChallengeForm, _("Add a practice challenge"))


urlpatterns = [
    path("", course_list, name="course-list"),
    path("courses/new/", course_create, name="course-create"),
    path("courses/<int:pk>/", course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", course_edit, name="course-edit"),
    path("courses/<int:pk>/objectives/new/", objective_add, name="objective-add"),
    path("courses/<int:pk>/questions/new/", question_add, name="question-add"),
    path("courses/<int:pk>/challenges/new/", challenge_add, name="challenge-add"),
]
