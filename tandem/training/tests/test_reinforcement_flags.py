"""Escalation: learners still low after the set time are flagged once per reason, with
a suggestion (coaching or mentoring) and the advisor's reasons for it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.lib import advisor as rules
from tandem.training import reinforcement
from tandem.training.models import FlagReason, LearnerFlag
from tandem.training.tests.reinforcement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _after_escalation(course, seat):
    return seat.session.starts_at + datetime.timedelta(days=course.escalate_after_days + 1)


def test_it_flags_low_learners_once_with_the_advisors_reasons(seat, course):
    assert reinforcement.flags_raise(timezone.now()) == []  # too early
    at = _after_escalation(course, seat)
    flags = reinforcement.flags_raise(at)
    assert {f.reason for f in flags} == {FlagReason.LOW_RETENTION, FlagReason.LOW_PRACTICE}
    practice = next(f for f in flags if f.reason == FlagReason.LOW_PRACTICE)
    # Practice not happening is a behaviour change: coaching's ground.
    assert practice.suggestion == rules.COACHING
    assert practice.suggestion_reasons
    texts = " ".join(r["text"] for r in practice.suggestion_reasons)
    assert "coaching" in texts.lower()
    assert {r["input"] for r in practice.suggestion_reasons} <= set(rules.INPUTS)
    assert "0 practice logged" in practice.detail
    assert reinforcement.flags_raise(at) == []  # idempotent
    assert LearnerFlag.objects.count() == 2


def test_a_learner_who_practises_and_remembers_is_not_flagged(seat, course, org):
    reinforcement.practice_log(
        person=org.report, objective=course.objectives.first(), what_i_did="Tried it"
    )
    at = _after_escalation(course, seat)
    for card in seat.cards.all():
        question = card.objective.questions.first()
        reinforcement.burst_answer(
            card, question=question, chosen=question.correct, confidence=3, now=at
        )
    assert reinforcement.flags_raise(at + datetime.timedelta(hours=1)) == []


def test_little_time_suggests_mentoring_for_a_senior_leader(org):
    situation = reinforcement._situation(
        org.ceo, low_practice=False, little_time=True, budget=2000.0
    )
    suggestion, reasons = reinforcement.suggestion_for(situation)
    assert suggestion == rules.MENTORING
    assert any(r["input"] == "time_available" for r in reasons)


def test_a_flag_is_resolved_with_what_was_done(seat, course):
    flag = reinforcement.flags_raise(_after_escalation(course, seat))[0]
    with pytest.raises(ValidationError) as error:
        reinforcement.flag_resolve(flag=flag, resolution="  ")
    assert "resolution" in error.value.message_dict
    resolved = reinforcement.flag_resolve(flag=flag, resolution="Coaching engagement started")
    assert resolved.resolved_at is not None
    with pytest.raises(reinforcement.Refused):
        reinforcement.flag_resolve(flag=flag, resolution="again")
    # Resolved stays resolved: the next run does not raise it again.
    assert all(
        f.reason != flag.reason for f in reinforcement.flags_raise(_after_escalation(course, seat))
    )
