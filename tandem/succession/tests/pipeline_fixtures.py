"""Pipeline personas, on top of the shared `org` (tandem/conftest.py). Import into a
test module with `from tandem.succession.tests.pipeline_fixtures import *`.

roles      four critical roles (hand-computed: bench strength 1/4, coverage 2/4, one
           risk role):
           ops     "Head of Operations", mid, incumbent org.manager, high risk;
                   slate: org.report ready now
           team    "Team lead", emerging, incumbent org.report, high risk; empty slate
                   (the risk role)
           board   "Chief of staff", senior, vacant and without a unit (admins only);
                   slate: org.manager in 1-2 years
           desk    "Desk lead", individual contributor, incumbent org.outsider, low
                   risk; empty slate
openings   three filled (inside after 10 and 60 days, outside after 20) and one open:
           internal fill rate 2/3, median 20 days
program    a running program for emerging and mid-level leaders
"""

import datetime

import pytest
from django.utils import timezone

from tandem.succession.models import (
    CriticalRole,
    Degree,
    FillSource,
    Opening,
    Readiness,
    Successor,
)
from tandem.tests.factories import running_program

__all__ = ["ROLES", "add", "openings", "program", "roles"]

ROLES = ("ops", "team", "board", "desk")


def add(role: CriticalRole, person: object, readiness: str, rank: int = 1) -> Successor:
    return Successor.objects.create(role=role, person=person, readiness=readiness, rank=rank)


@pytest.fixture
def roles(org):
    class Roles:
        pass

    r = Roles()
    r.ops = CriticalRole.objects.create(
        title="Head of Operations",
        level="mid",
        incumbent=org.manager,
        impact_of_loss=Degree.HIGH,
        risk_of_loss=Degree.HIGH,
    )
    r.team = CriticalRole.objects.create(
        title="Team lead", level="emerging", incumbent=org.report, risk_of_loss=Degree.HIGH
    )
    r.board = CriticalRole.objects.create(
        title="Chief of staff",
        level="senior",
        vacancy_expected_on=datetime.date(2027, 1, 1),
        vacancy_reason="retirement",
    )
    r.desk = CriticalRole.objects.create(
        title="Desk lead",
        level="individual_contributor",
        incumbent=org.outsider,
        risk_of_loss=Degree.LOW,
    )
    r.ready = add(r.ops, org.report, Readiness.READY_NOW)
    r.later = add(r.board, org.manager, Readiness.ONE_TWO_YEARS)
    return r


@pytest.fixture
def openings(db):
    today = timezone.localdate()
    made = []
    for days_ago, days, source in (
        (100, 10, "internal"),
        (90, 20, "external"),
        (80, 60, "internal"),
    ):
        opened = today - datetime.timedelta(days=days_ago)
        made.append(
            Opening.objects.create(
                title=f"Opening {days_ago}",
                level="mid",
                opened_on=opened,
                filled_on=opened + datetime.timedelta(days=days),
                source=FillSource(source),
            )
        )
    made.append(
        Opening.objects.create(
            title="Still open", level="senior", opened_on=today - datetime.timedelta(days=5)
        )
    )
    return made


@pytest.fixture
def program(db):
    return running_program(name="Leading leaders", target_levels=["emerging", "mid"])
