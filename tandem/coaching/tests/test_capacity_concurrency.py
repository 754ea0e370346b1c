"""A coach's last place, asked for by two requests at the same moment: exactly one
pairing succeeds. Real concurrent transactions on PostgreSQL, in two threads; the
count is slowed down so both requests are inside it together without the lock."""

import threading
import time

import pytest
from django.db import connection

from tandem.coaching import services
from tandem.coaching.models import Coach, Engagement
from tandem.coaching.tests.factories import CoachFactory
from tandem.tests.factories import PersonFactory, UserFactory, make_user_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter (SQLite serializes all writers)",
    ),
]


def race(coach, coachees, admin, monkeypatch, *, pause: float = 0.3):
    """Pair each coachee with `coach` in its own thread, all starting together."""
    counted = Coach.coachee_count

    def slow_count(self):
        result = counted(self)
        time.sleep(pause)  # both requests would read the same count without the lock
        return result

    monkeypatch.setattr(Coach, "coachee_count", slow_count)
    barrier = threading.Barrier(len(coachees))
    outcomes: list[str] = []

    def request(coachee):
        try:
            barrier.wait()
            services.engagement_pair(coach=coach, coachee=coachee, paired_by=admin)
            outcomes.append("paired")
        except services.Refused as refusal:
            outcomes.append(" ".join(refusal.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(c,)) for c in coachees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def coachee():
    person = PersonFactory()
    make_user_for(person)
    return person


def test_two_requests_for_the_last_place_pair_only_one(monkeypatch):
    coach = CoachFactory(capacity=2)
    admin = UserFactory(is_superuser=True)
    services.engagement_pair(coach=coach, coachee=coachee(), paired_by=admin)
    outcomes = race(coach, [coachee(), coachee()], admin, monkeypatch)
    assert sorted(outcomes)[1] == "paired" and outcomes.count("paired") == 1, outcomes
    assert any("no free place" in outcome for outcome in outcomes)
    assert Engagement.objects.open().filter(coach=coach).count() == 2


def test_five_requests_for_three_places_pair_three(monkeypatch):
    coach = CoachFactory(capacity=3)
    admin = UserFactory(is_superuser=True)
    outcomes = race(coach, [coachee() for _ in range(5)], admin, monkeypatch, pause=0.1)
    assert outcomes.count("paired") == 3, outcomes
    assert Engagement.objects.open().filter(coach=coach).count() == 3


def test_one_coachee_asking_twice_at_once_gets_one_coach(monkeypatch):
    admin = UserFactory(is_superuser=True)
    person = coachee()
    first, second = CoachFactory(), CoachFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def request(coach):
        try:
            barrier.wait()
            services.engagement_pair(coach=coach, coachee=person, paired_by=admin)
            outcomes.append("paired")
        except services.Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["paired", "refused"]
    assert Engagement.objects.open().filter(coachee=person).count() == 1
