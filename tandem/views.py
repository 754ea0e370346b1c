"""Project-level pages: the home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from tandem.accounts import home as home_panels
from tandem.accounts import navigation, policy
from tandem.accounts.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in user lands: who they are here and what they can open."""
    held = policy.roles_of(request.user)
    roles = [role.label for role in Role if role in held]
    cards = [item for item in navigation.items_for(request.user) if item.description]
    return render(
        request,
        "home.html",
        {
            "roles": roles,
            "cards": cards,
            "person": policy.person_of(request.user),
            "panels": [
                render_to_string(panel.template, dict(panel.context), request=request)
                for panel in home_panels.panels_for(request)
            ],
        },
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise. No authentication: load balancers call it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "unhealthy", never a 500
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
