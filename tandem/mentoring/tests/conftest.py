"""Mentoring personas, on top of the shared `org` (tandem/conftest.py):

program      a running mentoring program (Mentoring Circle) with the built-in questionnaire
mentee       org.report (emerging, under org.manager), enrolled, answered, intent stated
mentor       Mona Mentor, a senior leader in another unit, in the pool, answered
mentor2      Sam Senior, another senior mentor, answered
The other half keeps its own fixtures in its own module.
"""

import pytest

from tandem.mentoring.tests.factories import make_mentee, make_mentor, mentoring_program, person
from tandem.tests.factories import OrgUnitFactory


@pytest.fixture
def program(db):
    return mentoring_program()


@pytest.fixture
def mentee(org, program):
    return make_mentee(program, org.report, goals=("Lead my first team", "Learn finance"))


@pytest.fixture
def mentor(org, program):
    who = person(
        "senior", first_name="Mona", last_name="Mentor", org_unit=OrgUnitFactory(name="Finance")
    )
    return make_mentor(program, who, capacity=2)


@pytest.fixture
def mentor2(org, program):
    who = person(
        "senior", first_name="Sam", last_name="Senior", org_unit=OrgUnitFactory(name="Sales")
    )
    return make_mentor(program, who, capacity=1)
