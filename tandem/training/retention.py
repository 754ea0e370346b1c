"""Retention you can see: for a learner and for a cohort, the estimated chance of
recall (FSRS retrievability) by day since the session, against the unreinforced curve;
burst completion, practice logged and knowledge-check gains.

A learner's curve is their Review history replayed through FSRS from the session (the
first Good review), so it shows each burst lifting recall. A learner with no cards
(a course run without reinforcement) follows the unreinforced curve: that is the
model's own prediction for a session never revisited.

Cohort figures are means over learners with a 95% interval, and only from
`SLICE_MINIMUM` (5) learners: a smaller cohort shows "not enough data", so nobody's
figures can be read off an aggregate. Callers check who may see what
(`reinforcement_access`).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone

from tandem.lib import reinforcement as fsrs_rules
from tandem.lib import stats
from tandem.lib.anonymity import SLICE_MINIMUM
from tandem.lib.reinforcement import Grade, Memory
from tandem.people.models import Person
from tandem.training.models import (
    Card,
    CheckAnswer,
    CheckPhase,
    Course,
    CourseSession,
    LearningObjective,
    PracticeLog,
    Review,
    Seat,
)

DAY = timedelta(days=1)
MAX_DAYS = 365


def daily_retrievability(
    memories: Sequence[Memory], start: datetime, days: int, desired_retention: float
) -> list[float]:
    """Chance of recall on each of `days` days from `start`, each day from the memory
    in effect then (the last one reviewed by that moment)."""
    if days <= 0:
        return []
    moments = [start + day * DAY for day in range(days)]
    reviewed = [m.last_review for m in memories]
    stability = np.empty(days)
    elapsed = np.empty(days)
    index = 0
    for day, moment in enumerate(moments):
        while index + 1 < len(memories) and (reviewed[index + 1] or moment) <= moment:
            index += 1
        memory = memories[index]
        last = memory.last_review or start
        stability[day] = memory.stability or 1.0
        elapsed[day] = (moment - last).total_seconds() / 86400
    values = fsrs_rules.retrievability_many(stability, elapsed, desired_retention)
    return [float(v) for v in values]


def _days_since(start: datetime, now: datetime, course: Course) -> int:
    span = (now - start).days + 1
    return max(1, min(span, course.reinforce_weeks * 7 + 1, MAX_DAYS))


@dataclass(frozen=True)
class ObjectiveCurve:
    objective: LearningObjective
    retention: list[float]  # by day since the session
    reviews: int


@dataclass(frozen=True)
class CheckGain:
    objective_id: int
    before: float | None
    after: float | None

    @property
    def gain(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class LearnerRetention:
    """One learner's retention after one session."""

    seat: Seat
    days: int
    objectives: list[ObjectiveCurve]
    unreinforced: list[float]
    bursts_done: int
    bursts_due: int
    practice_logged: int
    practice_confirmed: int
    gains: list[CheckGain] = field(default_factory=list)

    @property
    def mean_curve(self) -> list[float]:
        """The mean over objectives, by day (the unreinforced curve without cards)."""
        if not self.objectives:
            return self.unreinforced
        rows = np.array([o.retention for o in self.objectives])
        return [float(v) for v in rows.mean(axis=0)]

    @property
    def current(self) -> float:
        return self.mean_curve[-1]

    @property
    def completion(self) -> float | None:
        return self.bursts_done / self.bursts_due if self.bursts_due else None


def _seat_data(seats: Sequence[Seat], now: datetime) -> list[LearnerRetention]:
    """Retention of each seat (attended, with its session and course loaded): three
    queries for the cards and reviews, practice logs and checks of them all."""
    seat_ids = [seat.pk for seat in seats]
    cards: dict[int, list[Card]] = defaultdict(list)
    for card in Card.objects.filter(seat_id__in=seat_ids).select_related("objective"):
        cards[card.seat_id].append(card)
    history: dict[int, list[tuple[datetime, Grade]]] = defaultdict(list)
    for card_id, at, rating in (
        Review.objects.filter(card__seat_id__in=seat_ids, reviewed_at__lte=now)
        .order_by("card_id", "reviewed_at", "pk")
        .values_list("card_id", "reviewed_at", "rating")
    ):
        history[card_id].append((at, Grade(rating)))
    logs: dict[int, list[bool]] = defaultdict(list)
    for seat_id, confirmed in PracticeLog.objects.filter(seat_id__in=seat_ids).values_list(
        "seat_id", "confirmed_at"
    ):
        logs[seat_id].append(confirmed is not None)
    checks: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    for seat_id, phase, objective_id, right in CheckAnswer.objects.filter(
        attempt__seat_id__in=seat_ids
    ).values_list("attempt__seat_id", "attempt__phase", "question__objective_id", "right"):
        checks[(seat_id, phase, objective_id)].append(int(right))

    def score(seat_id: int, phase: str, objective_id: int) -> float | None:
        answers = checks.get((seat_id, phase, objective_id))
        return sum(answers) / len(answers) if answers else None

    unreinforced_cache: dict[tuple[int, float], list[float]] = {}
    result = []
    for seat in seats:
        session = seat.session
        course = session.course
        retention = float(course.desired_retention)
        start = session.ends_at
        days = _days_since(start, now, course)
        key = (days, retention)
        if key not in unreinforced_cache:
            unreinforced_cache[key] = fsrs_rules.unreinforced_curve(days, retention)
        curves = []
        done = due = 0
        for card in sorted(cards[seat.pk], key=lambda c: (c.objective.order, c.objective_id)):
            reviews = history[card.pk]
            memories = fsrs_rules.replay(start, reviews, retention)
            curves.append(
                ObjectiveCurve(
                    card.objective,
                    daily_retrievability(memories, start, days, retention),
                    len(reviews),
                )
            )
            done += len(reviews)
            due += len(reviews) + int(not card.retired and card.due <= now)
        objective_ids = sorted({objective for (s, _p, objective) in checks if s == seat.pk})
        gains = [
            CheckGain(o, score(seat.pk, CheckPhase.BEFORE, o), score(seat.pk, CheckPhase.AFTER, o))
            for o in objective_ids
        ]
        result.append(
            LearnerRetention(
                seat=seat,
                days=days,
                objectives=curves,
                unreinforced=unreinforced_cache[key],
                bursts_done=done,
                bursts_due=due,
                practice_logged=len(logs[seat.pk]),
                practice_confirmed=sum(logs[seat.pk]),
                gains=gains,
            )
        )
    return result


