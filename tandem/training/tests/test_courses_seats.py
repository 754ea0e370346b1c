"""Seats: enrolled while seats last, then the waitlist in the order asked; giving up a
seat promotes the first in line (with an email); managers enroll their reports; a
program enrolls its participants. Refusals write nothing."""

import pytest
from django.core import mail

from tandem.accounts.models import Role
from tandem.programs.models import Enrollment
from tandem.tests.factories import UserFactory, enroll, running_program
from tandem.training import services
from tandem.training.models import Seat, SeatSource, SeatStatus, SessionStatus
from tandem.training.tests.factories import learners, started

pytestmark = pytest.mark.django_db


def take(session, person, by=None):
    return services.seat_take(session=session, person=person, by=by or person.user)


def test_it_enrolls_until_full_then_waitlists_in_order(session):
    a, b, c, d = learners(4)
    assert take(session, a).status == SeatStatus.ENROLLED
    assert take(session, b).status == SeatStatus.ENROLLED
    third, fourth = take(session, c), take(session, d)
    assert third.status == fourth.status == SeatStatus.WAITLISTED
    assert services.waitlist_position(third) == 1
    assert services.waitlist_position(fourth) == 2
    assert session.seats.enrolled().count() == 2


def test_it_refuses_a_second_seat_and_writes_nothing(session):
    (a,) = learners(1)
    take(session, a)
    with pytest.raises(services.Refused, match="already enrolled"):
        take(session, a)
    assert Seat.objects.filter(session=session).count() == 1


def test_it_refuses_a_cancelled_or_started_session(session):
    (a,) = learners(1)
    started(session)
    with pytest.raises(services.Refused, match="already started"):
        take(session, a)
    session.status = SessionStatus.CANCELLED
    session.save()
    with pytest.raises(services.Refused, match="not open"):
        take(session, a)
    assert not Seat.objects.exists()


def test_giving_up_a_seat_promotes_the_first_in_line_with_an_email(
    session, django_capture_on_commit_callbacks
):
    a, b, c, d = learners(4)
    seat_a = take(session, a)
    take(session, b)
    third, fourth = take(session, c), take(session, d)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.seat_cancel(seat=seat_a, by=a.user)
    assert [s.pk for s in promoted] == [third.pk]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == SeatStatus.ENROLLED
    assert services.waitlist_position(fourth) == 1
    assert session.seats.enrolled().count() == 2
    to_c = [m for m in mail.outbox if c.user.email in m.to]
    assert any("seat opened up" in m.subject for m in to_c)
    assert any("invite.ics" in str(m.attachments) for m in to_c)
    to_a = [m for m in mail.outbox if a.user.email in m.to]
    assert to_a and "METHOD:CANCEL" in to_a[0].attachments[0][1]


def test_a_cancelled_learner_asks_again_at_the_back_of_the_line(session):
    a, b, c = learners(3)
    seat = take(session, a)
    take(session, b)
    take(session, c)
    services.seat_cancel(seat=seat, by=a.user)
    again = take(session, a)
    assert again.pk == seat.pk and again.status == SeatStatus.WAITLISTED


def test_the_waitlisted_learner_gets_a_notice(session, django_capture_on_commit_callbacks):
    a, b, c = learners(3)
    take(session, a)
    take(session, b)
    with django_capture_on_commit_callbacks(execute=True):
        take(session, c)
    notices = [m for m in mail.outbox if c.user.email in m.to]
    assert len(notices) == 1 and "number 1 on the waitlist" in notices[0].body


def test_more_seats_promote_from_the_waitlist_and_fewer_than_taken_is_refused(session):
    a, b, c = learners(3)
    take(session, a)
    take(session, b)
    waiting = take(session, c)
    session.capacity = 1
    with pytest.raises(services.Refused) as refusal:
        services.session_save(session=session, changed=["capacity"], by=None)
    assert "capacity" in refusal.value.message_dict
    session.capacity = 3
    services.session_save(session=session, changed=["capacity"], by=None)
    waiting.refresh_from_db()
    assert waiting.status == SeatStatus.ENROLLED


def test_a_manager_enrolls_their_reports_only(org, session):
    outcome = services.seats_for_reports(session=session, people=[org.report], by=org.manager.user)
    assert [s.person for s in outcome.enrolled] == [org.report]
    assert outcome.enrolled[0].source == SeatSource.MANAGER
    with pytest.raises(services.Refused, match="report to you"):
        services.seats_for_reports(session=session, people=[org.outsider], by=org.manager.user)
    assert not Seat.objects.filter(person=org.outsider).exists()


def test_a_program_enrolls_its_participants_and_waitlists_beyond_capacity(org, session):
    program = running_program(name="Accelerator")
    people = learners(3)
    for person in people:
        enroll(program, person)
    admin = UserFactory(roles=[Role.PROGRAM_ADMIN])
    outcome = services.seats_for_program(session=session, program=program, by=admin)
    assert len(outcome.enrolled) == 2 and len(outcome.waitlisted) == 1
    assert Enrollment.objects.filter(program=program).count() == 3
    again = services.seats_for_program(session=session, program=program, by=admin)
    assert len(again.skipped) == 3
