from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from tandem.accounts import policy
from tandem.accounts.models import ApiToken


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer tdm_…` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    email: str
    roles: list[str]
    person_id: int | None


@router.get("/me", response=MeOut, summary="Who the caller is, with their roles")
def me(request: HttpRequest) -> dict[str, Any]:
    person = policy.person_of(request.user)
    return {
        "username": request.user.get_username(),
        "email": getattr(request.user, "email", ""),
        "roles": sorted(policy.roles_of(request.user)),
        "person_id": person.pk if person else None,
    }
