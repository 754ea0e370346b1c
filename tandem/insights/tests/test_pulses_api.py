"""/api/v1/impact/pulses and the answers by token under /api/v1/rater/pulses: the same
rules as the pages, with a denied case for each reader, and the filters through the
same safe-cell rule (a small team is "not enough data")."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.insights import pulse_items, pulses
from tandem.insights.models import Pulse, PulseResponse, PulseStatus
from tandem.insights.tests.test_pulses_setup import answer_everyone, answers, opened, pulse_org

pytestmark = pytest.mark.django_db

API = "/api/v1/impact/pulses"


@pytest.fixture
def people(org):
    return pulse_org(org)


@pytest.fixture
def admin(program_admin):
    return token_client(program_admin)


@pytest.fixture
def closed(people, program_admin):
    pulse, raw = opened(program_admin, name="Pulse Q1 2026")
    answer_everyone(raw)
    return pulses.pulse_close(pulse=pulse, closed_by=program_admin)


def test_it_needs_credentials(client, closed):
    for url in (API, f"{API}/{closed.pk}", f"{API}/{closed.pk}/results", f"{API}/trend"):
        assert client.get(url).status_code == 401
    assert client.post(f"{API}/{closed.pk}/close").status_code == 401


def test_someone_who_leads_nobody_gets_nothing(people, closed):
    api = token_client(people.org.outsider.user)
    assert api.get(API).status_code == 403
    assert api.get(f"{API}/{closed.pk}").status_code == 404
    assert api.get(f"{API}/{closed.pk}/results").status_code == 404
    assert api.get(f"{API}/trend").status_code == 403
    assert api.post(f"{API}/{closed.pk}/close").status_code == 404
    assert (
        api.post(API, {"name": "x", "closes_on": "2030-01-01"}, "application/json").status_code
        == 403
    )


def test_an_admin_creates_opens_and_closes_a_pulse(
    people, admin, django_capture_on_commit_callbacks
):
    closes = (timezone.now().date() + datetime.timedelta(days=7)).isoformat()
    response = admin.post(API, {"name": "API pulse", "closes_on": closes}, "application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["invited"] is None and body["org_unit_id"] is None
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{API}/{body['id']}/open")
    assert response.status_code == 200
    assert response.json()["invited"] == 17 and response.json()["answered"] == 0
    assert len(mail.outbox) == 17
    response = admin.post(f"{API}/{body['id']}/open")
    assert response.status_code == 400 and "draft" in response.json()["detail"]
    assert admin.get(f"{API}/{body['id']}/results").json()["shown"] is False
    response = admin.post(f"{API}/{body['id']}/close")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_a_bad_pulse_names_its_fields_and_writes_nothing(people, admin):
    past = (timezone.now().date() - datetime.timedelta(days=1)).isoformat()
    response = admin.post(
        API, {"name": "Late", "closes_on": past, "org_unit_id": 999_999}, "application/json"
    )
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {
        ("body", "payload", "org_unit_id")
    }
    response = admin.post(API, {"name": "Late", "closes_on": past}, "application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "closes_on"]
    response = admin.post(API, {"name": "", "closes_on": 5}, "application/json")
    assert response.status_code == 422
    assert not Pulse.objects.exists()


def test_the_results_of_the_whole_pulse_and_of_a_team(people, admin, closed):
    body = admin.get(f"{API}/{closed.pk}/results").json()
    assert body["shown"] and body["n"] == 17 and body["response_rate"] == 1.0
    assert body["engagement_index"]["value"] == pytest.approx(75.0)
    assert body["enps"]["n"] == 17 and body["enps"]["low"] is not None
    body = admin.get(f"{API}/{closed.pk}/results", {"team_lead": people.org.manager.pk}).json()
    assert body["shown"] and body["n"] == 6 and body["team_lead_id"] == people.org.manager.pk


def test_a_small_team_is_refused_as_not_enough_data(people, admin, closed):
    response = admin.get(f"{API}/{closed.pk}/results", {"team_lead": people.org.ceo.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["shown"] is False
    assert body["n"] is None and body["engagement_index"] is None and body["enps"] is None
    assert "not enough" in body["note"]
    body = admin.get(
        f"{API}/{closed.pk}/results",
        {"org_unit": people.org.ceo.org_unit_id, "level": "individual_contributor"},
    ).json()
    assert body["shown"] is False


def test_bad_filters_are_named(admin, closed):
    response = admin.get(f"{API}/{closed.pk}/results", {"org_unit": 999_999})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "org_unit"
    response = admin.get(f"{API}/{closed.pk}/results", {"level": "boss"})
    assert response.status_code == 422


def test_the_list_and_the_trend(people, admin, closed):
    body = admin.get(API).json()
    assert body["count"] == 1
    assert body["items"][0]["answered"] == 17 and body["items"][0]["response_rate"] == 1.0
    trend = admin.get(f"{API}/trend", {"level": "emerging"}).json()
    assert [point["name"] for point in trend] == ["Pulse Q1 2026"]
    assert trend[0]["results"]["n"] == 12


def test_an_executive_viewer_reads_but_does_not_run_pulses(people, closed):
    api = token_client(people.org.executive.user)
    assert api.get(f"{API}/{closed.pk}/results").json()["n"] == 17
    assert api.get(API).json()["items"][0]["invited"] == 17
    assert api.post(f"{API}/{closed.pk}/close").status_code == 403
    response = api.post(API, {"name": "x", "closes_on": "2030-01-01"}, "application/json")
    assert response.status_code == 403 and not Pulse.objects.exclude(pk=closed.pk).exists()


def test_a_manager_reads_their_own_team_only(people, program_admin, closed):
    api = token_client(people.org.manager.user)
    body = api.get(f"{API}/{closed.pk}/results").json()
    assert body["team_lead_id"] == people.org.manager.pk and body["n"] == 6
    response = api.get(f"{API}/{closed.pk}/results", {"team_lead": people.lead.pk})
    assert response.status_code == 403
    trend = api.get(f"{API}/trend").json()
    assert trend[0]["results"]["team_lead_id"] == people.org.manager.pk
    opened(program_admin, name="Still open")
    listed = api.get(API).json()["items"]
    assert [item["name"] for item in listed] == ["Pulse Q1 2026"]
    assert listed[0]["invited"] is None and listed[0]["answered"] is None
    assert api.post(f"{API}/{closed.pk}/close").status_code == 403


# Answering by token -----------------------------------------------------------------------


@pytest.fixture
def token(people, program_admin):
    _pulse, raw = opened(program_admin)
    return raw[people.org.report.email]


def test_a_person_answers_by_token_without_an_account(token):
    api = Client()
    response = api.get(f"/api/v1/rater/pulses/{token}")
    assert response.status_code == 200
    questions = response.json()["questions"]
    assert [q["key"] for q in questions][-1] == "enps" and len(questions) == len(
        pulse_items.asked_items()
    ) + 1
    response = api.post(
        f"/api/v1/rater/pulses/{token}", {"answers": answers(3, 10)}, "application/json"
    )
    assert response.status_code == 200 and response.json() == {"answered": True}
    assert PulseResponse.objects.get().index == 50.0
    response = api.post(
        f"/api/v1/rater/pulses/{token}", {"answers": answers(3, 10)}, "application/json"
    )
    assert response.status_code == 410 and PulseResponse.objects.count() == 1
    assert api.get(f"/api/v1/rater/pulses/{token}").status_code == 410


def test_bad_answers_by_token_name_each_question(token):
    api = Client()
    bad = answers()
    bad["enps"] = 11
    bad["mood"] = 1
    del bad["growth"]
    response = api.post(f"/api/v1/rater/pulses/{token}", {"answers": bad}, "application/json")
    assert response.status_code == 422
    where = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert where == {
        ("body", "payload", "answers", "enps"),
        ("body", "payload", "answers", "mood"),
        ("body", "payload", "answers", "growth"),
    }
    response = api.post(
        f"/api/v1/rater/pulses/{token}", {"answers": {"enps": "9"}}, "application/json"
    )
    assert response.status_code == 422
    assert not PulseResponse.objects.exists()


def test_an_unknown_or_closed_token_is_refused(token):
    api = Client()
    assert api.get("/api/v1/rater/pulses/nope").status_code == 404
    pulses.pulse_close(pulse=Pulse.objects.get())
    assert Pulse.objects.get().status == PulseStatus.CLOSED
    response = api.post(f"/api/v1/rater/pulses/{token}", {"answers": answers()}, "application/json")
    assert response.status_code == 410 and "closed" in response.json()["detail"]
