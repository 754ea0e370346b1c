"""Project-level pages: the home page and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Case, F, Min, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult, get_date_max

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


def queue_lag_seconds() -> float:
    """How long the oldest job that could run now has waited for a worker; 0 when none.

    A job waits from when it became ready: its enqueue time, or its `run_after` when it
    was scheduled for later (django-tasks-db stores "no run_after" as the date max)."""
    never = get_date_max()
    ready_since = DBTaskResult.objects.ready().aggregate(
        oldest=Min(
            Case(
                When(run_after=never, then=F("enqueued_at")),
                default=Greatest(F("enqueued_at"), F("run_after")),
            )
        )
    )["oldest"]
    if ready_since is None:
        return 0.0
    return max(0.0, round((timezone.now() - ready_since).total_seconds(), 1))


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers and the task queue keeps up; 503 with the reason
    otherwise. No authentication: load balancers and monitors call it.

    Body: {status, database, queue_lag_seconds} (and reason when unhealthy)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        lag = queue_lag_seconds()
    except Exception as error:  # any database failure means "unhealthy", never a 500
        return JsonResponse(
            {
                "status": "error",
                "database": type(error).__name__,
                "queue_lag_seconds": None,
                "reason": "the database does not answer",
            },
            status=503,
        )
    # Over this, jobs wait longer than users notice (reminders late, reports stale): the
    # workers are down or too few.
    limit = settings.TANDEM_HEALTH_MAX_QUEUE_LAG_SECONDS
    body: dict[str, object] = {"status": "ok", "database": "ok", "queue_lag_seconds": lag}
    if lag > limit:
        body["status"] = "error"
        body["reason"] = f"the oldest ready job has waited {lag:.0f} s (limit {limit} s)"
        return JsonResponse(body, status=503)
    return JsonResponse(body)
