"""Feedback fixtures shared by the page and API tests:

colleague   Cleo, a peer of org.report (same manager), with a login
shared      colleague -> report, developmental SBI, shared with their manager
private     colleague -> report, positive free text, not shared
"""

import datetime

import pytest

from tandem.conversations import feedback
from tandem.programs.models import Goal
from tandem.tests.factories import (
    ObjectiveFactory,
    PersonFactory,
    enroll,
    make_user_for,
    running_program,
)

SBI = {"situation": "Monday's planning", "behaviour": "You summarised", "impact": "We agreed"}


@pytest.fixture
def colleague(org):
    person = PersonFactory(first_name="Cleo", last_name="Colleague", manager=org.manager)
    make_user_for(person)
    return person


@pytest.fixture
def shared(org, colleague):
    return feedback.feedback_give(
        giver=colleague, recipient=org.report, kind="developmental", share_with_manager=True, **SBI
    )


@pytest.fixture
def private(org, colleague):
    return feedback.feedback_give(
        giver=colleague, recipient=org.report, kind="positive", text="Thanks for the cover."
    )


def goal_of(person, title="Delegate more"):
    """A goal of `person`'s own development plan."""
    plan = enroll(running_program(), person)
    return Goal.objects.create(
        cycle=plan.cycles.get(),
        title=title,
        measure="Reports rate delegation 4+",
        objective=ObjectiveFactory(),
        due_date=datetime.date(2026, 12, 1),
    )
