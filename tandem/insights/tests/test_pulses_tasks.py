"""The pulses' periodic job: it opens the next organization-wide pulse when one is due
(PulseSettings), closes the open ones past their closing date, and a second run
changes nothing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from tandem.insights.models import Pulse, PulseResponse, PulseSettings, PulseStatus
from tandem.insights.pulse_tasks import run_pulse_schedule
from tandem.insights.tests.test_pulses_setup import answer_everyone, pulse_org, tokens_from_outbox
from tandem.scheduler import registered

pytestmark = pytest.mark.django_db

MAY = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


def run() -> dict:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return run_pulse_schedule.call()


def test_it_is_a_registered_periodic_job():
    assert "tandem.insights.pulse_tasks.run_pulse_schedule" in registered()


def test_it_opens_the_first_pulse_and_a_second_run_changes_nothing(org):
    pulse_org(org)
    with time_machine.travel(MAY):
        assert run() == {"closed": 0, "opened": "Pulse Q2 2026"}
        assert run() == {"closed": 0, "opened": None}
    pulse = Pulse.objects.get()
    assert pulse.status == PulseStatus.OPEN and pulse.org_unit is None
    assert (pulse.opens_on, pulse.closes_on) == (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 18),
    )
    assert len(mail.outbox) == pulse.invited == 17


def test_it_closes_the_pulse_after_its_date_and_opens_the_next_when_due(org):
    pulse_org(org)
    with time_machine.travel(MAY):
        run()
    with time_machine.travel(MAY + datetime.timedelta(days=1)):
        answer_everyone(tokens_from_outbox())
    with time_machine.travel(MAY + datetime.timedelta(days=20)):
        assert run() == {"closed": 1, "opened": None}
    first = Pulse.objects.get()
    assert first.status == PulseStatus.CLOSED
    assert not PulseResponse.objects.filter(cell=None).exists()
    with time_machine.travel(MAY + datetime.timedelta(days=88)):  # 31 July: not yet
        assert run() == {"closed": 0, "opened": None}
    with time_machine.travel(datetime.datetime(2026, 8, 4, 6, 0, tzinfo=datetime.UTC)):
        assert run() == {"closed": 0, "opened": "Pulse Q3 2026"}
    assert Pulse.objects.count() == 2


def test_it_follows_the_settings(org):
    pulse_org(org)
    PulseSettings.objects.update_or_create(pk=1, defaults={"automatic": False})
    with time_machine.travel(MAY):
        assert run() == {"closed": 0, "opened": None}
    PulseSettings.objects.filter(pk=1).update(automatic=True, every_months=1, open_days=5)
    with time_machine.travel(MAY):
        assert run()["opened"] == "Pulse May 2026"
    assert Pulse.objects.get().closes_on == datetime.date(2026, 5, 9)


def test_a_pulse_to_one_unit_does_not_hold_back_the_organizations(org, program_admin):
    from tandem.insights import pulses

    people = pulse_org(org)
    with time_machine.travel(MAY):
        unit_pulse = pulses.pulse_create(
            name="Ops only",
            org_unit=people.lead.org_unit,
            closes_on=datetime.date(2026, 5, 30),
            created_by=program_admin,
        )
        pulses.pulse_open(pulse=unit_pulse, opened_by=program_admin)
        assert run()["opened"] == "Pulse Q2 2026"


def test_with_nobody_to_ask_it_writes_nothing():
    with time_machine.travel(MAY):
        assert run() == {"closed": 0, "opened": None}
    assert not Pulse.objects.exists()
