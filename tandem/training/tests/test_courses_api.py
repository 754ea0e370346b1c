"""The training API's course half: courses, objectives, questions, sessions, seats,
attendance, reaction surveys and knowledge checks; 422s name the field and write
nothing; a denied case for every endpoint."""

import pytest

from tandem.accounts.models import Role
from tandem.api.testing import token_client
from tandem.tests.factories import UserFactory
from tandem.training.models import CheckAttempt, Course, CourseSession, Question, Seat
from tandem.training.tests.factories import CourseFactory, SeatFactory, SessionFactory, started

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def admin_api(db):
    return token_client(UserFactory(roles=[Role.PROGRAM_ADMIN]))


def locs(response):
    return [tuple(error["loc"][2:]) for error in response.json()["detail"]]


def test_an_admin_creates_a_course_objective_question_and_session(admin_api, facilitator):
    response = admin_api.post(
        "/api/v1/training/courses", {"title": "Delegation"}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    course_id = response.json()["id"]
    response = admin_api.post(
        f"/api/v1/training/courses/{course_id}/objectives", {"title": "Let go"}, content_type=JSON
    )
    objective_id = response.json()["id"]
    response = admin_api.post(
        f"/api/v1/training/courses/{course_id}/questions",
        {"objective_id": objective_id, "prompt": "Which?", "options": ["A", "B"], "correct": 2},
        content_type=JSON,
    )
    assert response.status_code == 201 and response.json()["correct"] == 2
    response = admin_api.post(
        f"/api/v1/training/courses/{course_id}/sessions",
        {
            "starts_at": "2031-03-02T09:30",
            "time_zone": "Asia/Tokyo",
            "venue": "Tokyo office",
            "facilitator_id": facilitator.pk,
            "capacity": 5,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["local_start"] == "2031-03-02T09:30" and body["seats_left"] == 5


def test_bad_input_names_each_field_and_writes_nothing(admin_api, course):
    response = admin_api.post(
        f"/api/v1/training/courses/{course.pk}/sessions",
        {"starts_at": "2031-03-02T09:30", "time_zone": "Nowhere/Town"},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert {("time_zone",), ("venue",), ("facilitator_id",)} <= set(locs(response))
    objective = course.objectives.first()
    response = admin_api.post(
        f"/api/v1/training/courses/{course.pk}/questions",
        {"objective_id": objective.pk, "prompt": "?", "options": ["A", "B"], "correct": 3},
        content_type=JSON,
    )
    assert response.status_code == 422 and ("correct",) in locs(response)
    assert not CourseSession.objects.filter(course=course).exists()
    assert Question.objects.filter(objective__course=course).count() == 4


def test_a_learner_enrolls_checks_and_answers_the_survey(session, course, org):
    api = token_client(org.report.user)
    response = api.post(f"/api/v1/training/sessions/{session.pk}/seats", {}, content_type=JSON)
    assert response.status_code == 201 and response.json()["status"] == "enrolled"
    seat_id = response.json()["id"]
    check = api.get(f"/api/v1/training/sessions/{session.pk}/checks/before").json()
    assert check["open"] and all("correct" not in q for q in check["questions"])
    questions = list(Question.objects.filter(objective__course=course))
    bad = api.post(
        f"/api/v1/training/sessions/{session.pk}/checks/before",
        {"answers": [{"question_id": questions[0].pk, "chosen": 3}]},
        content_type=JSON,
    )
    assert bad.status_code == 422
    assert ("answers", str(questions[1].pk)) in locs(bad)
    assert not CheckAttempt.objects.exists()
    answers = [{"question_id": q.pk, "chosen": q.correct} for q in questions]
    ok = api.post(
        f"/api/v1/training/sessions/{session.pk}/checks/before",
        {"answers": answers},
        content_type=JSON,
    )
    assert ok.status_code == 201 and {s["score"] for s in ok.json()["scores"]} == {1.0}
    assert len(api.get(f"/api/v1/training/seats/{seat_id}/checks").json()) == 1
    started(session)
    Seat.objects.filter(pk=seat_id).update(attended=True)
    survey = {"relevance": 5, "engagement": 4, "intent_to_apply": 5}
    response = api.post(
        f"/api/v1/training/sessions/{session.pk}/reaction", survey, content_type=JSON
    )
    assert response.status_code == 201
    again = api.post(f"/api/v1/training/sessions/{session.pk}/reaction", survey, content_type=JSON)
    assert again.status_code == 400


def test_a_full_session_waitlists_and_a_cancel_promotes(session, org):
    SeatFactory(session=session)
    first = SeatFactory(session=session)
    api = token_client(org.report.user)
    seat = api.post(f"/api/v1/training/sessions/{session.pk}/seats", {}, content_type=JSON).json()
    assert seat["status"] == "waitlisted" and seat["waitlist_position"] == 1
    admin_api = token_client(UserFactory(roles=[Role.PROGRAM_ADMIN]))
    assert admin_api.post(f"/api/v1/training/seats/{first.pk}/cancel").status_code == 200
    assert api.get(f"/api/v1/training/seats/{seat['id']}").json()["status"] == "enrolled"


def test_a_manager_enrolls_a_report_but_not_a_stranger(session, org):
    api = token_client(org.manager.user)
    url = f"/api/v1/training/sessions/{session.pk}/seats"
    ok = api.post(url, {"person_id": org.report.pk}, content_type=JSON)
    assert ok.status_code == 201 and ok.json()["source"] == "manager"
    response = api.post(url, {"person_id": org.outsider.pk}, content_type=JSON)
    assert response.status_code == 422 and ("person_id",) in locs(response)


def test_the_facilitator_records_attendance(session, facilitator, org):
    seat = SeatFactory(session=session, person=org.report)
    started(session)
    api = token_client(facilitator.user)
    response = api.post(
        f"/api/v1/training/sessions/{session.pk}/attendance",
        {"seats": [{"seat_id": seat.pk, "attended": True}]},
        content_type=JSON,
    )
    assert response.status_code == 200 and response.json()[0]["attended"] is True
    wrong = api.post(
        f"/api/v1/training/sessions/{session.pk}/attendance",
        {"seats": [{"seat_id": 999999, "attended": True}]},
        content_type=JSON,
    )
    assert wrong.status_code == 422


def test_summaries_say_not_enough_data_under_five(admin_api, session):
    body = admin_api.get(f"/api/v1/training/sessions/{session.pk}/summary").json()
    assert body["reaction"]["relevance"]["enough"] is False
    assert "not enough data" in body["gains"][0]["gain"]["text"]
    assert admin_api.get(f"/api/v1/training/courses/{session.course_id}/summary").status_code == 200


# Denied ----------------------------------------------------------------------------------


def test_admin_endpoints_are_forbidden_to_learners(org, course, session):
    api = token_client(org.outsider.user)
    objective = course.objectives.first()
    for method, url, body in [
        ("post", "/api/v1/training/courses", {"title": "X"}),
        ("post", f"/api/v1/training/courses/{course.pk}/objectives", {"title": "X"}),
        ("get", f"/api/v1/training/courses/{course.pk}/questions", None),
        (
            "post",
            f"/api/v1/training/courses/{course.pk}/questions",
            {"objective_id": objective.pk, "prompt": "?", "options": ["A", "B"], "correct": 1},
        ),
        (
            "post",
            f"/api/v1/training/courses/{course.pk}/sessions",
            {"starts_at": "2031-01-01T10:00", "time_zone": "UTC"},
        ),
        ("post", f"/api/v1/training/sessions/{session.pk}/cancel", None),
        ("get", f"/api/v1/training/sessions/{session.pk}/seats", None),
        (
            "post",
            f"/api/v1/training/sessions/{session.pk}/attendance",
            {"seats": [{"seat_id": 1, "attended": True}]},
        ),
        ("get", f"/api/v1/training/sessions/{session.pk}/summary", None),
        ("get", f"/api/v1/training/courses/{course.pk}/summary", None),
    ]:
        response = api.get(url) if method == "get" else api.post(url, body or {}, content_type=JSON)
        assert response.status_code == 403, (url, response.content)
    assert Course.objects.count() == 1


def test_hidden_records_are_not_found(org, session):
    hidden = SessionFactory(course=CourseFactory(active=False))
    seat = SeatFactory(session=session, person=org.report)
    api = token_client(org.outsider.user)
    for url in [
        f"/api/v1/training/courses/{hidden.course_id}",
        f"/api/v1/training/courses/{hidden.course_id}/sessions",
        f"/api/v1/training/sessions/{hidden.pk}",
        f"/api/v1/training/seats/{seat.pk}",
        f"/api/v1/training/seats/{seat.pk}/checks",
        f"/api/v1/training/sessions/{session.pk}/checks/before",
    ]:
        assert api.get(url).status_code == 404, url
    for url, body in [
        (f"/api/v1/training/seats/{seat.pk}/cancel", None),
        (f"/api/v1/training/sessions/{hidden.pk}/seats", {}),
        (f"/api/v1/training/sessions/{session.pk}/checks/before", {"answers": []}),
        (
            f"/api/v1/training/sessions/{session.pk}/reaction",
            {"relevance": 1, "engagement": 1, "intent_to_apply": 1},
        ),
    ]:
        assert api.post(url, body or {}, content_type=JSON).status_code == 404, url
    assert [s["id"] for s in api.get("/api/v1/training/seats").json()["items"]] == []
    assert api.get("/api/v1/training/courses").status_code == 200


def test_the_api_needs_credentials(client, session):
    assert client.get("/api/v1/training/courses").status_code == 401
    assert client.post(f"/api/v1/training/sessions/{session.pk}/seats").status_code == 401


def test_an_admin_changes_a_course_and_moves_a_session(admin_api, course, org):
    response = admin_api.patch(
        f"/api/v1/training/courses/{course.pk}",
        {"title": "Feedback, again", "reinforce_weeks": 12},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert (course.title, course.reinforce_weeks, course.active) == ("Feedback, again", 12, True)

    session = SessionFactory(course=course)
    SeatFactory(session=session, person=org.report)
    sequence = session.sequence
    response = admin_api.patch(
        f"/api/v1/training/sessions/{session.pk}",
        {"starts_at": "2031-05-04T14:00", "venue": "Room 2"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["local_start"] == "2031-05-04T14:00"
    session.refresh_from_db()
    assert session.venue == "Room 2" and session.sequence > sequence
    # Only the venue sent: the time stays.
    response = admin_api.patch(
        f"/api/v1/training/sessions/{session.pk}", {"venue": "Room 3"}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["local_start"] == "2031-05-04T14:00"


def test_changes_refuse_bad_input_by_field_and_outsiders(admin_api, course, org):
    session = SessionFactory(course=course)
    response = admin_api.patch(
        f"/api/v1/training/sessions/{session.pk}",
        {"capacity": 0},
        content_type=JSON,
    )
    assert response.status_code == 422 and locs(response)[-1][-1] == "capacity"
    response = admin_api.patch(
        f"/api/v1/training/sessions/{session.pk}",
        {"starts_at": "2001-01-01T09:00"},
        content_type=JSON,
    )
    assert response.status_code == 422 and ("starts_at",) in locs(response)
    response = admin_api.patch(
        f"/api/v1/training/courses/{course.pk}", {"title": ""}, content_type=JSON
    )
    assert response.status_code == 422 and ("title",) in locs(response)
    course.refresh_from_db()
    assert course.title != ""
    learner = token_client(org.report.user)
    for url in (f"/api/v1/training/courses/{course.pk}", f"/api/v1/training/sessions/{session.pk}"):
        response = learner.patch(
            url, {"venue": "x"} if "sessions" in url else {}, content_type=JSON
        )
        assert response.status_code in (403, 404)
