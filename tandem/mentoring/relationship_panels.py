"""Mentoring's panel on the development plan page (programs.panels): the person's
mentoring relationships — mentor, status, meetings held — and, for the mentee and the
mentor only, the goals. Never anything said in a meeting. Shown to whoever may see
the plan (the person, their management chain, program admins)."""

from django.http import HttpRequest

from tandem.mentoring import relationship_access as access
from tandem.mentoring.models import Relationship
from tandem.programs.models import DevelopmentPlan, PlanCycle
from tandem.programs.panels import Panel


def mentoring_panel(request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle) -> Panel | None:
    relationships = list(
        Relationship.objects.filter(mentee_id=plan.person_id)
        .select_related("mentor", "program")
        .with_meeting_stats()
        .order_by("-proposed_at", "-pk")[:3]
    )
    if not relationships:
        return None
    for relationship in relationships:
        relationship.viewer_is_party = access.is_party(request.user, relationship)  # type: ignore[attr-defined]
    return Panel(
        "mentoring/snippets/relationship_plan_panel.html",
        {"mentoring_relationships": relationships},
    )
