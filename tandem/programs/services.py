"""Workflows of the development cycle that write more than one model."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import Person
from tandem.programs import cycle as cycle_checks
from tandem.programs.models import (
    ActionItem,
    CheckIn,
    Cohort,
    DevelopmentPlan,
    Enrollment,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    Measurement,
    PlanCycle,
    PlanTemplate,
    Program,
    ProgramStatus,
    Stage,
)


class Refused(ValidationError):
    """A workflow step that cannot happen now; `messages` say why, for people."""


@transaction.atomic
def program_launch(*, program: Program, launched_by: Any) -> Program:
    """Launch a draft program. Refused until it has a success criterion."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    blockers = program.launch_blockers()
    if blockers:
        raise Refused(blockers)
    program.status = ProgramStatus.RUNNING
    program.launched_at = timezone.now()
    program.save(update_fields=["status", "launched_at"])
    AuditLog.objects.record(
        actor=launched_by, action=AuditAction.UPDATE, target=program, summary="Launched"
    )
    return program


@transaction.atomic
def enrollment_create(
    *, program: Program, person: Person, enrolled_by: Any, cohort: Cohort | None = None
) -> Enrollment:
    """Enroll a person and open their plan at step 1 (assess), from the template of
    their leader level when there is one."""
    if program.status == ProgramStatus.CLOSED:
        raise Refused(_("This program is closed."))
    if not person.is_active:
        raise Refused(_("%(name)s has left the organization.") % {"name": person})
    if Enrollment.objects.filter(program=program, person=person).exists():
        raise Refused(_("%(name)s is already enrolled.") % {"name": person})
    enrollment = Enrollment.objects.create(program=program, person=person, cohort=cohort)
    template = PlanTemplate.objects.filter(level=person.level).first()
    plan = DevelopmentPlan.objects.create(
        enrollment=enrollment,
        person=person,
        template=template,
        focus_areas=list(template.focus_areas) if template else [],
    )
    PlanCycle.objects.create(plan=plan, number=1, stage=Stage.ASSESS)
    AuditLog.objects.record(
        actor=enrolled_by,
        action=AuditAction.CREATE,
        target=enrollment,
        subject_person_id=person.pk,
        summary=f"Enrolled in {program}",
    )
    return enrollment


@transaction.atomic
def enrollment_set_status(*, enrollment: Enrollment, status: str, changed_by: Any) -> Enrollment:
    previous = enrollment.get_status_display()
    enrollment.status = status
    enrollment.status_changed_at = timezone.now()
    enrollment.save(update_fields=["status", "status_changed_at"])
    AuditLog.objects.record(
        actor=changed_by,
        action=AuditAction.UPDATE,
        target=enrollment,
        subject_person_id=enrollment.person_id,
        summary=f"Enrollment {previous} → {enrollment.get_status_display()}",
    )
    return enrollment


@transaction.atomic
def plan_advance(*, plan: DevelopmentPlan, advanced_by: Any) -> PlanCycle:
    """Move the open cycle to its next stage. The measure step is left by
    `cycle_close`, which records the outcome and opens the next cycle."""
    cycle = PlanCycle.objects.select_for_update().get(plan=plan, closed_on__isnull=True)
    following = Stage.after(cycle.stage)
    if following is None:
        raise Refused(_("Close the cycle with its outcome to finish the measure step."))
    blockers = cycle_checks.blockers_to_leave(cycle)
    if blockers:
        raise Refused(blockers)
    cycle.stage = following
    cycle.save(update_fields=["stage"])
    if plan.enrollment.status == EnrollmentStatus.INVITED:
        enrollment_set_status(
            enrollment=plan.enrollment, status=EnrollmentStatus.ACTIVE, changed_by=advanced_by
        )
    return cycle


@dataclass(frozen=True)
class Result:
    """One measured result recorded when a cycle closes."""

    label: str
    value: Decimal
    competency_id: int | None = None
    source: str = ""


@transaction.atomic
def cycle_close(
    *, plan: DevelopmentPlan, outcome: str, results: list[Result], closed_by: Any
) -> PlanCycle:
    """Close step 5 and open the next cycle "at a higher level": unfinished goals
    are carried forward (the old ones marked as such), and the latest value of each
    measurement — a result of this cycle, else its baseline — is the new baseline.
    Returns the new cycle."""
    cycle = PlanCycle.objects.select_for_update().get(plan=plan, closed_on__isnull=True)
    if cycle.stage != Stage.MEASURE:
        raise Refused(_("A cycle closes from its measure step."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what came of this cycle.")})
    today = timezone.localdate()
    for result in results:
        Measurement.objects.create(
            cycle=cycle,
            kind=Measurement.Kind.RESULT,
            label=result.label,
            value=result.value,
            competency_id=result.competency_id,
            source=result.source,
            measured_on=today,
        )
    cycle.outcome = outcome.strip()
    cycle.closed_on = today
    cycle.save(update_fields=["outcome", "closed_on"])

    following = PlanCycle.objects.create(
        plan=plan, number=cycle.number + 1, stage=Stage.ASSESS, started_on=today
    )
    for goal in cycle.goals.unfinished().order_by("pk"):
        Goal.objects.create(
            cycle=following,
            title=goal.title,
            measure=goal.measure,
            objective=goal.objective,
            competency=goal.competency,
            due_date=max(goal.due_date, today),
            status=goal.status,
            progress=goal.progress,
            carried_from=goal,
        )
        goal.status = GoalStatus.CARRIED_FORWARD
        goal.save(update_fields=["status"])
    latest: dict[str, Measurement] = {}
    for measurement in cycle.measurements.order_by("kind", "measured_on", "pk"):
        # "baseline" sorts before "result", so a result overrides its baseline.
        latest[measurement.label] = measurement
    Measurement.objects.bulk_create(
        Measurement(
            cycle=following,
            kind=Measurement.Kind.BASELINE,
            label=m.label,
            value=m.value,
            competency_id=m.competency_id,
            source=m.source,
            measured_on=m.measured_on,
        )
        for m in latest.values()
    )
    AuditLog.objects.record(
        actor=closed_by,
        action=AuditAction.UPDATE,
        target=cycle,
        subject_person_id=plan.person_id,
        summary=f"Closed cycle {cycle.number}",
    )
    return following


@dataclass(frozen=True)
class NextStep:
    title: str
    owner: Person
    due_date: date


@transaction.atomic
def checkin_record(
    *,
    plan: DevelopmentPlan,
    held_on: date,
    attendees: list[Person],
    progress: str,
    blockers: str,
    next_steps: list[NextStep],
    recorded_by: Any,
) -> CheckIn:
    """Record an accountability check-in. Every check-in ends in at least one next
    step with an owner and a due date; without one nothing is written."""
    if not next_steps:
        raise ValidationError(
            {"next_steps": _("Agree at least one next step, with an owner and a due date.")}
        )
    checkin = CheckIn.objects.create(
        plan=plan,
        cycle=plan.current_cycle(),
        held_on=held_on,
        progress=progress,
        blockers=blockers,
        recorded_by=recorded_by,
    )
    checkin.attendees.set(attendees)
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan, checkin=checkin, title=step.title, owner=step.owner, due_date=step.due_date
        )
        for step in next_steps
    )
    return checkin
