"""How API callers authenticate, and who they are (/me).

Two ways in: a personal token (`Authorization: Bearer tdm_…`) for clients, and the
browser's session cookie for the pages' own scripts. Session requests that change
something must carry the CSRF token, as the pages' forms do; token requests need not,
because a browser never adds an Authorization header on its own.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from tandem.accounts import policy
from tandem.accounts.models import ApiToken
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
