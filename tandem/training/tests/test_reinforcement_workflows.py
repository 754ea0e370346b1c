"""Cards after attendance, burst answers moving the schedule as FSRS says, practice
logs and their confirmation by the management chain, retiring cards."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.lib import reinforcement as fsrs_rules
from tandem.training import reinforcement
from tandem.training import services as course_services
from tandem.training.models import Card, PracticeLog, Review
from tandem.training.tests.factories import learners
from tandem.training.tests.reinforcement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_it_creates_one_card_per_objective_due_as_fsrs_says(seat, course):
    cards = list(Card.objects.filter(seat=seat))
    assert len(cards) == course.objectives.count() == 2
    expected = fsrs_rules.first_memory(seat.session.ends_at, 0.9)
    assert {card.due for card in cards} == {expected.due}
    assert reinforcement.cards_for_attendance(seat) == []  # idempotent
    assert Card.objects.filter(seat=seat).count() == 2


def test_it_is_registered_for_attendance():
    assert reinforcement.cards_for_attendance in course_services.on_attended


def test_it_gives_no_cards_without_reinforcement_or_attendance(held, org, course):
    course.reinforce = False
    course.save()
    assert attend(held, org.manager).cards.count() == 0  # noqa: F405
    course.reinforce = True
    course.save()
    absent = held.seats.create(person=org.outsider, status="enrolled", attended=False)
    assert reinforcement.cards_for_attendance(absent) == []


def test_a_comparison_run_gets_retired_cards_no_bursts(held, org):
    held.reinforce = False
    held.save()
    cards = attend(held, org.manager).cards.all()  # noqa: F405
    assert cards.count() == 2 and all(card.retired for card in cards)
    assert (
        not Card.objects.due(held.ends_at + datetime.timedelta(days=365))
        .filter(seat__session=held)
        .exists()
    )


def _answer(card, right, now):
    question = card.objective.questions.first()
    chosen = question.correct if right else (question.correct % len(question.options)) + 1
    return reinforcement.burst_answer(
        card, question=question, chosen=chosen, confidence=2, seconds=12, now=now
    )


def test_a_right_answer_comes_back_later_and_a_wrong_one_sooner(held, course):
    good, bad = learners(2)
    now = timezone.now()
    right = _answer(attend(held, good).cards.first(), True, now)  # noqa: F405
    wrong = _answer(attend(held, bad).cards.first(), False, now)  # noqa: F405
    assert right.right is True and wrong.right is False
    assert right.due_after > wrong.due_after
    card = Card.objects.get(pk=right.card_id)
    expected = fsrs_rules.review(
        fsrs_rules.first_memory(held.ends_at, 0.9), fsrs_rules.Grade.GOOD, now, 0.9
    )
    assert card.due == expected.due and card.stability == pytest.approx(expected.stability)
    assert card.reviews == 1 and Card.objects.get(pk=wrong.card_id).lapses == 1


def test_it_refuses_a_second_answer_before_the_card_is_due_again(seat):
    card = seat.cards.first()
    now = timezone.now()
    _answer(card, True, now)
    with pytest.raises(reinforcement.Refused):
        _answer(card, True, now + datetime.timedelta(minutes=1))
    assert Review.objects.count() == 1


def test_it_rejects_a_bad_option_and_writes_nothing(seat):
    card = seat.cards.first()
    question = card.objective.questions.first()
    with pytest.raises(ValidationError) as error:
        reinforcement.burst_answer(card, question=question, chosen=9, confidence=2)
    assert "chosen" in error.value.message_dict
    other = seat.cards.exclude(pk=card.pk).first().objective.questions.first()
    with pytest.raises(ValidationError) as error:
        reinforcement.burst_answer(card, question=other, chosen=1, confidence=2)
    assert "question" in error.value.message_dict
    assert Review.objects.count() == 0
    card.refresh_from_db()
    assert card.reviews == 0


def test_the_burst_offers_questions_rotating_and_a_challenge_every_third(seat, challenge):
    now = timezone.now()
    items = reinforcement.due_burst(seat.person, now)
    assert len(items) == 2 and all(item.question for item in items)
    card = challenge.objective and Card.objects.get(seat=seat, objective=challenge.objective)
    first = next(i for i in items if i.card.pk == card.pk).question
    reinforcement.burst_answer(card, question=first, chosen=first.correct, confidence=2, now=now)
    later = Card.objects.get(pk=card.pk).due + datetime.timedelta(hours=1)
    item = next(i for i in reinforcement.due_burst(seat.person, later) if i.card.pk == card.pk)
    assert item.question is not None and item.question != first  # least recently asked
    reinforcement.burst_answer(
        card, question=item.question, chosen=item.question.correct, confidence=2, now=later
    )
    third = Card.objects.get(pk=card.pk).due + datetime.timedelta(hours=1)
    item = next(i for i in reinforcement.due_burst(seat.person, third) if i.card.pk == card.pk)
    assert item.challenge == challenge
    review = reinforcement.challenge_answer(card, challenge=challenge, done=True, now=third)
    assert review.rating == fsrs_rules.Grade.GOOD


def test_the_burst_is_empty_when_nothing_is_due(seat):
    assert reinforcement.due_burst(seat.person, seat.session.starts_at) == []


def test_practice_is_logged_by_an_attendee_and_confirmed_up_the_chain(seat, org, course):
    objective = course.objectives.first()
    log = reinforcement.practice_log(
        person=org.report, objective=objective, what_i_did="Named the behaviour in a 1:1"
    )
    assert log.seat == seat
    for stranger in (org.report, org.outsider, None):
        with pytest.raises(PermissionDenied):
            reinforcement.practice_confirm(log=log, manager=stranger)
    confirmed = reinforcement.practice_confirm(log=log, manager=org.ceo, note="Saw it")
    assert confirmed.confirmed_by == org.ceo and confirmed.confirmed
    with pytest.raises(reinforcement.Refused):
        reinforcement.practice_confirm(log=log, manager=org.manager)


def test_practice_log_errors_are_per_field_and_write_nothing(seat, org, course):
    with pytest.raises(ValidationError) as error:
        reinforcement.practice_log(
            person=org.outsider,
            objective=course.objectives.first(),
            what_i_did=" ",
            practiced_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert set(error.value.message_dict) == {"objective", "what_i_did", "practiced_on"}
    assert PracticeLog.objects.count() == 0


def test_cards_retire_after_the_reinforcement_weeks(seat, course):
    assert reinforcement.cards_retire(timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(weeks=course.reinforce_weeks)
    assert reinforcement.cards_retire(later) == 2
    assert reinforcement.cards_retire(later) == 0
    assert reinforcement.due_burst(seat.person, later) == []
