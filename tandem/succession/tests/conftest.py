"""Talent-review personas, on top of the shared `org` (tandem/conftest.py):

peer          a second report of org.manager, with a login: org.report's peer
review        a talent review of the whole organization, still rating
placed        org.report placed in `review` by org.manager (box 8: moderate, high)
"""

import pytest

from tandem.succession.tests.factories import ReviewFactory, place
from tandem.tests.factories import PersonFactory, make_user_for


@pytest.fixture
def peer(org):
    person = PersonFactory(
        first_name="Pia", last_name="Peer", level="emerging", manager=org.manager
    )
    make_user_for(person)
    return person


@pytest.fixture
def review(db):
    return ReviewFactory(name="Spring review")


@pytest.fixture
def placed(org, review):
    return place(review, org.report, 8, rated_by=org.manager, note="Ready to stretch")
