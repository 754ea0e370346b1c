"""Not collected by the suite (run it by name): the race tests with row locks switched
off, to show that they catch the race. Every test here is expected to fail.

    DATABASE_URL=postgres://… pytest tandem/tests/races_without_locks.py
"""

import pytest
from django.db.models import QuerySet

from tandem.tests import test_races
from tandem.tests.test_races import *  # noqa: F403  (the same tests, collected again here)


@pytest.fixture(autouse=True)
def _no_row_locks(monkeypatch):
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *a, **k: self)


assert test_races  # the module whose tests run here
