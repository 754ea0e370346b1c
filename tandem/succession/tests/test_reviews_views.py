"""The talent-review pages: list, create, rate (one row with htmx, or all), calibrate,
the steps, the 9-box with filters, history, box labels; a denied case for each."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.succession.models import BoxLabel, Placement, ReviewStatus, TalentReview
from tandem.succession.tests.factories import place

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(program_admin):
    return client_for(program_admin)


def test_an_admin_creates_a_review_with_its_scope(admin_client):
    response = admin_client.get(reverse("succession:review-list"))
    assert b"New talent review" in response.content
    response = admin_client.post(
        reverse("succession:review-create"),
        {"name": "Spring 2026", "held_on": "2026-03-02", "levels": ["mid", "senior"]},
    )
    review = TalentReview.objects.get()
    assert response.status_code == 302 and review.levels == ["mid", "senior"]
    assert review.status == ReviewStatus.RATING


def test_a_bad_review_shows_field_errors_and_writes_nothing(admin_client):
    response = admin_client.post(
        reverse("succession:review-create"), {"name": "", "held_on": "soon", "levels": ["boss"]}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "held_on", "levels"}
    assert not TalentReview.objects.exists()


def test_only_admins_create_reviews(org):
    response = client_for(org.manager.user).post(
        reverse("succession:review-create"), {"name": "Mine", "held_on": "2026-03-02"}
    )
    assert response.status_code == 403 and not TalentReview.objects.exists()


def test_a_manager_sees_the_review_to_rate_and_rates_one_person(org, review):
    client = client_for(org.manager.user)
    response = client.get(reverse("succession:review-list"))
    assert b"Rate your people in Spring review" in response.content
    url = reverse("succession:review-rate", args=[review.pk])
    response = client.get(url)
    assert b"Rita Report" in response.content and b"Otto" not in response.content
    prefix = f"p{org.report.pk}"
    response = client.post(
        url,
        {
            "save": str(org.report.pk),
            f"{prefix}-performance": "high",
            f"{prefix}-potential": "moderate",
            f"{prefix}-note": "Steady",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and b"Saved." in response.content
    placement = Placement.objects.get()
    assert (placement.box, placement.rated_by, placement.note) == (6, org.manager, "Steady")


def test_save_all_saves_every_filled_row_or_none(org, review, peer):
    client = client_for(org.manager.user)
    url = reverse("succession:review-rate", args=[review.pk])
    rita, pia = f"p{org.report.pk}", f"p{peer.pk}"
    response = client.post(
        url,
        {
            "save": "all",
            f"{rita}-performance": "high",
            f"{rita}-potential": "high",
            f"{pia}-performance": "low",
        },
    )
    assert response.status_code == 400 and not Placement.objects.exists()
    assert b"This field is required" in response.content
    response = client.post(
        url,
        {
            "save": "all",
            f"{rita}-performance": "high",
            f"{rita}-potential": "high",
            f"{pia}-performance": "low",
            f"{pia}-potential": "low",
        },
    )
    assert response.status_code == 302 and Placement.objects.count() == 2


def test_nobody_rates_outside_their_line_or_when_not_a_manager(org, review):
    url = reverse("succession:review-rate", args=[review.pk])
    response = client_for(org.manager.user).post(
        url,
        {
            "save": str(org.outsider.pk),
            f"p{org.outsider.pk}-performance": "low",
            f"p{org.outsider.pk}-potential": "low",
        },
    )
    assert response.status_code == 404
    assert client_for(org.report.user).get(url).status_code == 404  # not a review for them
    assert client_for(org.executive.user).get(url).status_code == 403
    assert not Placement.objects.exists()


def test_an_admin_calibrates_and_closes(org, review, placed, admin_client):
    admin_client.post(reverse("succession:review-start-calibration", args=[review.pk]))
    url = reverse("succession:review-calibrate", args=[review.pk])
    response = admin_client.get(url)
    assert response.status_code == 200 and b"Rita Report" in response.content
    prefix = f"c{placed.pk}"
    response = admin_client.post(
        url,
        {
            "placement": placed.pk,
            f"{prefix}-performance": "high",
            f"{prefix}-potential": "high",
            f"{prefix}-note": "Best in the region",
        },
    )
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.box == 9
    response = admin_client.post(
        url, {"placement": placed.pk, f"{prefix}-performance": "high", f"{prefix}-note": ""}
    )
    assert response.status_code == 400
    placed.refresh_from_db()
    assert placed.calibration_note == "Best in the region"
    admin_client.post(reverse("succession:review-close", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED


def test_only_admins_calibrate_and_close(org, review, placed):
    client = client_for(org.ceo.user)
    assert client.get(reverse("succession:review-calibrate", args=[review.pk])).status_code == 403
    response = client.post(reverse("succession:review-start-calibration", args=[review.pk]))
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.RATING


def test_the_ninebox_page_shows_people_and_filters(org, review, placed, admin_client):
    url = reverse("succession:ninebox", args=[review.pk])
    response = admin_client.get(url)
    assert response.status_code == 200 and b"Rita Report" in response.content
    assert b"Growth talent" in response.content
    response = admin_client.get(
        url, {"level": "senior"}, headers={"HX-Request": "true", "HX-Target": "ninebox"}
    )
    assert b"Rita Report" not in response.content and b"<html" not in response.content
    assert admin_client.get(url, {"level": "boss"}).status_code == 400


def test_the_ninebox_shows_an_executive_viewer_no_names(org, review, placed):
    response = client_for(org.executive.user).get(reverse("succession:ninebox", args=[review.pk]))
    assert response.status_code == 200
    assert b"Rita" not in response.content and b"Not enough data" in response.content


def test_history_page_and_panel(org, review, placed):
    client = client_for(org.manager.user)
    url = reverse("succession:placement-history", args=[org.report.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"Growth talent" in response.content
    panel = client.get(url, headers={"HX-Request": "true"})
    assert b"<html" not in panel.content and b"Spring review" in panel.content


def test_box_labels_are_edited_by_admins_with_hex_colours(admin_client, org):
    url = reverse("succession:box-labels")
    form = admin_client.get(url).context["boxes"]
    data = {}
    for number, box_form in form:
        for name in ("label", "colour", "description"):
            data[f"box{number}-{name}"] = box_form.initial.get(name, "")
    data["box9-label"], data["box9-colour"] = "Stars", "blue"
    response = admin_client.post(url, data)
    assert response.status_code == 400 and b"six hex digits" in response.content
    assert not BoxLabel.objects.exists()
    data["box9-colour"] = "#1A2B3C"
    assert admin_client.post(url, data).status_code == 302
    assert BoxLabel.objects.get(box=9).colour == "#1a2b3c" and BoxLabel.objects.count() == 9
    assert client_for(org.manager.user).get(url).status_code == 403


def test_the_list_shows_a_manager_only_reviews_that_concern_them(org, review, placed):
    place(review, org.outsider, 5)
    assert client_for(org.outsider.user).get(reverse("succession:review-list")).status_code == 404
    other = TalentReview.objects.create(name="Autumn calibration", status=ReviewStatus.CALIBRATING)
    response = client_for(org.manager.user).get(reverse("succession:review-list"))
    assert b"Spring review" in response.content and other.name.encode() not in response.content
