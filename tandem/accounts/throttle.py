"""Login throttling: after too many failures for one account or from one address,
logins pause for a while. Stored in the database so every app server sees it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tandem.accounts.models import LoginAttempt

# One address may try several accounts (an office behind a NAT), so it gets more room.
ADDRESS_ALLOWANCE = 4


def _since() -> datetime:
    return timezone.now() - timedelta(seconds=settings.TANDEM_LOGIN_LOCKOUT_SECONDS)


def is_locked_out(*, username: str, ip: str | None) -> bool:
    failures = LoginAttempt.objects.recent_failures(since=_since())
    limit = settings.TANDEM_LOGIN_MAX_FAILURES
    if failures.filter(username=username.lower()).count() >= limit:
        return True
    return bool(ip) and failures.filter(ip=ip).count() >= limit * ADDRESS_ALLOWANCE


def record_attempt(*, username: str, ip: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=username.lower()[:254], ip=ip, succeeded=succeeded)
    if succeeded:
        # A successful login clears the account's failures, not the address's.
        LoginAttempt.objects.filter(username=username.lower(), succeeded=False).delete()


def client_ip(request) -> str | None:  # type: ignore[no-untyped-def]
    return request.META.get("REMOTE_ADDR") or None
