"""Helpers for the pulse tests (no tests here): a pulse organization on top of the shared
`org` personas, opening a pulse and reading the emailed links, answering.

The pulse organization (everyone in the unit "Operations"):
    org.manager   leads Rita (org.report) and 5 more emerging leaders: a team of 6
    lead          a second mid-level manager under the CEO, with 6 emerging leaders
    the rest      the CEO, the executive viewer, org.manager, lead and the outsider: 5
                  people in small slices (2 senior, 2 mid, 1 individual contributor),
                  pooled by the cells into one cell of 5
So with everyone answering, the manager's and the lead's teams show, the CEO's direct
reports (3 people of mixed levels) do not, nor does any level but "emerging".
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from tandem.insights import pulse_items, pulses
from tandem.insights.models import Pulse
from tandem.people.models import Person
from tandem.tests.factories import PersonFactory, make_user_for

LINK = re.compile(r"/impact/pulses/answer/([A-Za-z0-9_-]+)/")


@dataclass
class PulseOrg:
    org: Any
    lead: Person
    manager_team: list[Person]
    lead_team: list[Person]

    @property
    def everyone(self) -> list[Person]:
        return list(Person.objects.active())


def pulse_org(org) -> PulseOrg:
    team = [org.report] + [
        PersonFactory(level="emerging", manager=org.manager, first_name=f"Member{n}")
        for n in range(5)
    ]
    lead = PersonFactory(first_name="Lea", last_name="Lead", level="mid", manager=org.ceo)
    make_user_for(lead)
    lead_team = [
        PersonFactory(level="emerging", manager=lead, first_name=f"Crew{n}") for n in range(6)
    ]
    return PulseOrg(org, lead, team, lead_team)


def answers(level: int = 4, enps: int = 9) -> dict[str, int]:
    result = {item.key: level for item in pulse_items.asked_items()}
    result[pulse_items.ENPS_KEY] = enps
    return result


def tokens_from_outbox() -> dict[str, str]:
    """The raw token each recipient got, by email address."""
    found = {}
    for message in mail.outbox:
        match = LINK.search(str(message.body))
        if match:
            found[message.to[0]] = match.group(1)
    return found


def opened(by, *, name: str = "Pulse Q1", org_unit=None, days: int = 14) -> tuple[Pulse, dict]:
    """A pulse created and opened by `by`, its emails sent; returns it with the tokens
    by email address."""
    mail.outbox.clear()
    pulse = pulses.pulse_create(
        name=name,
        org_unit=org_unit,
        closes_on=timezone.now().date() + timedelta(days=days),
        created_by=by,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        pulse = pulses.pulse_open(pulse=pulse, opened_by=by)
    return pulse, tokens_from_outbox()


def answer_everyone(raw: dict[str, str], *, level: int = 4, enps: int = 9) -> None:
    for token in raw.values():
        pulses.pulse_answer(raw_token=token, answers=answers(level, enps))
