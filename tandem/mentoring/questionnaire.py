"""The matching questionnaire: what each kind of question asks, how an answer is checked
(the answer page and the API share `clean_answers`), how a question becomes one of the
engine's criteria, and the built-in questionnaire a new mentoring program starts from.

Answers are stored as JSON, one value per question key:

kind             mentee's answer                   mentor's answer          criterion
single_choice    one option                        one option               SAME
multiple_choice  options                           options                  COVERAGE
skills           competencies to develop           competencies offered     COVERAGE
function         functions wanted (none: any)      their own function       COVERAGE
location         a place                           a place                  SAME
time_zone        an IANA zone                      an IANA zone             CLOSENESS (6 h)
languages        language codes                    language codes           COVERAGE
availability     options                           options                  COVERAGE
seniority        levels above them (0-3)           (their level)            CLOSENESS (2 levels)
free_text        text, shown to the other side, never scored
"""

import zoneinfo
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.lib import matching as engine
from tandem.mentoring.models import (
    HelpKind,
    Mentee,
    Mentor,
    MentoringSettings,
    Question,
    QuestionKind,
    UnitPreference,
)
from tandem.people.models import Level, Person
from tandem.programs.models import Competency, Program

MENTEE, MENTOR = "mentee", "mentor"
TEXT_MAX = 1000
PLACE_MAX = 120
TIME_ZONE_SCALE = 6.0  # hours apart at which time zones count as not close at all
SENIORITY_SCALE = 2.0  # levels apart at which seniority counts as not close at all
MAX_SENIORITY_GAP = len(Level.values) - 1

LIST_KINDS = {"multiple_choice", "skills", "languages", "availability"}


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, str(name)) for code, name in global_settings.LANGUAGES), key=lambda p: p[1]
    )


def language_name(code: str) -> str:
    return str(dict(global_settings.LANGUAGES).get(code, code))


def utc_offset_hours(zone: str, at: datetime | None = None) -> float | None:
    """The zone's offset from UTC now (or at `at`), in hours; None for an unknown zone."""
    try:
        info = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offset = (at or timezone.now()).astimezone(info).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else None


def seniority_choices() -> list[tuple[int, str]]:
    return [
        (0, _("At my level")),
        (1, _("One level above me")),
        (2, _("Two levels above me")),
        (3, _("Three levels above me")),
    ]


def choices_for(question: Question, side: str) -> list[tuple[Any, str]] | None:
    """The answer's choices for `side`, or None where the answer is typed."""
    kind = question.kind
    if kind == QuestionKind.SKILLS:
        return [(name, name) for name in Competency.objects.values_list("name", flat=True)]
    if kind == QuestionKind.LANGUAGES:
        if question.options:
            return [(code, language_name(code)) for code in question.options]
        return language_choices()
    if kind == QuestionKind.TIME_ZONE:
        return [(name, name) for name in time_zone_names()]
    if kind == QuestionKind.SENIORITY:
        return seniority_choices()
    if kind == QuestionKind.LOCATION:
        return [(o, o) for o in question.options] if question.options else None
    if kind in ("single_choice", "multiple_choice", "function", "availability"):
        return [(o, o) for o in question.options]
    return None


def answers_many(question: Question, side: str) -> bool:
    """Whether `side` answers with a list (a function question: mentees list the
    functions they would like, a mentor names their own)."""
    if question.kind == QuestionKind.FUNCTION:
        return side == MENTEE
    return question.kind in LIST_KINDS


# Checking answers --------------------------------------------------------------------


