"""The demo's coaching: coaches, active engagements with held sessions whose notes are
encrypted, next steps, and the participant's journal; reset removes them all."""

import pytest
from django.db import connection

from tandem.coaching.models import (
    ActionItem,
    Coach,
    Engagement,
    EngagementStatus,
    JournalEntry,
    SessionNotes,
    SessionStatus,
)
from tandem.people.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_loads_coaching_and_resets_it():
    summary = load_demo(size=300, seed=7)
    line = next(extra for extra in summary.extras if extra.startswith("Coaching:"))
    assert "engagements" in line
    assert Coach.objects.filter(user__username="coach", kind="internal").exists()
    assert Coach.objects.filter(kind="external").count() == 3
    participant = Engagement.objects.get(coachee__user__username="participant")
    assert participant.status == EngagementStatus.ACTIVE
    assert participant.sessions.filter(status=SessionStatus.HELD).count() == 3
    assert participant.sessions.filter(status=SessionStatus.SCHEDULED).count() == 1
    assert participant.goals.exists()
    assert ActionItem.objects.overdue(summary.as_of).exists()
    assert JournalEntry.objects.filter(author__user__username="participant").count() == 12
    assert Engagement.objects.filter(
        status=EngagementStatus.COMPLETED, evaluations__isnull=False
    ).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT goal FROM coaching_sessionnotes")
        assert all(raw.startswith("gAAAAA") for (raw,) in cursor.fetchall())
    assert SessionNotes.objects.first().goal  # readable with the key

    load_demo(size=300, seed=7, reset=True)
    assert Coach.objects.count() == 4
    assert JournalEntry.objects.count() == 12
