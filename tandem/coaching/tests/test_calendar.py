"""Sessions in each party's calendar feed: title with the other party's name, time and
place — never the notes."""

import datetime

import pytest
from django.utils import timezone

from tandem.accounts.calendar import events_for
from tandem.coaching import services
from tandem.coaching.tests.factories import booked

pytestmark = pytest.mark.django_db


def test_each_party_sees_the_session_titled_with_the_other(org, engagement):
    upcoming = booked(engagement, starts_at=timezone.now() + datetime.timedelta(days=2))
    cancelled = booked(engagement, starts_at=timezone.now() + datetime.timedelta(days=3))
    services.session_cancel(session=cancelled, by=org.report.user)
    coach_events = [e for e in events_for(engagement.coach.user) if e.uid == upcoming.uid]
    coachee_events = [e for e in events_for(org.report.user) if e.uid == upcoming.uid]
    assert coach_events[0].summary == f"Coaching session with {org.report.full_name}"
    assert coachee_events[0].summary == f"Coaching session with {engagement.coach.name}"
    assert coach_events[0].start == upcoming.starts_at
    assert not [e for e in events_for(org.report.user) if e.uid == cancelled.uid]
    assert not [e for e in events_for(org.manager.user) if e.uid == upcoming.uid]
