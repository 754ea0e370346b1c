"""Coaching's panel on the development plan page (programs.panels): the plan's coaching
engagement — coach, status, sessions held against planned and the coaching goals with
their progress. Never anything said in a session. Shown to whoever may see the
engagement's summary (coaching.access); the person is offered a coach when they may
choose one and have none."""

from django.http import HttpRequest

from tandem.accounts import policy
from tandem.coaching import access
from tandem.programs.models import DevelopmentPlan, PlanCycle
from tandem.programs.panels import Panel


def coaching_panel(request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle) -> Panel | None:
    user = request.user
    engagements = list(
        access.engagements_visible_to(user)
        .filter(coachee_id=plan.person_id)
        .with_health()
        .prefetch_related("goals__plan_goal")
        .order_by("-created_at", "-pk")[:3]
    )
    me = policy.person_of(user)
    is_own = me is not None and me.pk == plan.person_id
    offer = is_own and not any(e.is_open for e in engagements) and access.can_choose_own_coach(user)
    if not engagements and not offer:
        return None
    return Panel(
        "coaching/snippets/plan_panel.html",
        {"coaching_engagements": engagements, "offer_coach": offer},
    )
