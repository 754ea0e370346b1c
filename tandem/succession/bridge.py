"""The bridge from the pipeline to development: a gap (a candidate for a risk role, or
a high potential) without a development plan becomes a proposal to enroll them in a
running program for their level, with the modality advisor's suggestion; accepting it
enrolls them (`programs.services.enrollment_create`).

The advisor is asked the succession question: preparing someone for a bigger role is
career navigation and organizational know-how, built around the person
(customization high), with some time, practice following (the role's stretch
assignments), the budget per person of the program proposed, and as many people
sharing the need as there are gaps.

Gaps say who is a high potential: program admins only (succession.access)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.lib import advisor as rules
from tandem.people.models import Level, Person
from tandem.programs import services as program_services
from tandem.programs.advisor import advice_as_dict
from tandem.programs.models import Enrollment, Program
from tandem.succession import pipeline
from tandem.succession.models import CriticalRole, Successor
from tandem.succession.slates import current_plan

RISK_ROLE = "risk_role"
HIGH_POTENTIAL = "high_potential"


@dataclass
class Gap:
    person: Person
    reason: str  # RISK_ROLE or HIGH_POTENTIAL
    role: CriticalRole | None = None


@dataclass
class Proposal:
    person: Person
    programs: list[Program]
    advice: dict[str, Any] | None
    reasons: list[str] = field(default_factory=list)

    @property
    def program(self) -> Program | None:
        """The program proposed first."""
        return self.programs[0] if self.programs else None


def gaps() -> list[Gap]:
    """People to develop: the candidates on risk roles' slates and the high potentials,
    each without a current development plan (once each; a risk role first)."""
    planned = set(Enrollment.objects.current().values_list("person_id", flat=True))
    found: dict[int, Gap] = {}
    risk_ids = pipeline.risk_role_ids()
    entries = (
        Successor.objects.filter(role_id__in=risk_ids, person__in=Person.objects.active())
        .select_related("person", "role")
        .order_by("role__title", "rank")
    )
    for entry in entries:
        if entry.person_id not in planned and entry.person_id not in found:
            found[entry.person_id] = Gap(entry.person, RISK_ROLE, entry.role)
    for person in (
        pipeline.high_potential_people().exclude(pk__in=planned).order_by("last_name", "first_name")
    ):
        found.setdefault(person.pk, Gap(person, HIGH_POTENTIAL))
    return list(found.values())


def programs_for(person: Person) -> list[Program]:
    """Running programs aimed at the person's level that they are not enrolled in."""
    enrolled = set(Enrollment.objects.filter(person=person).values_list("program_id", flat=True))
    return [
        program
        for program in Program.objects.running().order_by("start_date", "pk")
        if person.level in (program.target_levels or []) and program.pk not in enrolled
    ]


def _budget_per_person(program: Program | None) -> float:
    if program is None or not program.budget:
        return float(rules.DEFAULT_BANDS.course_only_below)
    return float(program.budget) / (program.enrollments.count() + 1)


def situation_for(person: Person, program: Program | None, sharing: int) -> rules.Situation:
    level = person.level if person.level in rules.LEVELS else Level.EMERGING.value
    return rules.Situation(
        level=level,  # type: ignore[arg-type]
        need="career_navigation",
        customization="high",
        time_available="some",
        budget_per_person=_budget_per_person(program),
        people_sharing_need=max(1, sharing),
        practice_and_feedback=True,
    )


def proposal_for(person: Person, *, sharing: int = 1) -> Proposal:
    programs = programs_for(person)
    advice = rules.advise(situation_for(person, programs[0] if programs else None, sharing))
    shown = advice_as_dict(advice)
    return Proposal(person, programs, shown, [reason["text"] for reason in shown["reasons"]])


def bridge_enroll(*, person: Person, program: Program, enrolled_by: Any) -> Enrollment:
    """Accept a proposal: enroll the person in one of the programs proposed to them."""
    if current_plan(person) is not None:
        raise ValidationError(
            {"person": _("%(name)s already has a development plan.") % {"name": person}}
        )
    if program not in programs_for(person):
        raise ValidationError(
            {"program": _("Choose a running program for %(name)s's level.") % {"name": person}}
        )
    return program_services.enrollment_create(
        program=program, person=person, enrolled_by=enrolled_by
    )
