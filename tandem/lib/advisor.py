"""The modality advisor: training, mentoring or coaching?

A deterministic, explainable recommendation from seven answers about one development
need. Every rule comes from the seed articles ("Training, Mentoring or Coaching? How
do leaders choose?" and "Coaching and mentoring for leadership development"):

- Training is one-to-many: it transfers skills and knowledge at scale, cost-effectively.
  Its forgetting curve is steep when it is treated as an event; practice and feedback
  afterwards flatten it. It is generalized, so it is weak at personal behaviour change.
  Lower levels tend to be sent to training, a good foundational first step.
- Mentoring is one-on-one with a senior, more experienced leader or trusted expert:
  career navigation, organizational know-how, exposure and sponsorship. The mentor
  does most of the talking and the heavy lifting.
- Coaching is a thinking partnership for self-awareness and behaviour change: the
  leader does the talking and the work, during and after sessions. It is the most
  customized and the longest-lasting; it needs willingness and trust. Coaches rarely
  give advice, so coaching does not teach a skill.
- The higher the leader, the more customized they want their learning, and the less
  time they have for it. A 1-day course is much less likely to cause lasting change
  than a 6-month coaching engagement.

How it decides, in two steps anyone can follow:

1. Scoring. Each answer adds points to training, mentoring and coaching (the table
   `RULES` below). Each rule that carries points is a reason, named after its input.
2. Shaping. The highest score is the core modality (ties go to the one closest to the
   need). A few rules, each also naming its input, then shape the blend: training is
   followed by reinforcement unless practice already follows, and by coaching when it
   must be customized or change behaviour and the budget allows; mentoring takes a
   coach alongside for self-awareness or high customization; coaching is preceded by
   training when the need is a skill (coaches do not teach).

Budget bands are amounts per person in the organization's own currency, so the same
thresholds are used whatever the currency is called. The defaults (`BudgetBands`)
fit currencies near the euro or US dollar: under 1,000 pays for a course seat, 1,000
to 4,999 for a course plus a few coaching sessions, 5,000 or more for a six-month
coaching engagement. For other currencies, pass bands scaled to them.

Texts are English templates with named parameters, marked for translation; callers
translate the template (`message`) and fill in `params`. This module imports nothing
from the project.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Literal, get_args

Level = Literal["individual_contributor", "emerging", "mid", "senior"]
Need = Literal["skill_or_knowledge", "career_navigation", "self_awareness"]
Customization = Literal["low", "medium", "high"]
TimeAvailable = Literal["little", "some", "plenty"]

LEVELS: tuple[str, ...] = get_args(Level)
NEEDS: tuple[str, ...] = get_args(Need)
CUSTOMIZATIONS: tuple[str, ...] = get_args(Customization)
TIMES: tuple[str, ...] = get_args(TimeAvailable)

TRAINING = "training"
MENTORING = "mentoring"
COACHING = "coaching"
REINFORCEMENT = "reinforcement"
MODALITIES = (TRAINING, MENTORING, COACHING)

# People sharing the need: from this many, training's one-to-many reach pays off.
GROUP_FROM = 3
SCALE_FROM = 8


def gettext_noop(message: str) -> str:
    """Marks a string for translation (makemessages finds it by this name)."""
    return message


@dataclass(frozen=True)
class BudgetBands:
    """Budget per person, in the organization's currency. Below `course_only_below`
    only a course seat is affordable; from `engagement_from` a full coaching engagement."""

    course_only_below: float = 1000
    engagement_from: float = 5000

    def __post_init__(self) -> None:
        if not 0 < self.course_only_below < self.engagement_from:
            raise ValueError("Budget bands must satisfy 0 < course_only_below < engagement_from.")

    def band(self, amount: float) -> Literal["low", "medium", "high"]:
        if amount < self.course_only_below:
            return "low"
        return "medium" if amount < self.engagement_from else "high"


DEFAULT_BANDS = BudgetBands()


@dataclass(frozen=True)
class Situation:
    """The answers to the advisor's questions about one development need."""

    level: Level
    need: Need
    customization: Customization
    time_available: TimeAvailable
    budget_per_person: float
    people_sharing_need: int
    practice_and_feedback: bool

    def __post_init__(self) -> None:
        problems = []
        for name, allowed in (
            ("level", LEVELS),
            ("need", NEEDS),
            ("customization", CUSTOMIZATIONS),
            ("time_available", TIMES),
        ):
            if getattr(self, name) not in allowed:
                problems.append(f"{name} must be one of {', '.join(allowed)}")
        budget = self.budget_per_person
        if isinstance(budget, bool) or not isinstance(budget, int | float):
            problems.append("budget_per_person must be a number")
        elif not math.isfinite(budget) or budget < 0:
            problems.append("budget_per_person must be a finite number, 0 or more")
        people = self.people_sharing_need
        if isinstance(people, bool) or not isinstance(people, int) or people < 1:
            problems.append("people_sharing_need must be a whole number, 1 or more")
        if not isinstance(self.practice_and_feedback, bool):
            problems.append("practice_and_feedback must be true or false")
        if problems:
            raise ValueError("; ".join(problems))


