"""POST /api/v1/advisor: the recommendation with reasons, for any signed-in caller."""

import json

import pytest
from django.test import Client

from tandem.api.testing import token_client
from tandem.lib.advisor import INPUTS
from tandem.programs.models import LearningActivity

URL = "/api/v1/advisor"

ANSWERS = {
    "level": "emerging",
    "need": "skill_or_knowledge",
    "customization": "low",
    "time_available": "some",
    "budget_per_person": 600,
    "people_sharing_need": 12,
    "practice_and_feedback": True,
}


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture
def api(org):
    return token_client(org.outsider.user)


def test_it_recommends_with_reasons_naming_their_inputs(api):
    response = post(api, ANSWERS)
    assert response.status_code == 200
    advice = response.json()
    assert advice["recommendation"] == "training"
    assert advice["label"] == "Training"
    assert advice["components"] == ["training"]
    assert [r["input"] for r in advice["reasons"]] == [
        "need",
        "people_sharing_need",
        "customization",
        "level",
        "budget_per_person",
        "practice_and_feedback",
    ]
    assert advice["reasons"][1]["text"].startswith("12 people share this need")
    assert advice["watch"]
    assert advice["scores"] == {"training": 10, "mentoring": 0, "coaching": -2}


def test_it_recommends_a_blend(api):
    body = {**ANSWERS, "customization": "medium", "budget_per_person": 2500.5}
    advice = post(api, body).json()
    assert advice["recommendation"] == "training_reinforcement_coaching"
    assert advice["components"] == ["training", "reinforcement", "coaching"]
    assert all(r["input"] in INPUTS for r in advice["reasons"] + advice["weighed_against"])


def test_it_writes_nothing(api, org):
    post(api, ANSWERS)
    assert not LearningActivity.objects.exists()


def test_it_refuses_anonymous_callers(db):
    response = post(Client(), ANSWERS)
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": "director"}, "level"),
        ({"need": "charisma"}, "need"),
        ({"budget_per_person": "600"}, "budget_per_person"),
        ({"budget_per_person": -1}, "budget_per_person"),
        ({"budget_per_person": 10**12}, "budget_per_person"),
        ({"people_sharing_need": 0}, "people_sharing_need"),
        ({"people_sharing_need": 2.5}, "people_sharing_need"),
        ({"people_sharing_need": True}, "people_sharing_need"),
        ({"practice_and_feedback": "yes"}, "practice_and_feedback"),
        ({"practice_and_feedback": 0}, "practice_and_feedback"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_it_refuses_loose_input_naming_the_field(api, change, field):
    response = post(api, {**ANSWERS, **change})
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]


def test_it_asks_for_every_answer(api):
    response = post(api, {"level": "mid"})
    assert response.status_code == 422
    missing = {e["loc"][-1] for e in response.json()["detail"]}
    assert missing == set(ANSWERS) - {"level"}


def test_it_refuses_a_body_that_is_not_json(api):
    response = api.post(URL, "level=mid", content_type="application/json")
    assert response.status_code == 400


def test_it_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["post"]
    assert operation["operationId"] == "advise"
    assert {"200", "400", "401", "403", "422"} <= set(operation["responses"])
