"""The mentoring setup API: settings, questions, the mentor pool (program admins), own
answers and intent. Bad input is a 422 naming the field, and writes nothing."""

import pytest

from tandem.api.testing import token_client
from tandem.mentoring.models import Mentor, MentoringSettings, Question
from tandem.mentoring.tests.factories import MENTEE_ANSWERS
from tandem.tests.factories import enroll

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_an_admin_changes_the_settings(program_admin, program):
    api = token_client(program_admin)
    url = f"/api/v1/mentoring/programs/{program.pk}/settings"
    response = api.patch(
        url, {"min_level_gap": None, "objective": "most_matched"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["min_level_gap"] is None
    saved = MentoringSettings.objects.get(program=program)
    assert (saved.objective, saved.min_level_gap, saved.never_in_reporting_chain) == (
        "most_matched",
        None,
        True,
    )
    bad = api.patch(url, {"default_capacity": 0}, content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "default_capacity"


def test_an_admin_builds_the_questionnaire(program_admin, program):
    api = token_client(program_admin)
    url = f"/api/v1/mentoring/programs/{program.pk}/questions"
    created = api.post(
        url,
        {
            "key": "pace",
            "kind": "single_choice",
            "text": "Pace?",
            "options": ["Weekly", "Monthly"],
            "weight": 2,
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    question_id = created.json()["id"]
    changed = api.patch(
        f"/api/v1/mentoring/questions/{question_id}", {"weight": 7}, content_type=JSON
    )
    assert changed.json()["weight"] == 7
    refused = api.post(
        url,
        {"key": "x", "kind": "single_choice", "text": "X?", "options": ["one"]},
        content_type=JSON,
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "options"
    assert api.delete(f"/api/v1/mentoring/questions/{question_id}").status_code == 204
    assert not Question.objects.filter(key__in=["pace", "x"]).exists()


def test_an_admin_adds_a_mentor(program_admin, program, org):
    api = token_client(program_admin)
    url = f"/api/v1/mentoring/programs/{program.pk}/mentors"
    created = api.post(url, {"person_id": org.executive.pk, "capacity": 3}, content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["effective_capacity"] == 3
    patched = api.patch(
        f"/api/v1/mentoring/mentors/{created.json()['id']}", {"active": False}, content_type=JSON
    )
    assert patched.json()["active"] is False
    assert api.get(url).json()[0]["name"] == org.executive.full_name


def test_a_mentee_answers_and_states_intent(org, program):
    enroll(program, org.report)
    api = token_client(org.report.user)
    url = f"/api/v1/mentoring/programs/{program.pk}/answers/mentee"
    bad = api.put(
        url, {"answers": {**MENTEE_ANSWERS, "seniority": 9, "colour": "red"}}, content_type=JSON
    )
    assert bad.status_code == 422
    assert {tuple(e["loc"][-2:]) for e in bad.json()["detail"]} == {
        ("answers", "seniority"),
        ("answers", "colour"),
    }
    assert api.get(url).json()["answered_at"] is None
    assert api.put(url, {"answers": MENTEE_ANSWERS}, content_type=JSON).status_code == 200
    intent = f"/api/v1/mentoring/programs/{program.pk}/intent"
    empty = api.put(intent, {"goals": [], "help_wanted": ["career"]}, content_type=JSON)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"][-1] == "goals"
    stated = api.put(
        intent, {"goals": ["Lead a team"], "help_wanted": ["career"]}, content_type=JSON
    )
    assert stated.json()["stated"] is True


def test_outsiders_are_refused(org, program, mentor):
    api = token_client(org.outsider.user)
    base = f"/api/v1/mentoring/programs/{program.pk}"
    assert api.get(f"{base}/settings").status_code == 404
    assert api.patch(f"{base}/settings", {"format": "group"}, content_type=JSON).status_code == 404
    assert (
        api.post(f"{base}/mentors", {"person_id": org.outsider.pk}, content_type=JSON).status_code
        == 404
    )
    assert api.put(f"{base}/answers/mentee", {"answers": {}}, content_type=JSON).status_code == 404
    assert (
        api.put(
            f"{base}/intent", {"goals": ["x"], "help_wanted": ["career"]}, content_type=JSON
        ).status_code
        == 404
    )
    question = Question.objects.filter(program=program).first()
    assert api.delete(f"/api/v1/mentoring/questions/{question.pk}").status_code == 403
    assert (
        api.patch(
            f"/api/v1/mentoring/mentors/{mentor.pk}", {"active": False}, content_type=JSON
        ).status_code
        == 403
    )
    assert (
        Mentor.objects.get(pk=mentor.pk).active and Question.objects.filter(pk=question.pk).exists()
    )
    assert MentoringSettings.objects.get(program=program).format == "one_to_one"


def test_a_mentee_cannot_change_the_program(org, program, mentee):
    api = token_client(org.report.user)
    response = api.patch(
        f"/api/v1/mentoring/programs/{program.pk}/settings", {"format": "group"}, content_type=JSON
    )
    assert response.status_code == 403