INPUTS: tuple[str, ...] = tuple(f.name for f in fields(Situation))


@dataclass(frozen=True)
class Reason:
    """Why the advisor leans one way, traced to the input that caused it."""

    input: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message % self.params if self.params else self.message


@dataclass(frozen=True)
class Caution:
    """Something to watch for with the recommended modalities."""

    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message % self.params if self.params else self.message


@dataclass(frozen=True)
class Advice:
    recommendation: str  # a key of RECOMMENDATIONS
    components: tuple[str, ...]  # in the order they happen, e.g. training, reinforcement
    reasons: tuple[Reason, ...]  # what led to it, the weightiest first
    weighed_against: tuple[Reason, ...]  # what pulled the other way, and lost
    watch: tuple[Caution, ...]
    scores: Mapping[str, int]  # points for training, mentoring and coaching

    @property
    def label(self) -> str:
        return RECOMMENDATIONS[self.recommendation][1]


# key -> (components, label)
RECOMMENDATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "training": ((TRAINING,), gettext_noop("Training")),
    "training_reinforcement": (
        (TRAINING, REINFORCEMENT),
        gettext_noop("Training followed by reinforcement"),
    ),
    "training_reinforcement_coaching": (
        (TRAINING, REINFORCEMENT, COACHING),
        gettext_noop("Training followed by reinforcement and coaching"),
    ),
    "training_reinforcement_mentoring": (
        (TRAINING, REINFORCEMENT, MENTORING),
        gettext_noop("Training followed by reinforcement and mentoring"),
    ),
    "mentoring": ((MENTORING,), gettext_noop("Mentoring")),
    "mentoring_coaching": ((MENTORING, COACHING), gettext_noop("Mentoring with coaching")),
    "coaching": ((COACHING,), gettext_noop("Coaching")),
}

# Ties between scores go to the modality closest to the need.
PREFERENCE: dict[str, tuple[str, ...]] = {
    "skill_or_knowledge": (TRAINING, MENTORING, COACHING),
    "career_navigation": (MENTORING, COACHING, TRAINING),
    "self_awareness": (COACHING, MENTORING, TRAINING),
}


# --- step 1: the scoring table ---------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """When `applies` holds for the answers, add `points` and give `message` as a reason."""

    input: str
    applies: Callable[[Situation, BudgetBands], bool]
    points: Mapping[str, int]
    message: str


def _params(situation: Situation) -> dict[str, str]:
    people = situation.people_sharing_need
    return {
        "people": f"{people:,}",
        "budget": f"{situation.budget_per_person:,.0f}",
    }


