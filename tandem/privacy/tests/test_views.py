import json

import pytest
from django.urls import reverse

from tandem.accounts import navigation
from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import Person
from tandem.privacy.models import RetentionSettings
from tandem.privacy.tests.conftest import NAME


@pytest.fixture
def admin_client(client, program_admin):
    client.force_login(program_admin)
    return client


def urls(person):
    return [
        reverse("privacy:index"),
        reverse("privacy:person-export", args=[person.pk]),
        reverse("privacy:person-erase", args=[person.pk]),
        reverse("privacy:retention"),
    ]


def test_it_finds_a_person_and_offers_export_and_erasure(admin_client, subject):
    response = admin_client.get(reverse("privacy:index"), {"q": "quixote"})

    assert response.status_code == 200
    assert NAME in response.text
    assert reverse("privacy:person-export", args=[subject.pk]) in response.text
    assert reverse("privacy:person-erase", args=[subject.pk]) in response.text


def test_program_admins_find_it_in_the_menu(program_admin, org):
    assert "privacy:index" in [i.url_name for i in navigation.items_for(program_admin)]
    assert "privacy:index" not in [i.url_name for i in navigation.items_for(org.manager.user)]


def test_it_downloads_the_export_and_audits_it(admin_client, data, subject):
    response = admin_client.get(reverse("privacy:person-export", args=[subject.pk]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["person"]["id"] == subject.pk
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, subject_person_id=subject.pk)


def test_it_erases_only_after_the_name_is_typed(admin_client, data, subject):
    url = reverse("privacy:person-erase", args=[subject.pk])
    assert admin_client.get(url).status_code == 200

    wrong = admin_client.post(url, {"confirm_name": "Zelda Q"})
    assert wrong.status_code == 200
    assert "not this person" in wrong.text
    assert Person.objects.get(pk=subject.pk).full_name == NAME

    done = admin_client.post(url, {"confirm_name": " zelda  quixote "})
    assert done.status_code == 302
    assert Person.objects.get(pk=subject.pk).full_name == f"Erased person {subject.pk}"


def test_it_saves_the_retention_settings(admin_client):
    response = admin_client.post(
        reverse("privacy:retention"),
        {"rater_tokens_months": 6, "raw_survey_answers_months": 0, "audit_log_months": 12},
    )

    assert response.status_code == 302
    settings = RetentionSettings.current()
    assert (settings.rater_tokens_months, settings.raw_survey_answers_months) == (6, 0)


def test_it_refuses_bad_retention_months(admin_client):
    response = admin_client.post(
        reverse("privacy:retention"),
        {"rater_tokens_months": -1, "raw_survey_answers_months": 5000, "audit_log_months": "x"},
    )

    assert response.status_code == 200
    assert RetentionSettings.current().rater_tokens_months == 3


@pytest.mark.parametrize("persona", ["report", "manager", "executive", "ceo"])
def test_it_is_denied_to_everyone_but_program_admins(client, org, subject, persona):
    client.force_login(getattr(org, persona).user)

    for url in urls(subject):
        assert client.get(url).status_code == 403, url
    assert client.post(urls(subject)[2], {"confirm_name": NAME}).status_code == 403
    assert Person.objects.get(pk=subject.pk).full_name == NAME
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, subject):
    for url in urls(subject):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_an_unknown_person_is_not_found(admin_client):
    assert admin_client.get(reverse("privacy:person-export", args=[999999])).status_code == 404
