import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from tandem.accounts.models import AuditAction, AuditLog
from tandem.assessments.tests import report_data
from tandem.privacy import services
from tandem.privacy.export import WITHHELD
from tandem.privacy.tests.conftest import EMAIL, JOURNAL_SECRET, PRIVATE_NOTE
from tandem.tests.factories import PersonFactory


def as_text(document):
    return json.dumps(document, cls=DjangoJSONEncoder)


def test_it_holds_the_persons_records_from_every_app(data, subject, program_admin):
    document = services.person_export(person=subject, actor=program_admin)

    assert document["person"]["email"] == EMAIL
    assert [row["kind"] for row in document["job_history"]] == ["hire"]
    assert document["account"]["user"]["username"] == subject.user.username
    assert [t["name"] for t in document["account"]["api_tokens"]] == ["laptop"]
    assert len(document["programs"]["plans"]) == 1
    assert "delegate" in document["programs"]["plan_comments"][0]["body"]
    assert len(document["coaching"]["engagements"]) == 1
    assert len(document["coaching"]["journal_entries"]) == 1
    assert len(document["conversations"]["private_notes"]) == 1
    assert len(document["conversations"]["feedback_given"]) == 1
    assert len(document["conversations"]["feedback_received"]) == 1
    assert [r["id"] for r in document["assessments"]["reviews_as_subject"]] == [data.own_review.pk]
    assert document["assessments"]["reviews_as_subject"][0]["answers_received"] == 7
    assert len(document["assessments"]["self_assessments"]) == 1
    assert document["assessments"]["answers_given_as_rater"] == 1
    assert any(e["summary"].startswith("Read the plan") for e in document["audit_log"])


def test_it_never_holds_secrets_or_other_raters_answers(data, subject, program_admin):
    text = as_text(services.person_export(person=subject, actor=program_admin))

    assert subject.user.password not in text
    assert "key_hash" not in text and "token_hash" not in text
    # Her own review's raters: not who they were, and only what the report shows her.
    assert "Rater 1" not in text and "rater1-" not in text
    assert "Peer remark 0." in text  # four peers: their comments show, shuffled
    assert report_data.HIDDEN_COMMENT not in text  # two direct reports: never
    assert report_data.MANAGER_COMMENT not in text
    # Her answer in someone else's review is that subject's data: counted only.
    assert "Otto listens" not in text


def test_it_withholds_confidential_text_from_admins(data, subject, program_admin):
    document = services.person_export(person=subject, actor=program_admin)
    text = as_text(document)

    assert document["confidential_text"] == "withheld"
    assert JOURNAL_SECRET not in text
    assert "Speak up in board meetings" not in text
    assert document["coaching"]["journal_entries"][0]["situation"] == WITHHELD
    assert document["conversations"]["private_notes"][0]["body"] == WITHHELD


def test_it_adds_her_own_confidential_text_for_the_operator(data, subject):
    document = services.person_export(person=subject, actor=None, confidential=True)
    text = as_text(document)

    assert document["coaching"]["journal_entries"][0]["situation"] == JOURNAL_SECRET
    assert document["coaching"]["session_notes"][0]["goal"] == "Speak up in board meetings"
    assert "Ask about the budget" in text
    # Her manager's private note about her is the manager's alone.
    assert PRIVATE_NOTE not in text


def test_it_audits_every_export(data, subject, program_admin):
    services.person_export(person=subject, actor=program_admin, ip="10.0.0.1")

    entry = AuditLog.objects.filter(action=AuditAction.EXPORT).get()
    assert entry.subject_person_id == subject.pk
    assert entry.actor == program_admin
    assert entry.ip == "10.0.0.1"
    assert "withheld" in entry.summary


@pytest.mark.django_db
def test_it_exports_a_person_with_no_login():
    document = services.person_export(person=PersonFactory(), actor=None)

    assert document["account"] is None
    assert document["coaching"]["coach_profile"] == []