RULES: tuple[Rule, ...] = (
    # The need: what each modality is for.
    Rule(
        "need",
        lambda s, b: s.need == "skill_or_knowledge",
        {TRAINING: 3},
        gettext_noop(
            "A skill or knowledge to learn: teaching specific skills and knowledge is what "
            "training is for, with an instructor who is the subject-matter expert."
        ),
    ),
    Rule(
        "need",
        lambda s, b: s.need == "career_navigation",
        {MENTORING: 3},
        gettext_noop(
            "Career navigation and organizational know-how come from a senior leader who "
            "has walked the path: a mentor shares experience, opens doors and may sponsor."
        ),
    ),
    Rule(
        "need",
        lambda s, b: s.need == "self_awareness",
        {COACHING: 3},
        gettext_noop(
            "Self-awareness and behaviour change are what coaching is for: a thinking "
            "partner whose questions help the leader see their own patterns and choose."
        ),
    ),
    # How many share it: training is one-to-many, mentoring and coaching one-on-one.
    Rule(
        "people_sharing_need",
        lambda s, b: s.people_sharing_need >= SCALE_FROM,
        {TRAINING: 3},
        gettext_noop(
            "%(people)s people share this need: training transfers it at scale "
            "(one-to-many), the cost-effective way to reach them all."
        ),
    ),
    Rule(
        "people_sharing_need",
        lambda s, b: GROUP_FROM <= s.people_sharing_need < SCALE_FROM,
        {TRAINING: 1},
        gettext_noop("%(people)s people share this need: a small group can learn it together."),
    ),
    Rule(
        "people_sharing_need",
        lambda s, b: s.people_sharing_need == 1,
        {MENTORING: 1, COACHING: 1},
        gettext_noop(
            "One person has this need: one-on-one attention (mentoring or coaching) fits "
            "better than a course."
        ),
    ),
    Rule(
        "people_sharing_need",
        lambda s, b: s.people_sharing_need == 2,
        {MENTORING: 1, COACHING: 1},
        gettext_noop(
            "Only two people have this need: one-on-one attention (mentoring or coaching) "
            "fits better than a course."
        ),
    ),
    # Customization: training is generalized; coaching is the most customized.
    Rule(
        "customization",
        lambda s, b: s.customization == "low",
        {TRAINING: 1},
        gettext_noop("A standard curriculum will do: training's generalized content fits."),
    ),
    Rule(
        "customization",
        lambda s, b: s.customization == "medium",
        {MENTORING: 1, COACHING: 1},
        gettext_noop(
            "It must be partly tailored: one-on-one conversations customize what a course cannot."
        ),
    ),
    Rule(
        "customization",
        lambda s, b: s.customization == "high",
        {COACHING: 2, MENTORING: 1, TRAINING: -1},
        gettext_noop(
            "It must be highly customized: training's generalized nature cannot personalize "
            "behaviour change; coaching is the most customized, mentoring next."
        ),
    ),
    # Level: lower levels tend to be sent to training; higher ones want customization.
    Rule(
        "level",
        lambda s, b: s.level in ("individual_contributor", "emerging"),
        {TRAINING: 1},
        gettext_noop(
            "At this level training is the usual, accessible start: a good foundational "
            "first step for skill growth."
        ),
    ),
    Rule(
        "level",
        lambda s, b: s.level == "senior",
        {COACHING: 1, MENTORING: 1, TRAINING: -1},
        gettext_noop(
            "The higher the leader, the more customized they want their learning to be, "
            "and the less time they have for a course."
        ),
    ),
    # Time: the mentor does the heavy lifting; in coaching the leader does the work.
    Rule(
        "time_available",
        lambda s, b: s.time_available == "little",
        {MENTORING: 1, COACHING: -1},
        gettext_noop(
            "Little time: in mentoring the mentor does most of the talking and the heavy "
            "lifting, while coaching asks the leader to do most of the work, during and "
            "after sessions."
        ),
    ),
    Rule(
        "time_available",
        lambda s, b: s.time_available == "plenty",
        {COACHING: 1},
        gettext_noop(
            "Time for a six-month engagement with goals front and centre: far more likely "
            "to cause lasting change than a 1-day course."
        ),
    ),
    # Budget: training is cost-effective at scale; coaching costs the most per person.
    Rule(
        "budget_per_person",
        lambda s, b: b.band(s.budget_per_person) == "low",
        {TRAINING: 1, COACHING: -2},
        gettext_noop(
            "%(budget)s per person pays for a course seat (training is cost-effective), "
            "not for a coaching engagement."
        ),
    ),
    Rule(
        "budget_per_person",
        lambda s, b: b.band(s.budget_per_person) == "high",
        {COACHING: 1},
        gettext_noop(
            "%(budget)s per person pays for a coaching engagement, the most customized and "
            "longest-lasting option."
        ),
    ),
    # Practice and feedback: what decides whether training lasts.
    Rule(
        "practice_and_feedback",
        lambda s, b: s.practice_and_feedback,
        {TRAINING: 1},
        gettext_noop(
            "Practice and feedback will follow: using the skill at once flattens the "
            "forgetting curve, so training sticks."
        ),
    ),
    Rule(
        "practice_and_feedback",
        lambda s, b: not s.practice_and_feedback,
        {TRAINING: -1},
        gettext_noop(
            "No practice or feedback will follow: training treated as an event fades as "
            "the daily routine swallows the change."
        ),
    ),
)


