"""The 360 review pages: the list, starting a review, the review page with its
nominations, approval and closing. Who sees what: the subject, their managers and
admins; the outsider gets 404 and the anonymous visitor the login page."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.assessments import services
from tandem.assessments.models import Nomination, RaterInvitation, Review, ReviewStatus
from tandem.assessments.tests.reviews_setup import closes_on, full_answers, opened, start

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def pages(review):
    nomination = review.nominations.first()
    return {
        "get": [
            reverse("assessments:review-list"),
            reverse("assessments:review-create"),
            reverse("assessments:review-detail", args=[review.pk]),
        ],
        "post": [
            reverse("assessments:review-nominate", args=[review.pk]),
            reverse("assessments:nomination-status", args=[review.pk, nomination.pk]),
            reverse("assessments:review-submit", args=[review.pk]),
            reverse("assessments:review-approve", args=[review.pk]),
            reverse("assessments:review-close", args=[review.pk]),
        ],
    }


def test_anonymous_visitors_are_sent_to_sign_in(org):
    review = start(org)
    for method, urls in pages(review).items():
        for url in urls:
            response = getattr(Client(), method)(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:login")), url


def test_the_outsider_cannot_see_or_change_a_review(org):
    review = start(org)
    client = client_for(org.outsider.user)
    for url in pages(review)["get"][2:] + pages(review)["post"]:
        method = client.get if url in pages(review)["get"] else client.post
        assert method(url, {"status": "approved"}).status_code == 404, url
    assert (
        review.subject.full_name
        not in client.get(reverse("assessments:review-list")).content.decode()
    )
    person_url = reverse("assessments:review-create") + f"?person={org.report.pk}"
    assert client.get(person_url).status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.NOMINATING
    assert review.nominations.count() == 1


def test_the_list_shows_mine_and_my_teams(org):
    review = start(org)
    mine = client_for(org.report.user).get(reverse("assessments:review-list"))
    assert reverse("assessments:review-detail", args=[review.pk]) in mine.content.decode()
    team = client_for(org.ceo.user).get(reverse("assessments:review-list")).content.decode()
    assert "Reviews of people in my team" in team and "Rita Report" in team


def test_a_manager_starts_a_review_for_a_report(org):
    client = client_for(org.manager.user)
    listed = client.get(reverse("assessments:review-list")).content.decode()
    assert f"?person={org.report.pk}" in listed
    url = reverse("assessments:review-create") + f"?person={org.report.pk}"
    assert "Start a 360 for Rita Report" in client.get(url).content.decode()
    response = client.post(url, {"closes_on": closes_on().isoformat()})
    review = Review.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessments:review-detail", args=[review.pk])
    assert review.subject == org.report


def test_it_refuses_a_bad_date_next_to_the_field(org):
    client = client_for(org.report.user)
    response = client.post(reverse("assessments:review-create"), {"closes_on": "2001-01-01"})
    assert response.status_code == 400
    assert "after today" in response.content.decode()
    assert not Review.objects.exists()


def test_the_whole_flow_through_the_pages(org):
    subject = client_for(org.report.user)
    response = subject.post(
        reverse("assessments:review-create"), {"closes_on": closes_on().isoformat()}
    )
    review = Review.objects.get()
    detail = reverse("assessments:review-detail", args=[review.pk])
    for n in range(3):
        subject.post(
            reverse("assessments:review-nominate", args=[review.pk]),
            {"group": "peers", "name": f"Peer {n}", "email": f"peer{n}@example.org"},
        )
    duplicate = subject.post(
        reverse("assessments:review-nominate", args=[review.pk]),
        {"group": "peers", "name": "Again", "email": "peer0@example.org"},
    )
    assert duplicate.status_code == 400 and "already nominated" in duplicate.content.decode()
    html = subject.get(detail).content.decode()
    assert "Peer 0" in html and "Max Manager" in html
    assert "Approve the raters" not in html  # the subject cannot approve
    assert subject.post(reverse("assessments:review-approve", args=[review.pk])).status_code == 403
    response = subject.post(reverse("assessments:review-submit", args=[review.pk]))
    assert response.status_code == 302
    manager = client_for(org.manager.user)
    peer2 = Nomination.objects.get(email="peer2@example.org")
    manager.post(
        reverse("assessments:nomination-status", args=[review.pk, peer2.pk]),
        {"status": "declined"},
    )
    assert manager.post(reverse("assessments:review-approve", args=[review.pk])).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    assert len(mail.outbox) == 4  # the approval request, then three invitations
    assert RaterInvitation.objects.count() == 3
    html = subject.get(detail).content.decode()
    assert "0 of 3" in html
    assert "answered:" not in html  # two approved peers: below the minimum of 3
    assert manager.post(reverse("assessments:review-close", args=[review.pk])).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    report = reverse("assessments:review-report", args=[review.pk])
    assert report in subject.get(detail).content.decode()


def test_the_review_page_shows_counts_never_who_answered(org):
    review, _ = opened(org, peers=3)
    first = RaterInvitation.objects.get(nomination__email="peers0@example.org")
    services.response_submit(
        invitation=first, answers=full_answers(review), comments={"inclusion": "SECRET COMMENT"}
    )
    html = (
        client_for(org.manager.user)
        .get(reverse("assessments:review-detail", args=[review.pk]))
        .content.decode()
    )
    assert "answered: 1 of 3" in html
    assert "1 of 4" in html
    assert "SECRET COMMENT" not in html
    assert "Submitted" not in html


def test_the_admin_sees_any_review(org, program_admin):
    review = start(org)
    response = client_for(program_admin).get(reverse("assessments:review-detail", args=[review.pk]))
    assert response.status_code == 200


def test_the_list_page_takes_a_fixed_number_of_queries(org):
    client = client_for(org.ceo.user)
    start(org)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessments:review-list"))
    services.review_start(subject=org.manager, closes_on=closes_on(), started_by=org.ceo.user)
    services.review_start(subject=org.outsider, closes_on=closes_on(), started_by=org.ceo.user)
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("assessments:review-list")).content.decode()
    assert "Otto Outsider" in html
    assert len(three) == len(one)
