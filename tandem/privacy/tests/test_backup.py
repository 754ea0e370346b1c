import gzip
import io
import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from tandem.coaching.models import JournalEntry
from tandem.conversations.models import PrivateNote
from tandem.people.models import Person, ReportingLine
from tandem.privacy.backup import (
    RestoreRefused,
    backed_up_models,
    backup_restore,
    backup_write,
)
from tandem.privacy.tests.conftest import JOURNAL_SECRET, NAME

pytestmark = pytest.mark.django_db(transaction=True)


def counts():
    return {m._meta.label: m._default_manager.count() for m in backed_up_models()}


def flush():
    call_command("flush", interactive=False, verbosity=0)


def test_it_restores_everything_into_an_empty_database(data, subject, org):
    before = counts()
    journal = JournalEntry.objects.get(author=subject)
    stream = io.BytesIO()

    written = backup_write(stream)
    flush()
    assert Person.objects.count() == 0
    stream.seek(0)
    restored = backup_restore(stream)

    assert restored.objects == written == sum(before.values())
    assert counts() == before
    person = Person.objects.select_related("user", "manager").get(pk=subject.pk)
    assert person.full_name == NAME and person.manager == org.manager
    assert person.user.check_password("correct horse battery staple")
    assert person.is_managed_by(org.ceo)  # the reporting lines came back too
    assert ReportingLine.objects.filter(person=person).count() == 3
    # Encrypted text came back as the same ciphertext, and decrypts.
    assert JournalEntry.objects.get(pk=journal.pk).situation == JOURNAL_SECRET
    assert PrivateNote.objects.filter(author=subject).get().body == "Ask about the budget"


def test_new_rows_after_a_restore_get_new_ids(data, subject):
    stream = io.BytesIO()
    backup_write(stream)
    flush()
    stream.seek(0)
    backup_restore(stream)

    newest = Person.objects.order_by("-pk").first().pk
    created = Person.objects.create(
        employee_id="AFTER",
        first_name="A",
        last_name="B",
        email="after@example.com",
        level="emerging",
        hire_date="2024-01-01",
    )
    assert created.pk > newest


def test_the_backup_holds_no_plain_confidential_text(data, subject):
    stream = io.BytesIO()
    backup_write(stream)

    text = gzip.decompress(stream.getvalue()).decode()
    document = json.loads(text)
    assert JOURNAL_SECRET not in text
    journal = next(o for o in document["objects"] if o["model"] == "coaching.journalentry")
    assert journal["ciphertext"]["situation"].startswith("gAAAA")  # a Fernet token


def test_it_refuses_a_database_that_is_not_empty(data):
    stream = io.BytesIO()
    backup_write(stream)
    stream.seek(0)

    with pytest.raises(RestoreRefused, match="not empty"):
        backup_restore(stream)


def test_a_broken_backup_restores_nothing(data):
    stream = io.BytesIO()
    backup_write(stream)
    document = json.loads(gzip.decompress(stream.getvalue()))
    document["objects"].append({"model": "people.nothing", "pk": 1, "fields": {}})
    flush()

    with pytest.raises(Exception, match="nothing"):
        backup_restore(io.BytesIO(gzip.compress(json.dumps(document).encode())))

    assert Person.objects.count() == 0


def test_it_refuses_a_backup_the_keys_cannot_open(data, settings):
    stream = io.BytesIO()
    backup_write(stream)
    flush()
    settings.TANDEM_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    stream.seek(0)

    with pytest.raises(RestoreRefused, match="TANDEM_ENCRYPTION_KEYS"):
        backup_restore(stream)

    assert Person.objects.count() == 0


def test_it_refuses_a_file_that_is_not_a_backup(db):
    with pytest.raises(RestoreRefused, match="Not a Tandem backup"):
        backup_restore(io.BytesIO(b"name,email\n"))


def test_the_commands_back_up_and_restore_a_file(data, subject, tmp_path):
    path = tmp_path / "tandem.json.gz"
    out = StringIO()
    call_command("backup", "-o", str(path), stdout=out, stderr=StringIO())
    assert "Backed up" in out.getvalue() and path.exists()
    flush()

    out = StringIO()
    call_command("restore", str(path), stdout=out, stderr=StringIO())

    assert "Restored" in out.getvalue()
    assert Person.objects.filter(pk=subject.pk).exists()


def test_restore_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing.json.gz"))
