"""Production settings pass `tandem check --deploy` with warnings as failures: secure
and HTTP-only cookies, HSTS, SSL redirect, a real secret key, no DEBUG. Each runs
tandem in its own process, because the hardening is decided when settings load."""

import pytest

from tandem.tests.test_platform import production_env, tandem_command

pytestmark = pytest.mark.own_process


def test_production_settings_are_clean_with_warnings_as_failures(tmp_path):
    result = tandem_command(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_turns_on_secure_cookies_and_hsts(tmp_path):
    result = tandem_command("diffsettings", env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    for line in [
        "SESSION_COOKIE_SECURE = True",
        "CSRF_COOKIE_SECURE = True",
        "SECURE_HSTS_SECONDS = 31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS = True",
        "SECURE_SSL_REDIRECT = True",
    ]:
        assert line in result.stdout


def test_relaxing_the_hardening_fails_the_check(tmp_path):
    """The check is not vacuous: switching cookies or HSTS off is reported."""
    env = production_env(tmp_path, SESSION_COOKIE_SECURE="false", SECURE_HSTS_SECONDS="0")
    result = tandem_command("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W012" in result.stderr
    assert "security.W004" in result.stderr
