"""EncryptedTextField and `tandem rotate-keys`, on a model of their own.

The model lives in an isolated app registry (so migrations and `encrypted_fields()`
never see it) and its table is created once per test session outside the per-test
transactions, which SQLite's schema editor needs."""

import io
from unittest import mock

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.test import override_settings
from django.test.utils import isolate_apps

from tandem.accounts import encryption
from tandem.accounts.encryption import DecryptionError, EncryptedTextField

A, B, C = (Fernet.generate_key().decode() for _ in range(3))
TABLE = "accounts_test_encrypted_note"

with isolate_apps("tandem.accounts") as isolated_apps:

    class Note(models.Model):
        title = models.CharField(max_length=50, default="")
        body = EncryptedTextField(blank=True)
        private = EncryptedTextField(null=True, blank=True)

        class Meta:
            app_label = "accounts"
            db_table = TABLE

        def __str__(self):
            return self.title


FIELDS = [(Note, ["body", "private"])]


@pytest.fixture(scope="module", autouse=True)
def note_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Note)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Note)


def raw(note, column="body"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {TABLE} WHERE id = %s",  # noqa: S608
            [note.pk],
        )
        return cursor.fetchone()[0]


def rotate(**kwargs):
    return encryption.rotate_encrypted_values(fields=FIELDS, **kwargs)


@pytest.mark.django_db
class TestEncryptedTextField:
    def test_it_stores_only_ciphertext(self):
        note = Note.objects.create(body="Feels stuck with the board: STOP-LOOK-CHOOSE")
        stored = raw(note)
        assert "stuck" not in stored and "board" not in stored
        newest = Fernet(settings.TANDEM_ENCRYPTION_KEYS[0].encode())
        assert newest.decrypt(stored.encode()) == b"Feels stuck with the board: STOP-LOOK-CHOOSE"
        assert Note.objects.get(pk=note.pk).body == "Feels stuck with the board: STOP-LOOK-CHOOSE"

    def test_it_gives_back_plain_text_after_every_kind_of_write(self):
        note = Note.objects.create(body="first")
        Note.objects.filter(pk=note.pk).update(body="second é ✓")
        assert Note.objects.get(pk=note.pk).body == "second é ✓"
        note.body = "third"
        Note.objects.bulk_update([note], ["body"])
        assert Note.objects.values_list("body", flat=True).get(pk=note.pk) == "third"
        assert "third" not in raw(note)

    def test_it_keeps_blank_values_blank_and_null_null(self):
        note = Note.objects.create(body="", private=None)
        assert raw(note) == ""
        assert raw(note, "private") is None
        with override_settings(TANDEM_ENCRYPTION_KEYS=[]):  # blank needs no keys
            loaded = Note.objects.get(pk=note.pk)
            assert (loaded.body, loaded.private) == ("", None)

    def test_it_encrypts_the_same_text_differently_each_time(self):
        first, second = Note.objects.create(body="same"), Note.objects.create(body="same")
        assert raw(first) != raw(second)

    def test_it_allows_only_isnull_and_empty_lookups(self):
        filled = Note.objects.create(body="text", private="secret")
        blank = Note.objects.create(body="", private=None)
        assert list(Note.objects.filter(body="")) == [blank]
        assert list(Note.objects.exclude(body="")) == [filled]
        assert list(Note.objects.filter(private__isnull=True)) == [blank]
        assert list(Note.objects.filter(private=None)) == [blank]

    @pytest.mark.parametrize(
        "lookup",
        [
            {"body": "text"},
            {"body__exact": "text"},
            {"body__contains": "te"},
            {"body__icontains": "te"},
            {"body__startswith": "t"},
            {"body__in": ["text"]},
            {"body__gt": ""},
            {"body__lower": "text"},
        ],
    )
    def test_it_refuses_lookups_that_would_search_the_ciphertext(self, lookup):
        Note.objects.create(body="text")
        with pytest.raises(FieldError, match=r"encrypted|Unsupported lookup"):
            list(Note.objects.filter(**lookup))

    def test_it_names_the_field_when_refusing_a_lookup(self):
        with pytest.raises(FieldError, match=r"accounts\.Note\.body is encrypted"):
            Note.objects.filter(body__icontains="x")

    def test_it_raises_a_clear_error_for_a_value_no_key_opens(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[C]):
            note = Note.objects.create(body="written under a key since lost")
        with (
            override_settings(TANDEM_ENCRYPTION_KEYS=[A, B]),
            pytest.raises(DecryptionError, match=r"accounts\.Note\.body .* no key"),
        ):
            Note.objects.get(pk=note.pk)

    def test_it_refuses_to_encrypt_without_keys(self):
        with (
            override_settings(TANDEM_ENCRYPTION_KEYS=[]),
            pytest.raises(encryption.crypto.EncryptionKeyError),
            transaction.atomic(),
        ):
            Note.objects.create(body="x")
        assert not Note.objects.exists()

    def test_it_refuses_to_be_unique_or_indexed(self):
        field = EncryptedTextField(unique=True)
        field.set_attributes_from_name("secret")
        field.model = Note
        assert [e.id for e in field.check()] == ["tandem.E010"]
        assert EncryptedTextField().deconstruct()[1] == (
            "tandem.accounts.encryption.EncryptedTextField"
        )


