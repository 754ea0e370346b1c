"""The talent-review API: create, rate, calibrate, close, the grid and the history,
box labels; 422s name the field and write nothing; a denied case per endpoint."""

import pytest

from tandem.api.testing import token_client
from tandem.succession.models import BoxLabel, Placement, ReviewStatus, TalentReview

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def admin_api(program_admin):
    return token_client(program_admin)


def locs(response):
    return [tuple(error["loc"][2:]) for error in response.json()["detail"]]


def test_a_review_runs_from_creation_to_closing(org, admin_api):
    response = admin_api.post(
        "/api/v1/succession/reviews",
        {"name": "Spring", "held_on": "2026-03-02", "levels": ["emerging"]},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    review_id = response.json()["id"]
    manager = token_client(org.manager.user)
    to_rate = manager.get(f"/api/v1/succession/reviews/{review_id}/to-rate").json()
    assert [row["person_id"] for row in to_rate] == [org.report.pk]
    response = manager.post(
        f"/api/v1/succession/reviews/{review_id}/ratings",
        {"person_id": org.report.pk, "performance": "moderate", "potential": "high"},
        content_type=JSON,
    )
    assert response.status_code == 200 and response.json()["box"] == 8
    placement_id = response.json()["id"]
    assert (
        admin_api.post(f"/api/v1/succession/reviews/{review_id}/start-calibration").json()["status"]
        == ReviewStatus.CALIBRATING
    )
    response = admin_api.post(
        f"/api/v1/succession/placements/{placement_id}/calibration",
        {"performance": "high", "potential": "high", "note": "Outgrew the team"},
        content_type=JSON,
    )
    assert response.json()["box"] == 9 and response.json()["performance"] == "moderate"
    assert admin_api.post(f"/api/v1/succession/reviews/{review_id}/close").status_code == 200
    grid = admin_api.get(f"/api/v1/succession/reviews/{review_id}/grid").json()
    top_right = grid["cells"][2]
    assert (top_right["box"], top_right["count"]) == (9, 1)
    assert top_right["people"][0]["person_id"] == org.report.pk
    history = manager.get(f"/api/v1/succession/people/{org.report.pk}/placements").json()
    assert [(h["box"], h["calibrated"]) for h in history] == [(9, True)]


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(org, admin_api, review, placed):
    response = admin_api.post(
        "/api/v1/succession/reviews",
        {"name": "", "held_on": "2026-02-30", "levels": ["boss"]},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert TalentReview.objects.count() == 1
    response = admin_api.post(
        "/api/v1/succession/reviews", {"name": "X", "held_on": "2026-02-30"}, content_type=JSON
    )
    assert response.status_code == 422 and locs(response) == [("held_on",)]
    manager = token_client(org.manager.user)
    response = manager.post(
        f"/api/v1/succession/reviews/{review.pk}/ratings",
        {"person_id": org.report.pk, "performance": "great", "potential": "high"},
        content_type=JSON,
    )
    assert response.status_code == 422
    placed.refresh_from_db()
    assert placed.box == 8


def test_a_step_out_of_order_is_a_400(admin_api, review, placed):
    response = admin_api.post(f"/api/v1/succession/reviews/{review.pk}/close")
    assert response.status_code == 400 and "calibrating" in response.json()["detail"]
    response = admin_api.post(
        f"/api/v1/succession/placements/{placed.pk}/calibration",
        {"performance": "low", "potential": "low", "note": "x"},
        content_type=JSON,
    )
    assert response.status_code == 400
    placed.refresh_from_db()
    assert placed.calibrated_performance == ""


def test_calibration_with_one_rating_only_is_a_422(admin_api, review, placed, program_admin):
    from tandem.succession import reviews

    reviews.review_start_calibration(review=review, actor=program_admin)
    response = admin_api.post(
        f"/api/v1/succession/placements/{placed.pk}/calibration",
        {"performance": "low", "potential": "", "note": "x"},
        content_type=JSON,
    )
    assert response.status_code == 422 and locs(response) == [("performance",)]


def test_denied_cases(org, review, placed, peer):
    manager = token_client(org.manager.user)
    outsider = token_client(org.outsider.user)
    executive = token_client(org.executive.user)
    assert (
        manager.post(
            "/api/v1/succession/reviews", {"name": "X", "held_on": "2026-03-02"}, content_type=JSON
        ).status_code
        == 403
    )
    assert outsider.get(f"/api/v1/succession/reviews/{review.pk}").status_code == 404
    assert outsider.get("/api/v1/succession/reviews").json()["items"] == []
    assert executive.get(f"/api/v1/succession/reviews/{review.pk}/to-rate").status_code == 403
    # Rating someone outside the line: not found, nothing written.
    response = manager.post(
        f"/api/v1/succession/reviews/{review.pk}/ratings",
        {"person_id": org.outsider.pk, "performance": "low", "potential": "low"},
        content_type=JSON,
    )
    assert response.status_code == 404 and Placement.objects.count() == 1
    assert manager.post(f"/api/v1/succession/reviews/{review.pk}/close").status_code == 403
    response = token_client(org.ceo.user).post(
        f"/api/v1/succession/placements/{placed.pk}/calibration",
        {"performance": "low", "potential": "low", "note": "x"},
        content_type=JSON,
    )
    assert response.status_code == 403
    assert (
        manager.put(
            "/api/v1/succession/box-labels/9",
            {"label": "Stars", "colour": "#123456"},
            content_type=JSON,
        ).status_code
        == 403
    )
    assert token_client(peer.user).get("/api/v1/succession/box-labels").status_code == 403
    assert (
        token_client(org.report.user)
        .get(f"/api/v1/succession/people/{org.report.pk}/placements")
        .status_code
        == 404
    )


def test_box_labels(admin_api):
    response = admin_api.put(
        "/api/v1/succession/box-labels/9",
        {"label": "Stars", "colour": "#ABCDEF"},
        content_type=JSON,
    )
    assert response.status_code == 200 and response.json()["colour"] == "#abcdef"
    response = admin_api.put(
        "/api/v1/succession/box-labels/8",
        {"label": "Growth", "colour": "green"},
        content_type=JSON,
    )
    assert response.status_code == 422 and BoxLabel.objects.count() == 1
    assert (
        admin_api.put(
            "/api/v1/succession/box-labels/10",
            {"label": "X", "colour": "#000000"},
            content_type=JSON,
        ).status_code
        == 422
    )
    labels = admin_api.get("/api/v1/succession/box-labels").json()
    assert [label["label"] for label in labels][8] == "Stars" and len(labels) == 9


def test_an_executive_viewer_gets_counts_without_people(org, review, placed):
    grid = (
        token_client(org.executive.user).get(f"/api/v1/succession/reviews/{review.pk}/grid").json()
    )
    assert grid["shown"] is False and grid["total"] is None
    assert all(cell["count"] is None and cell["people"] is None for cell in grid["cells"])
