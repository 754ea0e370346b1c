"""The coaching API: pairing (and its capacity refusal), the agreement, booking,
holding with next steps (refused without, nothing written), notes for the two parties
only, the rating, next steps and the roster's terms. Each endpoint refuses others."""

import datetime

import pytest
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.coaching.models import ActionItem, Coach, Engagement, SessionNotes, SessionStatus
from tandem.coaching.tests.factories import CoachFactory, booked, paired
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = pytest.mark.django_db


def week():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


HOLD = {
    "goal": "Calm planning meetings",
    "reality": "Defensive",
    "options": "Pause",
    "will": "Ask first",
}


def test_a_participant_chooses_a_coach_and_both_accept(org, coach, coaching_plan):
    api = token_client(org.report.user)
    response = api.post(
        "/api/v1/coaching/engagements", {"coach_id": coach.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "agreement" and body["paired_via"] == "choice"
    assert body["sponsor"] == {"id": org.manager.pk, "full_name": org.manager.full_name}
    url = f"/api/v1/coaching/engagements/{body['id']}/agreement"
    assert api.post(url, {"accept": False}, content_type="application/json").status_code == 422
    api.post(url, {"accept": True}, content_type="application/json")
    response = token_client(coach.user).post(url, {"accept": True}, content_type="application/json")
    assert response.json()["status"] == "active"


def test_pairing_a_full_coach_is_a_400_and_writes_nothing(org, program_admin):
    full = CoachFactory(capacity=1)
    someone = PersonFactory()
    make_user_for(someone)
    paired(full, someone)
    response = token_client(program_admin).post(
        "/api/v1/coaching/engagements",
        {"coach_id": full.pk, "coachee_id": org.report.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "no free place" in response.json()["detail"]
    assert not Engagement.objects.filter(coachee=org.report).exists()


def test_pairing_someone_else_is_for_admins(org, coach, coaching_plan):
    response = token_client(org.report.user).post(
        "/api/v1/coaching/engagements",
        {"coach_id": coach.pk, "coachee_id": org.outsider.pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_bad_dates_are_named(org, coach, program_admin):
    response = token_client(program_admin).post(
        "/api/v1/coaching/engagements",
        {"coach_id": coach.pk, "coachee_id": org.report.pk, "starts_on": "9999-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "starts_on"


def test_booking_holding_and_rating_through_the_api(org, engagement):
    coach_api, coachee_api = token_client(engagement.coach.user), token_client(org.report.user)
    starts = (timezone.now() - datetime.timedelta(hours=2)).replace(microsecond=0).isoformat()
    response = coach_api.post(
        f"/api/v1/coaching/engagements/{engagement.pk}/sessions",
        {"starts_at": starts, "duration_minutes": 60, "location": "Room 2"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]
    hold = f"/api/v1/coaching/sessions/{session_id}/hold"
    refused = coach_api.post(hold, {**HOLD, "next_steps": []}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "next_steps"
    assert not SessionNotes.objects.exists() and not ActionItem.objects.exists()
    step = {"title": "Ask one question first", "owner": "coachee", "due_date": week()}
    assert (
        coachee_api.post(
            hold, {**HOLD, "next_steps": [step]}, content_type="application/json"
        ).status_code
        == 403
    )
    held = coach_api.post(hold, {**HOLD, "next_steps": [step]}, content_type="application/json")
    assert held.status_code == 200
    assert held.json()["next_steps"][0]["title"] == "Ask one question first"
    rating = coachee_api.post(
        f"/api/v1/coaching/sessions/{session_id}/rating",
        {"rating": 4, "takeaways": "Ask before answering"},
        content_type="application/json",
    )
    assert rating.status_code == 200 and rating.json()["rating"] == 4
    notes = coachee_api.get(f"/api/v1/coaching/sessions/{session_id}/notes").json()
    assert notes["takeaways"] == "Ask before answering" and notes["will"] == "Ask first"


def test_a_next_step_due_before_the_session_is_refused(engagement):
    session = booked(engagement)
    response = token_client(engagement.coach.user).post(
        f"/api/v1/coaching/sessions/{session.pk}/hold",
        {**HOLD, "next_steps": [{"title": "Late", "owner": "coach", "due_date": "2020-01-01"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_booking_before_the_agreement_is_a_400(org, coach):
    engagement = paired(coach, org.report)
    response = token_client(coach.user).post(
        f"/api/v1/coaching/engagements/{engagement.pk}/sessions",
        {"starts_at": "2030-01-01T10:00:00+00:00"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_time_without_its_offset_is_a_422(engagement):
    response = token_client(engagement.coach.user).post(
        f"/api/v1/coaching/engagements/{engagement.pk}/sessions",
        {"starts_at": "2030-01-01T10:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.parametrize("who", ["outsider", "executive", "manager"])
def test_others_cannot_book_or_read_sessions(org, engagement, who):
    session = booked(engagement)
    api = token_client(getattr(org, who).user)
    expected = 403 if who == "manager" else 404  # the sponsor sees the engagement's summary
    assert api.get(f"/api/v1/coaching/engagements/{engagement.pk}/sessions").status_code == expected
    assert api.get(f"/api/v1/coaching/sessions/{session.pk}").status_code == 404
    assert api.get(f"/api/v1/coaching/sessions/{session.pk}/notes").status_code == 404
    assert (
        api.post(
            f"/api/v1/coaching/sessions/{session.pk}/cancel", content_type="application/json"
        ).status_code
        == 404
    )


def test_next_steps_are_listed_and_ticked_off_by_the_parties(org, engagement):
    session = booked(engagement)
    from tandem.coaching import services

    services.session_hold(
        session=session,
        grow=services.Grow(),
        next_steps=[services.NextStep("Ask first", "coachee", timezone.localdate())],
        held_by=engagement.coach.user,
    )
    item = ActionItem.objects.get()
    coachee_api = token_client(org.report.user)
    mine = coachee_api.get("/api/v1/coaching/action-items?mine=true").json()
    assert [i["id"] for i in mine["items"]] == [item.pk]
    assert (
        token_client(engagement.coach.user)
        .get("/api/v1/coaching/action-items?mine=true")
        .json()["count"]
        == 0
    )
    patched = coachee_api.patch(
        f"/api/v1/coaching/action-items/{item.pk}", {"done": True}, content_type="application/json"
    )
    assert patched.json()["done_on"] == timezone.localdate().isoformat()
    assert (
        token_client(org.manager.user).get(f"/api/v1/coaching/action-items/{item.pk}").status_code
        == 404
    )
    assert token_client(org.manager.user).get("/api/v1/coaching/action-items").json()["count"] == 0


def test_the_roster_shows_terms_to_admins_and_the_coach_only(org, coach, program_admin):
    url = f"/api/v1/coaching/coaches/{coach.pk}"
    assert token_client(org.outsider.user).get(url).json()["hourly_rate"] is None
    assert token_client(coach.user).get(url).json()["capacity"] == coach.capacity
    admin_view = token_client(program_admin).get(url).json()
    assert admin_view["free_places"] == coach.capacity and admin_view["hourly_rate"] == "180.00"


def test_admins_add_and_change_coaches(org, program_admin):
    api = token_client(program_admin)
    response = api.post(
        "/api/v1/coaching/coaches",
        {
            "email": "new.coach@example.com",
            "first_name": "New",
            "last_name": "Coach",
            "kind": "external",
            "languages": ["en"],
            "capacity": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    coach_id = response.json()["id"]
    bad = api.patch(
        f"/api/v1/coaching/coaches/{coach_id}", {"currency": "E1R"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "currency"
    api.patch(
        f"/api/v1/coaching/coaches/{coach_id}", {"capacity": 7}, content_type="application/json"
    )
    assert Coach.objects.get(pk=coach_id).capacity == 7
    refused = token_client(org.manager.user).post(
        "/api/v1/coaching/coaches",
        {
            "email": "x@example.com",
            "first_name": "X",
            "last_name": "Y",
            "kind": "external",
            "languages": ["en"],
        },
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_suggestions_through_the_api(org, coach, coaching_plan):
    response = token_client(org.report.user).get("/api/v1/coaching/suggestions")
    assert response.status_code == 200
    assert response.json()[0]["coach"]["id"] == coach.pk
    assert response.json()[0]["reasons"]
    assert token_client(org.outsider.user).get("/api/v1/coaching/suggestions").status_code == 403
    assert (
        token_client(org.report.user).get("/api/v1/coaching/suggestions?language=xx").status_code
        == 422
    )


def test_the_engagement_list_is_scoped(org, engagement, program_admin):
    assert token_client(program_admin).get("/api/v1/coaching/engagements").json()["count"] == 1
    assert token_client(org.manager.user).get("/api/v1/coaching/engagements").json()["count"] == 1
    assert token_client(org.outsider.user).get("/api/v1/coaching/engagements").json()["count"] == 0
    assert (
        token_client(org.executive.user)
        .get(f"/api/v1/coaching/engagements/{engagement.pk}")
        .status_code
        == 404
    )
    sponsor_view = (
        token_client(org.manager.user).get(f"/api/v1/coaching/engagements/{engagement.pk}").json()
    )
    assert sponsor_view["mean_rating"] is None


def test_ending_and_evaluating_through_the_api(org, engagement):
    end = token_client(org.report.user).post(
        f"/api/v1/coaching/engagements/{engagement.pk}/end",
        {"completed": False},
        content_type="application/json",
    )
    assert end.json()["status"] == "ended" and end.json()["ended_by"] == "coachee"
    url = f"/api/v1/coaching/engagements/{engagement.pk}/evaluation"
    assert (
        token_client(org.manager.user)
        .post(url, {"goals_rating": 3, "value_rating": 4}, content_type="application/json")
        .status_code
        == 201
    )
    assert (
        token_client(org.manager.user)
        .post(url, {"goals_rating": 3, "value_rating": 4}, content_type="application/json")
        .status_code
        == 400
    )
    assert (
        token_client(org.outsider.user)
        .post(url, {"goals_rating": 3, "value_rating": 4}, content_type="application/json")
        .status_code
        == 404
    )
