"""Every coaching page and endpoint refuses someone from another team: each route of
the app and each /api/v1/coaching operation is listed here (a new one that is not
fails the coverage test), and the outsider gets 403 or 404 and changes nothing. The
few that answer anyone signed in (their own coaching home, journal, the public roster)
show them nothing of the coachee's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.api.urls import api
from tandem.coaching import services
from tandem.coaching.models import ActionItem, EngagementGoal, JournalEntry, Session
from tandem.coaching.tests.factories import booked

pytestmark = pytest.mark.django_db

# Routes that answer anyone signed in, each with only the viewer's own things.
OPEN_PAGES = {
    "home",
    "engagement-list",
    "coach-detail",
    "action-items",
    "journal",
    "journal-create",
}
OPEN_API = {
    ("get", "/coaching/coaches"),
    ("get", "/coaching/coaches/{coach_id}"),
    ("get", "/coaching/engagements"),
    ("get", "/coaching/action-items"),
    ("get", "/coaching/journal"),
    ("post", "/coaching/journal"),
    ("get", "/coaching/journal/trends"),
}


@pytest.fixture
def world(org, engagement):
    upcoming = booked(engagement, starts_at=timezone.now() + datetime.timedelta(days=2))
    session = booked(engagement)
    services.session_hold(
        session=session,
        grow=services.Grow(will="Ask first"),
        next_steps=[services.NextStep("Ask first", "coachee", timezone.localdate())],
        held_by=engagement.coach.user,
    )
    goal = services.goal_add(engagement=engagement, title="Listen", plan_goal=None, added_by=None)
    entry = JournalEntry.objects.create(
        author=org.report, trigger="conflict", situation="x", shared_with_coach=True
    )
    return {
        "engagement": engagement,
        "session": session,
        "upcoming": upcoming,
        "item": ActionItem.objects.get(),
        "goal": goal,
        "entry": entry,
        "coach": engagement.coach,
    }


def page_args(name, w):
    by_kind = {
        "coach": w["coach"].pk,
        "engagement": w["engagement"].pk,
        "session": w["upcoming"].pk,
        "item": w["item"].pk,
        "goal": w["goal"].pk,
        "entry": w["entry"].pk,
    }
    kinds = {
        "coach-detail": "coach",
        "coach-edit": "coach",
        "choose-coach": "coach",
        "chemistry-call": "coach",
        "goal-progress": "goal",
        "action-item-done": "item",
        "action-item-reopen": "item",
    }
    if name in kinds:
        return [by_kind[kinds[name]]]
    if name.startswith("journal-") and name != "journal-create":
        return [by_kind["entry"]]
    if name.startswith("session-") and name != "session-create":
        held = name in ("session-notes", "session-rate")
        return [(w["session"] if held else w["upcoming"]).pk]
    if name.startswith(
        ("engagement-", "agreement-", "goal-", "session-", "evaluate")
    ) and name not in (
        "engagement-list",
        "engagement-export",
    ):
        return [by_kind["engagement"]]
    return []


def all_page_names():
    from tandem.coaching.urls import urlpatterns

    return sorted(pattern.name for pattern in urlpatterns)


def unchanged(w):
    session = Session.objects.get(pk=w["upcoming"].pk)
    return (
        session.status,
        session.starts_at,
        ActionItem.objects.get().done_on,
        EngagementGoal.objects.get().progress,
        JournalEntry.objects.filter(pk=w["entry"].pk).exists(),
        w["engagement"].__class__.objects.get(pk=w["engagement"].pk).status,
    )


@pytest.mark.parametrize("name", all_page_names())
def test_every_page_refuses_an_outsider(client, org, world, name):
    url = reverse(f"coaching:{name}", args=page_args(name, world))
    client.force_login(org.outsider.user)
    before = unchanged(world)
    got, posted = (
        client.get(url),
        client.post(url, {"progress": "99", "accept": "on", "outcome": "ended"}),
    )
    assert unchanged(world) == before
    if name in OPEN_PAGES:
        assert got.status_code == 200
        page = got.content.decode()
        assert "Ask first" not in page and org.report.full_name not in page
    else:
        assert got.status_code in (403, 404, 405), (name, got.status_code)
        assert posted.status_code in (403, 404, 405), (name, posted.status_code)


def api_operations():
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (method, path.removeprefix("/api/v1"))
        for path, item in paths.items()
        if path.startswith("/api/v1/coaching")
        for method in item
    )


def fill(path, w):
    return (
        path.replace("{coach_id}", str(w["coach"].pk))
        .replace("{engagement_id}", str(w["engagement"].pk))
        .replace("{session_id}", str(w["session"].pk))
        .replace("{goal_id}", str(w["goal"].pk))
        .replace("{item_id}", str(w["item"].pk))
        .replace("{entry_id}", str(w["entry"].pk))
    )


BODIES = {
    "/coaching/engagements": {"coach_id": 1, "coachee_id": 1},
    "/agreement": {"accept": True},
    "/end": {"completed": False},
    "/goals": {"title": "Mine now"},
    "/evaluation": {"goals_rating": 5, "value_rating": 5},
    "/sessions": {"starts_at": "2030-01-01T10:00:00+00:00"},
    "/reschedule": {"starts_at": "2030-01-01T10:00:00+00:00"},
    "/hold": {"next_steps": [{"title": "x", "owner": "coach", "due_date": "2030-01-01"}]},
    "/notes": {"goal": "", "reality": "", "options": "", "will": "mine"},
    "/rating": {"rating": 1},
}


def body_for(method, path, w):
    if path.startswith("/coaching/goals/"):
        return {"progress": 99}
    if path.startswith("/coaching/action-items/"):
        return {"done": True}
    if path.startswith("/coaching/journal/"):
        return {"situation": "changed"}
    if path.startswith("/coaching/coaches"):
        return (
            {"capacity": 9}
            if method == "patch"
            else {
                "email": "a@b.c",
                "first_name": "A",
                "last_name": "B",
                "kind": "external",
                "languages": ["en"],
            }
        )
    for suffix, body in BODIES.items():
        if path.endswith(suffix):
            return body
    return {}


@pytest.mark.parametrize(("method", "path"), api_operations())
def test_every_endpoint_refuses_an_outsider(org, world, method, path):
    client = token_client(org.outsider.user)
    before = unchanged(world)
    url = "/api/v1" + fill(path, world)
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(
            url, body_for(method, path, world), content_type="application/json"
        )
    assert unchanged(world) == before
    if (method, path) in OPEN_API:
        assert response.status_code in (200, 201, 422), response.content
        assert org.report.full_name not in response.content.decode()
        assert "Ask first" not in response.content.decode()
    else:
        assert response.status_code in (403, 404), (method, path, response.status_code)


def test_the_lists_above_cover_every_route():
    assert len(all_page_names()) >= 30
    assert ("post", "/coaching/sessions/{session_id}/hold") in api_operations()
    assert set(api_operations()) >= OPEN_API
    assert set(all_page_names()) >= OPEN_PAGES
