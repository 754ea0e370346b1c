"""Reading a review's status (its rater list is the subject's individual record) is
written to the audit log, like reading its report: by the page and by the API."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AuditAction, AuditLog
from tandem.api.testing import token_client
from tandem.assessments.tests.reviews_setup import opened, start

pytestmark = pytest.mark.django_db


def reads():
    return AuditLog.objects.filter(action=AuditAction.READ)


def test_the_page_records_who_read_the_status(org):
    review = start(org)
    client = Client()
    client.force_login(org.manager.user)
    client.get(reverse("assessments:review-detail", args=[review.pk]), REMOTE_ADDR="10.0.0.7")
    (entry,) = reads()
    assert (entry.actor, entry.target_type, entry.target_id) == (
        org.manager.user,
        "assessments.review",
        str(review.pk),
    )
    assert entry.subject_person_id == org.report.pk
    assert (entry.summary, entry.ip) == ("360 review status (page)", "10.0.0.7")


def test_the_api_records_who_read_the_status(org, program_admin):
    review = start(org)
    response = token_client(program_admin).get(f"/api/v1/reviews/{review.pk}")
    assert response.status_code == 200
    (entry,) = reads()
    assert (entry.actor, entry.summary) == (program_admin, "360 review status (api)")
    assert entry.subject_person_id == org.report.pk


def test_a_refused_read_records_nothing(org):
    review = start(org)
    client = Client()
    client.force_login(org.outsider.user)
    assert client.get(reverse("assessments:review-detail", args=[review.pk])).status_code == 404
    response = token_client(org.outsider.user).get(f"/api/v1/reviews/{review.pk}")
    assert response.status_code == 404
    assert not reads().exists()


def test_the_entry_names_the_review_never_a_rater(org):
    review, _ = opened(org)
    token_client(org.report.user).get(f"/api/v1/reviews/{review.pk}")
    (entry,) = reads()
    assert "@" not in entry.summary and "peers" not in entry.summary
