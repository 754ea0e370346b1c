"""What must be true before a plan moves to its next stage.

Each check takes the open cycle and returns a reason it cannot move on, or None.
Higher apps add their own checks in their AppConfig.ready() (for example the
assessments app: "complete the self-assessment before setting goals")."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from tandem.programs.models import PlanCycle, Stage

StageCheck = Callable[[PlanCycle], str | None]

_CHECKS: dict[str, list[StageCheck]] = {stage: [] for stage in Stage.values}


def register(stage: str, check: StageCheck) -> None:
    """Add a check that must pass before a cycle can leave `stage`."""
    if check not in _CHECKS[stage]:
        _CHECKS[stage].append(check)


def blockers_to_leave(cycle: PlanCycle) -> list[str]:
    return [reason for check in _CHECKS[cycle.stage] if (reason := check(cycle))]


def _has_goals(cycle: PlanCycle) -> str | None:
    if not cycle.goals.exists():
        return _("Set at least one goal, aligned to an organizational objective.")
    return None


def _has_learning(cycle: PlanCycle) -> str | None:
    if not cycle.activities.exists():
        return _("Choose at least one way to learn: training, mentoring or coaching.")
    return None


def _has_checkin(cycle: PlanCycle) -> str | None:
    if not cycle.checkins.exists():
        return _("Hold at least one accountability check-in while applying.")
    return None


register(Stage.SET_GOALS, _has_goals)
register(Stage.LEARN, _has_learning)
register(Stage.APPLY, _has_checkin)
