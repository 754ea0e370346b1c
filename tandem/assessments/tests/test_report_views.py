"""The 360 report page and its PDF: who may read them, and the audit trail."""

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.assessments.models import ReviewStatus
from tandem.assessments.tests.report_data import hand_worked_review, make_review
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(org):
    return hand_worked_review(org.report)


def url(review, name="assessments:review-report"):
    return reverse(name, args=[review.pk])


@pytest.mark.parametrize("who", ["report", "manager", "ceo"])
def test_it_shows_the_report_to_the_subject_and_their_management_chain(client, org, review, who):
    client.force_login(getattr(org, who).user)
    response = client.get(url(review))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Competency profile" in page and "data:image/svg+xml;base64," in page
    assert "3.50" in page and "Listens well." in page
    assert "Blind spot" in page


def test_it_shows_the_report_to_a_program_admin(client, program_admin, review):
    client.force_login(program_admin)
    assert client.get(url(review)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "executive"])
def test_it_refuses_an_outsider_and_an_executive_viewer(client, org, review, who):
    client.force_login(getattr(org, who).user)
    assert client.get(url(review)).status_code == 404
    assert client.get(url(review, "assessments:review-report-pdf")).status_code == 404
    assert not AuditLog.objects.filter(action="read", target_type="assessments.review").exists()


def test_it_refuses_a_rater(client, org):
    peer = PersonFactory(manager=org.ceo)
    make_user_for(peer)
    review = hand_worked_review(org.report)
    review.nominations.filter(group="peers").update(person=peer)
    client.force_login(peer.user)
    assert client.get(url(review)).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, review):
    response = client.get(url(review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_says_the_report_is_not_ready_before_the_review_closes(client, org):
    review = make_review(org.report, status=ReviewStatus.OPEN)
    client.force_login(org.report.user)
    response = client.get(url(review))
    assert response.status_code == 200
    assert "ready once the review has closed" in response.content.decode()
    assert client.get(url(review, "assessments:review-report-pdf")).status_code == 409
    assert not AuditLog.objects.filter(action="read").exists()


def test_it_audits_every_read(client, org, review):
    client.force_login(org.manager.user)
    client.get(url(review))
    entry = AuditLog.objects.get(action="read", target_type="assessments.review")
    assert entry.target_id == str(review.pk)
    assert entry.subject_person_id == org.report.pk
    assert entry.actor == org.manager.user


def test_it_shows_the_change_since_the_previous_review(client, org):
    before = hand_worked_review(org.report)
    review = hand_worked_review(org.report, previous=before)
    client.force_login(org.report.user)
    page = client.get(url(review)).content.decode()
    assert "Change since the previous review" in page
    assert "0.00 (95% CI" in page


def test_it_renders_a_closed_review_without_answers_or_self_assessment(client, org):
    review = make_review(org.report)
    client.force_login(org.report.user)
    response = client.get(url(review))
    assert response.status_code == 200
    assert "No comments that can be shown." in response.content.decode()


def test_it_reads_the_report_in_a_fixed_number_of_queries(
    client, org, review, django_assert_max_num_queries
):
    client.force_login(org.report.user)
    client.get(url(review))  # warms the session and the user's roles
    with django_assert_max_num_queries(15):
        assert client.get(url(review)).status_code == 200
