"""The feedback API under /api/v1/conversations: giving and asking with field-level
422s that write nothing, goal ownership, answering and declining, and who reads what
(the giver, the recipient, their manager only if shared; nobody else)."""

import pytest
from django.core import mail

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.conversations import feedback
from tandem.conversations.models import Feedback, FeedbackRequest
from tandem.conversations.tests.conftest import SBI, goal_of

pytestmark = pytest.mark.django_db

BASE = "/api/v1/conversations"


def post(user, url, body):
    return token_client(user).post(url, body, content_type="application/json")


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# Giving ----------------------------------------------------------------------------


def test_it_gives_feedback(org, colleague):
    response = post(
        colleague.user,
        f"{BASE}/feedback",
        {"recipient_id": org.report.pk, "kind": "developmental", **SBI},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recipient"] == {"id": org.report.pk, "full_name": org.report.full_name}
    assert body["behaviour"] == SBI["behaviour"] and body["share_with_manager"] is False


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": "positive", "situation": "Lunch"}, {"behaviour", "impact"}),
        ({"kind": "positive"}, {"text"}),
        ({"kind": "praise", "text": "Hi"}, {"kind"}),
        ({"kind": "positive", "text": "a\x00b"}, {"text"}),
    ],
)
def test_it_refuses_bad_feedback_per_field_and_writes_nothing(org, colleague, body, fields):
    response = post(colleague.user, f"{BASE}/feedback", {"recipient_id": org.report.pk, **body})
    assert response.status_code == 422, response.content
    assert {error["loc"][-1] for error in response.json()["detail"]} == fields
    assert not Feedback.objects.exists()


