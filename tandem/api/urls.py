"""The REST API root: /api/v1. Each app contributes its router here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router

from tandem.accounts.api import BearerTokenAuth, BrowserSessionAuth
from tandem.accounts.api import router as accounts_router
from tandem.api.parser import StrictParser
from tandem.assessments.api import router as assessments_router
from tandem.coaching.api import router as coaching_router
from tandem.conversations.api import router as conversations_router
from tandem.insights.api import router as insights_router
from tandem.mentoring.api import router as mentoring_router
from tandem.people.api import router as people_router
from tandem.privacy.api import router as privacy_router
from tandem.programs.api import router as programs_router
from tandem.succession.api import router as succession_router
from tandem.training.api import router as training_router

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description=(
        "Tandem's REST API. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`, create one under Account → API tokens or with "
        "`tandem createtoken USER`) or with the browser session (changes then need the "
        '`X-CSRFToken` header). Errors are JSON `{"detail": ...}`: 400 for a body that '
        "is not JSON, 401 without valid credentials, 403 when the caller may not do this, "
        "404 for a record that does not exist or that the caller may not see, and 422 "
        "with a list of `{loc, msg, type}` naming each invalid field."
    ),
    auth=[BearerTokenAuth(), BrowserSessionAuth()],
    parser=StrictParser(),
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
api.add_router("/", programs_router)
api.add_router("/", assessments_router)
api.add_router("/", coaching_router)
api.add_router("/", mentoring_router)
api.add_router("/", training_router)
api.add_router("/", conversations_router)
api.add_router("/", succession_router)
api.add_router("/", insights_router)
api.add_router("/", privacy_router)

# Last, so it only sees what no router matched: an unknown URL under /api/v1 is a JSON
# 404 like every other API error, not the site's HTML page.
unknown = Router(auth=None)


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404(f"No API endpoint at {request.path}")


api.add_router("/", unknown)