# --- step 2: shaping the blend ---------------------------------------------------------

_ADD_REINFORCEMENT_NO_PRACTICE = gettext_noop(
    "Add reinforcement after the course (short practice bursts with feedback over the "
    "following weeks), or most of it is lost to the forgetting curve."
)
_ADD_REINFORCEMENT_BEHAVIOUR = gettext_noop(
    "Behaviour change needs more than a course: follow it with reinforcement (practice, "
    "feedback and reflection back at work)."
)
_ADD_COACHING_TO_TRAINING = gettext_noop(
    "Training is generalized: coaching afterwards personalizes what will change each "
    "person's behaviour."
)
_COACHING_AFFORDABLE = gettext_noop(
    "%(budget)s per person covers coaching sessions on top of the course or mentoring."
)
_ADD_MENTORING_TO_TRAINING = gettext_noop(
    "Organizational know-how also travels through people: mentors after the course help "
    "each person navigate it."
)
_ADD_COACHING_TO_MENTORING_NEED = gettext_noop(
    "Self-awareness is coaching's ground: a coach alongside the mentor helps the leader "
    "find their own answers, not only follow the mentor's."
)
_ADD_COACHING_TO_MENTORING_CUSTOM = gettext_noop(
    "Highly customized: a coach alongside the mentor works on the leader's own goals, "
    "while the mentor brings strategic perspective and organizational insight."
)
_ADD_MENTORING_TO_COACHING = gettext_noop(
    "Career navigation needs a mentor too: the coach builds self-awareness, the mentor "
    "brings career and organizational knowledge."
)
_TRAINING_BEFORE_COACHING = gettext_noop(
    "Coaches rarely give advice, so coaching does not teach a skill: learn it in training "
    "first, then coach its use."
)


def _core(scores: Mapping[str, int], need: str) -> str:
    order = PREFERENCE[need]
    return max(order, key=lambda m: (scores[m], -order.index(m)))


def _shape(situation: Situation, bands: BudgetBands, core: str) -> tuple[str, list[Reason]]:
    """The blend around the core modality, and the reasons for each addition."""
    s = situation
    params = _params(s)
    budget_band = bands.band(s.budget_per_person)
    can_add_coaching = budget_band != "low"
    if core == TRAINING:
        if s.need == "career_navigation":
            return "training_reinforcement_mentoring", [Reason("need", _ADD_MENTORING_TO_TRAINING)]
        if can_add_coaching and (s.customization != "low" or s.need == "self_awareness"):
            blame = "need" if s.need == "self_awareness" else "customization"
            return "training_reinforcement_coaching", [
                Reason(blame, _ADD_COACHING_TO_TRAINING),
                Reason("budget_per_person", _COACHING_AFFORDABLE, params),
            ]
        if s.need == "self_awareness":
            return "training_reinforcement", [Reason("need", _ADD_REINFORCEMENT_BEHAVIOUR)]
        if not s.practice_and_feedback:
            return "training_reinforcement", [
                Reason("practice_and_feedback", _ADD_REINFORCEMENT_NO_PRACTICE)
            ]
        return "training", []
    if core == MENTORING:
        if can_add_coaching and s.need == "self_awareness":
            return "mentoring_coaching", [
                Reason("need", _ADD_COACHING_TO_MENTORING_NEED),
                Reason("budget_per_person", _COACHING_AFFORDABLE, params),
            ]
        if can_add_coaching and s.customization == "high":
            return "mentoring_coaching", [
                Reason("customization", _ADD_COACHING_TO_MENTORING_CUSTOM),
                Reason("budget_per_person", _COACHING_AFFORDABLE, params),
            ]
        return "mentoring", []
    if s.need == "skill_or_knowledge":
        return "training_reinforcement_coaching", [Reason("need", _TRAINING_BEFORE_COACHING)]
    if s.need == "career_navigation":
        return "mentoring_coaching", [Reason("need", _ADD_MENTORING_TO_COACHING)]
    return "coaching", []


