"""Kirkpatrick levels 1 and 2 for a session or a course: how the learners reacted (the
reaction survey's means) and what they learned (the knowledge-check score per
objective, after minus before, for the learners who took both).

Aggregates over people: each figure needs at least `SLICE_MINIMUM` (5) learners and
says "not enough data" below that (DESIGN.md, survey and analytics slices)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from tandem.lib.anonymity import SLICE_MINIMUM
from tandem.lib.stats import Estimate, mean_change_ci, mean_ci
from tandem.training.models import (
    CheckAnswer,
    CheckPhase,
    Course,
    CourseSession,
    LearningObjective,
    ReactionSurvey,
    Seat,
)

REACTION_FIELDS = ("relevance", "engagement", "intent_to_apply")


@dataclass(frozen=True)
class ObjectiveGain:
    objective: LearningObjective
    before: Estimate  # mean share right before, over the paired learners
    after: Estimate
    gain: Estimate  # after - before, paired


@dataclass(frozen=True)
class Summary:
    reaction: dict[str, Estimate]
    gains: list[ObjectiveGain]
    respondents: int
    pairs: int


def _estimate(values: list[float]) -> Estimate:
    if len(values) < SLICE_MINIMUM:
        return Estimate.insufficient(len(values))
    return mean_ci(values)


def reaction(seats: QuerySet[Seat]) -> dict[str, Estimate]:
    rows = list(ReactionSurvey.objects.filter(seat__in=seats).values_list(*REACTION_FIELDS))
    return {
        name: _estimate([float(row[i]) for row in rows]) for i, name in enumerate(REACTION_FIELDS)
    }


def scores_by_seat(seats: QuerySet[Seat]) -> dict[tuple[int, str], dict[int, float]]:
    """(seat id, phase) -> {objective id: share right}, in one query."""
    totals: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    answers = CheckAnswer.objects.filter(attempt__seat__in=seats).values_list(
        "attempt__seat_id", "attempt__phase", "question__objective_id", "right"
    )
    for seat_id, phase, objective_id, right in answers:
        totals[(seat_id, phase, objective_id)].append(int(right))
    result: dict[tuple[int, str], dict[int, float]] = defaultdict(dict)
    for (seat_id, phase, objective_id), values in totals.items():
        result[(seat_id, phase)][objective_id] = sum(values) / len(values)
    return result


def gains(seats: QuerySet[Seat], objectives: list[LearningObjective]) -> list[ObjectiveGain]:
    scores = scores_by_seat(seats)
    seat_ids = {seat_id for seat_id, _phase in scores}
    result = []
    for objective in objectives:
        before, after = [], []
        for seat_id in sorted(seat_ids):
            b = scores.get((seat_id, CheckPhase.BEFORE), {}).get(objective.pk)
            a = scores.get((seat_id, CheckPhase.AFTER), {}).get(objective.pk)
            if a is not None and b is not None:
                before.append(b)
                after.append(a)
        n = len(before)
        if n < SLICE_MINIMUM:
            empty = Estimate.insufficient(n)
            result.append(ObjectiveGain(objective, empty, empty, empty))
        else:
            result.append(
                ObjectiveGain(
                    objective,
                    mean_ci(before),
                    mean_ci(after),
                    mean_change_ci(before, after, paired=True),
                )
            )
    return result


def summary(seats: QuerySet[Seat], objectives: list[LearningObjective]) -> Summary:
    """Levels 1 and 2 over `seats` (e.g. a session's or a course's attended seats)."""
    reactions = reaction(seats)
    objective_gains = gains(seats, objectives)
    return Summary(
        reaction=reactions,
        gains=objective_gains,
        respondents=ReactionSurvey.objects.filter(seat__in=seats).count(),
        pairs=max((g.gain.n for g in objective_gains), default=0),
    )


def of_session(session: CourseSession) -> Summary:
    """Levels 1 and 2 of one session's attended learners."""
    seats = Seat.objects.filter(session=session).attended()
    return summary(seats, list(session.course.objectives.all()))


def of_course(course: Course) -> Summary:
    """Levels 1 and 2 over every attended learner of the course."""
    seats = Seat.objects.filter(session__course=course).attended()
    return summary(seats, list(course.objectives.all()))
