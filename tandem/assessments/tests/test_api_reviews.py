"""/api/v1/reviews, nominations, and the rater's answers through the token. Who sees
what (outsider 404, anonymous 401), field errors as 422, and rater links refused with
404 (unknown) or 410 (used, expired, closed) writing nothing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.assessments import services
from tandem.assessments.models import Nomination, RaterInvitation, Response, Review, ReviewStatus
from tandem.assessments.tests.reviews_setup import closes_on, full_answers, opened, start
from tandem.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def review_endpoints(review):
    nomination = review.nominations.first()
    base = f"{API}/reviews/{review.pk}"
    return [
        ("get", base, None),
        ("post", f"{base}/submit", None),
        ("post", f"{base}/approve", None),
        ("post", f"{base}/close", None),
        ("get", f"{base}/nominations", None),
        ("post", f"{base}/nominations", {"group": "peers", "name": "X", "email": "x@example.org"}),
        ("patch", f"{base}/nominations/{nomination.pk}", {"status": "approved"}),
    ]


def call(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type="application/json")


def test_anonymous_gets_401_everywhere_but_the_rater_link(org):
    review = start(org)
    for method, url, body in [
        *review_endpoints(review),
        ("get", f"{API}/reviews", None),
        ("post", f"{API}/reviews", {"subject_id": org.report.pk, "closes_on": "2099-01-01"}),
    ]:
        assert call(Client(), method, url, body).status_code == 401, url


def test_the_outsider_gets_404_and_nothing_changes(org):
    review = start(org)
    client = token_client(org.outsider.user)
    for method, url, body in review_endpoints(review):
        assert call(client, method, url, body).status_code == 404, url
    assert client.get(f"{API}/reviews").json()["items"] == []
    response = client.post(
        f"{API}/reviews",
        {"subject_id": org.report.pk, "closes_on": closes_on().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Review.objects.count() == 1
    assert Nomination.objects.count() == 1


def test_the_whole_flow_through_the_api(org):
    manager = token_client(org.manager.user)
    subject = token_client(org.report.user)
    created = manager.post(
        f"{API}/reviews",
        {"subject_id": org.report.pk, "closes_on": closes_on().isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    review_id = created.json()["id"]
    base = f"{API}/reviews/{review_id}"
    for n in range(3):
        response = subject.post(
            f"{base}/nominations",
            {"group": "peers", "name": f"Peer {n}", "email": f"peer{n}@example.org"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    twice = subject.post(
        f"{base}/nominations",
        {"group": "peers", "name": "Again", "email": "peer1@example.org"},
        content_type="application/json",
    )
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["loc"][-1] == "email"
    unseen = subject.post(
        f"{base}/nominations",
        {"group": "direct_reports", "person_id": org.outsider.pk},
        content_type="application/json",
    )
    assert unseen.status_code == 422  # a person the subject may not see is not named
    by_person = manager.post(
        f"{base}/nominations",
        {"group": "direct_reports", "person_id": PersonFactory(manager=org.report).pk},
        content_type="application/json",
    )
    assert by_person.status_code == 201, by_person.content
    nominations = subject.get(f"{base}/nominations").json()
    assert {n["group"] for n in nominations} == {"manager", "peers", "direct_reports"}
    assert subject.post(f"{base}/submit").json()["status"] == "awaiting_approval"
    assert subject.post(f"{base}/approve").status_code == 403
    declined = manager.patch(
        f"{base}/nominations/{by_person.json()['id']}",
        {"status": "declined"},
        content_type="application/json",
    )
    assert declined.json()["status"] == "declined"
    opened_review = manager.post(f"{base}/approve")
    assert opened_review.status_code == 200
    body = opened_review.json()
    assert body["status"] == "open" and body["invited"] == 4 and body["answered"] == 0
    peers = next(g for g in body["groups"] if g["group"] == "peers")
    assert peers == {"group": "peers", "nominated": 3, "approved": 3, "minimum": 3, "answered": 0}
    assert len(mail.outbox) == 5  # the approval request, then four invitations
    assert manager.post(f"{base}/close").json()["status"] == "closed"
    assert manager.post(f"{base}/close").status_code == 403  # nothing left to change


def test_field_errors_are_422(org):
    client = token_client(org.manager.user)
    for body in (
        {"subject_id": org.report.pk, "closes_on": "not a date"},
        {"subject_id": org.report.pk, "closes_on": "2001-01-01"},
        {"subject_id": "1", "closes_on": closes_on().isoformat()},
    ):
        response = client.post(f"{API}/reviews", body, content_type="application/json")
        assert response.status_code == 422, body
    assert not Review.objects.exists()


def test_the_list_holds_what_the_caller_may_see(org):
    review = start(org)
    ids = [r["id"] for r in token_client(org.ceo.user).get(f"{API}/reviews").json()["items"]]
    assert ids == [review.pk]


# The rater, through the token -------------------------------------------------------


@pytest.fixture
def rater(org):
    review, raw = opened(org)
    return review, raw["peers0@example.org"]


def test_the_rater_reads_the_items_without_an_account(rater):
    _review, token = rater
    response = Client().get(f"{API}/rater/{token}")
    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == "Rita Report" and body["group"] == "peers"
    assert body["scale"]["not_observed"] is True
    assert len(body["competencies"]) == 8
    assert body["draft"] is None


def test_the_rater_saves_a_draft_then_submits(rater):
    review, token = rater
    client = Client()
    saved = client.put(
        f"{API}/rater/{token}",
        {"answers": {"sa-1": 3, "sa-2": "n/o"}, "comments": {"inclusion": "Good"}},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["draft"]["answers"] == {"sa-1": 3, "sa-2": "n/o"}
    assert Response.objects.get().submitted_at is None
    incomplete = client.post(
        f"{API}/rater/{token}/submit", {"answers": {"sa-1": 3}}, content_type="application/json"
    )
    assert incomplete.status_code == 422
    assert RaterInvitation.objects.filter(submitted_at__isnull=False).count() == 0
    done = client.post(
        f"{API}/rater/{token}/submit",
        {"answers": full_answers(review)},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert Response.objects.get().submitted_at is not None
    again = client.post(
        f"{API}/rater/{token}/submit",
        {"answers": full_answers(review, 1)},
        content_type="application/json",
    )
    assert again.status_code == 410
    assert client.get(f"{API}/rater/{token}").status_code == 410
    assert set(Response.objects.get().answers.values()) == {4}


def test_bad_answers_are_422_and_write_nothing(rater):
    _review, token = rater
    for answers in ({"sa-1": 9}, {"nope": 3}, {"sa-1": True}, {"sa-1": "3"}):
        response = Client().put(
            f"{API}/rater/{token}", {"answers": answers}, content_type="application/json"
        )
        assert response.status_code == 422, answers
    assert Response.objects.count() == 0


def test_a_guessed_token_is_404_and_writes_nothing(rater):
    review, _ = rater
    for method in ("get", "put"):
        response = call(Client(), method, f"{API}/rater/{'B' * 43}", {"answers": {}})
        assert response.status_code == 404
    response = call(
        Client(), "post", f"{API}/rater/{'B' * 43}/submit", {"answers": full_answers(review)}
    )
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_an_expired_token_is_410_and_writes_nothing(rater):
    _review, token = rater
    with time_machine.travel(timezone.now() + datetime.timedelta(days=16)):
        response = Client().put(
            f"{API}/rater/{token}", {"answers": {"sa-1": 2}}, content_type="application/json"
        )
    assert response.status_code == 410
    assert response.json()["detail"] == "This link has expired."
    assert Response.objects.count() == 0


def test_the_review_endpoints_never_show_answers(rater, org):
    review, token = rater
    Client().post(
        f"{API}/rater/{token}/submit",
        {"answers": full_answers(review), "comments": {"inclusion": "SECRET"}},
        content_type="application/json",
    )
    client = token_client(org.manager.user)
    for url in (
        f"{API}/reviews/{review.pk}",
        f"{API}/reviews/{review.pk}/nominations",
        f"{API}/reviews",
    ):
        assert "SECRET" not in client.get(url).content.decode()
    assert review.status == ReviewStatus.OPEN


def test_the_list_takes_a_fixed_number_of_queries(org):
    client = token_client(org.ceo.user)
    start(org)
    client.get(f"{API}/reviews")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/reviews")
    other = PersonFactory(manager=org.ceo)
    for subject in (org.manager, other):
        services.review_start(subject=subject, closes_on=closes_on(), started_by=org.ceo.user)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(f"{API}/reviews").json()["items"]) == 3
    assert len(three) == len(one)