# --- what to watch ---------------------------------------------------------------------

MAX_CAUTIONS = 4


def _watch(
    situation: Situation, bands: BudgetBands, components: tuple[str, ...]
) -> tuple[Caution, ...]:
    s = situation
    cautions: list[Caution] = []
    if TRAINING in components:
        if REINFORCEMENT in components:
            cautions.append(
                Caution(
                    gettext_noop(
                        "Plan the reinforcement before the course ends: training treated "
                        "as an event is mostly forgotten within weeks (the forgetting curve)."
                    )
                )
            )
        else:
            cautions.append(
                Caution(
                    gettext_noop(
                        "Make sure the practice and feedback really happen: without them "
                        "the forgetting curve is steep and the change disappears."
                    )
                )
            )
        if COACHING not in components and (s.need == "self_awareness" or s.customization == "high"):
            cautions.append(
                Caution(
                    gettext_noop(
                        "Training is generalized: on its own it rarely changes one "
                        "person's behaviour. A 1-day course is much less likely to cause "
                        "lasting change than a six-month coaching engagement."
                    )
                )
            )
        if s.level == "senior":
            cautions.append(
                Caution(
                    gettext_noop(
                        "Senior leaders expect learning tailored to them: check the course "
                        "fits their context, or they will not give it their time."
                    )
                )
            )
    if MENTORING in components:
        cautions.append(
            Caution(
                gettext_noop(
                    "Mentoring depends on chemistry and follow-through: match mentor and "
                    "mentee with care, and have the mentee say exactly what they want from it."
                )
            )
        )
        if s.people_sharing_need >= GROUP_FROM:
            cautions.append(
                Caution(
                    gettext_noop(
                        "%(people)s people need a mentor each: check that enough senior "
                        "leaders have time to mentor."
                    ),
                    _params(s),
                )
            )
        if COACHING not in components and s.need == "self_awareness":
            cautions.append(
                Caution(
                    gettext_noop(
                        "A mentor shares their own experience and advice; it seldom "
                        "builds the self-awareness that coaching does."
                    )
                )
            )
    if COACHING in components:
        cautions.append(
            Caution(
                gettext_noop(
                    "Coaching needs the leader's willingness to explore their beliefs and "
                    "full trust in the coach: choose a coach bound by a professional code "
                    "of ethics."
                )
            )
        )
        if bands.band(s.budget_per_person) == "low":
            cautions.append(
                Caution(
                    gettext_noop(
                        "%(budget)s per person pays for few sessions with an external "
                        "coach: look for a certified internal coach."
                    ),
                    _params(s),
                )
            )
        if s.time_available == "little":
            cautions.append(
                Caution(
                    gettext_noop(
                        "In coaching most of the work is the leader's, between sessions: "
                        "protect time for it."
                    )
                )
            )
    return tuple(cautions[:MAX_CAUTIONS])


# --- the advisor -----------------------------------------------------------------------


def advise(situation: Situation, bands: BudgetBands = DEFAULT_BANDS) -> Advice:
    """The recommendation for `situation`, with its reasons and what to watch."""
    scores = dict.fromkeys(MODALITIES, 0)
    fired: list[tuple[Rule, Reason]] = []
    params = _params(situation)
    for rule in RULES:
        if rule.applies(situation, bands):
            for modality, points in rule.points.items():
                scores[modality] += points
            used = params if "%(" in rule.message else {}
            fired.append((rule, Reason(rule.input, rule.message, used)))
    core = _core(scores, situation.need)
    recommendation, shaping = _shape(situation, bands, core)
    components = RECOMMENDATIONS[recommendation][0]

    def support(rule: Rule) -> int:
        return sum(rule.points.get(m, 0) for m in components)

    # sorted() is stable: equal weights keep the table's order.
    reasons = [r for rule, r in sorted(fired, key=lambda p: -support(p[0])) if support(rule) > 0]
    against = [r for rule, r in sorted(fired, key=lambda p: support(p[0])) if support(rule) <= 0]
    return Advice(
        recommendation=recommendation,
        components=components,
        reasons=(*reasons, *shaping),
        weighed_against=tuple(against),
        watch=_watch(situation, bands, components),
        scores=scores,
    )
