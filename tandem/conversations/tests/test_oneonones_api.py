"""The one-on-one API: series, the next meeting, agenda, shared notes, my private note,
completing with next steps (a 422 without, nothing written) and the .ics. Manager and
report only: everyone else gets 404, and no route gives the other party's note."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.conversations import oneonones
from tandem.conversations.models import Meeting, MeetingStatus, NextStep, OneOnOneSeries
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/conversations/one-on-ones"
JSON = "application/json"


def today():
    return timezone.localdate().isoformat()


@pytest.fixture
def series(org):
    return oneonones.series_start(
        manager=org.manager,
        report=org.report,
        cadence="weekly",
        first_on=timezone.localdate(),
        starts_at=datetime.time(10, 0),
        duration_minutes=30,
        time_zone="UTC",
    )


@pytest.fixture
def meeting(org, series):
    meeting = oneonones.meeting_next(series)
    oneonones.agenda_add(meeting=meeting, author=org.report, text="Career growth talk")
    oneonones.private_note_save(meeting=meeting, author=org.manager, body="MANAGER-SECRET")
    oneonones.private_note_save(meeting=meeting, author=org.report, body="REPORT-SECRET")
    return meeting


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_manager_starts_a_series_with_a_direct_report(org):
    api = token_client(org.manager.user)
    body = {"report_id": org.report.pk, "first_on": today(), "time_zone": "Europe/Paris"}
    response = api.post(BASE, body, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["report"]["id"] == org.report.pk
    assert response.json()["next_on"] == today()
    again = api.post(BASE, body, content_type=JSON)
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "payload", "report_id"]
    other = api.post(BASE, body | {"report_id": org.outsider.pk}, content_type=JSON)
    assert other.status_code == 422
    bad = token_client(org.ceo.user).post(
        BASE,
        {"report_id": org.manager.pk, "first_on": today(), "time_zone": "Mars/Base"},
        content_type=JSON,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "time_zone"
    assert OneOnOneSeries.objects.count() == 1
    assert api.post(BASE, "{", content_type=JSON).status_code == 400
    assert Client().post(BASE, body, content_type=JSON).status_code == 401


def test_it_lists_and_patches_a_series(org, series):
    assert [s["id"] for s in token_client(org.report.user).get(BASE).json()] == [series.pk]
    assert token_client(org.ceo.user).get(BASE).json() == []
    url = f"{BASE}/{series.pk}"
    report = token_client(org.report.user)
    response = report.patch(url, {"cadence": "monthly"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["cadence"] == "monthly"
    assert report.patch(url, {"active": False}, content_type=JSON).status_code == 403
    assert report.patch(url, {"cadence": "daily"}, content_type=JSON).status_code == 422
    manager = token_client(org.manager.user)
    response = manager.patch(url, {"active": False}, content_type=JSON)
    assert response.status_code == 200 and response.json()["active"] is False
    assert manager.patch(url, {"active": False}, content_type=JSON).status_code == 400
    assert manager.post(f"{url}/next-meeting").status_code == 400


def test_the_meeting_flow_refuses_completion_without_a_next_step(org, series):
    manager, report = token_client(org.manager.user), token_client(org.report.user)
    response = report.post(f"{BASE}/{series.pk}/next-meeting")
    assert response.status_code == 200
    meeting_id = response.json()["id"]
    assert manager.post(f"{BASE}/{series.pk}/next-meeting").json()["id"] == meeting_id
    url = f"{BASE}/meetings/{meeting_id}"
    item = report.post(f"{url}/agenda", {"text": "Workload"}, content_type=JSON)
    assert item.status_code == 201
    assert manager.post(f"{url}/agenda", {"text": ""}, content_type=JSON).status_code == 422
    done = manager.patch(f"{BASE}/agenda/{item.json()['id']}", {"done": True}, content_type=JSON)
    assert done.json()["done"] is True
    assert report.get(f"{BASE}/agenda/{item.json()['id']}").json()["done"] is True
    notes = manager.put(f"{url}/shared-notes", {"shared_notes": "Shared"}, content_type=JSON)
    assert notes.json()["shared_notes"] == "Shared"
    none = manager.post(f"{url}/complete", {"next_steps": []}, content_type=JSON)
    assert none.status_code == 422
    assert none.json()["detail"][0]["loc"][:3] == ["body", "payload", "next_steps"]
    early = manager.post(
        f"{url}/complete",
        {"next_steps": [{"title": "x", "owner": "report", "due_date": "2000-01-01"}]},
        content_type=JSON,
    )
    assert early.status_code == 422 and early.json()["detail"][0]["loc"][-1] == "next_steps"
    assert Meeting.objects.get().status == MeetingStatus.PLANNED and not NextStep.objects.exists()
    step = {"title": "Write it up", "owner": "manager", "due_date": today()}
    response = manager.post(f"{url}/complete", {"next_steps": [step]}, content_type=JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "completed" and body["next_steps"][0]["owner"]["id"] == org.manager.pk
    again = manager.post(f"{url}/complete", {"next_steps": [step]}, content_type=JSON)
    assert again.status_code == 400
    assert report.get(url).json()["agenda"][0]["text"] == "Workload"


def test_my_private_note_is_mine_alone(org, meeting):
    url = f"{BASE}/meetings/{meeting.pk}/private-note"
    manager, report = token_client(org.manager.user), token_client(org.report.user)
    assert manager.get(url).json() == {"meeting_id": meeting.pk, "body": "MANAGER-SECRET"}
    assert report.get(url).json()["body"] == "REPORT-SECRET"
    assert report.put(url, {"body": "Changed"}, content_type=JSON).json()["body"] == "Changed"
    assert manager.get(url).json()["body"] == "MANAGER-SECRET"
    meeting_body = manager.get(f"{BASE}/meetings/{meeting.pk}").content.decode()
    assert "SECRET" not in meeting_body and "Changed" not in meeting_body
    assert report.put(url, {"body": 5}, content_type=JSON).status_code == 422


def test_the_ics_is_served_to_the_two_parties(org, series):
    response = token_client(org.report.user).get(f"{BASE}/{series.pk}/calendar.ics")
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content


def test_anyone_else_gets_404_on_every_endpoint(org, program_admin, superuser, meeting):
    series, item = meeting.series, meeting.agenda.get()
    next_step = NextStep.objects.create(
        meeting=meeting, title="x", owner=org.report, due_date=timezone.localdate()
    )
    step = {"title": "x", "owner": "report", "due_date": today()}
    calls = [
        ("get", f"{BASE}/{series.pk}", None),
        ("patch", f"{BASE}/{series.pk}", {"cadence": "monthly"}),
        ("get", f"{BASE}/{series.pk}/calendar.ics", None),
        ("post", f"{BASE}/{series.pk}/next-meeting", None),
        ("get", f"{BASE}/meetings/{meeting.pk}", None),
        ("post", f"{BASE}/meetings/{meeting.pk}/agenda", {"text": "x"}),
        ("get", f"{BASE}/agenda/{item.pk}", None),
        ("patch", f"{BASE}/agenda/{item.pk}", {"done": True}),
        ("put", f"{BASE}/meetings/{meeting.pk}/shared-notes", {"shared_notes": "x"}),
        ("get", f"{BASE}/meetings/{meeting.pk}/private-note", None),
        ("put", f"{BASE}/meetings/{meeting.pk}/private-note", {"body": "x"}),
        ("post", f"{BASE}/meetings/{meeting.pk}/complete", {"next_steps": [step]}),
        ("post", f"{BASE}/meetings/{meeting.pk}/cancel", None),
        ("get", f"{BASE}/{series.pk}/open-next-steps", None),
        ("get", f"{BASE}/next-steps/{next_step.pk}", None),
        ("patch", f"{BASE}/next-steps/{next_step.pk}", {"done": True}),
    ]
    for user in (org.ceo.user, org.outsider.user, program_admin, superuser):
        api = token_client(user)
        for method, url, data in calls:
            kwargs = {"data": data, "content_type": JSON} if data is not None else {}
            response = getattr(api, method)(url, **kwargs)
            assert response.status_code == 404, (user, method, url, response.content)
            assert b"SECRET" not in response.content
    for method, url, data in calls:
        kwargs = {"data": data, "content_type": JSON} if data is not None else {}
        assert getattr(Client(), method)(url, **kwargs).status_code == 401
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.agenda.count() == 1
    next_step.refresh_from_db()
    assert next_step.done_on is None


def test_either_side_cancels_a_meeting_and_marks_next_steps_done(org, meeting):
    report, manager = token_client(org.report.user), token_client(org.manager.user)
    response = report.post(f"{BASE}/meetings/{meeting.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = manager.post(f"{BASE}/meetings/{meeting.pk}/cancel")
    assert again.status_code == 400, again.content
    following = oneonones.meeting_next(meeting.series)
    step = {"title": "Book the course", "owner": "report", "due_date": following.on.isoformat()}
    completed = manager.post(
        f"{BASE}/meetings/{following.pk}/complete",
        data={"next_steps": [step]},
        content_type=JSON,
    )
    assert completed.status_code == 200, completed.content
    step_id = completed.json()["next_steps"][0]["id"]
    open_steps = report.get(f"{BASE}/{meeting.series_id}/open-next-steps").json()
    assert [s["title"] for s in open_steps] == ["Book the course"]
    done = report.patch(f"{BASE}/next-steps/{step_id}", data={"done": True}, content_type=JSON)
    assert done.status_code == 200 and done.json()["done_on"] == today()
    assert manager.get(f"{BASE}/{meeting.series_id}/open-next-steps").json() == []
    assert manager.get(f"{BASE}/next-steps/{step_id}").json()["done_on"] == today()
    bad = report.patch(f"{BASE}/next-steps/{step_id}", data={"done": "yes"}, content_type=JSON)
    assert bad.status_code == 422
    reopened = manager.patch(
        f"{BASE}/next-steps/{step_id}", data={"done": False}, content_type=JSON
    )
    assert reopened.json()["done_on"] is None
