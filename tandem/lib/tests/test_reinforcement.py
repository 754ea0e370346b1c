"""FSRS scheduling as Tandem uses it: the grade mapping, right answers push the next
burst out and wrong ones bring it back, and every move is exactly what the fsrs
package computes with the same settings."""

import itertools
from datetime import UTC, datetime, timedelta

import fsrs
import numpy as np
import pytest

from tandem.lib import reinforcement as r
from tandem.lib.reinforcement import Confidence, Grade

SESSION_END = datetime(2025, 3, 3, 17, 0, tzinfo=UTC)


def test_it_maps_answers_to_grades():
    assert r.grade(False, Confidence.SURE) == Grade.AGAIN
    assert r.grade(False, Confidence.UNSURE) == Grade.AGAIN
    assert r.grade(True, Confidence.UNSURE) == Grade.HARD
    assert r.grade(True, Confidence.FAIRLY) == Grade.GOOD
    assert r.grade(True, Confidence.SURE) == Grade.EASY
    assert r.practice_grade(True) == Grade.GOOD
    assert r.practice_grade(False) == Grade.HARD


def test_it_brings_a_right_answer_back_later_and_a_wrong_one_sooner():
    first = r.first_memory(SESSION_END)
    at = first.due
    right = r.review(first, Grade.GOOD, at)
    wrong = r.review(first, Grade.AGAIN, at)
    assert right.due > first.due
    assert wrong.due < right.due
    assert wrong.due - at <= timedelta(days=1)
    easy = r.review(first, Grade.EASY, at)
    assert easy.due > right.due


def test_it_moves_the_card_exactly_as_fsrs_does():
    scheduler = fsrs.Scheduler(
        desired_retention=0.85, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    card = fsrs.Card()
    card, _ = scheduler.review_card(card, fsrs.Rating.Good, review_datetime=SESSION_END)
    ratings = [Grade.GOOD, Grade.AGAIN, Grade.HARD, Grade.EASY, Grade.GOOD]
    at = card.due
    reviews = []
    for rating in ratings:
        reviews.append((at, rating))
        card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=at)
        at = card.due + timedelta(hours=3)
    memories = r.replay(SESSION_END, reviews, 0.85)
    last = memories[-1]
    assert last.due == card.due
    assert last.stability == pytest.approx(card.stability)
    assert last.difficulty == pytest.approx(card.difficulty)
    assert int(last.state) == int(card.state)
    later = card.due + timedelta(days=4)
    assert r.retrievability(last, later, 0.85) == pytest.approx(
        scheduler.get_card_retrievability(card, later)
    )


def test_it_computes_many_retrievabilities_like_one_at_a_time():
    memory = r.first_memory(SESSION_END)
    days = np.array([0, 1, 5, 30])
    many = r.retrievability_many(np.full(4, memory.stability), days)
    one = [r.retrievability(memory, SESSION_END + timedelta(days=int(d))) for d in days]
    assert many == pytest.approx(one)


def test_the_unreinforced_curve_falls():
    curve = r.unreinforced_curve(120)
    assert curve[0] == pytest.approx(1.0)
    assert all(a >= b for a, b in itertools.pairwise(curve))
    assert curve[-1] < 0.6


def test_it_refuses_naive_times_and_bad_retention():
    with pytest.raises(ValueError):
        r.review(r.first_memory(SESSION_END), Grade.GOOD, datetime(2025, 4, 1))
    with pytest.raises(ValueError):
        r.scheduler(1.2)
