from datetime import UTC, datetime, timedelta

import pytest

from tandem.lib.periodic import Schedule

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HOURLY = Schedule("accounts.tasks.purge", timedelta(hours=1))


def test_it_is_due_when_it_never_ran():
    assert HOURLY.is_due(last_enqueued_at=None, now=NOON)


def test_it_is_not_due_within_the_interval():
    assert not HOURLY.is_due(last_enqueued_at=NOON, now=NOON + timedelta(minutes=59))


def test_it_is_due_once_a_full_interval_has_passed():
    assert HOURLY.is_due(last_enqueued_at=NOON, now=NOON + timedelta(hours=1))
    assert HOURLY.is_due(last_enqueued_at=NOON, now=NOON + timedelta(days=3))


def test_a_last_run_in_the_future_is_not_due():
    assert not HOURLY.is_due(last_enqueued_at=NOON + timedelta(minutes=5), now=NOON)


@pytest.mark.parametrize("every", [timedelta(0), timedelta(seconds=-1)])
def test_it_needs_a_positive_interval(every):
    with pytest.raises(ValueError, match="must be positive"):
        Schedule("x", every)
