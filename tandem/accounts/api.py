"""How API callers authenticate, and who they are (/me).

Two ways in: a personal token (`Authorization: Bearer tdm_…`) for clients, and the
browser's session cookie for the pages' own scripts. Session requests that change
something must carry the CSRF token, as the pages' forms do; token requests need not,
because a browser never adds an Authorization header on its own.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from tandem.accounts import calendar, policy
from tandem.accounts.models import ApiToken, CalendarFeed
from tandem.api.errors import errors


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer tdm_…` with a personal API token. A token that is
    unknown, revoked, expired or whose user is inactive is a 401, even when the
    request also carries a session cookie: the caller asked to be that token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.authenticate(token.strip())
        if user is None:
            raise AuthenticationError(message="Invalid, expired or revoked API token.")
        request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session, with Django's CSRF check on unsafe methods.

    Unlike ninja's `django_auth`, the CSRF check runs only once a session user is
    found, so an anonymous request gets a 401 rather than a CSRF 403."""

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return user


router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    email: str
    roles: list[str]
    person_id: int | None


@router.get(
    "/me",
    response={200: MeOut, **errors(401)},
    summary="Who the caller is, with their roles",
    operation_id="me",
)
def me(request: HttpRequest) -> dict[str, Any]:
    person = policy.person_of(request.user)
    return {
        "username": request.user.get_username(),
        "email": getattr(request.user, "email", ""),
        "roles": sorted(policy.roles_of(request.user)),
        "person_id": person.pk if person else None,
    }


class CalendarFeedOut(Schema):
    active: bool
    created_at: datetime | None
    last_used_at: datetime | None
    # Only in the answer that makes the URL: Tandem keeps a hash of it, not the URL.
    url: str | None


def _feed_out(feed: CalendarFeed | None, url: str | None = None) -> dict[str, Any]:
    return {
        "active": feed is not None,
        "created_at": feed.created_at if feed else None,
        "last_used_at": feed.last_used_at if feed else None,
        "url": url,
    }


@router.get(
    "/me/calendar-feed",
    response={200: CalendarFeedOut, **errors(401)},
    summary="Whether the caller has a calendar feed URL (the URL itself is shown only once)",
    operation_id="get_calendar_feed",
)
def get_calendar_feed(request: HttpRequest) -> dict[str, Any]:
    return _feed_out(CalendarFeed.objects.filter(user=request.user).first())  # type: ignore[misc]


@router.post(
    "/me/calendar-feed",
    response={201: CalendarFeedOut, **errors(400, 401, 403, 422)},
    summary="Make or reset the caller's calendar feed URL; the old URL stops working",
    operation_id="reset_calendar_feed",
)
def reset_calendar_feed(request: HttpRequest) -> Any:
    feed, raw = CalendarFeed.reset_for(request.user)  # type: ignore[arg-type]
    return Status(201, _feed_out(feed, calendar.feed_url(raw)))


@router.delete(
    "/me/calendar-feed",
    response={204: None, **errors(401, 403)},
    summary="Switch the caller's calendar feed off",
    operation_id="revoke_calendar_feed",
)
def revoke_calendar_feed(request: HttpRequest) -> Any:
    CalendarFeed.objects.filter(user=request.user).delete()  # type: ignore[misc]
    return Status(204, None)
