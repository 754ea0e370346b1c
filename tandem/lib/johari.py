"""The Johari view of a 360: where a leader's self-view and others' view part ways.

For each competency or behaviour, the self score is compared with the mean of the
others' ratings (the "all others" figure, after the anonymity rules). With
gap = self - others, on a scale from `low` to `high` (range = high - low):

    blind spot            gap >= much          self rates much higher than others do
    hidden strength       gap <= -much         self rates much lower than others do
    agreed strength       |gap| < much and others >= strength_cut
    agreed development    |gap| < much and others < development_cut
    consistent            |gap| < much and development_cut <= others < strength_cut
    not enough data       the self score or the others' mean is missing (None)

Defaults: much = range / 3 (the 360 issue's "a gap of at least a third of the scale
range"), strength_cut = midpoint + range / 4 (4 on a 1-5 scale), development_cut =
midpoint (3 on a 1-5 scale); each can be set per instrument. Every pair of scores falls
in exactly one class.

Means computed in floating point land a hair off the value worked out on paper (11/3
is 3.6666666666666665), so each comparison allows `TOLERANCE` times the range: a gap
that is a third of the range on paper is "much" here too, and a mean on a cut counts as
at the cut.
"""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar, get_args

K = TypeVar("K", bound=Hashable)

Quadrant = Literal[
    "blind_spot",
    "hidden_strength",
    "agreed_strength",
    "agreed_development",
    "consistent",
    "not_enough_data",
]
QUADRANTS: tuple[Quadrant, ...] = get_args(Quadrant)

BLIND_SPOT: Quadrant = "blind_spot"
HIDDEN_STRENGTH: Quadrant = "hidden_strength"
AGREED_STRENGTH: Quadrant = "agreed_strength"
AGREED_DEVELOPMENT: Quadrant = "agreed_development"
CONSISTENT: Quadrant = "consistent"
NOT_ENOUGH_DATA: Quadrant = "not_enough_data"

TOLERANCE = 1e-9


def gettext_noop(message: str) -> str:
    """Marks a string for translation (makemessages finds it by this name)."""
    return message


LABELS: dict[Quadrant, str] = {
    BLIND_SPOT: gettext_noop("Blind spot: you rate yourself much higher than others do"),
    HIDDEN_STRENGTH: gettext_noop("Hidden strength: others rate you much higher than you do"),
    AGREED_STRENGTH: gettext_noop("Agreed strength"),
    AGREED_DEVELOPMENT: gettext_noop("Agreed development area"),
    CONSISTENT: gettext_noop("Consistent: neither a strength nor a development area"),
    NOT_ENOUGH_DATA: gettext_noop("Not enough data"),
}


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return float(value)


@dataclass(frozen=True, init=False)
class JohariRules:
    """The scale and the cuts that place a behaviour in the Johari view."""

    low: float
    high: float
    much: float
    strength_cut: float
    development_cut: float

    def __init__(
        self,
        low: float,
        high: float,
        *,
        much: float | None = None,
        strength_cut: float | None = None,
        development_cut: float | None = None,
    ) -> None:
        low = _number(low, "the scale's low end")
        high = _number(high, "the scale's high end")
        if not low < high:
            raise ValueError(f"the scale must run from low to high, not {low} to {high}")
        span = high - low
        midpoint = low + span / 2
        much = span / 3 if much is None else _number(much, "much")
        strength_cut = (
            midpoint + span / 4
            if strength_cut is None
            else _number(strength_cut, "the strength cut")
        )
        development_cut = (
            midpoint if development_cut is None else _number(development_cut, "the development cut")
        )
        problems = []
        if not 0 < much <= span:
            problems.append(f"much must be more than 0 and at most the scale range {span:g}")
        for name, cut in (("strength cut", strength_cut), ("development cut", development_cut)):
            if not low <= cut <= high:
                problems.append(f"the {name} {cut:g} is outside the scale {low:g}-{high:g}")
        if development_cut > strength_cut:
            problems.append(
                f"the development cut {development_cut:g} is above the strength cut "
                f"{strength_cut:g}: a behaviour could be both"
            )
        if problems:
            raise ValueError("; ".join(problems))
        for name, value in (
            ("low", low),
            ("high", high),
            ("much", much),
            ("strength_cut", strength_cut),
            ("development_cut", development_cut),
        ):
            object.__setattr__(self, name, value)

    @property
    def slack(self) -> float:
        return TOLERANCE * (self.high - self.low)

    def score(self, value: float | None, name: str) -> float | None:
        """`value` checked to be on the scale (None stays None)."""
        if value is None:
            return None
        number = _number(value, name)
        if not self.low - self.slack <= number <= self.high + self.slack:
            raise ValueError(f"{name} {number:g} is outside the scale {self.low:g}-{self.high:g}")
        return number


ONE_TO_FIVE = JohariRules(1, 5)


def gap(self_score: float | None, others_mean: float | None) -> float | None:
    """Self minus others: positive when the leader rates themself higher. None when
    either is missing."""
    if self_score is None or others_mean is None:
        return None
    return _number(self_score, "the self score") - _number(others_mean, "the others' mean")


def classify(
    self_score: float | None, others_mean: float | None, rules: JohariRules = ONE_TO_FIVE
) -> Quadrant:
    """The Johari class of one behaviour (see the module docstring for the rules)."""
    mine = rules.score(self_score, "the self score")
    theirs = rules.score(others_mean, "the others' mean")
    if mine is None or theirs is None:
        return NOT_ENOUGH_DATA
    difference = mine - theirs
    slack = rules.slack
    if difference >= rules.much - slack:
        return BLIND_SPOT
    if difference <= -rules.much + slack:
        return HIDDEN_STRENGTH
    if theirs >= rules.strength_cut - slack:
        return AGREED_STRENGTH
    if theirs < rules.development_cut - slack:
        return AGREED_DEVELOPMENT
    return CONSISTENT


def johari_view(
    scores: Mapping[K, tuple[float | None, float | None]], rules: JohariRules = ONE_TO_FIVE
) -> dict[Quadrant, list[K]]:
    """Behaviours by Johari class, each list in the order of `scores`.

    `scores` maps each behaviour (or competency) to (self score, others' mean); every
    class is a key, with an empty list when nothing falls in it.
    """
    view: dict[Quadrant, list[K]] = {quadrant: [] for quadrant in QUADRANTS}
    for behaviour, (mine, theirs) in scores.items():
        view[classify(mine, theirs, rules)].append(behaviour)
    return view


def _ranked(means: Mapping[K, float | None], n: int, *, highest_first: bool) -> list[K]:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number, 0 or more, not {n!r}")
    rated = [
        (key, _number(mean, f"the mean for {key!r}"))
        for key, mean in means.items()
        if mean is not None
    ]
    # sorted() is stable: behaviours with equal means keep the order of `means`.
    rated.sort(key=lambda pair: -pair[1] if highest_first else pair[1])
    return [key for key, _ in rated[:n]]


def top_behaviours(means: Mapping[K, float | None], n: int = 5) -> list[K]:
    """The `n` behaviours others rate highest, highest first; equal means keep the order
    of `means` (the instrument's order). Behaviours without a mean (None) are left out.
    With fewer than 2n behaviours, top and bottom can share some."""
    return _ranked(means, n, highest_first=True)


def bottom_behaviours(means: Mapping[K, float | None], n: int = 5) -> list[K]:
    """The `n` behaviours others rate lowest, lowest first; equal means keep the order
    of `means`. Behaviours without a mean (None) are left out."""
    return _ranked(means, n, highest_first=False)
