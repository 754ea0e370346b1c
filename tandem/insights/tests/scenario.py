"""A small organization whose program has a known effect, for the impact tests.

Two departments; 24 mid-level managers, each with a team of 6; 12 of the managers
(6 per department) take the program, which starts on 2025-06-02. Two pulses, before
(March 2025) and after (December 2025), answered by every team member:

- every team scores index 60 and eNPS answers giving +0 before;
- after, participants' teams score 70 and comparison teams 62: the effect on the
  engagement index is exactly (70 - 60) - (62 - 60) = 8 points.

Within a team the six answers spread evenly around the team's index (index ± 5 for
two of them) so intervals are finite. The pulses are closed through the pulse service
(so the safe cells are real).
"""

import datetime
from dataclasses import dataclass

from tandem.insights import pulses
from tandem.insights.models import Pulse, PulseResponse, PulseStatus
from tandem.people.models import Level, OrgUnit, Person
from tandem.programs.models import Enrollment, EnrollmentStatus, Program
from tandem.tests.factories import OrgUnitFactory, PersonFactory, ProgramFactory

START = datetime.date(2025, 6, 2)
ON = datetime.date(2026, 3, 1)
TEAM = 6


@dataclass
class Scenario:
    program: Program
    participants: list[Person]
    others: list[Person]
    before: Pulse
    after: Pulse


def _answers(index: float, spread: tuple[float, ...]) -> list[tuple[float, int]]:
    # eNPS answers: two promoters, two passives, two detractors (eNPS 0) per team.
    enps = (10, 9, 8, 7, 3, 2)
    return [(index + offset, score) for offset, score in zip(spread, enps, strict=True)]


def _pulse(name: str, opens: datetime.date, teams: dict[Person, float]) -> Pulse:
    pulse = Pulse.objects.create(
        name=name,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=14),
        status=PulseStatus.OPEN,
        invited=len(teams) * TEAM,
    )
    rows = []
    for lead, index in teams.items():
        for value, score in _answers(index, (-5, 5, 0, 0, -2, 2)):
            rows.append(
                PulseResponse(
                    pulse=pulse,
                    team_lead=lead,
                    org_unit_id=lead.org_unit_id,
                    level=Level.INDIVIDUAL_CONTRIBUTOR,
                    answers={},
                    index=value,
                    enps=score,
                )
            )
    PulseResponse.objects.bulk_create(rows)
    pulses.pulse_close(pulse=pulse)
    pulse.refresh_from_db()
    return pulse


def build(*, effect: bool = True) -> Scenario:
    root = OrgUnitFactory(name="Org")
    departments = [OrgUnitFactory(name=name, parent=root) for name in ("Sales", "Ops")]
    program = ProgramFactory(start_date=START, end_date=datetime.date(2025, 12, 1))
    participants: list[Person] = []
    others: list[Person] = []
    for department in departments:
        for number in range(12):
            manager = PersonFactory(
                level=Level.MID,
                org_unit=department,
                hire_date=datetime.date(2018, 1, 1) + datetime.timedelta(days=30 * number),
            )
            for _ in range(TEAM):
                PersonFactory(org_unit=department, manager=manager)
            (participants if number % 2 == 0 else others).append(manager)
    for person in participants:
        Enrollment.objects.create(program=program, person=person, status=EnrollmentStatus.ACTIVE)
    leads = participants + others
    before = _pulse("Pulse March 2025", datetime.date(2025, 3, 3), dict.fromkeys(leads, 60.0))
    after_scores = {lead: (70.0 if effect else 62.0) for lead in participants}
    after_scores |= dict.fromkeys(others, 62.0)
    after = _pulse("Pulse December 2025", datetime.date(2025, 12, 1), after_scores)
    assert OrgUnit.objects.count() == 3
    return Scenario(program, participants, others, before, after)
