"""How API callers authenticate, and who they are (/me).

Two ways in: a personal token (`Authorization: Bearer tdm_…`) for clients, and the
browser's session cookie for the pages' own scripts. Session requests that change
something must carry the CSRF token, as the pages' forms do; token requests need not,
because a browser never adds an Authorization header on its own.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import paginate
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from tandem.accounts import audit, calendar, policy, throttle
from tandem.accounts.models import AuditLog, CalendarFeed
from tandem.api.errors import errors
from tandem.api.fields import IsoDate, text
from tandem.api.pagination import Pages, RecordId

AuditActionName = Literal["read", "create", "update", "delete", "export", "import", "grant"]


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer tdm_…` with a personal API token. A token that is
    unknown, revoked, expired or whose user is inactive is a 401, even when the
    request also carries a session cookie: the caller asked to be that token.
    An address that presented too many such tokens gets 429 for a while, even for a
    good one (accounts.throttle)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = throttle.api_token_user(token.strip(), ip=throttle.client_ip(request))
        except throttle.Throttled as throttled:
            # tandem.security adds the Retry-After header to the 429 on its way out.
            setattr(request, throttle.RETRY_AFTER_ATTRIBUTE, throttled.retry_after)
            raise HttpError(429, str(throttle.THROTTLED_MESSAGE)) from throttled
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


class AuditLogFilter(Schema):
    actor: str | None = text(150, default=None, description="A username, or part of a name")
    action: AuditActionName | None = Field(None, description="What was done")
    target_type: str | None = text(
        100, default=None, description="The record type, e.g. coaching.sessionnote"
    )
    subject_person: RecordId | None = Field(None, description="The person the record is about")
    since: IsoDate | None = Field(None, description="From this day (YYYY-MM-DD, UTC), included")
    until: IsoDate | None = Field(None, description="Until this day (YYYY-MM-DD, UTC), included")


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    subject_person_id: int | None
    summary: str
    ip: str | None

    @staticmethod
    def resolve_actor(entry: AuditLog) -> str:
        return entry.actor_label


@router.get(
    "/audit-log",
    response={200: list[AuditEntryOut], **errors(401, 403, 422)},
    summary="The audit log, newest first (program admins only)",
    operation_id="list_audit_log",
)
@paginate(Pages)
def list_audit_log(request: HttpRequest, filters: Query[AuditLogFilter]) -> Any:
    """Who read or changed which confidential record. Filters combine; dates are
    whole days, both ends included."""
    audit.require_audit_reader(request.user)
    if filters.since and filters.until and filters.since > filters.until:
        raise ValidationError(
            [
                {
                    "loc": ["query", "until"],
                    "msg": "Choose a date on or after `since`.",
                    "type": "value_error",
                }
            ]
        )
    return audit.filtered(
        AuditLog.objects.all(),
        actor=filters.actor or "",
        action=filters.action or "",
        target_type=filters.target_type or "",
        subject_person=filters.subject_person,
        since=filters.since,
        until=filters.until,
    ).order_by("-at", "-pk")
