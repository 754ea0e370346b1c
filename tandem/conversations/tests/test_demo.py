"""The demo's one-on-ones and feedback: fortnightly series for every manager, held
meetings with agenda, notes and a next step, feedback both ways and requests (one on a
goal of the participant's plan); coached managers hold more of their 1:1s; a second
load writes the same again and reset removes it all."""

import random
import time

import pytest
from django.db.models import F

from tandem.conversations import demo
from tandem.conversations.models import (
    AgendaItem,
    Feedback,
    FeedbackRequest,
    Meeting,
    MeetingStatus,
    OneOnOneSeries,
)
from tandem.people.demo import DemoContext, load_demo
from tandem.people.models import Person

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        OneOnOneSeries.objects.count(),
        Meeting.objects.filter(status=MeetingStatus.COMPLETED).count(),
        Feedback.objects.count(),
        FeedbackRequest.objects.count(),
    )


def test_the_demo_loads_conversations_and_reloads_and_resets_them():
    summary = load_demo(size=120, seed=3)
    line = next(extra for extra in summary.extras if extra.startswith("Conversations:"))
    assert "one-on-one series" in line
    manager = Person.objects.get(user__username="manager")
    participant = Person.objects.get(user__username="participant")
    mine = OneOnOneSeries.objects.filter(manager=manager)
    assert mine.count() == Person.objects.active(summary.as_of).filter(manager=manager).count()
    completed = Meeting.objects.filter(series__in=mine, status=MeetingStatus.COMPLETED)
    assert completed.count() >= 5
    assert not completed.filter(next_steps=None).exists()
    assert AgendaItem.objects.filter(meeting__in=completed).exists()
    assert all(m.shared_notes for m in completed)
    assert Meeting.objects.filter(series__in=mine, status=MeetingStatus.PLANNED).exists()
    assert Feedback.objects.filter(giver=manager).exists()
    assert Feedback.objects.filter(giver__manager=F("recipient")).exists()
    asked = FeedbackRequest.objects.get(requester=participant, asked=participant.manager)
    assert asked.answers.exists()
    assert FeedbackRequest.objects.filter(requester=manager).exists()

    before = counts()
    context = DemoContext(
        as_of=summary.as_of, seed=3, size=120, rng=random.Random("again"), logins=[]
    )
    started = time.monotonic()
    demo.load(context)
    assert time.monotonic() - started < 3
    assert OneOnOneSeries.objects.count() == before[0]
    assert FeedbackRequest.objects.count() == before[3]

    load_demo(size=120, seed=3, reset=True)
    assert OneOnOneSeries.objects.exists()
