"""Demo data for the matching half of mentoring, registered in matching_hooks.register()
(after the programs' and coaching's loaders).

- A running mentoring program, "Emerging Leaders Mentoring Circle", with its settings
  and the built-in questionnaire.
- About 25 mentors (mid-level and senior leaders) and 60 mentees (individual
  contributors and emerging leaders), with answers that follow where they work (time
  zone, location) and what their level needs, and varied intents; a few mentees have
  not stated their intent yet, so the match lists them as waiting.
- A published match: the demo "participant" is locked with the demo "mentor" (both
  demo logins), everyone else matched optimally around them. The relationships half's
  `demo_relationships.populate` then gives the relationships their history.
"""

import datetime
import time
from typing import Any

from tandem.accounts.models import User
from tandem.lib import matching as engine
from tandem.mentoring import matching, questionnaire
from tandem.mentoring.models import MatchRun, Mentor
from tandem.people.demo import DemoContext
from tandem.people.models import Level, Person
from tandem.programs.models import (
    Competency,
    Enrollment,
    Metric,
    PlanCycle,
    Program,
    ProgramKind,
    ProgramStatus,
    SuccessCriterion,
)
from tandem.programs.services import enrollment_create

PROGRAM_NAME = "Emerging Leaders Mentoring Circle"
MENTORS, MENTEES = 25, 60

ZONES = {
    "London": "Europe/London",
    "Berlin": "Europe/Berlin",
    "Paris": "Europe/Paris",
    "Lisbon": "Europe/Lisbon",
    "New York": "America/New_York",
    "Toronto": "America/Toronto",
    "Austin": "America/Chicago",
    "São Paulo": "America/Sao_Paulo",
    "Singapore": "Asia/Singapore",
    "Sydney": "Australia/Sydney",
    "Bangalore": "Asia/Kolkata",
}
LANGUAGES = {
    "Berlin": ["en", "de"],
    "Paris": ["en", "fr"],
    "Lisbon": ["en", "pt"],
    "São Paulo": ["pt", "en", "es"],
    "Toronto": ["en", "fr"],
}
GOALS = [
    "Prepare for my first people-leader role",
    "Understand how strategy decisions are made here",
    "Build a network outside my department",
    "Get better at influencing senior stakeholders",
    "Decide between a specialist and a management path",
    "Lead my first cross-functional project",
    "Learn to read the business numbers",
    "Grow my confidence presenting to leadership",
    "Give feedback that lands",
    "Get visibility for my team's work",
]
ABOUT_MENTOR = [
    "I moved from engineering into general management and love talking about that step.",
    "Happy to open doors across the business; ask me about the budget cycle.",
    "Twenty years in operations, three countries. I listen more than I talk.",
    "I came up through sales; I can help with stakeholders and negotiation.",
]
ABOUT_MENTEE = [
    "Two years into my first team-lead role and keen to learn from others' mistakes.",
    "I want honest feedback, even when it is uncomfortable.",
    "",
    "Preparing for a move into a bigger role next year.",
]


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)


def _function(person: Person) -> str:
    department = person.org_unit.path.split("/")[0] if person.org_unit else ""
    for name in questionnaire.FUNCTIONS:
        if name.split()[0].lower() in department.lower():
            return name
    return "Operations"


def _common(rng: Any, person: Person, competencies: list[str], options: dict[str, Any]) -> dict:
    return {
        "develop": rng.sample(competencies, k=rng.randint(1, 3)),
        "languages": LANGUAGES.get(person.location, ["en"]),
        "time_zone": ZONES.get(person.location, "Europe/London"),
        "availability": rng.sample(options["availability"], k=rng.randint(2, 3)),
        "meeting_mode": rng.sample(["In person", "Video call", "Phone"], k=rng.randint(1, 2)),
        "location": person.location,
    }


