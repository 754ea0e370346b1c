"""The relationships API: the request, the agreement, meetings with the caller's own
notes, check-ins, closing, exit, introductions and health; content for the two parties
only, metadata for admins, 404 for anyone else; bad input a 422 that writes nothing."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.mentoring import relationships as services
from tandem.mentoring.models import CheckIn, Meeting
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
JSON = "application/json"
BASE = "/api/v1/mentoring"


def test_the_request_is_accepted_and_agreed(proposed):
    mentee, mentor = token_client(proposed.mentee.user), token_client(proposed.mentor.user)
    url = f"{BASE}/relationships/{proposed.pk}"
    question = mentor.post(f"{url}/questions", {"question": "Why me?"}, content_type=JSON)
    assert question.status_code == 201
    answer = mentee.post(
        f"{BASE}/mentor-questions/{question.json()['id']}/answer",
        {"answer": "Sales"},
        content_type=JSON,
    )
    assert answer.status_code == 200 and answer.json()["answer"] == "Sales"
    assert mentee.post(f"{url}/accept").json()["mentee_accepted_at"]
    assert mentor.post(f"{url}/accept").status_code == 200
    bad = mentee.put(
        f"{url}/agreement",
        {"goals": ["Lead"], "cadence": "daily", "confidentiality": "x"},
        content_type=JSON,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "cadence"
    agreed = mentee.put(
        f"{url}/agreement",
        {"goals": ["Lead"], "cadence": "weekly", "confidentiality": "Ours."},
        content_type=JSON,
    )
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["status"] == "active" and agreed.json()["goals"] == ["Lead"]


def test_meetings_serve_each_side_its_own_notes(active):
    mentee, mentor = token_client(active.mentee.user), token_client(active.mentor.user)
    url = f"{BASE}/relationships/{active.pk}/meetings"
    today = timezone.localdate().isoformat()
    created = mentor.post(
        url, {"held_on": today, "topics": "T", "notes": "MENTOR-ONLY"}, content_type=JSON
    )
    assert created.status_code == 201 and created.json()["my_notes"] == "MENTOR-ONLY"
    notes = mentee.put(
        f"{BASE}/meetings/{created.json()['id']}/notes", {"notes": "MINE"}, content_type=JSON
    )
    assert notes.json()["my_notes"] == "MINE"
    assert [m["my_notes"] for m in mentee.get(url).json()] == ["MINE"]
    assert [m["my_notes"] for m in mentor.get(url).json()] == ["MENTOR-ONLY"]


def test_bad_meeting_input_is_a_422_and_writes_nothing(active):
    api = token_client(active.mentor.user)
    url = f"{BASE}/relationships/{active.pk}/meetings"
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for body in ({"held_on": future}, {"held_on": "2026-01-01", "duration_minutes": 0}, {}):
        assert api.post(url, body, content_type=JSON).status_code == 422
    assert not Meeting.objects.exists()


def test_admins_get_metadata_and_no_content(active, program_admin):
    services.meeting_log(
        relationship=active,
        user=active.mentor.user,
        record=services.MeetingRecord(timezone.localdate(), 30, "video", notes="N"),
    )
    api = token_client(program_admin)
    body = api.get(f"{BASE}/relationships/{active.pk}").json()
    assert body["meeting_count"] == 1 and body["cadence"] == "fortnightly"
    assert body["goals"] is None
    for path in ("meetings", "questions", "introductions"):
        assert api.get(f"{BASE}/relationships/{active.pk}/{path}").status_code == 403
    assert api.get(f"{BASE}/relationships").json()["count"] == 1


def test_an_outsider_gets_404_and_changes_nothing(active, org):
    api = token_client(org.outsider.user)
    url = f"{BASE}/relationships/{active.pk}"
    assert api.get(url).status_code == 404
    for path in ("meetings", "questions", "introductions"):
        assert api.get(f"{url}/{path}").status_code == 404
    for path, body in [
        ("accept", None),
        ("decline", None),
        ("close", {"outcome": "not_met"}),
        ("exit", {"reason": "time"}),
        ("meetings", {"held_on": "2026-01-01"}),
    ]:
        assert api.post(f"{url}/{path}", body, content_type=JSON).status_code == 404, path
    assert api.get(f"{BASE}/relationships").json()["count"] == 0
    assert api.get(f"{BASE}/programs/{active.program_id}/health").status_code == 404
    active.refresh_from_db()
    assert active.status == "active"


def test_check_ins_close_survey_and_introductions(active):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        services.check_ins_create_due()
    mentee, mentor = token_client(active.mentee.user), token_client(active.mentor.user)
    [mine] = mentee.get(f"{BASE}/check-ins?unanswered=true").json()["items"]
    bad = mentee.post(
        f"{BASE}/check-ins/{mine['id']}",
        {"satisfaction": 6, "goal_progress": 3, "frequency_ok": True},
        content_type=JSON,
    )
    assert bad.status_code == 422 and CheckIn.objects.filter(answered_at__isnull=False).count() == 0
    theirs = CheckIn.objects.get(side="mentor")
    answer = {"satisfaction": 4, "goal_progress": 3, "frequency_ok": True}
    assert (
        mentee.post(f"{BASE}/check-ins/{theirs.pk}", answer, content_type=JSON).status_code == 404
    )
    assert (
        mentee.post(f"{BASE}/check-ins/{mine['id']}", answer, content_type=JSON).status_code == 200
    )
    url = f"{BASE}/relationships/{active.pk}"
    intro = {"kind": "sponsorship", "whom": "The CFO", "happened_on": "2026-01-05"}
    assert mentee.post(f"{url}/introductions", intro, content_type=JSON).status_code == 400
    assert mentor.post(f"{url}/introductions", intro, content_type=JSON).status_code == 201
    survey = {"satisfaction": 5, "goals_met": 4, "would_recommend": True}
    closed = mentee.post(
        f"{url}/close", {"outcome": "goals_met", "survey": survey}, content_type=JSON
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert mentor.post(f"{url}/survey", survey, content_type=JSON).status_code == 201
    assert mentor.post(f"{url}/survey", survey, content_type=JSON).status_code == 400


def test_health_for_admins(active, program_admin):
    response = token_client(program_admin).get(f"{BASE}/programs/{active.program_id}/health")
    assert response.status_code == 200
    assert response.json()["by_status"] == {"active": 1}
