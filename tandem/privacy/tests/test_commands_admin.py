import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import Person
from tandem.privacy.models import RetentionSettings
from tandem.privacy.tests.conftest import JOURNAL_SECRET, NAME
from tandem.tests.factories import UserFactory


def test_export_writes_a_file_and_is_audited(data, subject, tmp_path):
    path = tmp_path / "zelda.json"
    call_command("privacy", "export", str(subject.pk), "-o", str(path), stderr=StringIO())

    document = json.loads(path.read_text())
    assert document["person"]["id"] == subject.pk
    assert JOURNAL_SECRET not in path.read_text()
    entry = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert entry.actor is None and entry.subject_person_id == subject.pk


def test_export_adds_confidential_text_only_when_asked(data, subject):
    out = StringIO()
    call_command("privacy", "export", str(subject.pk), "--include-confidential", stdout=out)

    assert JOURNAL_SECRET in out.getvalue()
    assert "with confidential text" in AuditLog.objects.get(action=AuditAction.EXPORT).summary


def test_erase_needs_yes(subject):
    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "erase", str(subject.pk))

    assert Person.objects.get(pk=subject.pk).full_name == NAME


def test_erase_with_yes_erases(data, subject):
    out = StringIO()
    call_command("privacy", "erase", str(subject.pk), "--yes", stdout=out)

    assert f"Erased person {subject.pk}" in out.getvalue()
    assert Person.objects.get(pk=subject.pk).full_name == f"Erased person {subject.pk}"


def test_an_unknown_person_is_an_error(db):
    with pytest.raises(CommandError, match="No person with id 424242"):
        call_command("privacy", "export", "424242")


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_edits_the_one_retention_row(superuser_client):
    settings = RetentionSettings.current()
    url = reverse("admin:privacy_retentionsettings_change", args=[settings.pk])

    response = superuser_client.post(
        url, {"rater_tokens_months": 1, "raw_survey_answers_months": 2, "audit_log_months": 3}
    )

    assert response.status_code == 302
    assert RetentionSettings.objects.count() == 1
    assert RetentionSettings.current().audit_log_months == 3


def test_the_people_list_offers_export_and_erase(superuser_client, subject):
    url = reverse("admin:people_person_changelist")
    page = superuser_client.get(url)
    assert "export_person" in page.text and "erase_person" in page.text

    response = superuser_client.post(
        url, {"action": "erase_person", "_selected_action": [subject.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:person-erase", args=[subject.pk])
