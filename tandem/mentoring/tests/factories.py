"""Factories and workflow shortcuts for the mentoring tests (both halves use them)."""

from typing import Any

from tandem.mentoring import matching, questionnaire
from tandem.mentoring.models import Mentee, Mentor
from tandem.people.models import Person
from tandem.programs.models import Competency, Program
from tandem.tests.factories import PersonFactory, enroll, make_user_for, running_program

# Valid answers to the built-in questionnaire; the mentor names their own function.
MENTEE_ANSWERS: dict[str, Any] = {
    "develop": ["Coaching others"],
    "seniority": 1,
    "function": [],
    "languages": ["en"],
    "time_zone": "Europe/Lisbon",
    "availability": ["Lunchtime"],
    "meeting_mode": ["Video call"],
    "location": "Lisbon",
    "about": "",
}
MENTOR_ANSWERS: dict[str, Any] = {**MENTEE_ANSWERS, "function": "Operations"}
del MENTOR_ANSWERS["seniority"]


def mentoring_program(**kwargs: Any) -> Program:
    """A running mentoring program with its settings and the built-in questionnaire."""
    kwargs.setdefault("name", "Mentoring Circle")
    # Seeded by a migration, but a browser test's database is emptied after each test.
    Competency.objects.get_or_create(name="Coaching others")
    program = running_program(kind="mentoring", **kwargs)
    matching.settings_of(program)
    return program


def person(level: str = "senior", *, login: bool = True, **kwargs: Any) -> Person:
    found = PersonFactory(level=level, **kwargs)
    if login:
        make_user_for(found)
    return found


def make_mentor(
    program: Program, who: Person | None = None, *, capacity: int | None = None, **answers: Any
) -> Mentor:
    """`who` (a new senior person by default) in the pool, with answers."""
    mentor = questionnaire.mentor_add(
        program=program, person=who or person("senior"), capacity=capacity
    )
    questionnaire.answers_save(answerer=mentor, raw={**MENTOR_ANSWERS, **answers})
    return mentor


def make_mentee(
    program: Program,
    who: Person | None = None,
    *,
    goals: tuple[str, ...] = ("Lead my first team",),
    help_wanted: tuple[str, ...] = ("career",),
    intent: bool = True,
    **answers: Any,
) -> Mentee:
    """`who` (a new emerging leader by default) enrolled, with answers and, unless
    intent=False, their stated intent."""
    who = who or person("emerging")
    enroll(program, who)
    mentee = matching.mentee_of(program, who)
    assert mentee is not None
    questionnaire.answers_save(answerer=mentee, raw={**MENTEE_ANSWERS, **answers})
    if intent:
        questionnaire.intent_state(mentee=mentee, goals=list(goals), help_wanted=list(help_wanted))
    return mentee
