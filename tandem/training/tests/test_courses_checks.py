"""Attendance (and the hook the reinforcement half fills), knowledge checks before and
after (one per phase, scored per objective, every question answered with a valid
option, nothing written otherwise) and the reaction survey."""

import pytest

from tandem.training import services
from tandem.training.models import CheckAnswer, CheckAttempt, ReactionSurvey, SessionStatus
from tandem.training.tests.factories import SeatFactory, started

pytestmark = pytest.mark.django_db


def answers_for(course, *, right: bool):
    result = {}
    for objective in course.objectives.all():
        for question in objective.questions.all():
            result[question.pk] = question.correct if right else (2 if question.correct == 1 else 1)
    return result


def test_attendance_marks_the_session_held_and_calls_the_hooks_once(session, learner, monkeypatch):
    seat = SeatFactory(session=session, person=learner)
    absent = SeatFactory(session=session)
    called = []
    monkeypatch.setattr(services, "on_attended", [called.append])
    with pytest.raises(services.Refused, match="once the session has started"):
        services.attendance_mark(session=session, attended={seat: True}, by=None)
    started(session)
    services.attendance_mark(session=session, attended={seat.pk: True, absent.pk: False}, by=None)
    services.attendance_mark(session=session, attended={seat.pk: True}, by=None)
    session.refresh_from_db()
    seat.refresh_from_db()
    assert session.status == SessionStatus.HELD and seat.attended is True
    assert called == [seat]


def test_attendance_refuses_a_seat_of_another_session(session):
    other = SeatFactory()
    started(session)
    with pytest.raises(services.Refused) as refusal:
        services.attendance_mark(session=session, attended={other.pk: True}, by=None)
    assert "attended" in refusal.value.message_dict
    other.refresh_from_db()
    assert other.attended is None


def test_no_hooks_for_a_course_without_reinforcement(session, monkeypatch):
    session.course.reinforce = False
    session.course.save()
    seat = SeatFactory(session=session)
    started(session)
    called = []
    monkeypatch.setattr(services, "on_attended", [called.append])
    services.attendance_mark(session=session, attended={seat.pk: True}, by=None)
    assert called == []


def test_checks_score_per_objective_before_and_after(session, course, learner):
    seat = SeatFactory(session=session, person=learner)
    before = answers_for(course, right=False)
    first = course.objectives.first()
    q1 = first.questions.first()
    before[q1.pk] = q1.correct  # one of two right for the first objective
    attempt = services.check_submit(seat=seat, phase="before", answers=before)
    scores = attempt.scores()
    assert scores[first.pk] == 0.5
    assert scores[course.objectives.last().pk] == 0.0
    with pytest.raises(services.Refused, match="already taken"):
        services.check_submit(seat=seat, phase="before", answers=before)
    with pytest.raises(services.Refused, match="attendance"):
        services.check_submit(seat=seat, phase="after", answers=before)
    started(session)
    seat.attended = True
    seat.save()
    after = services.check_submit(seat=seat, phase="after", answers=answers_for(course, right=True))
    assert set(after.scores().values()) == {1.0}


def test_a_check_with_a_missing_or_invalid_answer_writes_nothing(session, course, learner):
    seat = SeatFactory(session=session, person=learner)
    answers = answers_for(course, right=True)
    missing, invalid = list(answers)[:2]
    del answers[missing]
    answers[invalid] = 7
    answers[999999] = 1
    with pytest.raises(services.ValidationError) as error:
        services.check_submit(seat=seat, phase="before", answers=answers)
    problems = error.value.message_dict
    assert problems[f"question_{missing}"] == ["Answer this question."]
    assert "1 to" in problems[f"question_{invalid}"][0]
    assert "question_999999" in problems
    assert not CheckAttempt.objects.exists() and not CheckAnswer.objects.exists()


def test_the_reaction_survey_is_for_attendees_once(session, learner):
    seat = SeatFactory(session=session, person=learner)
    values = {"relevance": 4, "engagement": 5, "intent_to_apply": 3}
    with pytest.raises(services.Refused, match="attended"):
        services.reaction_submit(seat=seat, **values)
    seat.attended = True
    seat.save()
    with pytest.raises(services.ValidationError) as error:
        services.reaction_submit(seat=seat, **{**values, "engagement": 6})
    assert list(error.value.message_dict) == ["engagement"]
    services.reaction_submit(seat=seat, comment=" Useful ", **values)
    assert ReactionSurvey.objects.get().comment == "Useful"
    with pytest.raises(services.Refused, match="already answered"):
        services.reaction_submit(seat=seat, **values)
