"""A peer cannot see another's 9-box placement by any route: pages (review, rating,
calibration, 9-box and its htmx partial, history page and panel, the person page), the
API (reviews, people to rate, grid, history) and the Django admin. Nor can the person
see their own ratings, nor an executive viewer anyone's."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.succession.tests.factories import place
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = pytest.mark.django_db

SECRETS = (b"Ready to stretch",)  # the manager's note


@pytest.fixture
def peer_manager(org):
    """A manager beside org.manager, with a team of their own."""
    person = PersonFactory(first_name="Pat", last_name="Parallel", level="mid", manager=org.ceo)
    make_user_for(person)
    PersonFactory(manager=person, level="emerging")
    return person


def viewers(org, peer, peer_manager):
    return {
        "peer": peer.user,
        "the person": org.report.user,
        "peer manager": peer_manager.user,
        "manager's peer": org.outsider.user,
        "executive": org.executive.user,
    }


def page_urls(review, person, placement):
    return [
        reverse("succession:review-list"),
        reverse("succession:review-detail", args=[review.pk]),
        reverse("succession:review-rate", args=[review.pk]),
        reverse("succession:review-calibrate", args=[review.pk]),
        reverse("succession:ninebox", args=[review.pk]),
        reverse("succession:placement-history", args=[person.pk]),
        reverse("people:person-detail", args=[person.pk]),
    ]


def test_nobody_but_the_chain_sees_a_placement_on_any_page(org, review, placed, peer, peer_manager):
    place(review, peer, 5, rated_by=org.manager)
    urls = page_urls(review, org.report, placed)
    for who, user in viewers(org, peer, peer_manager).items():
        client = Client()
        client.force_login(user)
        for url in urls:
            for headers in ({}, {"HX-Request": "true", "HX-Target": "ninebox"}):
                response = client.get(url, headers=headers)
                assert response.status_code in (200, 403, 404), (who, url)
                for secret in SECRETS:
                    assert secret not in response.content, (who, url)
                if "succession" in url:
                    assert b'class="nb-chip"' not in response.content, (who, url)
                    assert f"rate-{org.report.pk}".encode() not in response.content, (who, url)
                    if who != "the person":  # whose own name is in the account menu
                        assert b"Rita" not in response.content, (who, url)


def test_nobody_but_the_chain_sees_a_placement_through_the_api(
    org, review, placed, peer, peer_manager
):
    routes = [
        "/api/v1/succession/reviews",
        f"/api/v1/succession/reviews/{review.pk}",
        f"/api/v1/succession/reviews/{review.pk}/to-rate",
        f"/api/v1/succession/reviews/{review.pk}/grid",
        f"/api/v1/succession/reviews/{review.pk}/grid?level=emerging",
        f"/api/v1/succession/people/{org.report.pk}/placements",
        f"/api/v1/people/{org.report.pk}",
    ]
    for who, user in viewers(org, peer, peer_manager).items():
        client = token_client(user)
        for route in routes:
            response = client.get(route)
            assert response.status_code in (200, 403, 404), (who, route)
            body = response.content
            assert b"Ready to stretch" not in body, (who, route)
            if "succession" in route:
                assert f'"person_id": {org.report.pk}'.encode() not in body, (who, route)
                assert b"Rita" not in body and b'"count": 1, "people"' not in body, (who, route)


def test_the_chain_and_admins_do_see_it(org, review, placed, program_admin):
    for user in (org.manager.user, org.ceo.user, program_admin):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("succession:placement-history", args=[org.report.pk]))
        assert response.status_code == 200 and b"Growth talent" in response.content
        grid = token_client(user).get(f"/api/v1/succession/reviews/{review.pk}/grid").json()
        assert grid["cells"][1]["people"][0]["person_id"] == org.report.pk


def test_the_django_admin_shows_placements_to_program_admins_only(org, placed):
    staff = org.ceo.user
    staff.is_staff = True
    staff.save()
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("admin:succession_placement_changelist"))
    assert response.status_code == 403
    response = client.get(reverse("admin:succession_placement_change", args=[placed.pk]))
    assert response.status_code in (302, 403, 404)
