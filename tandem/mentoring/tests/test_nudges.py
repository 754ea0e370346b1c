"""Inactive relationships (no meeting for the program's inactivity weeks) are flagged
and both sides nudged, once per period."""

import datetime

import pytest
import time_machine
from django.core import mail

from tandem.mentoring import relationship_tasks
from tandem.mentoring import relationships as services
from tandem.mentoring.models import MentoringSettings, Relationship
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403
from tandem.mentoring.tests.relationship_fixtures import activate
from tandem.scheduler import registered

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def started(proposed):
    MentoringSettings.objects.filter(program=proposed.program).update(inactivity_weeks=4)
    with time_machine.travel(START, tick=False):
        relationship = activate(proposed)
        services.meeting_log(
            relationship=relationship,
            user=relationship.mentor.user,
            record=services.MeetingRecord(START.date(), 60, "video", notes="SECRET"),
        )
    mail.outbox.clear()
    return relationship


def nudge(day):
    with time_machine.travel(day, tick=False):
        return relationship_tasks.nudge_inactive_mentoring.call()["nudged"]


def test_it_is_registered():
    assert "tandem.mentoring.relationship_tasks.nudge_inactive_mentoring" in registered()


def test_it_flags_and_nudges_both_once_per_period(started):
    assert nudge(START + datetime.timedelta(weeks=3)) == 0
    later = START + datetime.timedelta(weeks=5)
    assert Relationship.objects.inactive(4, later.date()).get() == started
    assert nudge(later) == 1 and nudge(later + datetime.timedelta(days=1)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [started.mentee.email, started.mentor.email]
    )
    assert not any("SECRET" in m.body for m in mail.outbox)
    assert nudge(later + datetime.timedelta(weeks=4, days=1)) == 1


def test_a_meeting_ends_the_inactivity(started):
    later = START + datetime.timedelta(weeks=5)
    with time_machine.travel(later, tick=False):
        services.meeting_log(
            relationship=started,
            user=started.mentee.user,
            record=services.MeetingRecord(later.date(), 30, "phone"),
        )
    assert nudge(later) == 0
