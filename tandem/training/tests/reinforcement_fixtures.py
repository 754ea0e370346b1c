"""Reinforcement personas, on top of the shared `org` and the course half's `course`
(tandem/training/tests/conftest.py). Import into a test module with
`from tandem.training.tests.reinforcement_fixtures import *`.

held          a session of `course` that ended ten days ago, marked held
seat          org.report's attended seat in it, with a card per objective
challenge     a practice challenge on the course's first objective
"""

import datetime

import pytest
from django.utils import timezone

from tandem.training import reinforcement
from tandem.training.models import PracticeChallenge, Seat, SeatStatus, SessionStatus
from tandem.training.tests.factories import SessionFactory

__all__ = ["attend", "challenge", "held", "seat"]


@pytest.fixture
def held(course, facilitator):
    return SessionFactory(
        course=course,
        facilitator=facilitator,
        capacity=20,
        starts_at=timezone.now() - datetime.timedelta(days=10, hours=2),
        status=SessionStatus.HELD,
    )


def attend(session, person) -> Seat:
    seat = Seat.objects.create(
        session=session, person=person, status=SeatStatus.ENROLLED, attended=True
    )
    reinforcement.cards_for_attendance(seat)
    return seat


@pytest.fixture
def seat(held, org):
    return attend(held, org.report)


@pytest.fixture
def challenge(course):
    return PracticeChallenge.objects.create(
        objective=course.objectives.first(), prompt="Name one behaviour in your next 1:1."
    )
