"""The reinforcement half's panels: today's burst on the learner's home page, and on
the development plan's "apply" step the learner's bursts and practice logs.

Cards and practice logs are individual records: the plan panel shows them to
whoever may see the plan (the person, their management chain, program admins), who
are exactly those who may see them; the burst link only to the learner."""

from django.http import HttpRequest
from django.utils import timezone

from tandem.accounts import policy
from tandem.accounts.home import HomePanel
from tandem.programs.models import DevelopmentPlan, PlanCycle, Stage
from tandem.programs.panels import Panel
from tandem.training import reinforcement
from tandem.training.models import Card, PracticeLog


def burst_home_panel(request: HttpRequest) -> HomePanel | None:
    me = policy.person_of(request.user)
    if me is None:
        return None
    now = timezone.now()
    due = Card.objects.of_person(me).due(now).count()
    if not due:
        return None
    items = reinforcement.due_burst(me, now)
    return HomePanel("training/burst_home_panel.html", {"due": due, "items": items})


def apply_plan_panel(request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle) -> Panel | None:
    if cycle.stage not in (Stage.APPLY, Stage.MEASURE):
        return None
    now = timezone.now()
    cards = Card.objects.of_person(plan.person).filter(retired=False)
    due = cards.filter(due__lte=now).count()
    upcoming = list(cards.filter(due__gt=now).select_related("objective").order_by("due")[:5])
    logs = list(
        PracticeLog.objects.filter(person_id=plan.person_id)
        .select_related("objective", "confirmed_by")
        .order_by("-practiced_on", "-pk")[:5]
    )
    if not (due or upcoming or logs):
        return None
    me = policy.person_of(request.user)
    return Panel(
        "training/practice_plan_panel.html",
        {
            "burst_due": due,
            "burst_upcoming": upcoming,
            "practice_logs": logs,
            "is_learner": me is not None and me.pk == plan.person_id,
            "learner_id": plan.person_id,
        },
    )
