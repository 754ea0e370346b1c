"""GET /api/v1/reviews/{id}/report: the report page's numbers as JSON."""

import pytest
from django.test import Client

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.assessments.models import ReviewStatus
from tandem.assessments.tests.report_data import hand_worked_review, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(org):
    return hand_worked_review(org.report)


def path(review):
    return f"/api/v1/reviews/{review.pk}/report"


def test_it_returns_the_same_numbers_as_the_page(org, review):
    response = token_client(org.manager.user).get(path(review))
    assert response.status_code == 200
    body = response.json()
    listening, deciding = body["competencies"]
    by_group = {f["group"]: f for f in listening["figures"]}
    assert by_group["all_others"] == {"group": "all_others", "shown": True, "n": 6, "mean": 3.5}
    assert listening["gap"] == 1.5 and listening["johari"] == "blind_spot"
    assert listening["all_others_interval"]["low"] == 2.4
    assert deciding["figures"][2] == {"group": "peers", "shown": True, "n": 3, "mean": 4.0}
    j2 = deciding["items"][1]
    assert {f["group"]: f["shown"] for f in j2["figures"]}["peers"] is False
    assert j2["spread"] is None
    assert body["johari"]["blind_spot"] == ["i1", "i2"]
    assert body["top_behaviours"] == ["i1", "i2", "j1"]
    assert AuditLog.objects.filter(action="read", target_id=str(review.pk)).count() == 1


def test_it_lets_a_program_admin_read_it(program_admin, review):
    assert token_client(program_admin).get(path(review)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "executive"])
def test_it_refuses_anyone_else_as_not_found(org, review, who):
    response = token_client(getattr(org, who).user).get(path(review))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_it_requires_credentials(review):
    assert Client().get(path(review)).status_code == 401


def test_it_refuses_an_open_review_with_409(org):
    review = make_review(org.report, status=ReviewStatus.OPEN)
    response = token_client(org.report.user).get(path(review))
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_it_reports_an_unknown_review_as_not_found(org):
    assert token_client(org.report.user).get("/api/v1/reviews/999999/report").status_code == 404
