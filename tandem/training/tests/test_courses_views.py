"""The course pages: what each persona sees and may do, bad input shown next to its
field with nothing written, and a denied case for every page."""

import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.tests.factories import UserFactory
from tandem.training import services
from tandem.training.models import (
    CheckAttempt,
    Course,
    CourseSession,
    LearningObjective,
    PracticeChallenge,
    Question,
    Seat,
    SeatStatus,
)
from tandem.training.tests.factories import CourseFactory, SeatFactory, SessionFactory, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(roles=[Role.PROGRAM_ADMIN])


def test_admins_see_every_course_and_learners_only_those_with_sessions(client, admin, session, org):
    CourseFactory(title="Nothing scheduled")
    client.force_login(admin)
    page = client.get(reverse("training:course-list")).content.decode()
    assert "Nothing scheduled" in page and "New course" in page
    client.force_login(org.report.user)
    page = client.get(reverse("training:course-list")).content.decode()
    assert "Giving feedback that lands" in page and "Nothing scheduled" not in page
    assert "New course" not in page


def test_an_admin_builds_a_course_and_schedules_a_session(client, admin, facilitator):
    client.force_login(admin)
    response = client.post(
        reverse("training:course-create"),
        {
            "title": "Delegation",
            "desired_retention": "0.9",
            "reinforce_weeks": 26,
            "escalate_after_days": 42,
            "min_retention": "0.7",
            "min_practice_logs": 1,
            "active": "on",
            "reinforce": "on",
        },
    )
    course = Course.objects.get(title="Delegation")
    assert response.status_code == 302
    client.post(
        reverse("training:objective-add", args=[course.pk]), {"title": "Let go", "order": 0}
    )
    objective = LearningObjective.objects.get(course=course)
    response = client.post(
        reverse("training:question-add", args=[course.pk]),
        {
            "objective": objective.pk,
            "kind": "scenario",
            "prompt": "Your report asks…",
            "options_text": "Decide for them\nAsk what they think\n",
            "correct": 2,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Question.objects.get().options == ["Decide for them", "Ask what they think"]
    client.post(
        reverse("training:challenge-add", args=[course.pk]),
        {"objective": objective.pk, "prompt": "Hand over one decision this week."},
    )
    assert PracticeChallenge.objects.filter(objective=objective).exists()
    response = client.post(
        reverse("training:session-create", args=[course.pk]),
        {
            "starts_at": "2031-03-02T09:30",
            "time_zone": "America/New_York",
            "duration_minutes": 120,
            "facilitator": facilitator.pk,
            "venue": "HQ",
            "capacity": 12,
        },
    )
    session = CourseSession.objects.get(course=course)
    assert response.status_code == 302
    assert session.local_start.hour == 9 and session.local_start.minute == 30
    assert session.starts_at.utcoffset().total_seconds() == 0 or session.starts_at.hour == 14


def test_a_bad_session_shows_field_errors_and_writes_nothing(client, admin, course):
    client.force_login(admin)
    response = client.post(
        reverse("training:session-create", args=[course.pk]),
        {
            "starts_at": "2001-01-01T09:00",
            "time_zone": "Mars/Olympus",
            "duration_minutes": 5,
            "capacity": 0,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"time_zone", "duration_minutes", "capacity", "venue", "facilitator"} <= set(errors)
    assert not CourseSession.objects.filter(course=course).exists()


def test_a_question_with_one_option_is_refused_on_its_field(client, admin, course):
    client.force_login(admin)
    objective = course.objectives.first()
    before = Question.objects.count()
    response = client.post(
        reverse("training:question-add", args=[course.pk]),
        {
            "objective": objective.pk,
            "kind": "multiple_choice",
            "prompt": "?",
            "options_text": "Only one",
            "correct": 1,
        },
    )
    assert response.status_code == 400 and "options_text" in response.context["form"].errors
    response = client.post(
        reverse("training:question-add", args=[course.pk]),
        {
            "objective": objective.pk,
            "kind": "multiple_choice",
            "prompt": "?",
            "options_text": "A\nB",
            "correct": 3,
        },
    )
    assert response.status_code == 400 and "correct" in response.context["form"].errors
    assert Question.objects.count() == before


def test_a_learner_enrolls_sees_the_waitlist_and_gives_up(client, session, org):
    SeatFactory(session=session)
    SeatFactory(session=session)
    client.force_login(org.report.user)
    client.post(reverse("training:seat-take", args=[session.pk]))
    seat = Seat.objects.get(person=org.report)
    assert seat.status == SeatStatus.WAITLISTED
    page = client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    assert "number 1 on the waitlist" in page and "Roster" not in page
    client.post(reverse("training:seat-cancel", args=[seat.pk]))
    seat.refresh_from_db()
    assert seat.status == SeatStatus.CANCELLED


def test_the_facilitator_sees_the_roster_and_records_attendance(client, session, facilitator, org):
    seat = SeatFactory(session=session, person=org.report)
    started(session)
    client.force_login(facilitator.user)
    page = client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    assert "Roster" in page and org.report.full_name in page
    response = client.post(
        reverse("training:session-attendance", args=[session.pk]), {f"seat_{seat.pk}": "on"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.attended is True


def test_the_check_page_scores_per_objective_and_keeps_bad_input_on_the_field(
    client, session, course, org
):
    SeatFactory(session=session, person=org.report)
    client.force_login(org.report.user)
    url = reverse("training:check", args=[session.pk, "before"])
    page = client.get(url)
    assert page.status_code == 200
    questions = list(Question.objects.filter(objective__course=course))
    data = {f"question_{q.pk}": q.correct for q in questions}
    broken = {**data, f"question_{questions[0].pk}": 9}
    del broken[f"question_{questions[1].pk}"]
    response = client.post(url, broken)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {f"question_{questions[0].pk}", f"question_{questions[1].pk}"} <= set(errors)
    assert not CheckAttempt.objects.exists()
    assert client.post(url, data).status_code == 302
    result = client.get(url).content.decode()
    assert "100%" in result and "Name the behaviour" in result


def test_the_survey_page_takes_an_attendee_s_answers(client, session, org):
    SeatFactory(session=session, person=org.report, attended=True)
    client.force_login(org.report.user)
    url = reverse("training:survey", args=[session.pk])
    bad = client.post(url, {"relevance": 9, "engagement": 4, "intent_to_apply": 4})
    assert bad.status_code == 400 and "relevance" in bad.context["form"].errors
    ok = client.post(url, {"relevance": 5, "engagement": 4, "intent_to_apply": 4})
    assert ok.status_code == 302


def test_a_manager_enrolls_a_report_from_the_page(client, session, org):
    client.force_login(org.manager.user)
    page = client.get(reverse("training:session-enroll", args=[session.pk]))
    assert org.report.full_name in page.content.decode()
    assert org.outsider.full_name not in page.content.decode()
    client.post(reverse("training:session-enroll", args=[session.pk]), {"people": [org.report.pk]})
    assert Seat.objects.get(person=org.report).source == "manager"
    response = client.post(
        reverse("training:session-enroll", args=[session.pk]), {"people": [org.outsider.pk]}
    )
    assert response.status_code == 400 and not Seat.objects.filter(person=org.outsider).exists()


def test_the_plan_panel_offers_sessions_in_the_learn_step(client, org, course):
    from tandem.programs.models import Stage
    from tandem.tests.factories import enroll, running_program
    from tandem.training.course_hooks import learn_panel

    program = running_program(name="Accelerator")
    course.program = program
    course.save()
    session = SessionFactory(course=course)
    plan = enroll(program, org.report)
    cycle = plan.current_cycle()
    cycle.stage = Stage.LEARN
    cycle.save()

    class Request:
        user = org.report.user

    panel = learn_panel(Request(), plan, cycle)  # type: ignore[arg-type]
    assert panel is not None and list(panel.context["training_offers"]) == [session]
    Request.user = org.outsider.user
    assert learn_panel(Request(), plan, cycle) is None  # type: ignore[arg-type]


# Denied: one case per page ------------------------------------------------------------------


@pytest.fixture
def hidden(db):
    """A session of an inactive course: outsiders get 404 for it."""
    return SessionFactory(course=CourseFactory(active=False))


def test_each_admin_page_is_forbidden_to_learners(client, org, session, course):
    client.force_login(org.outsider.user)
    for name, args in [
        ("training:course-create", []),
        ("training:course-edit", [course.pk]),
        ("training:objective-add", [course.pk]),
        ("training:question-add", [course.pk]),
        ("training:challenge-add", [course.pk]),
        ("training:session-create", [course.pk]),
        ("training:session-edit", [session.pk]),
        ("training:session-attendance", [session.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.post(reverse("training:session-cancel", args=[session.pk])).status_code == 403
    assert client.get(reverse("training:session-enroll", args=[session.pk])).status_code == 403


def test_hidden_courses_and_sessions_are_not_found(client, org, hidden):
    client.force_login(org.outsider.user)
    for name, pk in [
        ("training:course-detail", hidden.course_id),
        ("training:session-detail", hidden.pk),
        ("training:session-ics", hidden.pk),
        ("training:survey", hidden.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.get(reverse("training:check", args=[hidden.pk, "before"])).status_code == 404
    assert client.post(reverse("training:seat-take", args=[hidden.pk])).status_code == 404


def test_another_person_s_seat_checks_and_survey_are_not_found(client, org, session):
    seat = SeatFactory(session=session, person=org.report)
    client.force_login(org.outsider.user)
    assert client.post(reverse("training:seat-cancel", args=[seat.pk])).status_code == 404
    assert client.get(reverse("training:check", args=[session.pk, "before"])).status_code == 404
    assert client.get(reverse("training:survey", args=[session.pk])).status_code == 404
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ENROLLED


def test_an_executive_viewer_cannot_cancel_a_seat_in_their_line(client, org, session):
    seat = services.seat_take(session=session, person=org.report, by=None)
    client.force_login(org.executive.user)
    assert client.post(reverse("training:seat-cancel", args=[seat.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, session):
    response = client.get(reverse("training:course-list"))
    assert response.status_code == 302 and "login" in response["Location"]
