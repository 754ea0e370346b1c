"""The REST API root: /api/v1. Each app contributes its router here."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from tandem.accounts.api import BearerTokenAuth
from tandem.accounts.api import router as accounts_router
from tandem.people.api import router as people_router

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description=(
        "Tandem's REST API. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`, create one under Account → API tokens or with "
        "`tandem createtoken USER`) or with the browser session. Errors are JSON "
        '`{"detail": ...}`; validation errors list each field.'
    ),
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "You do not have access to this."}, status=403
    )


api.add_router("/", accounts_router)
api.add_router("/", people_router)
