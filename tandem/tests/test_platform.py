"""The platform: health check, settings from the environment, production checks,
and background jobs (scheduler and worker)."""

import importlib.util
import os
import secrets
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import tandem
from tandem import scheduler
from tandem.accounts.checks import check_encryption_keys
from tandem.accounts.models import LoginAttempt
from tandem.accounts.tasks import purge_stale_logins

BIN = Path(sys.executable).parent
SETTINGS_FILE = Path(tandem.__file__).parent / "settings.py"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def production_env(tmp_path, **overrides):
    """The environment of a production server, minus anything that could leak in from ours."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "TANDEM", "DATABASE", "EMAIL", "PYTEST"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    env.update(
        DEBUG="false",
        TANDEM_TESTING="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="tandem.example.com",
        TANDEM_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        TANDEM_VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def tandem_command(*args, env):
    return subprocess.run(  # noqa: S603  (our own command, fixed arguments)
        [str(BIN / "tandem"), *args], env=env, capture_output=True, text=True, timeout=120
    )


class TestHealthz:
    @pytest.mark.django_db
    def test_it_answers_200_json_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"status": "ok", "database": "ok", "queue_lag_seconds": 0.0}
        assert "no-cache" in response["Cache-Control"]

    @pytest.mark.django_db
    def test_it_answers_503_when_the_database_does_not(self, client):
        from django.db import OperationalError, connection

        with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "error",
            "database": "OperationalError",
            "queue_lag_seconds": None,
            "reason": "the database does not answer",
        }

    @pytest.mark.django_db
    @override_settings(TASKS=DATABASE_TASKS)
    def test_it_reports_how_long_the_oldest_ready_job_has_waited(self, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            purge_stale_logins.enqueue()
            clock.shift(timedelta(seconds=30))
            purge_stale_logins.enqueue()
            clock.shift(timedelta(seconds=90))
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["queue_lag_seconds"] == 120.0

    @pytest.mark.django_db
    @override_settings(TASKS=DATABASE_TASKS, TANDEM_HEALTH_MAX_QUEUE_LAG_SECONDS=300)
    def test_it_answers_503_when_a_ready_job_waits_longer_than_the_limit(self, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            purge_stale_logins.enqueue()
            clock.shift(timedelta(seconds=301))
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "error",
            "database": "ok",
            "queue_lag_seconds": 301.0,
            "reason": "the oldest ready job has waited 301 s (limit 300 s)",
        }

    @pytest.mark.django_db
    @override_settings(TASKS=DATABASE_TASKS, TANDEM_HEALTH_MAX_QUEUE_LAG_SECONDS=300)
    def test_it_counts_a_scheduled_job_from_when_it_became_due(self, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            purge_stale_logins.using(run_after=start + timedelta(hours=1)).enqueue()
            clock.shift(timedelta(minutes=50))
            assert client.get("/healthz").json()["queue_lag_seconds"] == 0.0  # not due yet
            clock.shift(timedelta(minutes=12))
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["queue_lag_seconds"] == 120.0

    @pytest.mark.django_db
    @override_settings(TASKS=DATABASE_TASKS)
    def test_it_ignores_jobs_already_picked_up_or_finished(self, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            running = purge_stale_logins.enqueue()
            done = purge_stale_logins.enqueue()
            DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING")
            DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL")
            clock.shift(timedelta(hours=2))
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["queue_lag_seconds"] == 0.0


class TestSettings:
    def load(self, monkeypatch, tmp_path, **env):
        """Evaluate settings.py afresh under `env`, as a production process would."""
        for key in list(os.environ):
            if key.startswith(("TANDEM", "DATABASE", "EMAIL", "REDIS")) or key in {
                "DEBUG",
                "SECRET_KEY",
                "ALLOWED_HOSTS",
            }:
                monkeypatch.delenv(key)
        monkeypatch.setenv("TANDEM_TESTING", "false")
        monkeypatch.setenv("TANDEM_VAR_DIR", str(tmp_path))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        spec = importlib.util.spec_from_file_location("tandem_settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_an_smtp_email_url_selects_the_smtp_backend(self, monkeypatch, tmp_path):
        settings = self.load(
            monkeypatch,
            tmp_path,
            SECRET_KEY="k" * 60,
            EMAIL_URL="smtp://mailer:pw@mail.example.com:587?tls=true",
        )
        assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (settings.EMAIL_HOST, settings.EMAIL_PORT) == ("mail.example.com", 587)
        assert (settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD) == ("mailer", "pw")
        assert settings.EMAIL_USE_TLS is True

    def test_a_trial_prints_email_to_the_console(self, monkeypatch, tmp_path):
        settings = self.load(monkeypatch, tmp_path, DEBUG="true")
        assert settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost"]

    def test_a_trial_gets_an_encryption_key_of_its_own_that_lasts(self, monkeypatch, tmp_path):
        first = self.load(monkeypatch, tmp_path, DEBUG="true").TANDEM_ENCRYPTION_KEYS
        again = self.load(monkeypatch, tmp_path, DEBUG="true").TANDEM_ENCRYPTION_KEYS
        assert first == again and len(first) == 1
        Fernet(first[0].encode())  # a valid key
        assert (tmp_path / "development-encryption.key").stat().st_mode & 0o077 == 0

    def test_production_gets_no_made_up_key(self, monkeypatch, tmp_path):
        settings = self.load(monkeypatch, tmp_path, SECRET_KEY="k" * 60)
        assert settings.TANDEM_ENCRYPTION_KEYS == []

    def test_a_bad_email_url_stops_start_up(self, monkeypatch, tmp_path):
        with pytest.raises(ValueError, match="scheme"):
            self.load(monkeypatch, tmp_path, SECRET_KEY="k" * 60, EMAIL_URL="mailto:x")

    def test_production_needs_a_secret_key(self, monkeypatch, tmp_path):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            self.load(monkeypatch, tmp_path)

    def test_production_is_hardened(self, monkeypatch, tmp_path):
        settings = self.load(
            monkeypatch, tmp_path, SECRET_KEY="k" * 60, ALLOWED_HOSTS="a.example.com, b.example.com"
        )
        assert settings.DEBUG is False
        assert settings.ALLOWED_HOSTS == ["a.example.com", "b.example.com"]
        assert settings.SECURE_SSL_REDIRECT is True
        assert settings.SESSION_COOKIE_SECURE is True
        assert settings.CSRF_COOKIE_SECURE is True
        assert settings.SECURE_HSTS_SECONDS >= 31536000
        assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"

    def test_hardening_can_be_relaxed_behind_a_proxy(self, monkeypatch, tmp_path):
        settings = self.load(
            monkeypatch, tmp_path, SECRET_KEY="k" * 60, SECURE_SSL_REDIRECT="false"
        )
        assert settings.SECURE_SSL_REDIRECT is False

    def test_a_bad_boolean_stops_start_up(self, monkeypatch, tmp_path):
        with pytest.raises(ValueError, match="DEBUG must be true or false"):
            self.load(monkeypatch, tmp_path, DEBUG="sometimes")

    def test_database_url_selects_postgresql(self, monkeypatch, tmp_path):
        settings = self.load(
            monkeypatch,
            tmp_path,
            SECRET_KEY="k" * 60,
            DATABASE_URL="postgres://app:pw@db.example.com:5432/tandem",
        )
        database = settings.DATABASES["default"]
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert (database["HOST"], database["NAME"]) == ("db.example.com", "tandem")

    def test_sqlite_is_the_default_under_the_var_dir(self, monkeypatch, tmp_path):
        settings = self.load(monkeypatch, tmp_path, DEBUG="true")
        database = settings.DATABASES["default"]
        assert database["ENGINE"] == "django.db.backends.sqlite3"
        assert Path(database["NAME"]) == tmp_path / "tandem.sqlite3"

    def test_redis_url_selects_the_redis_cache(self, monkeypatch, tmp_path):
        settings = self.load(
            monkeypatch, tmp_path, DEBUG="true", REDIS_URL="redis://cache.example.com:6379/0"
        )
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")

    def test_encryption_keys_are_read_newest_first(self, monkeypatch, tmp_path):
        settings = self.load(
            monkeypatch, tmp_path, SECRET_KEY="k" * 60, TANDEM_ENCRYPTION_KEYS="new, old"
        )
        assert settings.TANDEM_ENCRYPTION_KEYS == ["new", "old"]


class TestEncryptionKeyCheck:
    @override_settings(DEBUG=False, TANDEM_ENCRYPTION_KEYS=[])
    def test_it_errors_without_keys(self):
        assert [error.id for error in check_encryption_keys()] == ["tandem.E001"]

    @override_settings(DEBUG=False, TANDEM_ENCRYPTION_KEYS=["not-a-fernet-key"])
    def test_it_errors_on_an_invalid_key(self):
        assert [error.id for error in check_encryption_keys()] == ["tandem.E002"]

    def test_it_errors_when_any_key_is_invalid(self):
        with override_settings(
            DEBUG=False, TANDEM_ENCRYPTION_KEYS=[Fernet.generate_key().decode(), "old!"]
        ):
            assert [error.id for error in check_encryption_keys()] == ["tandem.E002"]

    def test_it_accepts_valid_keys(self):
        keys = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
        with override_settings(DEBUG=False, TANDEM_ENCRYPTION_KEYS=keys):
            assert check_encryption_keys() == []

    @override_settings(DEBUG=True, TANDEM_ENCRYPTION_KEYS=[])
    def test_a_debug_trial_needs_no_keys(self):
        assert check_encryption_keys() == []


@pytest.mark.own_process
class TestDeployCheck:
    def test_production_settings_pass_check_deploy(self, tmp_path):
        result = tandem_command(
            "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_missing_encryption_keys_fail_the_check(self, tmp_path):
        result = tandem_command("check", env=production_env(tmp_path, TANDEM_ENCRYPTION_KEYS=""))
        assert result.returncode != 0
        assert "tandem.E001" in result.stderr


class TestScheduler:
    @pytest.mark.django_db
    def test_it_enqueues_a_periodic_job_once_per_interval(self):
        name = purge_stale_logins.module_path
        every = scheduler.registered()[name][0].every
        start = timezone.now()

        def queued():
            return DBTaskResult.objects.filter(task_path=name).count()

        with override_settings(TASKS=DATABASE_TASKS), time_machine.travel(start, tick=False) as t:
            assert name in scheduler.enqueue_due()
            assert queued() == 1
            assert name not in scheduler.enqueue_due()
            t.shift(every - timedelta(seconds=1))
            assert name not in scheduler.enqueue_due()
            assert queued() == 1
            t.shift(timedelta(seconds=1))
            assert name in scheduler.enqueue_due()
            assert queued() == 2

    def test_it_knows_the_accounts_jobs(self):
        assert purge_stale_logins.module_path in scheduler.registered()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_runs_a_queued_job_end_to_end():
    old = LoginAttempt.objects.create(username="ada", at=timezone.now() - timedelta(days=400))
    recent = LoginAttempt.objects.create(username="ada", at=timezone.now() - timedelta(hours=1))
    result = purge_stale_logins.enqueue()
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == "SUCCESSFUL"
    assert job.return_value == {"login_attempts": 1, "sessions": 0}
    assert not LoginAttempt.objects.filter(pk=old.pk).exists()
    assert LoginAttempt.objects.filter(pk=recent.pk).exists()


@pytest.mark.own_process
def test_tandem_worker_batch_runs_due_periodic_jobs(tmp_path):
    env = production_env(tmp_path)
    assert tandem_command("migrate", "--verbosity", "0", env=env).returncode == 0
    result = tandem_command("worker", "--batch", "--no-startup-delay", env=env)
    assert result.returncode == 0, result.stderr
    assert "purge_stale_logins state=SUCCESSFUL" in result.stderr
    again = tandem_command("worker", "--batch", "--no-startup-delay", env=env)
    assert "purge_stale_logins" not in again.stderr  # not due again so soon
