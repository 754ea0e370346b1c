"""Coaching personas, on top of the shared `org` (tandem/conftest.py):

coach       an external coach on the roster (a login with no person record)
coachee     org.report, an emerging leader, enrolled in a running coaching program
sponsor     org.manager, the coachee's manager
engagement  the coach and the coachee, paired and with the agreement accepted
"""

import pytest

from tandem.coaching.tests.factories import CoachFactory, active
from tandem.programs.models import Competency
from tandem.tests.factories import enroll, running_program


@pytest.fixture
def coach(db):
    return CoachFactory(
        user__username="carla",
        user__email="carla@coaches.example",
        specialties=[Competency.objects.get(name="Coaching others")],
    )


@pytest.fixture
def coaching_plan(org):
    """The coachee's plan in a running coaching program: they may choose a coach."""
    return enroll(running_program(name="Leading with Coaching", kind="coaching"), org.report)


@pytest.fixture
def engagement(org, coach, coaching_plan):
    return active(coach, org.report)