def _clean_one(question: Question, side: str, value: Any, choices: Any) -> Any:
    """The stored form of one answer, or raise ValidationError with the message."""
    allowed = None if choices is None else {str(v) for v, _label in choices}
    if question.kind == QuestionKind.SENIORITY:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(_("Choose how many levels above you."))
        if not 0 <= value <= MAX_SENIORITY_GAP:
            raise ValidationError(
                _("Choose between 0 and %(most)d levels.") % {"most": MAX_SENIORITY_GAP}
            )
        return value
    if answers_many(question, side):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Choose from the list."))
        chosen = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        unknown = [v for v in chosen if allowed is not None and v not in allowed]
        if unknown:
            raise ValidationError(
                _("Not an option: %(values)s.") % {"values": ", ".join(unknown[:5])}
            )
        if len(chosen) > engine.MAX_OPTIONS:
            raise ValidationError(_("Choose at most %(most)d.") % {"most": engine.MAX_OPTIONS})
        return chosen
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."))
    value = value.strip()
    if "\x00" in value:
        raise ValidationError(_("Remove the NUL character."))
    limit = TEXT_MAX if question.kind == QuestionKind.FREE_TEXT else PLACE_MAX
    if len(value) > limit:
        raise ValidationError(_("At most %(most)d characters.") % {"most": limit})
    if value and allowed is not None and value not in allowed:
        raise ValidationError(_("Not an option: %(value)s.") % {"value": value[:60]})
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean_answers(questions: Sequence[Question], side: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The answers to store for `side` from `raw` ({question key: value}), or a
    ValidationError with one message per question key. Keys of no question are refused;
    a required question must be answered, except a mentee's list of wanted functions,
    where none means "any"."""
    asked = {q.key: q for q in questions if q.asks(side)}
    problems: dict[str, list[str]] = {}
    for key in raw:
        if key not in asked:
            problems[key] = [_("No such question.")]
    cleaned: dict[str, Any] = {}
    for key, question in asked.items():
        value = raw.get(key)
        if _empty(value):
            optional = not question.required or (
                question.kind == QuestionKind.FUNCTION and side == MENTEE
            )
            if not optional:
                problems[key] = [_("Answer this question.")]
            continue
        try:
            cleaned[key] = _clean_one(question, side, value, choices_for(question, side))
        except ValidationError as error:
            problems[key] = error.messages
    if problems:
        raise ValidationError(problems)
    return cleaned


def is_complete(questions: Sequence[Question], side: str, answers: dict[str, Any]) -> bool:
    try:
        clean_answers(
            questions, side, {k: v for k, v in answers.items() if k in {q.key for q in questions}}
        )
    except ValidationError:
        return False
    return True


# From answers to the engine's criteria ----------------------------------------------


def _list(value: Any) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset([value]) if value else None
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return None


def _text(value: Any) -> str | None:
    return value.strip().casefold() or None if isinstance(value, str) else None


def _criterion(
    question: Question,
    mentee_answers: Sequence[dict[str, Any]],
    mentor_answers: Sequence[dict[str, Any]],
    mentee_people: Sequence[Person],
    mentor_people: Sequence[Person],
) -> engine.Criterion | None:
    key, kind = question.key, question.kind
    mentees = [answers.get(key) for answers in mentee_answers]
    mentors = [answers.get(key) for answers in mentor_answers]

    def make(kind: engine.Kind, mentees: list[Any], mentors: list[Any], scale: float = 1.0) -> Any:
        return engine.Criterion(key, question.text, kind, question.weight, mentees, mentors, scale)

    if kind in ("single_choice", "location"):
        return make(engine.Kind.SAME, [_text(v) for v in mentees], [_text(v) for v in mentors])
    if kind in ("multiple_choice", "skills", "function", "languages", "availability"):
        return make(engine.Kind.COVERAGE, [_list(v) for v in mentees], [_list(v) for v in mentors])
    if kind == QuestionKind.TIME_ZONE:
        now = timezone.now()
        return make(
            engine.Kind.CLOSENESS,
            [utc_offset_hours(v, now) if isinstance(v, str) else None for v in mentees],
            [utc_offset_hours(v, now) if isinstance(v, str) else None for v in mentors],
            TIME_ZONE_SCALE,
        )
    if kind == QuestionKind.SENIORITY:
        return make(
            engine.Kind.CLOSENESS,
            [
                Level.rank(person.level) + gap if isinstance(gap, int) else None
                for person, gap in zip(mentee_people, mentees, strict=True)
            ],
            [Level.rank(person.level) for person in mentor_people],
            SENIORITY_SCALE,
        )
    return None  # free text: shown, not scored


UNIT_KEY = "unit"


def criteria(
    *,
    questions: Sequence[Question],
    mentoring: MentoringSettings,
    mentee_answers: Sequence[dict[str, Any]],
    mentor_answers: Sequence[dict[str, Any]],
    mentee_people: Sequence[Person],
    mentor_people: Sequence[Person],
) -> list[engine.Criterion]:
    """The engine's criteria, in questionnaire order, then the unit preference."""
    found = []
    for question in questions:
        criterion = _criterion(
            question, mentee_answers, mentor_answers, mentee_people, mentor_people
        )
        if criterion is not None:
            found.append(criterion)
    if mentoring.unit_preference != UnitPreference.NONE:
        same = mentoring.unit_preference == UnitPreference.SAME
        found.append(
            engine.Criterion(
                key=UNIT_KEY,
                label=_("Same unit") if same else _("Different unit"),
                kind=engine.Kind.SAME if same else engine.Kind.DIFFERENT,
                weight=mentoring.unit_weight,
                mentees=[p.org_unit_id for p in mentee_people],
                mentors=[p.org_unit_id for p in mentor_people],
            )
        )
    return found


def languages_question(questions: Sequence[Question]) -> Question | None:
    return next((q for q in questions if q.kind == QuestionKind.LANGUAGES), None)


# The built-in questionnaire ----------------------------------------------------------

FUNCTIONS = [
    "Operations",
    "Finance",
    "Sales",
    "Marketing",
    "Engineering",
    "Product",
    "People and HR",
    "Customer service",
    "Legal",
    "Strategy",
]


def default_questions() -> list[dict[str, Any]]:
    """Tandem's built-in matching questionnaire: what research on mentoring programs
    says matters (what to develop, seniority, practical fit), with practical fit
    weighted lower than what the mentee wants to grow in."""
    t = gettext_lazy
    return [
        {
            "key": "develop",
            "kind": "skills",
            "text": t("Which competencies do you most want to develop?"),
            "mentor_text": t("Which competencies can you help someone develop?"),
            "help": t("Pick up to three: your mentor is chosen for what they can offer here."),
            "weight": 10,
        },
        {
            "key": "seniority",
            "kind": "seniority",
            "audience": "mentees",
            "text": t("How senior should your mentor be?"),
            "help": t("One level up knows your next step best; two or more gives a wider view."),
            "weight": 6,
        },
        {
            "key": "function",
            "kind": "function",
            "text": t("Which functions would you like your mentor to come from?"),
            "mentor_text": t("Which function do you work in?"),
            "help": t("Leave empty if any function is fine."),
            "options": FUNCTIONS,
            "weight": 4,
            "required": False,
        },
        {
            "key": "languages",
            "kind": "languages",
            "text": t("In which languages can you hold a mentoring conversation?"),
            "weight": 5,
        },
        {
            "key": "time_zone",
            "kind": "time_zone",
            "text": t("Which time zone do you work in?"),
            "weight": 4,
        },
        {
            "key": "availability",
            "kind": "availability",
            "text": t("When can you usually meet?"),
            "options": [
                "Early morning",
                "Late morning",
                "Lunchtime",
                "Afternoon",
                "After work",
            ],
            "weight": 4,
        },
        {
            "key": "meeting_mode",
            "kind": "multiple_choice",
            "text": t("How can you meet?"),
            "options": ["In person", "Video call", "Phone"],
            "weight": 2,
        },
        {
            "key": "location",
            "kind": "location",
            "text": t("Where are you based?"),
            "help": t("Your city or office. Matters only for meeting in person."),
            "weight": 1,
            "required": False,
        },
        {
            "key": "about",
            "kind": "free_text",
            "text": t("What should your mentor know about you?"),
            "mentor_text": t("What would you like mentees to know about you?"),
            "help": t("Shown to the person you are matched with; never scored."),
            "weight": 0,
            "required": False,
        },
    ]


@transaction.atomic
def questionnaire_add_defaults(*, program: Program) -> list[Question]:
    """Add the built-in questions the program does not have yet (by key), after its own."""
    existing = Question.objects.filter(program=program)
    have = set(existing.values_list("key", flat=True))
    last = max(existing.values_list("order", flat=True), default=0)
    added = []
    for position, spec in enumerate(default_questions(), start=1):
        if spec["key"] in have:
            continue
        spec = {k: str(v) if k in ("text", "mentor_text", "help") else v for k, v in spec.items()}
        added.append(Question(program=program, order=last + position * 10, **spec))
    return Question.objects.bulk_create(added)


# Saving answers and intent ----------------------------------------------------------

GOAL_MAX = 200
MAX_GOALS = 5


def clean_intent(goals: Any, help_wanted: Any) -> tuple[list[str], list[str]]:
    """The mentee's goals (one to five short texts) and the kinds of help they want
    (at least one), or a ValidationError per field."""
    problems: dict[str, list[str]] = {}
    cleaned_goals: list[str] = []
    if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
        problems["goals"] = [_("Give your goals as a list of short texts.")]
    else:
        cleaned_goals = list(dict.fromkeys(g.strip() for g in goals if g.strip()))
        if not cleaned_goals:
            problems["goals"] = [_("Say at least one thing you want from mentoring.")]
        elif len(cleaned_goals) > MAX_GOALS:
            problems["goals"] = [_("At most %(most)d goals.") % {"most": MAX_GOALS}]
        elif any(len(g) > GOAL_MAX or "\x00" in g for g in cleaned_goals):
            problems["goals"] = [
                _("Keep each goal under %(most)d characters.") % {"most": GOAL_MAX}
            ]
    cleaned_help: list[str] = []
    if not isinstance(help_wanted, list) or not all(isinstance(h, str) for h in help_wanted):
        problems["help_wanted"] = [_("Choose from the list.")]
    else:
        cleaned_help = list(dict.fromkeys(help_wanted))
        if not cleaned_help:
            problems["help_wanted"] = [_("Choose at least one kind of help.")]
        elif any(h not in HelpKind.values for h in cleaned_help):
            problems["help_wanted"] = [_("Choose from the list.")]
    if problems:
        raise ValidationError(problems)
    return cleaned_goals, cleaned_help


@transaction.atomic
def intent_state(*, mentee: Mentee, goals: Any, help_wanted: Any) -> Mentee:
    """Record what the mentee wants; from now on they can be matched."""
    mentee.goals, mentee.help_wanted = clean_intent(goals, help_wanted)
    mentee.intent_stated_at = timezone.now()
    mentee.save(update_fields=["goals", "help_wanted", "intent_stated_at"])
    return mentee


def questions_of(program: Program) -> list[Question]:
    return list(Question.objects.filter(program=program).order_by("order", "pk"))


@transaction.atomic
def answers_save(*, answerer: Mentee | Mentor, raw: dict[str, Any]) -> Mentee | Mentor:
    """Check and store the answers of a mentee or a mentor (all questions at once)."""
    side = MENTOR if isinstance(answerer, Mentor) else MENTEE
    answerer.answers = clean_answers(questions_of(answerer.program), side, raw)
    answerer.answered_at = timezone.now()
    answerer.save(update_fields=["answers", "answered_at"])
    return answerer


@transaction.atomic
def mentor_add(*, program: Program, person: Person, capacity: int | None = None) -> Mentor:
    """Add `person` to the program's mentor pool (again active if they were in it)."""
    if program.kind != "mentoring":
        raise ValidationError({"person": _("Only a mentoring program has mentors.")})
    if not person.is_active:
        raise ValidationError(
            {"person": _("%(name)s has left the organization.") % {"name": person}}
        )
    mentor, created = Mentor.objects.get_or_create(
        program=program, person=person, defaults={"capacity": capacity}
    )
    if not created:
        mentor.active = True
        mentor.capacity = capacity
        mentor.save(update_fields=["active", "capacity"])
    return mentor