def test_it_refuses_feedback_to_oneself_or_nobody(colleague):
    for recipient in (colleague.pk, 999_999):
        response = post(
            colleague.user,
            f"{BASE}/feedback",
            {"recipient_id": recipient, "kind": "positive", "text": "Hi"},
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "recipient_id"
    assert not Feedback.objects.exists()


def test_it_refuses_a_body_that_is_not_json(org, colleague):
    response = token_client(colleague.user).post(
        f"{BASE}/feedback", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_it_refuses_people_without_a_person_record(program_admin, org):
    response = post(
        program_admin,
        f"{BASE}/feedback",
        {"recipient_id": org.report.pk, "kind": "positive", "text": "Hi"},
    )
    assert response.status_code == 403
    assert token_client(program_admin).get(f"{BASE}/feedback/received").status_code == 403


def test_it_refuses_anonymous_callers(client, shared):
    assert client.get(f"{BASE}/feedback/received").status_code == 401
    assert client.get(f"{BASE}/feedback/{shared.pk}").status_code == 401
    response = client.post(f"{BASE}/feedback", {}, content_type="application/json")
    assert response.status_code == 401


# Reading ---------------------------------------------------------------------------


def test_it_lists_received_given_and_shared(
    org, colleague, shared, private, django_assert_max_num_queries
):
    report = token_client(org.report.user)
    with django_assert_max_num_queries(8):
        assert ids(report.get(f"{BASE}/feedback/received")) == [private.pk, shared.pk]
    assert ids(report.get(f"{BASE}/feedback/received", {"kind": "developmental"})) == [shared.pk]
    assert report.get(f"{BASE}/feedback/received", {"kind": "nice"}).status_code == 422
    assert ids(token_client(colleague.user).get(f"{BASE}/feedback/given")) == [
        private.pk,
        shared.pk,
    ]
    assert not AuditLog.objects.exists()  # the parties' own reads
    assert ids(token_client(org.manager.user).get(f"{BASE}/feedback/shared")) == [shared.pk]
    assert ids(report.get(f"{BASE}/feedback/shared")) == []
    token_client(org.manager.user).get(f"{BASE}/feedback/{shared.pk}")
    entries = AuditLog.objects.filter(actor=org.manager.user, action="read")
    assert sorted(e.summary for e in entries) == [
        "Feedback shared with me as a manager (api)",
        "Feedback shared with the manager (api)",
    ]


def test_it_serves_one_feedback_to_its_readers_only(org, colleague, program_admin, shared, private):
    for user in (org.report.user, colleague.user, org.manager.user):
        response = token_client(user).get(f"{BASE}/feedback/{shared.pk}")
        assert response.status_code == 200 and response.json()["impact"] == SBI["impact"]
    # The manager without the giver's share; the chain above; a peer; admins; executives.
    assert token_client(org.manager.user).get(f"{BASE}/feedback/{private.pk}").status_code == 404
    for user in (org.ceo.user, org.outsider.user, program_admin, org.executive.user):
        api = token_client(user)
        assert api.get(f"{BASE}/feedback/{shared.pk}").status_code == 404
        for box in ("received", "given", "shared"):
            response = api.get(f"{BASE}/feedback/{box}")
            assert response.status_code == 403 or ids(response) == []


# Requests --------------------------------------------------------------------------


def test_it_asks_on_my_goal_and_emails_the_asked(
    org, colleague, django_capture_on_commit_callbacks
):
    goal = goal_of(org.report)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            org.report.user,
            f"{BASE}/feedback-requests",
            {"asked_id": colleague.pk, "message": "How do I delegate?", "goal_id": goal.pk},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["goal"] == {"id": goal.pk, "title": goal.title}
    assert body["answered"] is False and body["declined"] is False
    assert [message.to for message in mail.outbox] == [[colleague.email]]


def test_it_refuses_a_goal_that_is_not_mine_and_writes_nothing(org, colleague):
    theirs = goal_of(org.outsider)
    response = post(
        org.report.user,
        f"{BASE}/feedback-requests",
        {"asked_id": colleague.pk, "message": "?", "goal_id": theirs.pk},
    )
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["goal_id"]
    response = post(
        org.report.user, f"{BASE}/feedback-requests", {"asked_id": colleague.pk, "message": ""}
    )
    assert response.status_code == 422
    assert not FeedbackRequest.objects.exists()


def test_it_answers_and_declines_requests(org, colleague, django_assert_max_num_queries):
    asked = feedback.feedback_request_create(requester=org.report, asked=colleague, message="Demo?")
    other = feedback.feedback_request_create(requester=org.report, asked=colleague, message="Deck?")
    mine = token_client(colleague.user)
    assert ids(mine.get(f"{BASE}/feedback-requests", {"of": "me", "open": True})) == [
        other.pk,
        asked.pk,
    ]
    assert ids(token_client(org.report.user).get(f"{BASE}/feedback-requests", {"of": "mine"})) == [
        other.pk,
        asked.pk,
    ]
    # Answering goes to the requester only.
    wrong = {
        "recipient_id": org.manager.pk,
        "kind": "positive",
        "text": "Hi",
        "request_id": asked.pk,
    }
    response = post(colleague.user, f"{BASE}/feedback", wrong)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "request_id"
    answer = {**wrong, "recipient_id": org.report.pk}
    assert post(colleague.user, f"{BASE}/feedback", answer).json()["request_id"] == asked.pk
    # Declining: 404 for those who may not see it, 403 for the requester.
    url = f"{BASE}/feedback-requests/{other.pk}/decline"
    for user in (org.outsider.user, org.manager.user, org.executive.user):
        assert post(user, url, {}).status_code == 404
    assert post(org.report.user, url, {}).status_code == 403
    response = post(colleague.user, url, {})
    assert response.status_code == 200 and response.json()["declined"] is True
    assert post(colleague.user, url, {}).status_code == 403
    assert ids(mine.get(f"{BASE}/feedback-requests", {"of": "me", "open": True})) == []
    assert ids(token_client(org.outsider.user).get(f"{BASE}/feedback-requests")) == []
