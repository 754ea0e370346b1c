"""Check-ins: a pulse to both sides 30 days after the start, then every 60; each side
answers its own; the admin sees the ratings only."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from tandem.mentoring import relationship_tasks
from tandem.mentoring import relationships as services
from tandem.mentoring.models import CheckIn
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403
from tandem.scheduler import registered

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def started(proposed):
    from tandem.mentoring.tests.relationship_fixtures import activate

    with time_machine.travel(START, tick=False):
        return activate(proposed)


def test_the_jobs_are_registered():
    jobs = registered()
    for name in ("expire_mentoring_requests", "create_mentoring_check_ins"):
        assert f"tandem.mentoring.relationship_tasks.{name}" in jobs


def test_check_ins_come_at_30_days_then_every_60(started):
    def run(day):
        with time_machine.travel(day, tick=False):
            return relationship_tasks.create_mentoring_check_ins.call()["created"]

    mail.outbox.clear()
    assert run(START + datetime.timedelta(days=29)) == 0
    assert run(START + datetime.timedelta(days=30)) == 2
    assert run(START + datetime.timedelta(days=31)) == 0  # idempotent
    assert len(mail.outbox) == 2
    assert run(START + datetime.timedelta(days=90)) == 2
    dues = sorted({c.due_on for c in CheckIn.objects.all()})
    assert dues == [datetime.date(2026, 4, 1), datetime.date(2026, 5, 31)]


def test_each_side_answers_its_own_check_in_once(started, org):
    with time_machine.travel(START + datetime.timedelta(days=30), tick=False):
        services.check_ins_create_due()
    mine = CheckIn.objects.get(side="mentee")
    answer = services.CheckInAnswer(4, 3, True, "SECRET comment")
    with pytest.raises(services.Refused):
        services.check_in_answer(check_in=mine, user=started.mentor.user, answer=answer)
    services.check_in_answer(check_in=mine, user=started.mentee.user, answer=answer)
    with pytest.raises(services.Refused):
        services.check_in_answer(check_in=mine, user=started.mentee.user, answer=answer)
    mine.refresh_from_db()
    assert mine.satisfaction == 4 and mine.comment == "SECRET comment"


def test_a_rating_out_of_range_is_a_field_error(started):
    with time_machine.travel(START + datetime.timedelta(days=30), tick=False):
        services.check_ins_create_due()
    mine = CheckIn.objects.get(side="mentor")
    with pytest.raises(ValidationError) as error:
        services.check_in_answer(
            check_in=mine, user=started.mentor.user, answer=services.CheckInAnswer(9, 0, True)
        )
    assert set(error.value.message_dict) == {"satisfaction", "goal_progress"}
    mine.refresh_from_db()
    assert mine.answered_at is None