@pytest.mark.django_db
class TestRotation:
    def test_it_re_encrypts_under_the_newest_key(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            notes = [Note.objects.create(body=f"note {i}", private=f"p{i}") for i in range(5)]
            blank = Note.objects.create(body="")
        before = {n.pk: raw(n) for n in notes}
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            report = rotate(batch_size=2)
        assert report.rotated == 10
        assert report.fields[0].values == 10
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B]):
            for i, note in enumerate(notes):
                loaded = Note.objects.get(pk=note.pk)
                assert (loaded.body, loaded.private) == (f"note {i}", f"p{i}")
                assert raw(note) != before[note.pk]
                with pytest.raises(InvalidToken):
                    Fernet(A.encode()).decrypt(raw(note).encode())
            assert Note.objects.get(pk=blank.pk).body == ""
        assert raw(blank) == ""

    def test_it_is_idempotent(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            note = Note.objects.create(body="once")
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            assert rotate().rotated == 1
            after_first = raw(note)
            second = rotate()
        assert (second.rotated, second.fields[0].current) == (0, 1)
        assert raw(note) == after_first

    def test_it_leaves_values_written_under_the_newest_key_alone(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            old = Note.objects.create(body="old")
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            new = Note.objects.create(body="new")
            token = raw(new)
            report = rotate()
        assert (report.rotated, report.fields[0].current) == (1, 1)
        assert raw(new) == token
        assert raw(old) != token

    def test_it_checks_without_writing(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            note = Note.objects.create(body="old", private="older")
        token = raw(note)
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            report = rotate(check=True)
        assert report.rotated == 2
        assert raw(note) == token

    def test_it_reports_values_no_key_opens_and_rotates_the_rest(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[C]):
            lost = Note.objects.create(body="lost")
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            kept = Note.objects.create(body="kept")
        lost_token = raw(lost)
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            report = rotate()
            assert Note.objects.get(pk=kept.pk).body == "kept"
        assert report.fields[0].unreadable == [f"pk={lost.pk} body"]
        assert report.rotated == 1
        assert raw(lost) == lost_token

    def test_it_finds_the_encrypted_fields_of_installed_models_only(self):
        assert encryption.encrypted_fields(isolated_apps) == FIELDS
        assert Note not in [model for model, _names in encryption.encrypted_fields()]


@pytest.mark.django_db
class TestRotateKeysCommand:
    def run(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch.object(encryption, "encrypted_fields", return_value=FIELDS):
            call_command("rotate_keys", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_rotates_and_reports_counts(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            for i in range(3):
                Note.objects.create(body=f"n{i}")
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            out, _err = self.run("--batch-size", "2")
            assert "accounts.Note (body, private): 3 values, 0 under the newest key, " in out
            assert "3 re-encrypted" in out
            assert "Done: 3 of 3 values re-encrypted." in out
            out, _err = self.run()
            assert "Done: 0 of 3 values re-encrypted." in out
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B]):
            assert sorted(Note.objects.values_list("body", flat=True)) == ["n0", "n1", "n2"]

    def test_it_checks_and_fails_while_values_remain_under_old_keys(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[A]):
            note = Note.objects.create(body="old")
        token = raw(note)
        with override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]):
            with pytest.raises(SystemExit) as exit_:
                self.run("--check")
            assert exit_.value.code == 1
            assert raw(note) == token
            self.run()
            out, _err = self.run("--check")
        assert "0 of 1 values not yet under the newest key." in out

    def test_it_lists_unreadable_values_and_fails(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=[C]):
            lost = Note.objects.create(body="lost")
        out, err = io.StringIO(), io.StringIO()
        with (
            override_settings(TANDEM_ENCRYPTION_KEYS=[B, A]),
            mock.patch.object(encryption, "encrypted_fields", return_value=FIELDS),
            pytest.raises(CommandError, match="1 values could not be decrypted"),
        ):
            call_command("rotate_keys", stdout=out, stderr=err)
        expected = f"accounts.Note (body, private) pk={lost.pk} body: no configured key"
        assert expected in err.getvalue()

    def test_it_refuses_to_run_without_keys(self):
        with (
            override_settings(TANDEM_ENCRYPTION_KEYS=[]),
            pytest.raises(CommandError, match="No encryption keys"),
        ):
            self.run()

    def test_it_refuses_a_bad_batch_size(self):
        with pytest.raises(CommandError, match="--batch-size"):
            self.run("--batch-size", "0")

    def test_it_runs_over_the_installed_models(self):
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "Done: 0 of 0 values re-encrypted." in out.getvalue()
