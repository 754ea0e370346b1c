import pytest

from tandem.accounts.models import AuditAction, AuditLog
from tandem.api.testing import token_client
from tandem.people.models import Person
from tandem.privacy.tests.conftest import NAME


@pytest.fixture
def admin_api(program_admin):
    return token_client(program_admin)


def export_url(person_id):
    return f"/api/v1/privacy/people/{person_id}/export"


def erase_url(person_id):
    return f"/api/v1/privacy/people/{person_id}/erase"


def test_it_exports_a_person(admin_api, data, subject):
    response = admin_api.get(export_url(subject.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["person"]["email"] == subject.email
    assert body["confidential_text"] == "withheld"
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_it_erases_a_person_with_the_name_confirmed(admin_api, data, subject):
    response = admin_api.post(
        erase_url(subject.pk), {"confirm_name": NAME}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["pseudonym"] == f"Erased person {subject.pk}"
    assert response.json()["changed"]["journal entries"] == 1
    again = admin_api.post(
        erase_url(subject.pk),
        {"confirm_name": f"Erased person {subject.pk}"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert "already been erased" in again.json()["detail"][0]["msg"]


def test_a_wrong_name_is_a_field_error_and_erases_nothing(admin_api, subject):
    response = admin_api.post(
        erase_url(subject.pk), {"confirm_name": "Somebody Else"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "confirm_name"]
    assert Person.objects.get(pk=subject.pk).full_name == NAME


def test_it_reads_and_changes_the_retention_settings(admin_api):
    assert admin_api.get("/api/v1/privacy/retention").json()["audit_log_months"] == 36

    response = admin_api.put(
        "/api/v1/privacy/retention",
        {"rater_tokens_months": 1, "raw_survey_answers_months": 2, "audit_log_months": 0},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "rater_tokens_months": 1,
        "raw_survey_answers_months": 2,
        "audit_log_months": 0,
    }


def test_it_refuses_out_of_range_months(admin_api):
    response = admin_api.put(
        "/api/v1/privacy/retention",
        {"rater_tokens_months": -1, "raw_survey_answers_months": 2, "audit_log_months": 0},
        content_type="application/json",
    )

    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["report", "manager", "executive"])
def test_it_is_denied_to_everyone_but_program_admins(org, subject, persona):
    api = token_client(getattr(org, persona).user)

    assert api.get(export_url(subject.pk)).status_code == 403
    erase = api.post(erase_url(subject.pk), {"confirm_name": NAME}, content_type="application/json")
    assert erase.status_code == 403
    assert api.get("/api/v1/privacy/retention").status_code == 403
    assert Person.objects.get(pk=subject.pk).full_name == NAME


def test_it_needs_credentials(client, subject):
    assert client.get(export_url(subject.pk)).status_code == 401
    assert client.get("/api/v1/privacy/retention").status_code == 401


def test_an_unknown_person_is_not_found(admin_api):
    assert admin_api.get(export_url(999999)).status_code == 404
