"""Retention figures on hand-computed cases: a learner's curve is their reviews
replayed through FSRS, a cohort without reinforcement follows the unreinforced
curve, and fewer than 5 learners give "not enough data"."""

import datetime

import pytest
from django.utils import timezone

from tandem.lib import reinforcement as fsrs_rules
from tandem.training import reinforcement, retention
from tandem.training.models import Card, CheckAnswer, CheckAttempt
from tandem.training.tests.factories import learners
from tandem.training.tests.reinforcement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_a_learners_curve_is_their_history_replayed(seat, org):
    card = seat.cards.first()
    question = card.objective.questions.first()
    at = card.due
    reinforcement.burst_answer(
        card, question=question, chosen=question.correct, confidence=2, now=at
    )
    now = seat.session.ends_at + datetime.timedelta(days=20)
    (learner,) = retention.learner_retention(org.report, now)
    assert learner.days == 21
    curve = next(o for o in learner.objectives if o.objective == card.objective)
    memories = fsrs_rules.replay(seat.session.ends_at, [(at, fsrs_rules.Grade.GOOD)], 0.9)
    for day in (0, 1, 5, 20):
        moment = seat.session.ends_at + datetime.timedelta(days=day)
        memory = memories[1] if moment >= at else memories[0]
        assert curve.retention[day] == pytest.approx(fsrs_rules.retrievability(memory, moment, 0.9))
    other = next(o for o in learner.objectives if o.objective != card.objective)
    assert other.retention == pytest.approx(learner.unreinforced)
    assert curve.retention[20] > other.retention[20]  # the burst lifted recall
    assert learner.bursts_done == 1
    assert learner.bursts_due == 1 + Card.objects.filter(due__lte=now).count()


def test_a_cohort_under_five_is_not_enough_data(held):
    for person in learners(4):
        attend(held, person)  # noqa: F405
    cohort = retention.session_retention(held)
    assert cohort.n == 4 and not cohort.enough
    assert cohort.current_text == "not enough data (n=4)"
    assert cohort.bursts_done == 0 and cohort.completion is None


def test_an_unreinforced_cohort_follows_the_forgetting_curve(held, course):
    course.reinforce = False
    course.save()
    for person in learners(5):
        attend(held, person)  # noqa: F405
    assert Card.objects.count() == 0
    now = held.ends_at + datetime.timedelta(days=30)
    cohort = retention.session_retention(held, now)
    assert cohort.enough and cohort.n == 5 and cohort.days == 31
    assert [e.value for e in cohort.by_day] == pytest.approx(cohort.unreinforced)
    assert cohort.by_day[30].value == pytest.approx(fsrs_rules.unreinforced_curve(31)[30])


def test_cohort_means_knowledge_gains_and_completion(held, course):
    seats = [attend(held, person) for person in learners(5)]  # noqa: F405
    question = course.objectives.first().questions.first()
    for index, seat in enumerate(seats):
        before = CheckAttempt.objects.create(seat=seat, phase="before")
        after = CheckAttempt.objects.create(seat=seat, phase="after")
        CheckAnswer.objects.create(attempt=before, question=question, chosen=2, right=False)
        CheckAnswer.objects.create(attempt=after, question=question, chosen=1, right=index < 4)
    card = seats[0].cards.first()
    q = card.objective.questions.first()
    reinforcement.burst_answer(card, question=q, chosen=q.correct, confidence=2, now=card.due)
    now = timezone.now()
    cohort = retention.session_retention(held, now)
    assert cohort.check_gain.value == pytest.approx(0.8)  # 4 of 5 went from 0 to 1
    assert cohort.bursts_done == 1
    due_cards = Card.objects.filter(due__lte=now).count()
    assert cohort.bursts_due == 1 + due_cards
    course_result = retention.course_retention(course, now)
    assert course_result.overall.n == 5 and len(course_result.sessions) == 1
