"""The talent-review workflow: scope, rating by a manager above, calibration that wins
over the manager's rating, closing; refusals write nothing; changes are audited."""

import pytest
from django.core.exceptions import ValidationError

from tandem.accounts.models import AuditLog
from tandem.succession import reviews
from tandem.succession.models import Placement, ReviewStatus
from tandem.succession.tests.factories import ReviewFactory, place
from tandem.tests.factories import OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_it_scopes_a_review_by_unit_subtree_and_level(org):
    sales = OrgUnitFactory(name="Sales")
    north = OrgUnitFactory(name="North", parent=sales)
    inside = PersonFactory(org_unit=north, level="mid", manager=org.ceo)
    PersonFactory(org_unit=north, level="senior", manager=org.ceo)
    PersonFactory(org_unit=OrgUnitFactory(name="Legal"), level="mid", manager=org.ceo)
    review = ReviewFactory(org_unit=sales, levels=["mid"])
    assert list(reviews.in_scope(review)) == [inside]


def test_a_manager_rates_the_people_below_them_direct_or_indirect(org, review):
    assert set(reviews.people_to_rate(review, org.ceo)) == {org.manager, org.report, org.outsider}
    assert list(reviews.people_to_rate(review, org.manager)) == [org.report]
    assert list(reviews.people_to_rate(review, org.report)) == []


def test_it_records_a_rating_and_changes_it_on_a_second_one(org, review):
    reviews.placement_rate(
        review=review, person=org.report, rated_by=org.manager, performance="high", potential="low"
    )
    placement = reviews.placement_rate(
        review=review,
        person=org.report,
        rated_by=org.ceo,
        performance="high",
        potential="high",
        note="Grew fast",
    )
    assert Placement.objects.count() == 1
    assert placement.box == 9 and placement.rated_by == org.ceo and placement.note == "Grew fast"
    assert AuditLog.objects.filter(subject_person_id=org.report.pk).count() == 2


def test_it_refuses_to_rate_someone_not_below_the_rater(org, review, peer):
    with pytest.raises(ValidationError) as refused:
        reviews.placement_rate(
            review=review,
            person=org.outsider,
            rated_by=org.manager,
            performance="low",
            potential="low",
        )
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError):
        reviews.placement_rate(
            review=review, person=peer, rated_by=org.report, performance="low", potential="low"
        )
    assert not Placement.objects.exists()


def test_it_refuses_bad_ratings_and_writes_nothing(org, review):
    with pytest.raises(ValidationError) as refused:
        reviews.placement_rate(
            review=review,
            person=org.report,
            rated_by=org.manager,
            performance="great",
            potential="",
        )
    assert set(refused.value.message_dict) == {"performance", "potential"}
    assert not Placement.objects.exists()


def test_it_takes_no_ratings_once_calibrating(org, review, placed, program_admin):
    reviews.review_start_calibration(review=review, actor=program_admin)
    with pytest.raises(ValidationError):
        reviews.placement_rate(
            review=review,
            person=org.report,
            rated_by=org.manager,
            performance="low",
            potential="low",
        )
    placed.refresh_from_db()
    assert placed.box == 8


def test_calibration_wins_over_the_managers_rating(org, review, placed, program_admin):
    reviews.review_start_calibration(review=review, actor=program_admin)
    placement = reviews.placement_calibrate(
        placement=placed,
        performance="low",
        potential="moderate",
        note="Compared with peers",
        actor=program_admin,
    )
    assert (placement.performance, placement.potential) == ("moderate", "high")
    assert (placement.final_performance, placement.final_potential) == ("low", "moderate")
    assert placement.box == 4 and not placement.high_potential
    assert placement.calibrated_by == program_admin
    entry = AuditLog.objects.filter(summary__startswith="Calibrated").get()
    assert entry.subject_person_id == org.report.pk and "8 -> 4" in entry.summary
    grid = reviews.grid_for(review, program_admin)
    assert {cell.box: cell.count for cell in grid.cells}[4] == 1


def test_calibration_needs_a_note_and_valid_ratings(review, placed, program_admin):
    reviews.review_start_calibration(review=review, actor=program_admin)
    with pytest.raises(ValidationError) as refused:
        reviews.placement_calibrate(
            placement=placed, performance="top", potential="low", note=" ", actor=program_admin
        )
    assert set(refused.value.message_dict) == {"performance", "note"}
    placed.refresh_from_db()
    assert placed.calibrated_performance == ""


def test_calibration_cleared_goes_back_to_the_managers_rating(review, placed, program_admin):
    reviews.review_start_calibration(review=review, actor=program_admin)
    reviews.placement_calibrate(
        placement=placed, performance="low", potential="low", note="x", actor=program_admin
    )
    placement = reviews.placement_calibrate(
        placement=placed, performance="", potential="", note="Undo", actor=program_admin
    )
    assert placement.box == 8


def test_it_calibrates_only_while_calibrating_and_closes_after(review, placed, program_admin):
    with pytest.raises(ValidationError):
        reviews.placement_calibrate(
            placement=placed, performance="low", potential="low", note="x", actor=program_admin
        )
    with pytest.raises(ValidationError):
        reviews.review_close(review=review, actor=program_admin)
    reviews.review_start_calibration(review=review, actor=program_admin)
    closed = reviews.review_close(review=review, actor=program_admin)
    assert closed.status == ReviewStatus.CLOSED and closed.closed_at is not None
    with pytest.raises(ValidationError):
        reviews.placement_calibrate(
            placement=placed, performance="low", potential="low", note="x", actor=program_admin
        )


def test_it_does_not_calibrate_a_review_nobody_rated(review, program_admin):
    with pytest.raises(ValidationError):
        reviews.review_start_calibration(review=review, actor=program_admin)
    review.refresh_from_db()
    assert review.status == ReviewStatus.RATING


def test_history_lists_placements_oldest_first_with_their_moves(org, program_admin):
    import datetime

    first = ReviewFactory(held_on=datetime.date(2025, 3, 1), status=ReviewStatus.CLOSED)
    second = ReviewFactory(held_on=datetime.date(2026, 3, 1), status=ReviewStatus.CLOSED)
    place(second, org.report, 9)
    place(first, org.report, 5)
    entries = reviews.history_of(org.report, viewer=program_admin, via="test")
    assert [(e.placement.review, e.placement.box, e.direction) for e in entries] == [
        (first, 5, ""),
        (second, 9, "up"),
    ]
    assert AuditLog.objects.filter(summary="Placement history (test)").exists()