def learner_retention(person: Person, now: datetime | None = None) -> list[LearnerRetention]:
    """The person's retention after each session they attended, newest first."""
    now = now or timezone.now()
    seats = list(
        Seat.objects.attended()
        .filter(person=person, session__starts_at__lte=now)
        .select_related("session__course", "person")
        .order_by("-session__starts_at")
    )
    return _seat_data(seats, now)


# Cohorts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortRetention:
    """A cohort's retention by day since the session: the mean over learners with a
    95% interval (not enough data under 5 learners), beside the unreinforced curve."""

    n: int
    days: int
    by_day: list[stats.Estimate]
    unreinforced: list[float]
    bursts_done: int
    bursts_due: int
    practice_logged: int
    learners_practising: int
    check_gain: stats.Estimate
    today: stats.Estimate  # each learner's recall today, whatever the day of their session

    @property
    def enough(self) -> bool:
        return self.n >= SLICE_MINIMUM

    @property
    def completion(self) -> float | None:
        if not self.enough or not self.bursts_due:
            return None
        return self.bursts_done / self.bursts_due

    @property
    def current(self) -> stats.Estimate:
        return self.today

    @property
    def current_text(self) -> str:
        """E.g. "78% (95% CI 71%-85%, n=12)" or "not enough data (n=3)"."""
        return self.current.format(0, percent=True)

    @property
    def check_gain_text(self) -> str:
        return self.check_gain.format(0, percent=True, signed=True)


def _estimate(values: list[float]) -> stats.Estimate:
    if len(values) < SLICE_MINIMUM:
        return stats.Estimate.insufficient(len(values))
    return stats.mean_ci(values, minimum=SLICE_MINIMUM)


def cohort_of(learners: Sequence[LearnerRetention], course: Course) -> CohortRetention:
    """Pool learners by day since their own session."""
    n = len(learners)
    days = max((learner.days for learner in learners), default=1)
    retention = float(course.desired_retention)
    if n < SLICE_MINIMUM:
        by_day = [stats.Estimate.insufficient(n) for _day in range(days)]
    else:
        curves = [learner.mean_curve for learner in learners]
        by_day = [_estimate([c[day] for c in curves if day < len(c)]) for day in range(days)]
    gains = [
        float(np.mean(g))
        for learner in learners
        if (g := [x.gain for x in learner.gains if x.gain is not None])
    ]
    enough = n >= SLICE_MINIMUM

    def total(values: Iterable[int]) -> int:
        return sum(values) if enough else 0

    return CohortRetention(
        n=n,
        days=days,
        by_day=by_day,
        unreinforced=fsrs_rules.unreinforced_curve(days, retention),
        bursts_done=total(learner.bursts_done for learner in learners),
        bursts_due=total(learner.bursts_due for learner in learners),
        practice_logged=total(learner.practice_logged for learner in learners),
        learners_practising=total(int(learner.practice_logged > 0) for learner in learners),
        check_gain=_estimate(gains) if enough else stats.Estimate.insufficient(len(gains)),
        today=_estimate([learner.current for learner in learners]),
    )


def _cohort_seats(**filters: object) -> list[Seat]:
    return list(
        Seat.objects.attended()
        .filter(**filters)
        .select_related("session__course", "person")
        .order_by("session__starts_at", "pk")
    )


def session_retention(session: CourseSession, now: datetime | None = None) -> CohortRetention:
    """A session's attended learners as a cohort."""
    now = now or timezone.now()
    return cohort_of(_seat_data(_cohort_seats(session=session), now), session.course)


@dataclass(frozen=True)
class CourseRetention:
    course: Course
    overall: CohortRetention
    sessions: list[tuple[CourseSession, CohortRetention]]


def course_retention(course: Course, now: datetime | None = None) -> CourseRetention:
    """Every attended learner of the course pooled, and each session's cohort."""
    now = now or timezone.now()
    learners = _seat_data(_cohort_seats(session__course=course, session__starts_at__lte=now), now)
    by_session: dict[int, list[LearnerRetention]] = defaultdict(list)
    for learner in learners:
        by_session[learner.seat.session_id].append(learner)
    sessions = [(group[0].seat.session, cohort_of(group, course)) for group in by_session.values()]
    return CourseRetention(course, cohort_of(learners, course), sessions)
