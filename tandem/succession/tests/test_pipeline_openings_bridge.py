"""Openings (open and fill, admins only) and the bridge to development: a gap becomes a
proposal with the modality advisor's suggestion, and accepting it enrolls the person."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.programs.models import Enrollment
from tandem.succession import bridge
from tandem.succession.models import Opening
from tandem.succession.tests.factories import ReviewFactory, place
from tandem.succession.tests.pipeline_fixtures import *  # noqa: F403
from tandem.tests.factories import PersonFactory, enroll

pytestmark = pytest.mark.django_db


def test_an_admin_opens_and_fills_an_opening_from_inside(client, org, program_admin):
    client.force_login(program_admin)
    opened = timezone.localdate() - datetime.timedelta(days=30)
    response = client.post(
        reverse("succession:opening-new"),
        {"title": "Head of Sales", "level": "senior", "opened_on": opened},
    )
    assert response.status_code == 302
    opening = Opening.objects.get()
    url = reverse("succession:opening-fill", args=[opening.pk])
    bad = client.post(url, {"filled_on": timezone.localdate(), "source": "internal"})
    assert bad.status_code == 422 and 'id="id_person_error"' in bad.content.decode()
    early = client.post(
        url, {"filled_on": opened - datetime.timedelta(days=1), "source": "external"}
    )
    assert early.status_code == 422 and 'id="id_filled_on_error"' in early.content.decode()
    opening.refresh_from_db()
    assert opening.filled_on is None
    done = client.post(
        url, {"filled_on": timezone.localdate(), "source": "internal", "person": org.manager.pk}
    )
    assert done.status_code == 302
    opening.refresh_from_db()
    assert opening.days_to_fill == 30 and opening.filled_by == org.manager


def test_the_api_records_openings_with_field_errors(program_admin):
    api = token_client(program_admin)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad = api.post(
        "/api/v1/succession/openings",
        {"title": "Later", "level": "mid", "opened_on": future},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "opened_on"
    today = timezone.localdate().isoformat()
    made = api.post(
        "/api/v1/succession/openings",
        {"title": "Now", "level": "mid", "opened_on": today},
        content_type="application/json",
    )
    assert made.status_code == 201
    filled = api.post(
        f"/api/v1/succession/openings/{made.json()['id']}/fill",
        {"filled_on": today, "source": "external"},
        content_type="application/json",
    )
    assert filled.status_code == 200 and filled.json()["days_to_fill"] == 0
    again = api.post(
        f"/api/v1/succession/openings/{made.json()['id']}/fill",
        {"filled_on": today, "source": "external"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert len(api.get("/api/v1/succession/openings").json()["items"]) == 1


@pytest.mark.parametrize("who", ["ceo", "manager", "report", "outsider", "executive"])
def test_openings_are_for_admins_only(client, org, openings, who):
    user = getattr(org, who).user
    client.force_login(user)
    opening = openings[-1]
    assert client.get(reverse("succession:opening-list")).status_code == 404
    assert client.get(reverse("succession:opening-new")).status_code == 404
    assert client.get(reverse("succession:opening-fill", args=[opening.pk])).status_code == 404
    api = token_client(user)
    assert api.get("/api/v1/succession/openings").status_code == 404
    today = timezone.localdate().isoformat()
    response = api.post(
        f"/api/v1/succession/openings/{opening.pk}/fill",
        {"filled_on": today, "source": "external"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_gaps_are_risk_role_candidates_and_high_potentials_without_a_plan(org, roles, program):
    candidate = PersonFactory(first_name="Cam", level="emerging", manager=org.manager)
    add(roles.team, candidate, "one_two_years")  # noqa: F405  (the risk role)
    hipo = PersonFactory(first_name="Hal", level="mid", manager=org.ceo)
    review = ReviewFactory(status="closed")
    place(review, hipo, 9)
    planned = PersonFactory(level="mid", manager=org.ceo)
    place(review, planned, 9)
    enroll(program, planned)
    gaps = bridge.gaps()
    assert [(g.person, g.reason) for g in gaps] == [
        (candidate, bridge.RISK_ROLE),
        (hipo, bridge.HIGH_POTENTIAL),
    ]


def test_the_proposal_carries_the_advisors_suggestion_and_enrolls(
    client, org, program_admin, roles, program
):
    client.force_login(program_admin)
    url = reverse("succession:bridge-person", args=[org.report.pk])
    page = client.get(url).content.decode()
    proposal = bridge.proposal_for(org.report)
    assert proposal.program == program and proposal.advice is not None
    assert proposal.advice["label"] in page and "Leading leaders" in page
    assert proposal.reasons and proposal.reasons[0] in page
    bad = client.post(url, {"program": 999999})
    assert bad.status_code == 422 and not Enrollment.objects.exists()
    done = client.post(url, {"program": program.pk})
    assert done.status_code == 302
    assert Enrollment.objects.get().person == org.report
    assert bridge.gaps() == []


def test_the_api_proposes_and_enrolls(org, program_admin, program):
    api = token_client(program_admin)
    found = api.get(f"/api/v1/succession/bridge/people/{org.manager.pk}").json()
    assert found["programs"] == [{"id": program.pk, "name": "Leading leaders"}]
    assert found["recommendation"] and found["reasons"] and found["has_plan"] is False
    wrong = api.post(
        f"/api/v1/succession/bridge/people/{org.ceo.pk}/enroll",  # senior: not in its levels
        {"program_id": program.pk},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"][-1] == "program_id"
    done = api.post(
        f"/api/v1/succession/bridge/people/{org.manager.pk}/enroll",
        {"program_id": program.pk},
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["person_id"] == org.manager.pk


@pytest.mark.parametrize("who", ["ceo", "manager", "report", "outsider", "executive"])
def test_the_bridge_is_for_admins_only(client, org, program, who):
    user = getattr(org, who).user
    client.force_login(user)
    assert client.get(reverse("succession:gap-list")).status_code == 404
    assert client.get(reverse("succession:bridge-person", args=[org.report.pk])).status_code == 404
    assert (
        client.post(
            reverse("succession:bridge-person", args=[org.report.pk]), {"program": program.pk}
        ).status_code
        == 404
    )
    api = token_client(user)
    assert api.get(f"/api/v1/succession/bridge/people/{org.report.pk}").status_code == 404
    response = api.post(
        f"/api/v1/succession/bridge/people/{org.report.pk}/enroll",
        {"program_id": program.pk},
        content_type="application/json",
    )
    assert response.status_code == 404 and not Enrollment.objects.exists()
