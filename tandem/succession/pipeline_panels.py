"""The plan page's succession panel: the development actions that prepare the person
for a critical role. Slates are confidential (succession.access): the panel shows only
the actions on roles whose slate the viewer may see, so the person themselves, a peer
or an executive viewer get nothing, not even that a panel exists."""

from django.http import HttpRequest

from tandem.programs.models import DevelopmentPlan, PlanCycle
from tandem.programs.panels import Panel
from tandem.succession import pipeline_access as access
from tandem.succession.models import DevelopmentAction


def succession_plan_panel(
    request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle
) -> Panel | None:
    actions = list(
        DevelopmentAction.objects.filter(
            successor__person_id=plan.person_id,
            successor__role__in=access.roles_visible_to(request.user),
        )
        .select_related("successor__role")
        .order_by("due_on", "pk")[:20]
    )
    if not actions:
        return None
    return Panel("succession/slate_plan_panel.html", {"succession_actions": actions})