def load_mentoring(context: DemoContext) -> str:
    """Write the demo mentoring program and its published match; a line for the report."""
    rng = context.rng
    logins = {login.username for login in context.logins}
    cast = {
        person.user.username: person
        for person in Person.objects.filter(user__username__in=logins).select_related("user")
        if person.user is not None
    }
    admin = (
        User.objects.filter(username="admin").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if admin is None:
        return "Mentoring: no admin user, nothing written."
    start = context.as_of - datetime.timedelta(days=150)
    program = Program.objects.create(
        name=PROGRAM_NAME,
        description=(
            "Six months with a senior leader from another part of the business: career "
            "navigation, how the organization works, and the people to know."
        ),
        kind=ProgramKind.MENTORING,
        target_levels=[Level.INDIVIDUAL_CONTRIBUTOR, Level.EMERGING],
        start_date=start,
        end_date=start + datetime.timedelta(days=300),
        owner=admin,
        status=ProgramStatus.RUNNING,
        launched_at=_at(start),
    )
    SuccessCriterion.objects.create(
        program=program,
        metric=Metric.INTERNAL_PROMOTION_RATE,
        baseline=8,
        target=14,
        unit="%",
        measure_by=program.end_date,
    )
    mentoring = matching.settings_of(program)
    mentoring.default_capacity = 3
    mentoring.unit_preference = "different"
    mentoring.unit_weight = 3
    mentoring.save()
    competencies = list(Competency.objects.values_list("name", flat=True))
    built_in = {q["key"]: q for q in questionnaire.default_questions()}
    options = {"availability": list(built_in["availability"]["options"])}

    participant, demo_mentor = cast.get("participant"), cast.get("mentor")
    active = Person.objects.active(context.as_of).select_related("org_unit").order_by("employee_id")
    taken = {p.pk for p in (participant, demo_mentor) if p is not None}
    seniors = [p for p in active.filter(level__in=[Level.MID, Level.SENIOR]) if p.pk not in taken]
    juniors = [
        p
        for p in active.filter(level__in=[Level.INDIVIDUAL_CONTRIBUTOR, Level.EMERGING])
        if p.pk not in taken and p.pk not in {c.pk for c in cast.values()}
    ]
    mentor_people = ([demo_mentor] if demo_mentor else []) + rng.sample(
        seniors, k=min(MENTORS - 1, len(seniors))
    )
    mentee_people = ([participant] if participant else []) + rng.sample(
        juniors, k=min(MENTEES - 1, len(juniors))
    )
    for person in mentor_people:
        mentor = Mentor.objects.create(
            program=program, person=person, capacity=rng.choice([None, None, 2, 4])
        )
        answers = _common(rng, person, competencies, options)
        answers["function"] = _function(person)
        answers["about"] = rng.choice(ABOUT_MENTOR)
        questionnaire.answers_save(answerer=mentor, raw=answers)
    waiting = 0
    for index, person in enumerate(mentee_people):
        enrollment = enrollment_create(program=program, person=person, enrolled_by=admin)
        # Dated by the demo's clock, not today's, so the same seed gives the same data.
        Enrollment.objects.filter(pk=enrollment.pk).update(
            enrolled_at=_at(start), status_changed_at=_at(start)
        )
        PlanCycle.objects.filter(plan__enrollment=enrollment).update(started_on=start)
        mentee = matching.mentee_of(program, person)
        assert mentee is not None
        answers = _common(rng, person, competencies, options)
        answers["seniority"] = 1 if person.level == Level.EMERGING else rng.choice([1, 2])
        answers["function"] = rng.sample(questionnaire.FUNCTIONS, k=rng.randint(0, 2))
        answers["about"] = rng.choice(ABOUT_MENTEE)
        questionnaire.answers_save(answerer=mentee, raw=answers)
        if index > 0 and index % 15 == 0:
            waiting += 1  # has answered, has not said what they want yet
            continue
        questionnaire.intent_state(
            mentee=mentee,
            goals=rng.sample(GOALS, k=rng.randint(1, 3)),
            help_wanted=rng.sample(["career", "organization", "exposure", "skill"], k=2),
        )
    relationships = _publish(program, admin, participant, demo_mentor)
    line = (
        f"Mentoring: {len(mentor_people)} mentors, {len(mentee_people)} mentees "
        f"({waiting} yet to state their intent), {len(relationships)} matched and published"
    )
    try:
        from tandem.mentoring import demo_relationships
    except ImportError:
        return line + "."
    return f"{line}; {demo_relationships.populate(context, relationships)}."


def _publish(
    program: Program, admin: Any, participant: Person | None, demo_mentor: Person | None
) -> list[Any]:
    """Match with the demo participant locked to the demo mentor, and publish."""
    started = time.perf_counter()
    pool = matching.pool_build(program=program)
    locked = []
    mentee_at = {m.person_id: i for i, m in enumerate(pool.mentees)}
    mentor_at = {m.person_id: j for j, m in enumerate(pool.mentors)}
    if participant and demo_mentor and participant.pk in mentee_at and demo_mentor.pk in mentor_at:
        locked.append((mentee_at[participant.pk], mentor_at[demo_mentor.pk]))
    result = engine.solve(pool.problem, objective=engine.Objective.OPTIMAL, locked=locked)
    solved = matching.Solved(pool, result, round(time.perf_counter() - started, 3), locked)
    run = MatchRun.objects.create(program=program, started_by=admin, objective="optimal")
    matching.draft_store(run=run, solved=solved)
    return matching.run_publish(run=run, published_by=admin)


def delete_mentoring() -> None:
    """Before the organization is reset: the demo mentoring program and everything in it."""
    Program.objects.filter(name=PROGRAM_NAME, kind=ProgramKind.MENTORING).delete()
