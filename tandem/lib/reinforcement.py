"""Spaced reinforcement with FSRS (the `fsrs` package): when a learner's next burst
on an objective is due, and how likely they are to recall it on any day.

Pure: plain values in and out, no Django. A learner's memory of one objective is a
`Memory` (FSRS's card state). The session itself is the first exposure: `first_memory`
reviews a fresh card as Good at the session's end, so the day after a session the
memory is already decaying, and an objective never reinforced afterwards follows
`unreinforced_curve`. Every burst answered then moves the memory as FSRS says: right
answers push the next burst further out, wrong ones bring it back sooner.

Bursts are daily-scale, so FSRS's minute-scale learning steps are switched off (a card
goes straight to day intervals), and fuzzing is off so a schedule can be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from functools import cache

import fsrs
import numpy as np

DEFAULT_RETENTION = 0.9


class Grade(IntEnum):
    """FSRS's four ratings."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Confidence(IntEnum):
    """How sure the learner was of their answer, asked with it."""

    UNSURE = 1
    FAIRLY = 2
    SURE = 3


@dataclass(frozen=True)
class Memory:
    """FSRS's card state for one learner and one objective."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


@cache
def scheduler(desired_retention: float = DEFAULT_RETENTION) -> fsrs.Scheduler:
    if not 0.5 < desired_retention < 1:
        raise ValueError("desired retention must be between 0.5 and 1")
    return fsrs.Scheduler(
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def grade(right: bool, confidence: Confidence = Confidence.FAIRLY) -> Grade:
    """The rating of a recall answer: wrong is Again; right is Hard when the learner
    was unsure, Good when fairly sure, Easy when sure."""
    if not right:
        return Grade.AGAIN
    return {Confidence.UNSURE: Grade.HARD, Confidence.FAIRLY: Grade.GOOD}.get(
        confidence, Grade.EASY
    )


def practice_grade(done: bool) -> Grade:
    """The rating of a practice challenge: tried at work is Good; not yet, Hard (the
    objective comes back sooner, but it is not forgotten)."""
    return Grade.GOOD if done else Grade.HARD


def _card(memory: Memory) -> fsrs.Card:
    return fsrs.Card(
        card_id=1,
        state=fsrs.State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )


def _memory(card: fsrs.Card) -> Memory:
    return Memory(
        int(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review
    )


def review(
    memory: Memory, rating: Grade, at: datetime, desired_retention: float = DEFAULT_RETENTION
) -> Memory:
    """The memory after a burst answered at `at` with `rating`."""
    if at.tzinfo is None:
        raise ValueError("review times must be aware datetimes")
    card, _log = scheduler(desired_retention).review_card(
        _card(memory), fsrs.Rating(int(rating)), review_datetime=at
    )
    return _memory(card)


def first_memory(session_end: datetime, desired_retention: float = DEFAULT_RETENTION) -> Memory:
    """The memory of an objective just after the session that taught it."""
    fresh = Memory(int(fsrs.State.Learning), None, None, None, session_end, None)
    return review(fresh, Grade.GOOD, session_end, desired_retention)


def retrievability(
    memory: Memory, at: datetime, desired_retention: float = DEFAULT_RETENTION
) -> float:
    """The estimated chance of recall at `at` (0 before any review)."""
    return float(scheduler(desired_retention).get_card_retrievability(_card(memory), at))


def retrievability_many(
    stability: np.ndarray, elapsed_days: np.ndarray, desired_retention: float = DEFAULT_RETENTION
) -> np.ndarray:
    """Retrievability of many memories at once (FSRS's power forgetting curve), from
    their stability and the whole days since their last review."""
    s = scheduler(desired_retention)
    elapsed = np.maximum(np.floor(elapsed_days), 0)
    return (1 + s._FACTOR * elapsed / stability) ** s._DECAY


def curve(
    memory: Memory, start: datetime, days: int, desired_retention: float = DEFAULT_RETENTION
) -> list[float]:
    """Retrievability of `memory` on each of `days` days from `start`, without reviews."""
    return [
        retrievability(memory, start + timedelta(days=day), desired_retention)
        for day in range(days)
    ]


def unreinforced_curve(days: int, desired_retention: float = DEFAULT_RETENTION) -> list[float]:
    """The forgetting curve of an objective learned in a session and never reviewed:
    retrievability on each day after the session."""
    start = datetime(2000, 1, 1, 18).astimezone()
    return curve(first_memory(start, desired_retention), start, days, desired_retention)


def replay(
    session_end: datetime,
    reviews: Sequence[tuple[datetime, Grade]],
    desired_retention: float = DEFAULT_RETENTION,
) -> list[Memory]:
    """The memory after the session and after each review in turn."""
    memories = [first_memory(session_end, desired_retention)]
    for at, rating in reviews:
        memories.append(review(memories[-1], rating, at, desired_retention))
    return memories
