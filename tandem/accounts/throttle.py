"""Throttles against guessing, stored in the database so every app server sees them.

Logins: after too many failures for one account or from one address, logins pause for
a while. Tokens (rater and pulse links, calendar feed URLs, API tokens): after too
many unknown tokens from one address within a window, that address gets 429 for that
kind of token, even for a good one, until the window has moved past its failures."""

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tandem.accounts.models import ApiToken, LoginAttempt, TokenFailure, TokenScope, User

THROTTLED_MESSAGE = gettext_lazy(
    "Too many wrong links or tokens from your address. Try again later."
)
# Where the API's authentication leaves the seconds for the 429's Retry-After header.
RETRY_AFTER_ATTRIBUTE = "tandem_retry_after"

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
    """The caller's address. Behind TANDEM_PROXY_COUNT reverse proxies it is the one the
    outermost of ours saw, read from X-Forwarded-For from the right (entries further
    left are the caller's to invent); otherwise every caller would share the proxy's
    address and one guesser would lock everyone out."""
    proxies = settings.TANDEM_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def _token_window() -> timedelta:
    return timedelta(seconds=settings.TANDEM_TOKEN_FAILURE_WINDOW_SECONDS)


class Throttled(Exception):
    """Too many unknown tokens from this address; try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"throttled for {retry_after} s")
        self.retry_after = retry_after


def token_retry_after(*, scope: str, ip: str | None) -> int | None:
    """Seconds until `ip` may present a token of `scope` again, or None if it may now."""
    if not ip:
        return None
    now = timezone.now()
    limit = settings.TANDEM_TOKEN_MAX_FAILURES
    recent = TokenFailure.objects.recent(scope=scope, ip=ip, since=now - _token_window())
    # The address is free again once fewer than `limit` failures remain in the window,
    # i.e. when the limit-th most recent one ages out.
    times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    free_at = times[-1] + _token_window()
    return max(1, math.ceil((free_at - now).total_seconds()))


def record_token_failure(*, scope: str, ip: str | None) -> None:
    if not ip:
        return
    now = timezone.now()
    # Failures older than the window never count again: keep the table small.
    TokenFailure.objects.filter(at__lt=now - _token_window()).delete()
    TokenFailure.objects.create(scope=scope, ip=ip, at=now)


def _failure_count(*, scope: str, ip: str | None) -> Any:
    """The address's recent failures as an expression, to read along with other rows."""
    if not ip:
        return Value(0)
    recent = (
        TokenFailure.objects.recent(scope=scope, ip=ip, since=timezone.now() - _token_window())
        .order_by()
        .values("scope")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(recent[:1]), Value(0), output_field=IntegerField())


def api_token_user(raw: str, *, ip: str | None) -> User | None:
    """The user a presented API token opens, or None (a failure, counted). Raises
    Throttled once the address has presented too many unknown tokens, even for a good
    one. A good token costs one query: its failures are read along with it."""
    scope = TokenScope.API_TOKEN
    token = (
        ApiToken.objects.presented(raw)
        .annotate(recent_failures=_failure_count(scope=scope, ip=ip))
        .first()
    )
    if token is None or token.recent_failures >= settings.TANDEM_TOKEN_MAX_FAILURES:  # type: ignore[attr-defined]
        retry_after = token_retry_after(scope=scope, ip=ip)
        if retry_after is not None:
            raise Throttled(retry_after)
    if token is None:
        record_token_failure(scope=scope, ip=ip)
        return None
    token.mark_used()
    return token.user
