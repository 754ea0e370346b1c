"""Personal API tokens: issued once, stored only as a hash, usable until revoked or expired;
and `tandem createtoken`."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from tandem.accounts.models import TOKEN_PREFIX, ApiToken
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestIssue:
    def test_it_stores_only_the_hash(self):
        user = UserFactory()
        token, raw = ApiToken.issue(user=user, name="laptop")
        assert raw.startswith(TOKEN_PREFIX)
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in {stored.key_hash, stored.key_prefix, stored.name}
        assert stored.key_prefix == raw[:12]

    def test_each_token_is_different(self):
        user = UserFactory()
        raws = {ApiToken.issue(user=user, name=f"t{i}")[1] for i in range(20)}
        assert len(raws) == 20


class TestAuthenticate:
    def test_it_returns_the_user_of_a_usable_token(self):
        user = UserFactory()
        _, raw = ApiToken.issue(user=user, name="t")
        assert ApiToken.objects.authenticate(raw) == user

    def test_a_revoked_token_does_not_authenticate(self):
        token, raw = ApiToken.issue(user=UserFactory(), name="t")
        token.revoke()
        assert ApiToken.objects.authenticate(raw) is None

    def test_an_expired_token_does_not_authenticate(self):
        expires = timezone.now() + timedelta(days=1)
        _, raw = ApiToken.issue(user=UserFactory(), name="t", expires_at=expires)
        with time_machine.travel(expires + timedelta(seconds=1)):
            assert ApiToken.objects.authenticate(raw) is None

    def test_an_inactive_users_token_does_not_authenticate(self):
        user = UserFactory()
        _, raw = ApiToken.issue(user=user, name="t")
        user.is_active = False
        user.save()
        assert ApiToken.objects.authenticate(raw) is None

    @pytest.mark.parametrize("raw", ["", "tdm_", "tdm_nope", "not-a-token", "x" * 10_000])
    def test_an_unknown_token_does_not_authenticate(self, raw):
        ApiToken.issue(user=UserFactory(), name="t")
        assert ApiToken.objects.authenticate(raw) is None

    def test_it_records_use_at_most_once_a_minute(self):
        token, raw = ApiToken.issue(user=UserFactory(), name="t")
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            ApiToken.objects.authenticate(raw)
            first = ApiToken.objects.get(pk=token.pk).last_used_at
            assert first is not None
            traveller.shift(timedelta(seconds=30))
            ApiToken.objects.authenticate(raw)
            assert ApiToken.objects.get(pk=token.pk).last_used_at == first
            traveller.shift(timedelta(seconds=31))
            ApiToken.objects.authenticate(raw)
            assert ApiToken.objects.get(pk=token.pk).last_used_at > first


class TestCreatetokenCommand:
    def run(self, *args):
        out, err = StringIO(), StringIO()
        call_command("createtoken", *args, stdout=out, stderr=err)
        return out.getvalue().strip(), err.getvalue()

    def test_it_prints_a_working_token_once(self):
        user = UserFactory(username="ada")
        raw, message = self.run("ada", "--name", "CI")
        assert ApiToken.objects.authenticate(raw) == user
        token = ApiToken.objects.get(user=user)
        assert token.name == "CI"
        assert token.expires_at is None
        assert raw not in message
        assert "only this once" in message

    def test_it_sets_an_expiry(self):
        UserFactory(username="ada")
        with time_machine.travel(timezone.now(), tick=False):
            self.run("ada", "--expires-days", "30")
            token = ApiToken.objects.get()
            assert token.expires_at == timezone.now() + timedelta(days=30)

    def test_an_unknown_user_is_an_error_and_writes_nothing(self):
        with pytest.raises(CommandError, match="No user named 'ghost'"):
            self.run("ghost")
        assert not ApiToken.objects.exists()

    def test_an_inactive_user_is_an_error(self):
        UserFactory(username="gone", is_active=False)
        with pytest.raises(CommandError, match="inactive"):
            self.run("gone")
        assert not ApiToken.objects.exists()

    @pytest.mark.parametrize("days", ["0", "-1", "99999"])
    def test_it_refuses_a_silly_expiry(self, days):
        UserFactory(username="ada")
        with pytest.raises(CommandError, match="--expires-days"):
            self.run("ada", "--expires-days", days)
        assert not ApiToken.objects.exists()

    def test_the_tandem_command_exits_non_zero_for_an_unknown_user(self, capsys):
        from tandem.cli import main

        with pytest.raises(SystemExit) as exit_info:
            main(["tandem", "createtoken", "ghost"])
        assert exit_info.value.code != 0
        assert "No user named 'ghost'" in capsys.readouterr().err
