"""The last seats, asked for by many learners at the same moment: never more enrolled
than seats, the rest on the waitlist. Real concurrent transactions on PostgreSQL, in
threads; the count is slowed down so the requests would all read the same count
without the row lock on the session."""

import threading
import time

import pytest
from django.db import connection
from django.db.models import QuerySet

from tandem.training import services
from tandem.training.models import Seat, SeatQuerySet, SeatStatus
from tandem.training.tests.factories import SessionFactory, learners

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter (SQLite serializes all writers)",
    ),
]


def race(action, arguments, monkeypatch, *, pause: float = 0.2):
    counted = QuerySet.count

    def slow_count(self):
        result = counted(self)
        if isinstance(self, SeatQuerySet):
            time.sleep(pause)
        return result

    monkeypatch.setattr(QuerySet, "count", slow_count)
    barrier = threading.Barrier(len(arguments))
    outcomes: list[str] = []

    def request(argument):
        try:
            barrier.wait()
            outcomes.append(action(argument))
        except services.Refused as refusal:
            outcomes.append(" ".join(refusal.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_six_learners_for_two_seats_enroll_two_and_waitlist_four(monkeypatch):
    session = SessionFactory(capacity=2)
    people = learners(6)

    def take(person):
        return services.seat_take(session=session, person=person, by=person.user).status

    outcomes = race(take, people, monkeypatch)
    assert outcomes.count(SeatStatus.ENROLLED) == 2, outcomes
    assert outcomes.count(SeatStatus.WAITLISTED) == 4, outcomes
    assert Seat.objects.filter(session=session).enrolled().count() == 2


def test_cancels_and_enrollments_at_once_never_overfill(monkeypatch):
    session = SessionFactory(capacity=3)
    holders = learners(3)
    seats = [services.seat_take(session=session, person=p, by=p.user) for p in holders]
    newcomers = learners(4)

    def act(argument):
        if isinstance(argument, Seat):
            services.seat_cancel(seat=argument, by=None)
            return "cancelled"
        return services.seat_take(session=session, person=argument, by=argument.user).status

    race(act, [seats[0], seats[1], *newcomers], monkeypatch, pause=0.1)
    enrolled = Seat.objects.filter(session=session).enrolled().count()
    waiting = Seat.objects.filter(session=session).waitlisted().count()
    assert enrolled == 3 and waiting == 2
