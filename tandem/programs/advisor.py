"""The modality advisor in the app: the questions as people read them, the advice as
the page and the API show it (one function, so both say the same), and adding the
recommended modalities to a plan's "learn" step.

The rules themselves are pure and live in `tandem.lib.advisor`."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.lib import advisor as rules
from tandem.people.models import Level
from tandem.programs.models import DevelopmentPlan, LearningActivity, PlanCycle, Stage
from tandem.programs.services import Refused

MAX_BUDGET = 10_000_000
MAX_PEOPLE = 1_000_000

LEVEL_CHOICES = Level.choices
NEED_CHOICES = [
    ("skill_or_knowledge", _("A skill or knowledge many people need")),
    ("career_navigation", _("Career navigation and organizational know-how")),
    ("self_awareness", _("Self-awareness and behaviour change")),
]
CUSTOMIZATION_CHOICES = [
    ("low", _("Low: a standard curriculum will do")),
    ("medium", _("Medium: partly tailored to the person")),
    ("high", _("High: built around this person and their context")),
]
TIME_CHOICES = [
    ("little", _("Little: a few hours a month at most")),
    ("some", _("Some: a day or two, or regular short meetings")),
    ("plenty", _("Plenty: time for a months-long engagement")),
]

# The questions, by input name, in the order the page asks them.
QUESTIONS = {
    "level": _("Leader's level"),
    "need": _("What is the need?"),
    "customization": _("How customized must it be?"),
    "time_available": _("Time the leader has for development"),
    "budget_per_person": _("Budget per person"),
    "people_sharing_need": _("How many people share this need?"),
    "practice_and_feedback": _("Will practice and feedback follow?"),
}

# Each input named briefly, as the reasons on the page are introduced.
INPUT_NAMES = {
    "level": _("Level"),
    "need": _("Need"),
    "customization": _("Customization"),
    "time_available": _("Time available"),
    "budget_per_person": _("Budget per person"),
    "people_sharing_need": _("People sharing the need"),
    "practice_and_feedback": _("Practice and feedback follow"),
}

COMPONENT_LABELS = {
    rules.TRAINING: _("Training"),
    rules.REINFORCEMENT: _("Reinforcement"),
    rules.MENTORING: _("Mentoring"),
    rules.COACHING: _("Coaching"),
}

# What each recommended component becomes in a plan's "learn" step.
ACTIVITY_DESCRIPTIONS = {
    rules.TRAINING: _("Training: a course for the skill or knowledge, put to use at work at once."),
    rules.REINFORCEMENT: _(
        "Reinforcement: short practice bursts with feedback in the weeks after the course."
    ),
    rules.MENTORING: _(
        "Mentoring: regular one-on-one conversations with a senior leader on career "
        "and how the organization works."
    ),
    rules.COACHING: _(
        "Coaching: an engagement with a certified coach on self-awareness and the "
        "behaviour to change."
    ),
}


def _text(item: rules.Reason | rules.Caution) -> str:
    message = gettext(item.message)
    return message % item.params if item.params else message


def advice_as_dict(advice: rules.Advice) -> dict[str, Any]:
    """The advice as the page and the API show it, in the active language."""
    return {
        "recommendation": advice.recommendation,
        "label": gettext(advice.label),
        "components": list(advice.components),
        "reasons": [{"input": r.input, "text": _text(r)} for r in advice.reasons],
        "weighed_against": [{"input": r.input, "text": _text(r)} for r in advice.weighed_against],
        "watch": [_text(c) for c in advice.watch],
        "scores": dict(advice.scores),
    }


def learn_step_blocker(cycle: PlanCycle) -> str | None:
    """Why learning activities cannot be added to `cycle` now, or None."""
    if cycle.stage != Stage.LEARN:
        return gettext(
            "This plan is at the “%(stage)s” step of cycle %(number)s. Learning activities "
            "are added at the “Learn” step: move the plan there first."
        ) % {"stage": cycle.get_stage_display(), "number": cycle.number}
    return None


def _activity(component: str) -> tuple[str, str]:
    return component, str(ACTIVITY_DESCRIPTIONS[component])


def advice_in_cycle(cycle: PlanCycle, advice: rules.Advice) -> bool:
    """Whether every recommended modality is already among the cycle's activities."""
    existing = set(cycle.activities.values_list("modality", "description"))
    return all(_activity(component) in existing for component in advice.components)


@transaction.atomic
def plan_add_advice(
    *, plan: DevelopmentPlan, advice: rules.Advice, added_by: Any
) -> list[LearningActivity]:
    """Add one learning activity per recommended modality to the plan's open cycle,
    which must be at the "learn" step. A modality already added from the advisor is
    not added twice. Returns the activities created."""
    cycle = PlanCycle.objects.select_for_update().get(plan=plan, closed_on__isnull=True)
    blocker = learn_step_blocker(cycle)
    if blocker:
        raise Refused(blocker)
    existing = set(cycle.activities.values_list("modality", "description"))
    created = []
    for component in advice.components:
        modality, description = _activity(component)
        if (modality, description) not in existing:
            created.append(
                LearningActivity.objects.create(
                    cycle=cycle, modality=modality, description=description
                )
            )
    if created:
        AuditLog.objects.record(
            actor=added_by,
            action=AuditAction.CREATE,
            target=cycle,
            subject_person_id=plan.person_id,
            summary=f"Added {', '.join(a.modality for a in created)} from the advisor",
        )
    return created
