"""The daily coaching reminder: owners of overdue next steps and coaches of sessions
left unclosed hear about it at most once a day, from the periodic job, without a word
of what the steps say."""

import datetime

import pytest
import time_machine
from django.core import mail

from tandem.coaching import services, tasks
from tandem.coaching.models import ReminderSent
from tandem.coaching.tests.factories import booked
from tandem.scheduler import registered

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)


@pytest.fixture
def overdue(engagement):
    """A session held on 1 March with a coachee step due 3 March, and a session of
    7 March the coach has not closed."""
    with time_machine.travel(datetime.datetime(2026, 3, 1, 11, tzinfo=datetime.UTC), tick=False):
        session = booked(engagement)
        services.session_hold(
            session=session,
            grow=services.Grow(will="SECRET-WILL"),
            next_steps=[
                services.NextStep("SECRET-STEP", "coachee", datetime.date(2026, 3, 3)),
                services.NextStep("Not yet due", "coach", datetime.date(2026, 3, 20)),
            ],
            held_by=engagement.coach.user,
        )
    with time_machine.travel(datetime.datetime(2026, 3, 7, 11, tzinfo=datetime.UTC), tick=False):
        booked(engagement)
    mail.outbox.clear()
    return engagement


def test_it_is_a_registered_periodic_job():
    assert "tandem.coaching.tasks.send_coaching_reminders" in registered()


def test_it_reminds_each_owner_once_a_day_without_content(org, overdue):
    with time_machine.travel(NOW, tick=False):
        first = tasks.send_coaching_reminders.call()
        second = tasks.send_coaching_reminders.call()
    assert first["sent"] == 2 and second == {**second, "sent": 0, "already_sent": 2}
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {org.report.user.email, overdue.coach.user.email}
    to_coachee = by_recipient[org.report.user.email].body
    assert "1 next step from your coaching sessions is overdue" in to_coachee
    assert "due 3 Mar 2026" in to_coachee or "due March 3, 2026" in to_coachee
    to_coach = by_recipient[overdue.coach.user.email].body
    assert "1 session has taken place but is not closed yet" in to_coach
    for message in mail.outbox:
        assert "SECRET" not in message.subject + message.body
    assert ReminderSent.objects.count() == 2


def test_nothing_for_an_ended_engagement(overdue):
    services.engagement_end(engagement=overdue, ended_by=overdue.coach.user, completed=True)
    with time_machine.travel(NOW, tick=False):
        assert tasks.send_coaching_reminders.call()["sent"] == 0
