"""Training personas, on top of the shared `org` (tandem/conftest.py):

course        a reinforced course with two objectives and two questions each
session       a session of it next week with two seats, facilitated by `facilitator`
facilitator   a person in the organization (with a login), outside the learners' line
learner       org.report (managed by org.manager)
"""

import pytest

from tandem.tests.factories import PersonFactory, make_user_for
from tandem.training.tests.factories import (
    CourseFactory,
    ObjectiveFactory,
    QuestionFactory,
    SessionFactory,
)


@pytest.fixture
def course(db):
    course = CourseFactory(title="Giving feedback that lands")
    for title in ("Name the behaviour", "Ask before advising"):
        objective = ObjectiveFactory(course=course, title=title)
        QuestionFactory(objective=objective)
        QuestionFactory(objective=objective, options=["Wrong", "Right"], correct=2)
    return course


@pytest.fixture
def facilitator(db):
    person = PersonFactory(first_name="Fay", last_name="Facilitator", manager=None)
    make_user_for(person)
    return person


@pytest.fixture
def session(course, facilitator):
    return SessionFactory(course=course, facilitator=facilitator, capacity=2)


@pytest.fixture
def learner(org):
    return org.report
