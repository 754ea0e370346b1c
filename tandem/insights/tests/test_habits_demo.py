"""The demo's habits: coached managers (the coaching demo's coachees) hold more of their
planned one-on-ones and give more feedback than the others, and the demo pulses ask the
habit items, higher in coached managers' teams."""

from datetime import timedelta

import pytest

from tandem.conversations import demo
from tandem.conversations.models import Meeting, NextStep, OneOnOneSeries
from tandem.insights import habits, pulse_items
from tandem.insights.models import PulseResponse
from tandem.people.demo import load_demo

pytestmark = pytest.mark.django_db


def test_coached_managers_hold_more_of_their_one_on_ones():
    summary = load_demo(size=120, seed=3)
    period = habits.Period.last(demo.WINDOW_DAYS - 14, end=summary.as_of - timedelta(days=1))
    coached = habits.coached_ids()
    managers = sorted(set(OneOnOneSeries.objects.values_list("manager_id", flat=True)))
    figures = habits.habits_of(managers, period)
    shares = {pk: f.held_share for pk, f in figures.items() if f.held_share is not None}
    theirs = [share for pk, share in shares.items() if pk in coached]
    others = [share for pk, share in shares.items() if pk not in coached]
    assert theirs and others
    assert sum(theirs) / len(theirs) > sum(others) / len(others)
    given = {pk: f.feedback_per_report_month or 0 for pk, f in figures.items()}
    assert sum(given[pk] for pk in coached if pk in given) / len(theirs) > sum(
        given[pk] for pk in managers if pk not in coached
    ) / len(others)
    assert NextStep.objects.count() >= Meeting.objects.filter(status="completed").count()


def test_the_demo_pulses_answer_the_habit_items():
    load_demo(size=120, seed=3)
    keys = {item.key for item in pulse_items.habit_items()}
    answers = list(PulseResponse.objects.values_list("answers", flat=True)[:50])
    assert answers and all(keys <= set(answer) for answer in answers)
