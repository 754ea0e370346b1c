"""How well a coach fits a coachee: a score and the reasons for it, so each suggestion
can say why it is suggested. Pure: it works on plain values, not on models.

What counts, and how much (one point is a little more than a free place is worth):
- each of the coach's specialties that is a blind spot or agreed development area of
  the coachee's latest 360: 3; each that one of the coachee's plan goals names: 2;
- experience with the coachee's leader level: 2;
- speaking the coachee's language: 2; not speaking it: -4 (a coach who cannot work
  in the language is only suggested when nobody else is left);
- time zones at most 2 hours apart: 1.5; at most 5 hours: 0.75;
- free places: up to 1 (all places free);
- certification: 0.25 per ICF level (ACC 1, PCC 2, MCC 3).
A coach with no free place is never suggested.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

BLIND_SPOT = "blind_spot"
GOAL = "goal"
LEVEL = "level"
LANGUAGE = "language"
NO_LANGUAGE = "no_language"
TIME_ZONE = "time_zone"
FAR_TIME_ZONE = "far_time_zone"
PLACES = "places"
CERTIFICATION = "certification"

WEIGHTS = {
    BLIND_SPOT: 3.0,
    GOAL: 2.0,
    LEVEL: 2.0,
    LANGUAGE: 2.0,
    NO_LANGUAGE: -4.0,
    TIME_ZONE: 1.5,
    "near_time_zone": 0.75,
    CERTIFICATION: 0.25,
}
CLOSE_HOURS = 2.0
NEAR_HOURS = 5.0


@dataclass(frozen=True)
class CoachProfile:
    id: int
    specialties: frozenset[int]  # competency ids
    levels: frozenset[str]
    languages: frozenset[str]
    utc_offset_hours: float
    capacity: int
    coachees: int
    certification_rank: int = 0  # 0 none or other, 1 ACC, 2 PCC, 3 MCC

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.coachees)


@dataclass(frozen=True)
class Needs:
    """What the coachee brings: competency ids from their 360 and their plan's goals."""

    level: str
    language: str
    utc_offset_hours: float
    blind_spots: frozenset[int] = frozenset()
    goal_competencies: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    code: str
    points: float
    competencies: tuple[int, ...] = ()
    hours: float = 0.0
    free: int = 0
    capacity: int = 0


@dataclass(frozen=True)
class Fit:
    coach_id: int
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def hours_apart(a: float, b: float) -> float:
    """Hours between two UTC offsets, the short way round the clock."""
    difference = abs(a - b) % 24
    return min(difference, 24 - difference)


def fit(coach: CoachProfile, needs: Needs) -> Fit:
    reasons: list[Reason] = []
    blind = tuple(sorted(coach.specialties & needs.blind_spots))
    if blind:
        reasons.append(Reason(BLIND_SPOT, WEIGHTS[BLIND_SPOT] * len(blind), competencies=blind))
    goals = tuple(sorted((coach.specialties & needs.goal_competencies) - set(blind)))
    if goals:
        reasons.append(Reason(GOAL, WEIGHTS[GOAL] * len(goals), competencies=goals))
    if needs.level in coach.levels:
        reasons.append(Reason(LEVEL, WEIGHTS[LEVEL]))
    if needs.language in coach.languages:
        reasons.append(Reason(LANGUAGE, WEIGHTS[LANGUAGE]))
    else:
        reasons.append(Reason(NO_LANGUAGE, WEIGHTS[NO_LANGUAGE]))
    hours = hours_apart(coach.utc_offset_hours, needs.utc_offset_hours)
    if hours <= CLOSE_HOURS:
        reasons.append(Reason(TIME_ZONE, WEIGHTS[TIME_ZONE], hours=hours))
    elif hours <= NEAR_HOURS:
        reasons.append(Reason(TIME_ZONE, WEIGHTS["near_time_zone"], hours=hours))
    else:
        reasons.append(Reason(FAR_TIME_ZONE, 0.0, hours=hours))
    free = coach.free_places
    reasons.append(
        Reason(
            PLACES,
            free / coach.capacity if coach.capacity else 0.0,
            free=free,
            capacity=coach.capacity,
        )
    )
    if coach.certification_rank:
        reasons.append(Reason(CERTIFICATION, WEIGHTS[CERTIFICATION] * coach.certification_rank))
    score = round(sum(reason.points for reason in reasons), 4)
    # The strongest reasons first: that is what the suggestion leads with.
    ordered = tuple(sorted(reasons, key=lambda reason: -reason.points))
    return Fit(coach.id, score, ordered)


def rank(coaches: Iterable[CoachProfile], needs: Needs, *, limit: int = 3) -> list[Fit]:
    """The `limit` best-fitting coaches with a free place, best first; ties go to the
    coach with more free places, then the lower id (so the order is stable)."""
    fits = [
        (fit(coach, needs), coach.free_places, coach.id)
        for coach in coaches
        if coach.free_places > 0
    ]
    fits.sort(key=lambda entry: (-entry[0].score, -entry[1], entry[2]))
    return [entry[0] for entry in fits[:limit]]
