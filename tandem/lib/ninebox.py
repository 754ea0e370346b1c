"""The 9-box: performance (columns, low to high) against potential (rows, low to high).

Boxes are numbered 1-9 from the bottom-left (low performance, low potential) to the
top-right (high, high): box = 3 x potential + performance + 1, with low = 0,
moderate = 1, high = 2. Each box has a default label and colour; organizations may
rename and recolour them (succession.BoxLabel).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RATINGS = ("low", "moderate", "high")


@dataclass(frozen=True)
class BoxStyle:
    label: str
    colour: str
    description: str


DEFAULT_STYLES: dict[int, BoxStyle] = {
    1: BoxStyle("Talent risk", "#c53030", "Low performance and low potential: act now."),
    2: BoxStyle("Effective", "#dd6b20", "Does the job; unlikely to grow beyond it soon."),
    3: BoxStyle("Trusted professional", "#38a169", "Strong in the role, best kept in it."),
    4: BoxStyle("Inconsistent", "#dd6b20", "Some potential, not yet showing in results."),
    5: BoxStyle("Core player", "#d69e2e", "Solid on both: the organization's backbone."),
    6: BoxStyle("High performer", "#38a169", "Excellent results; room to grow."),
    7: BoxStyle("Rough diamond", "#d69e2e", "High potential, results not there yet."),
    8: BoxStyle("Growth talent", "#2f855a", "High potential, good results: stretch them."),
    9: BoxStyle("Future leader", "#276749", "High on both: ready for more, soon."),
}


def rank(rating: str) -> int:
    if rating not in RATINGS:
        raise ValueError(f"{rating!r} is not one of {', '.join(RATINGS)}")
    return RATINGS.index(rating)


def box(performance: str, potential: str) -> int:
    return 3 * rank(potential) + rank(performance) + 1


def ratings_of(number: int) -> tuple[str, str]:
    """(performance, potential) of a box."""
    if not 1 <= number <= 9:
        raise ValueError("boxes are numbered 1 to 9")
    potential, performance = divmod(number - 1, 3)
    return RATINGS[performance], RATINGS[potential]


def rows() -> list[list[int]]:
    """The boxes as drawn: top row (high potential) first, low performance left."""
    return [
        [3 * potential + performance + 1 for performance in range(3)] for potential in (2, 1, 0)
    ]


def counts(boxes: Iterable[int]) -> dict[int, int]:
    tally = Counter(boxes)
    return {number: tally.get(number, 0) for number in range(1, 10)}


def direction(before: int, after: int) -> str:
    """ "up" when neither rating fell and one rose, "down" when neither rose and one
    fell, "same" when both stayed, "across" otherwise (one rose, the other fell)."""
    (perf_a, pot_a), (perf_b, pot_b) = ratings_of(before), ratings_of(after)
    changes = (rank(perf_b) - rank(perf_a), rank(pot_b) - rank(pot_a))
    if changes == (0, 0):
        return "same"
    if min(changes) >= 0:
        return "up"
    if max(changes) <= 0:
        return "down"
    return "across"


def movement(before: Mapping[int, int], after: Mapping[int, int]) -> dict[str, int]:
    """How people placed in both reviews moved: {"up", "down", "same", "across"}
    counts, keyed by person in both mappings."""
    moves = Counter(direction(before[key], after[key]) for key in before.keys() & after.keys())
    return {name: moves.get(name, 0) for name in ("up", "same", "across", "down")}
