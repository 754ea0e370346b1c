"""Security middleware: the Content Security Policy, and the throttle on token guessing.

Content Security Policy: pages run only the project's own static scripts (no inline
script, no eval, no other origin), so an injected <script> or on*= attribute does not
run. Styles allow 'unsafe-inline' because templates set computed sizes in style
attributes (bar widths, 9-box cells) and the admin and API docs do too; a style cannot
run code.

Token throttle: rater and pulse links, calendar feed URLs and API tokens are secrets
in a URL or header. An address that presents too many unknown ones within a window
gets 429 with Retry-After for that kind of token, before the view runs, so guessing is
slow whichever app server answers (the failures are kept in the database).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from tandem.accounts import throttle
from tandem.accounts.models import TokenScope

API_PREFIX = "/api/"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every HTML response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


# The pages whose URL holds a token, by URL name. An unknown token there is a 404.
# (API tokens are throttled where they are checked, accounts.api.BearerTokenAuth, so
# a good token costs no extra query.)
LINK_SCOPES = {
    "assessments:rate": TokenScope.RATER_LINK,
    "insights:pulse-answer": TokenScope.PULSE_LINK,
    "calendar-feed": TokenScope.CALENDAR_FEED,
}
WRONG_TOKEN_STATUS = 404


def _scope_of(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return LINK_SCOPES.get(match.view_name)


def _too_many(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        str(throttle.THROTTLED_MESSAGE), content_type="text/plain; charset=utf-8", status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


class TokenThrottleMiddleware:
    """429 before the view for an address that guessed too many links; counts a guess
    when the view answers "no such link"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = None if request.path_info.startswith(API_PREFIX) else _scope_of(request)
        if scope is None:
            response = self.get_response(request)
            retry_after = getattr(request, throttle.RETRY_AFTER_ATTRIBUTE, None)
            if response.status_code == 429 and retry_after is not None:
                response["Retry-After"] = str(retry_after)
            return response
        ip = throttle.client_ip(request)
        retry_after = throttle.token_retry_after(scope=scope, ip=ip)
        if retry_after is not None:
            return _too_many(retry_after)
        response = self.get_response(request)
        if response.status_code == WRONG_TOKEN_STATUS:
            throttle.record_token_failure(scope=scope, ip=ip)
        return response
