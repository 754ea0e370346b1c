"""Relationship personas, on top of the shared `org` (tandem/conftest.py). Import the
fixtures into a test module with `from tandem.mentoring.tests.relationship_fixtures
import *`.

mentoring_program  a running mentoring program with its settings (one-to-one)
mentor             Mona Mentor, a senior leader outside the mentee's line, with a login
mentee             org.report, an emerging leader
proposed           the request: proposed by a published match, accepted by nobody yet
active             mentee and mentor, accepted by both and the agreement confirmed
stub_rematch       records the matching half's rematch calls instead of running them
"""

import pytest

from tandem.mentoring import relationships as services
from tandem.mentoring.models import MentoringSettings
from tandem.tests.factories import PersonFactory, make_user_for, running_program

__all__ = [
    "accepted",
    "activate",
    "active",
    "mentee",
    "mentor",
    "mentoring_program",
    "propose",
    "proposed",
    "stub_rematch",
]


@pytest.fixture
def mentoring_program(db):
    program = running_program(name="Mentoring Circle", kind="mentoring")
    MentoringSettings.objects.get_or_create(program=program)
    return program


@pytest.fixture
def mentor(org):
    person = PersonFactory(
        first_name="Mona", last_name="Mentor", level="senior", title="VP Sales", manager=None
    )
    make_user_for(person)
    return person


@pytest.fixture
def mentee(org):
    return org.report


@pytest.fixture
def stub_rematch(monkeypatch):
    """Calls to the matching half's `rematch`, recorded (not run)."""
    import importlib
    import types

    calls = []

    def rematch(**kwargs):
        calls.append(kwargs)

    try:
        module = importlib.import_module("tandem.mentoring.matching")
        monkeypatch.setattr(module, "rematch", rematch, raising=False)
    except ImportError:
        import sys

        module = types.ModuleType("tandem.mentoring.matching")
        module.rematch = rematch
        monkeypatch.setitem(sys.modules, "tandem.mentoring.matching", module)
    return calls


def propose(program, mentee, mentor, **kwargs):
    kwargs.setdefault("goals", ["Find my path to a first management role", "Know sales"])
    kwargs.setdefault("score", 82.5)
    kwargs.setdefault(
        "explanation",
        [{"key": "skills", "label": "Skills", "weight": 5, "similarity": 1.0, "points": 50.0}],
    )
    kwargs.setdefault("via", "match")
    return services.relationship_propose(program=program, mentee=mentee, mentor=mentor, **kwargs)


def activate(relationship, *, cadence="fortnightly"):
    services.relationship_accept(relationship=relationship, user=relationship.mentee.user)
    services.relationship_accept(relationship=relationship, user=relationship.mentor.user)
    relationship.refresh_from_db()
    return services.relationship_agree(
        relationship=relationship,
        user=relationship.mentee.user,
        goals=relationship.goals,
        cadence=cadence,
        confidentiality=relationship.confidentiality,
    )


@pytest.fixture
def proposed(mentoring_program, mentee, mentor):
    return propose(mentoring_program, mentee, mentor)


@pytest.fixture
def accepted(proposed):
    services.relationship_accept(relationship=proposed, user=proposed.mentee.user)
    return services.relationship_accept(relationship=proposed, user=proposed.mentor.user)


@pytest.fixture
def active(proposed):
    return activate(proposed)
