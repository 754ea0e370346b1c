"""Two people racing for one thing, with real concurrent transactions on PostgreSQL:
each request runs in its own thread with its own connection, released together by a
barrier, and the step between "check" and "write" is slowed down, so without the row
lock both requests would pass the check. Exactly one wins; the other is refused and
writes nothing.

The last seat of a training session and a coach's last place are raced in
training/tests/test_courses_concurrency.py and coaching/tests/test_capacity_concurrency.py;
here: a mentor's last place, a rater link and a pulse link used twice at once, and a
one-on-one completed twice at once.
"""

import datetime
import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter (SQLite serializes all writers); "
        "these run in the PostgreSQL leg of make test",
    ),
]

PAUSE = 0.3  # long enough for the other request to reach the same point without the lock


def race(*requests: Callable[[], Any]) -> list[str]:
    """Run the requests at once; each outcome is "won" or the refusal's class name."""
    barrier = threading.Barrier(len(requests))
    outcomes: list[str] = []

    def run(request: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            request()
            outcomes.append("won")
        except (ValidationError, LookupError) as refusal:
            outcomes.append(type(refusal).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slowed(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
    """`owner.name` sleeps after it runs: the gap between a check and its write."""
    original = getattr(owner, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(owner, name, slow)


def test_two_mentees_choosing_a_mentors_last_place_make_one_relationship(monkeypatch):
    from tandem.mentoring import matching
    from tandem.mentoring.models import Relationship, Suggestion
    from tandem.mentoring.tests.factories import make_mentee, make_mentor, mentoring_program

    program = mentoring_program()
    mentor = make_mentor(program, capacity=1)
    suggestions = [
        Suggestion.objects.create(
            program=program, mentee=make_mentee(program), mentor=mentor, rank=1, score=0.9
        )
        for _ in range(2)
    ]
    slowed(monkeypatch, matching, "open_relationships")

    outcomes = race(
        *(
            lambda s=suggestion: matching.suggestion_choose(suggestion=s, chosen_by=None)
            for suggestion in suggestions
        )
    )

    assert sorted(outcomes) == ["ValidationError", "won"], outcomes
    assert Relationship.objects.filter(mentor=mentor.person).count() == 1
    assert Suggestion.objects.filter(status="chosen").count() == 1


def _built_in_instruments() -> None:
    """A transactional test's database is emptied after each test, the instruments the
    migrations installed with it."""
    from tandem.assessments.models import Instrument

    if not Instrument.objects.exists():
        migration = importlib.import_module(
            "tandem.assessments.migrations.0002_built_in_instruments"
        )
        migration.load_built_in(apps, None)


def test_a_rater_link_submitted_twice_at_once_records_one_response(org, monkeypatch):
    from tandem.assessments import services
    from tandem.assessments.models import RaterInvitation, Rating, Response
    from tandem.assessments.tests.reviews_setup import full_answers, opened

    _built_in_instruments()
    review, raw = opened(org)
    invitation = services.rater_link(raw["peers0@example.org"]).invitation
    assert invitation is not None
    slowed(monkeypatch, services, "clean_answers")

    def submit(value: int) -> Callable[[], Any]:
        return lambda: services.response_submit(
            invitation=invitation, answers=full_answers(review, value), comments={}
        )

    outcomes = race(submit(2), submit(5))

    assert sorted(outcomes) == ["Refused", "won"], outcomes
    (response,) = Response.objects.filter(invitation=invitation)
    assert set(response.answers.values()) in ({2}, {5})
    assert RaterInvitation.objects.get(pk=invitation.pk).submitted_at == response.submitted_at
    assert Rating.objects.filter(response=response).count() == len(response.answers)


def test_a_pulse_link_answered_twice_at_once_records_one_answer(org, program_admin, monkeypatch):
    from tandem.insights import pulses
    from tandem.insights.models import PulseInvitation, PulseResponse
    from tandem.insights.tests.test_pulses_setup import answers, opened, pulse_org

    people = pulse_org(org)
    _pulse, raw = opened(program_admin)
    token = raw[people.org.report.email]
    slowed(monkeypatch, pulses, "_problem")

    outcomes = race(
        lambda: pulses.pulse_answer(raw_token=token, answers=answers(level=1)),
        lambda: pulses.pulse_answer(raw_token=token, answers=answers(level=5)),
    )

    assert sorted(outcomes) == ["LinkRefused", "won"], outcomes
    assert PulseResponse.objects.count() == 1
    assert PulseInvitation.objects.get(person=people.org.report).used


def test_a_one_on_one_completed_twice_at_once_keeps_one_set_of_next_steps(org, monkeypatch):
    from tandem.conversations import oneonones
    from tandem.conversations.models import Meeting, MeetingStatus, NextStep

    series = oneonones.series_start(
        manager=org.manager,
        report=org.report,
        cadence="weekly",
        first_on=timezone.localdate(),
        starts_at=datetime.time(9, 30),
        duration_minutes=30,
        time_zone="Europe/Paris",
    )
    meeting = oneonones.meeting_next(series)
    due = meeting.on + datetime.timedelta(days=7)
    slowed(monkeypatch, oneonones, "_require_open")

    def complete(by: Any, title: str) -> Callable[[], Any]:
        return lambda: oneonones.meeting_complete(
            meeting=meeting,
            next_steps=[oneonones.NextStepInput(title, "report", due)],
            by=by,
        )

    outcomes = race(complete(org.manager, "Draft the plan"), complete(org.report, "Book a room"))

    assert sorted(outcomes) == ["Refused", "won"], outcomes
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.COMPLETED
    assert NextStep.objects.filter(meeting=meeting).count() == 1
