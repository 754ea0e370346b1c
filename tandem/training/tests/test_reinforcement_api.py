"""The reinforcement API: my burst and its answers, my cards, practice logs and their
confirmation, flags and retention, with a denied case for each and field-level 422s."""

import datetime

import pytest
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.training import reinforcement
from tandem.training.models import PracticeLog, Review
from tandem.training.tests.factories import learners
from tandem.training.tests.reinforcement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
API = "/api/v1/training"


def _due(seat):
    seat.cards.update(due=timezone.now() - datetime.timedelta(hours=1))


def test_my_burst_and_answering_it(seat, org):
    _due(seat)
    api = token_client(org.report.user)
    items = api.get(f"{API}/burst").json()
    assert len(items) == 2 and items[0]["question"]["options"]
    assert "correct" not in items[0]["question"]
    item = items[0]
    response = api.post(
        f"{API}/cards/{item['card_id']}/answer",
        {"question_id": item["question"]["id"], "chosen": 1, "confidence": 3, "seconds": 9},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_after"] > body["due_before"] or body["right"] is False
    again = api.post(
        f"{API}/cards/{item['card_id']}/answer",
        {"question_id": item["question"]["id"], "chosen": 1},
        content_type="application/json",
    )
    assert again.status_code == 400
    cards = api.get(f"{API}/cards").json()
    assert len(cards["items"]) == 2


def test_bad_answers_are_field_errors_and_write_nothing(seat, org):
    _due(seat)
    api = token_client(org.report.user)
    card = seat.cards.first()
    question = card.objective.questions.first()
    url = f"{API}/cards/{card.pk}/answer"
    for payload, field in (
        ({"question_id": question.pk}, "chosen"),
        ({"question_id": question.pk, "chosen": 3, "confidence": 7}, "confidence"),
        ({"chosen": 1}, "question_id"),
        ({"question_id": question.pk, "chosen": "1"}, "chosen"),
    ):
        response = api.post(url, payload, content_type="application/json")
        assert response.status_code == 422, payload
        assert field in str(response.json()["detail"])
    assert Review.objects.count() == 0


def test_nobody_answers_or_lists_someone_elses_cards(seat, org):
    _due(seat)
    card = seat.cards.first()
    question = card.objective.questions.first()
    api = token_client(org.manager.user)
    response = api.post(
        f"{API}/cards/{card.pk}/answer",
        {"question_id": question.pk, "chosen": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert api.get(f"{API}/burst").json() == []
    assert api.get(f"{API}/cards").json()["items"] == []


def test_practice_logs_created_listed_and_confirmed_by_the_chain(seat, org, course):
    objective = course.objectives.first()
    api = token_client(org.report.user)
    bad = api.post(
        f"{API}/practice-logs",
        {"objective_id": objective.pk, "what_i_did": "x", "practiced_on": "2999-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "practiced_on" in str(bad.json())
    created = api.post(
        f"{API}/practice-logs",
        {"objective_id": objective.pk, "what_i_did": "Named it", "practiced_on": "2025-01-02"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    log_id = created.json()["id"]
    confirm = f"{API}/practice-logs/{log_id}/confirm"
    assert api.post(confirm, {}, content_type="application/json").status_code == 403
    outsider = token_client(org.outsider.user)
    assert outsider.get(f"{API}/practice-logs").json()["items"] == []
    assert outsider.post(confirm, {}, content_type="application/json").status_code == 404
    manager = token_client(org.manager.user)
    assert [i["id"] for i in manager.get(f"{API}/practice-logs").json()["items"]] == [log_id]
    done = manager.post(confirm, {"note": "Seen it"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["confirmed_by_id"] == org.manager.pk
    assert manager.post(confirm, {}, content_type="application/json").status_code == 400
    assert PracticeLog.objects.get().manager_note == "Seen it"


def test_someone_who_did_not_attend_cannot_log(seat, org, course):
    response = token_client(org.outsider.user).post(
        f"{API}/practice-logs",
        {"objective_id": course.objectives.first().pk, "what_i_did": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "objective_id" in str(response.json())


def test_flags_for_program_admins_only(seat, course, org, program_admin):
    at = seat.session.starts_at + datetime.timedelta(days=course.escalate_after_days + 1)
    flag = reinforcement.flags_raise(at)[0]
    manager = token_client(org.manager.user)
    assert manager.get(f"{API}/flags").status_code == 403
    resolve = f"{API}/flags/{flag.pk}/resolve"
    body = {"resolution": "Coach assigned"}
    assert manager.post(resolve, body, content_type="application/json").status_code == 404
    admin = token_client(program_admin)
    flags = admin.get(f"{API}/flags").json()["items"]
    assert {f["suggestion"] for f in flags} <= {"coaching", "mentoring"}
    assert all(f["suggestion_reasons"] for f in flags)
    assert (
        admin.post(resolve, {"resolution": ""}, content_type="application/json").status_code == 422
    )
    assert admin.post(resolve, body, content_type="application/json").status_code == 200


def test_retention_of_a_learner_and_of_cohorts(seat, held, org, program_admin):
    url = f"{API}/retention/people/{org.report.pk}"
    mine = token_client(org.report.user).get(url)
    assert mine.status_code == 200 and len(mine.json()[0]["objectives"]) == 2
    assert token_client(org.manager.user).get(url).status_code == 200
    assert token_client(org.outsider.user).get(url).status_code == 404
    assert token_client(org.executive.user).get(url).status_code == 404
    session_url = f"{API}/retention/sessions/{held.pk}"
    small = token_client(org.executive.user).get(session_url).json()
    assert small["enough"] is False and small["detail"] == "not enough data (n=1)"
    assert small["days"] == [] and small["bursts_done"] is None
    for person in learners(4):
        attend(held, person)  # noqa: F405
    admin = token_client(program_admin)
    full = admin.get(session_url).json()
    assert full["enough"] is True and full["n"] == 5 and full["days"][0]["n"] == 5
    course = admin.get(f"{API}/retention/courses/{held.course_id}").json()
    assert course["overall"]["n"] == 5
    assert token_client(org.report.user).get(session_url).status_code == 404
    assert (
        token_client(org.report.user).get(f"{API}/retention/courses/{held.course_id}").status_code
        == 404
    )
