"""Calendar invitations: the session's UID for its whole life, SEQUENCE growing with
each change sent, a CANCEL when a seat is given up or the session cancelled; the .ics
download and the calendar feed's source."""

import datetime

import pytest
from django.core import mail

from tandem.accounts.calendar import events_for
from tandem.lib.ical import parse_calendar
from tandem.training import services
from tandem.training.tests.factories import learners

pytestmark = pytest.mark.django_db


def invites_to(person):
    return [
        parse_calendar(m.attachments[0][1])
        for m in mail.outbox
        if person.user.email in m.to
        if m.attachments
    ]


def test_uid_stays_sequence_grows_and_cancel_follows(session, django_capture_on_commit_callbacks):
    (a,) = learners(1)
    with django_capture_on_commit_callbacks(execute=True):
        seat = services.seat_take(session=session, person=a, by=a.user)
    with django_capture_on_commit_callbacks(execute=True):
        session.starts_at += datetime.timedelta(hours=2)
        services.session_save(session=session, changed=["starts_at"], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, changed=["title"], by=None)  # no resend
    with django_capture_on_commit_callbacks(execute=True):
        services.seat_cancel(seat=seat, by=a.user)
    sent = invites_to(a)
    assert [c.method for c in sent] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [c.events[0] for c in sent]
    assert {e.uid for e in events} == {session.uid}
    assert events[0].sequence < events[1].sequence < events[2].sequence
    assert events[1].start == session.starts_at.replace(microsecond=0)
    assert events[1].tzid == "Europe/Paris"
    assert events[2].status == "CANCELLED"


def test_cancelling_the_session_sends_every_learner_a_cancel(
    session, django_capture_on_commit_callbacks
):
    a, b = learners(2)
    services.seat_take(session=session, person=a, by=a.user)
    services.seat_take(session=session, person=b, by=b.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=None)
    for person in (a, b):
        (calendar,) = invites_to(person)
        assert calendar.method == "CANCEL" and calendar.events[0].uid == session.uid


def test_the_ics_download_and_the_feed_show_the_session(client, session, learner):
    services.seat_take(session=session, person=learner, by=learner.user)
    client.force_login(learner.user)
    response = client.get(f"/training/sessions/{session.pk}/session.ics")
    assert response.status_code == 200
    (event,) = parse_calendar(response.content).events
    assert event.uid == session.uid and event.location == "Room 4"
    assert [e.uid for e in events_for(learner.user)] == [session.uid]


def test_the_feed_leaves_out_sessions_without_a_seat(session, org):
    assert events_for(org.outsider.user) == []
