"""Every route in the URLconf, walked automatically: an anonymous visitor gets a
login redirect (pages, admin) or a 401 (API), except for the few public routes
listed here. A new route that forgets its access check fails this test."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "/healthz",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password-reset/",
    "/accounts/password-reset/sent/",
    "/accounts/reset/MQ/MQ/",
    "/accounts/reset/done/",
    "/admin/login/",
    "/admin/logout/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/api/v1/",  # the API's JSON 404 for paths it does not have
    "/api/v1/x",
    # 360 raters have no account: the token in the link is the credential.
    "/assessments/rate/MQ/",
    "/assessments/rate/done/",
    "/api/v1/rater/MQ",
    "/api/v1/rater/MQ/submit",
    # Pulse answers likewise: the single-use link's token is the credential.
    "/impact/pulses/answer/MQ/",
    "/impact/pulses/answer/done/",
    "/api/v1/rater/pulses/MQ",
    # Calendar apps cannot sign in: the token in the feed URL is the credential.
    "/calendar/MQ.ics",
}
# Admin routes that answer for anyone by design (the JS catalog, the catch-all 404).
PUBLIC_PATTERNS = [r"^/admin/jsi18n/$", r"^/admin/r/", r"^/admin/.*\(\?P<url>"]
_SAMPLES = {
    "int": "1",
    "str": "MQ",
    "path": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
}


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES.get(m.group(1) or "str", "1"), route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


ALL_ROUTES = sorted({_concrete(r) for r in _routes()})


def _is_public(path: str) -> bool:
    return path in PUBLIC or "(?P<" in path or any(re.search(p, path) for p in PUBLIC_PATTERNS)


ROUTES = [path for path in ALL_ROUTES if not _is_public(path)]


@pytest.mark.django_db
def test_a_calendar_feed_with_a_wrong_token_is_not_found(client):
    for path in ("/calendar/MQ.ics", "/calendar/tcal_not-a-real-token.ics"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"BEGIN:VCALENDAR" not in response.content


def test_it_walks_every_route_and_every_public_one_still_exists():
    assert "/people/1/" in ROUTES
    assert "/api/v1/people" in ROUTES
    assert len(ROUTES) > 40
    assert set(ALL_ROUTES) >= PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("path", ROUTES)
def test_it_refuses_anonymous_visitors(client, path):
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code in (401, 405), (path, response.status_code)
    elif path.startswith("/admin/"):
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
    else:
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), path
