"""The session pages: booking (after the agreement), moving, cancelling, a no-show,
holding with GROW notes and at least one next step, and the coachee's rating."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.coaching.models import ActionItem, Session, SessionNotes, SessionStatus
from tandem.coaching.tests.factories import booked, paired
from tandem.lib.ical import parse_calendar

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def hold_data(*, steps=(), **grow):
    data = {
        "grow-goal": grow.get("goal", "Lead the planning meeting calmly"),
        "grow-reality": grow.get("reality", "Gets defensive when challenged"),
        "grow-options": grow.get("options", "Pause; ask; take it offline"),
        "grow-will": grow.get("will", "Ask one question before answering"),
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
    }
    for index in range(3):
        step = {"title": "", "owner": "coachee", "due_date": ""}
        if index < len(steps):
            step.update(steps[index])
        data.update({f"steps-{index}-{key}": value for key, value in step.items()})
    return data


def in_a_week():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def test_booking_waits_for_the_agreement(client, org, coach):
    engagement = paired(coach, org.report)
    client.force_login(coach.user)
    url = reverse("coaching:session-create", args=[engagement.pk])
    starts = local(timezone.now() + datetime.timedelta(days=2))
    response = client.post(url, {"starts_at": starts, "duration_minutes": "60", "location": ""})
    assert response.status_code == 400
    assert "accept the coaching agreement" in response.content.decode()
    assert not Session.objects.exists()


def test_booking_sends_each_party_an_invitation_in_their_time_zone(
    client, org, engagement, django_capture_on_commit_callbacks
):
    org.report.user.time_zone = "America/New_York"
    org.report.user.save()
    client.force_login(engagement.coach.user)
    starts = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coaching:session-create", args=[engagement.pk]),
            {"starts_at": local(starts), "duration_minutes": "60", "location": "Room 4"},
        )
    session = Session.objects.get()
    assert response.status_code == 302
    assert session.starts_at == starts
    invites = [m for m in mail.outbox if "invite.ics" in str(m.message())]
    assert sorted(m.to[0] for m in invites) == sorted(
        [engagement.coach.user.email, org.report.user.email]
    )
    for message in invites:
        ics = next(a for a in message.attachments if a[0] == "invite.ics")[1]
        event = parse_calendar(ics).events[0]
        assert event.start == starts and event.tzid == engagement.coach.time_zone
        assert event.uid == session.uid and event.sequence == 0
    to_coachee = next(m for m in invites if m.to == [org.report.user.email])
    assert "(America/New_York)" in to_coachee.body


def test_moving_and_cancelling_send_updates_with_the_next_sequence(
    client, org, engagement, django_capture_on_commit_callbacks
):
    session = booked(engagement, starts_at=timezone.now() + datetime.timedelta(days=2))
    client.force_login(org.report.user)
    later = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coaching:session-reschedule", args=[session.pk]),
            {"starts_at": local(later), "duration_minutes": "45", "location": ""},
        )
        client.post(reverse("coaching:session-cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 2
    methods = [parse_calendar(m.attachments[0][1]).method for m in mail.outbox]
    assert methods == ["REQUEST", "REQUEST", "CANCEL", "CANCEL"]


def test_a_time_far_in_the_past_is_refused_next_to_the_field(client, engagement):
    client.force_login(engagement.coach.user)
    response = client.post(
        reverse("coaching:session-create", args=[engagement.pk]),
        {"starts_at": "2020-01-01T10:00", "duration_minutes": "60", "location": ""},
    )
    assert response.status_code == 400
    assert "starts_at" in response.context["form"].errors


def test_only_the_coach_records_a_no_show(client, org, engagement):
    session = booked(engagement)
    client.force_login(org.report.user)
    assert client.post(reverse("coaching:session-no-show", args=[session.pk])).status_code == 403
    client.force_login(engagement.coach.user)
    client.post(reverse("coaching:session-no-show", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW


def test_holding_without_a_next_step_is_refused_and_writes_nothing(client, engagement):
    session = booked(engagement)
    client.force_login(engagement.coach.user)
    response = client.post(reverse("coaching:session-hold", args=[session.pk]), hold_data())
    assert response.status_code == 400
    assert "Close every conversation with clear next steps" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert not SessionNotes.objects.exists() and not ActionItem.objects.exists()


def test_a_next_step_without_a_due_date_is_refused_next_to_it(client, engagement):
    session = booked(engagement)
    client.force_login(engagement.coach.user)
    response = client.post(
        reverse("coaching:session-hold", args=[session.pk]),
        hold_data(steps=[{"title": "Ask first", "owner": "coachee"}]),
    )
    assert response.status_code == 400
    assert "due_date" in response.context["steps"].forms[0].errors
    assert not ActionItem.objects.exists()


def test_the_coach_holds_the_session_with_notes_and_next_steps(client, org, engagement):
    session = booked(engagement)
    client.force_login(engagement.coach.user)
    response = client.post(
        reverse("coaching:session-hold", args=[session.pk]),
        hold_data(
            steps=[
                {"title": "Ask one question first", "owner": "coachee", "due_date": in_a_week()},
                {"title": "Send the reading", "owner": "coach", "due_date": in_a_week()},
            ]
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert SessionNotes.objects.get(session=session).will == "Ask one question before answering"
    assert sorted(ActionItem.objects.values_list("owner", flat=True)) == ["coach", "coachee"]
    assert any("How useful was your coaching session?" in m.subject for m in mail.outbox)


def test_only_the_coach_holds_a_session(client, org, engagement, program_admin):
    session = booked(engagement)
    url = reverse("coaching:session-hold", args=[session.pk])
    client.force_login(org.report.user)
    assert client.get(url).status_code == 403
    client.force_login(program_admin)
    assert client.get(url).status_code == 403
    client.force_login(org.outsider.user)
    assert client.get(url).status_code == 404


def test_a_session_in_the_future_cannot_be_held_yet(client, engagement):
    session = booked(engagement, starts_at=timezone.now() + datetime.timedelta(days=1))
    client.force_login(engagement.coach.user)
    response = client.post(
        reverse("coaching:session-hold", args=[session.pk]),
        hold_data(steps=[{"title": "Ask", "owner": "coachee", "due_date": in_a_week()}]),
    )
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def held(client, engagement):
    session = booked(engagement)
    client.force_login(engagement.coach.user)
    client.post(
        reverse("coaching:session-hold", args=[session.pk]),
        hold_data(steps=[{"title": "Ask first", "owner": "coachee", "due_date": in_a_week()}]),
    )
    return session


def test_the_coachee_rates_and_adds_takeaways(client, org, engagement):
    session = held(client, engagement)
    url = reverse("coaching:session-rate", args=[session.pk])
    assert client.get(url).status_code == 403  # the coach does not rate
    client.force_login(org.report.user)
    assert client.post(url, {"rating": "7", "takeaways": ""}).status_code == 400
    response = client.post(url, {"rating": "4", "takeaways": "Pause before I answer."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.rating == 4
    assert SessionNotes.objects.get(session=session).takeaways == "Pause before I answer."


def test_the_coach_corrects_the_notes(client, org, engagement):
    session = held(client, engagement)
    url = reverse("coaching:session-notes", args=[session.pk])
    response = client.post(
        url, {"grow-goal": "Calm", "grow-reality": "", "grow-options": "", "grow-will": "Pause"}
    )
    assert response.status_code == 302
    assert SessionNotes.objects.get(session=session).will == "Pause"
    client.force_login(org.report.user)
    assert client.get(url).status_code == 403


def test_next_steps_are_ticked_off_by_either_party_only(client, org, engagement):
    held(client, engagement)
    item = ActionItem.objects.get()
    client.force_login(org.manager.user)
    assert client.post(reverse("coaching:action-item-done", args=[item.pk])).status_code == 404
    client.force_login(org.report.user)
    page = client.get(reverse("coaching:action-items"))
    assert page.context["mine"] == [item]
    client.post(reverse("coaching:action-item-done", args=[item.pk]))
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()


def test_the_workload_and_next_steps_pages_take_a_fixed_number_of_queries(
    client, org, engagement, django_assert_max_num_queries
):
    for _ in range(3):
        held(client, engagement)
    client.force_login(engagement.coach.user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("coaching:workload")).status_code == 200
    client.force_login(org.report.user)
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("coaching:action-items")).context["mine"]) == 3
