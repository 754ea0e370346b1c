"""Shared fixtures: the personas every access test uses, built from factories.

Personas (one small organization):
    program_admin  a program admin: a login with no person record
    ceo          senior executive at the top of the tree
    manager      mid-level manager reporting to the ceo
    report       emerging leader reporting to the manager
    outsider     an individual contributor in another team (reports to the ceo)
    executive    an executive viewer (aggregates only), a person with no reports
"""

import pytest

from tandem.accounts.models import Role
from tandem.tests.factories import PersonFactory, UserFactory, make_user_for


@pytest.fixture
def program_admin(db):
    return UserFactory(username="admin", roles=[Role.PROGRAM_ADMIN])


@pytest.fixture
def org(db):
    """A small organization with a login for each person; returns a namespace."""
    ceo = PersonFactory(first_name="Cora", last_name="Chief", level="senior", manager=None)
    manager = PersonFactory(first_name="Max", last_name="Manager", level="mid", manager=ceo)
    report = PersonFactory(first_name="Rita", last_name="Report", level="emerging", manager=manager)
    outsider = PersonFactory(
        first_name="Otto", last_name="Outsider", level="individual_contributor", manager=ceo
    )
    executive = PersonFactory(first_name="Eve", last_name="Exec", level="senior", manager=None)
    for person in (ceo, manager, report, outsider):
        make_user_for(person)
    make_user_for(executive, roles=[Role.EXECUTIVE_VIEWER])

    class Org:
        pass

    o = Org()
    o.ceo, o.manager, o.report, o.outsider, o.executive = ceo, manager, report, outsider, executive
    return o
