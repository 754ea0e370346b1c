"""Talent reviews under /api/v1/succession: reviews, the people a manager rates,
ratings, calibration, the steps (start calibration, close), the 9-box grid with its
filters, a person's placement history and the box labels.

Each endpoint fetches through the same access helpers as the pages
(`succession.access`), validates through the same forms and goes through the same
workflow (`succession.reviews`). Placements are visible to the person's management
chain and admins only; executive viewers get counts for big enough slices only."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import errors, raise_form_errors, refused, service_errors
from tandem.api.fields import NO_NUL
from tandem.api.pagination import Pages, RecordId
from tandem.people.models import Level, Person
from tandem.succession import access, forms, reviews
from tandem.succession.models import BoxLabel, Placement

router = Router(tags=["succession: talent reviews"])

RatingName = Literal["low", "moderate", "high"]
BoxNumber = Annotated[int, Field(ge=1, le=9)]
LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]


def text(max_length: int, *, default: Any = ..., min_length: int = 0) -> Any:
    return Field(default, min_length=min_length, max_length=max_length, pattern=NO_NUL)


# Reviews ----------------------------------------------------------------------------------


class TalentReviewOut(Schema):
    id: int
    name: str
    held_on: date
    org_unit_id: int | None
    levels: list[str]
    status: str
    closed_at: datetime | None


class TalentReviewIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = text(200, min_length=1)
    held_on: str = Field(..., pattern=r"^\d{4}-\d{2}-\d{2}$", description="2026-03-02")
    org_unit_id: RecordId | None = None
    levels: list[LevelName] = Field(default_factory=list, max_length=len(Level.values))


@router.get(
    "/succession/reviews",
    response={200: list[TalentReviewOut], **errors(401, 422)},
    summary="Talent reviews (admins, executive viewers and managers)",
    operation_id="list_talent_reviews",
)
@paginate(Pages)
def list_reviews(request: HttpRequest) -> Any:
    return access.reviews_visible_to(request.user)


@router.post(
    "/succession/reviews",
    response={201: TalentReviewOut, **errors(400, 401, 403, 422)},
    summary="Create a talent review with its scope (program admins)",
    operation_id="create_talent_review",
)
def create_review(request: HttpRequest, payload: TalentReviewIn) -> Any:
    access.require_review_runner(request.user)
    data = payload.dict()
    data["org_unit"] = data.pop("org_unit_id")
    form = forms.ReviewForm({k: ("" if v is None else v) for k, v in data.items()})
    if not form.is_valid():
        raise_form_errors(form, field_names={"org_unit": "org_unit_id"})
    review = form.save(commit=False)
    review.created_by = request.user
    review.save()
    return Status(201, review)


@router.get(
    "/succession/reviews/{review_id}",
    response={200: TalentReviewOut, **errors(401, 404, 422)},
    summary="A talent review",
    operation_id="get_talent_review",
)
def get_review(request: HttpRequest, review_id: RecordId) -> Any:
    return access.access_review(request.user, review_id)


@router.post(
    "/succession/reviews/{review_id}/start-calibration",
    response={200: TalentReviewOut, **errors(400, 401, 403, 404, 422)},
    summary="Close the ratings and start calibrating (program admins)",
    operation_id="start_talent_review_calibration",
)
def start_calibration(request: HttpRequest, review_id: RecordId) -> Any:
    review = access.access_review(request.user, review_id, write=True)
    try:
        return reviews.review_start_calibration(review=review, actor=request.user)
    except DjangoValidationError as error:
        return refused(error)


@router.post(
    "/succession/reviews/{review_id}/close",
    response={200: TalentReviewOut, **errors(400, 401, 403, 404, 422)},
    summary="Close a calibrated review: its placements become history (program admins)",
    operation_id="close_talent_review",
)
def close_review(request: HttpRequest, review_id: RecordId) -> Any:
    review = access.access_review(request.user, review_id, write=True)
    try:
        return reviews.review_close(review=review, actor=request.user)
    except DjangoValidationError as error:
        return refused(error)


# Rating -----------------------------------------------------------------------------------


class PlacementOut(Schema):
    id: int
    review_id: int
    person_id: int
    person_name: str
    performance: RatingName
    potential: RatingName
    note: str
    rated_by_id: int | None
    rated_at: datetime
    calibrated_performance: RatingName | Literal[""]
    calibrated_potential: RatingName | Literal[""]
    calibration_note: str
    final_performance: RatingName
    final_potential: RatingName
    box: int
    high_potential: bool

    @staticmethod
    def resolve_person_name(placement: Placement) -> str:
        return placement.person.full_name


class ToRateOut(Schema):
    person_id: int
    name: str
    title: str
    level: str
    manager_id: int | None
    placement: PlacementOut | None


@router.get(
    "/succession/reviews/{review_id}/to-rate",
    response={200: list[ToRateOut], **errors(401, 403, 404, 422)},
    summary="My people to rate in this review, with their rating so far (managers)",
    operation_id="list_talent_review_people_to_rate",
)
def people_to_rate(request: HttpRequest, review_id: RecordId) -> Any:
    review = access.access_review(request.user, review_id)
    rater = access.access_rating_page(request.user, review)
    people = list(reviews.people_to_rate(review, rater))
    placed = {
        p.person_id: p for p in review.placements.filter(person__in=people).select_related("person")
    }
    return [
        {
            "person_id": person.pk,
            "name": person.full_name,
            "title": person.title,
            "level": person.level,
            "manager_id": person.manager_id,
            "placement": placed.get(person.pk),
        }
        for person in people
    ]


class TalentRatingIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    person_id: RecordId
    performance: RatingName
    potential: RatingName
    note: str = text(2000, default="")


@router.post(
    "/succession/reviews/{review_id}/ratings",
    response={200: PlacementOut, **errors(400, 401, 403, 404, 422)},
    summary="Rate a person below me (managers, while the review is rating)",
    operation_id="rate_talent_review_person",
)
def rate(request: HttpRequest, review_id: RecordId, payload: TalentRatingIn) -> Any:
    review = access.access_review(request.user, review_id)
    rater = access.access_rating_page(request.user, review)
    person = reviews.people_to_rate(review, rater).filter(pk=payload.person_id).first()
    if person is None:
        # Someone not below the caller (or out of scope) is not found: ids cannot be probed.
        return Status(404, {"detail": "No such person to rate in this review."})
    try:
        return reviews.placement_rate(
            review=review,
            person=person,
            rated_by=rater,
            performance=payload.performance,
            potential=payload.potential,
            note=payload.note,
            actor=request.user,
        )
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise service_errors(
                error, name=lambda n: "person_id" if n == "person" else n
            ) from None
        return refused(error)


class CalibrationIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    performance: RatingName | Literal[""]
    potential: RatingName | Literal[""]
    note: str = text(500, min_length=1)


@router.post(
    "/succession/placements/{placement_id}/calibration",
    response={200: PlacementOut, **errors(400, 401, 403, 404, 422)},
    summary="Calibrate a placement: the calibrated ratings win (program admins; both "
    "empty goes back to the manager's)",
    operation_id="calibrate_talent_review_placement",
)
def calibrate(request: HttpRequest, placement_id: RecordId, payload: CalibrationIn) -> Any:
    placement = access.access_placement(request.user, placement_id, calibrate=True)
    form = forms.CalibrationForm(payload.dict())
    if not form.is_valid():
        raise_form_errors(form, field_names={"__all__": "performance"})
    try:
        return reviews.placement_calibrate(
            placement=placement, actor=request.user, **form.cleaned_data
        )
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise service_errors(error) from None
        return refused(error)


# The grid ---------------------------------------------------------------------------------


class GridPersonOut(Schema):
    placement_id: int
    person_id: int
    name: str


class CellOut(Schema):
    box: int
    label: str
    colour: str
    description: str
    performance: RatingName
    potential: RatingName
    count: int | None = Field(description="null where the slice is too small to show")
    people: list[GridPersonOut] | None = Field(
        description="null for callers who see counts only (executive viewers)"
    )


class MovementOut(Schema):
    previous_review_id: int | None
    counts: dict[str, int] | None = Field(description="up/same/across/down; null if too few")
    people: list[dict[str, Any]] | None


class GridOut(Schema):
    review_id: int
    shown: bool
    total: int | None
    cells: list[CellOut] = Field(description="As drawn: high potential first, low performance left")
    movement: MovementOut


class GridFilters(Schema):
    unit_id: RecordId | None = None
    level: LevelName | None = None


def _grid_out(grid: reviews.Grid) -> dict[str, Any]:
    movement = grid.movement
    return {
        "review_id": grid.review.pk,
        "shown": grid.shown,
        "total": grid.total if grid.shown else None,
        "cells": [
            {
                "box": cell.box,
                "label": cell.style.label,
                "colour": cell.style.colour,
                "description": cell.style.description,
                "performance": cell.performance,
                "potential": cell.potential,
                "count": cell.count,
                "people": [
                    {"placement_id": p.pk, "person_id": p.person_id, "name": p.person.full_name}
                    for p in cell.placements
                ]
                if grid.individuals
                else None,
            }
            for cell in grid.cells
        ],
        "movement": {
            "previous_review_id": movement.previous.pk if movement.previous else None,
            "counts": movement.counts,
            "people": [
                {
                    "person_id": move.placement.person_id,
                    "before": move.before,
                    "after": move.after,
                    "direction": move.direction,
                }
                for move in movement.moves
            ]
            if grid.individuals and movement.counts is not None
            else None,
        },
    }


@router.get(
    "/succession/reviews/{review_id}/grid",
    response={200: GridOut, **errors(401, 404, 422)},
    summary="The 9-box of a review, filtered by org unit (and below) and level",
    operation_id="get_talent_review_grid",
)
def grid(request: HttpRequest, review_id: RecordId, filters: Query[GridFilters]) -> Any:
    review = access.access_review(request.user, review_id)
    form = forms.GridFilterForm({"unit": filters.unit_id or "", "level": filters.level or ""})
    if not form.is_valid():
        raise_form_errors(form, field_names={"unit": "unit_id"})
    chosen = reviews.Slice(form.cleaned_data["unit"], form.cleaned_data["level"])
    return _grid_out(reviews.grid_for(review, request.user, chosen))


# History ----------------------------------------------------------------------------------


class HistoryOut(Schema):
    review_id: int
    review_name: str
    held_on: date
    performance: RatingName
    potential: RatingName
    calibrated: bool
    box: int
    label: str
    direction: str = Field(description="From the placement before: up/same/across/down, or ''")


@router.get(
    "/succession/people/{person_id}/placements",
    response={200: list[HistoryOut], **errors(401, 404, 422)},
    summary="A person's placements over reviews (their management chain and admins only)",
    operation_id="get_person_placement_history",
)
def placement_history(request: HttpRequest, person_id: RecordId) -> Any:
    person: Person = access.access_placement_history(request.user, person_id)
    return [
        {
            "review_id": entry.placement.review_id,
            "review_name": entry.placement.review.name,
            "held_on": entry.placement.review.held_on,
            "performance": entry.placement.final_performance,
            "potential": entry.placement.final_potential,
            "calibrated": bool(entry.placement.calibrated_performance),
            "box": entry.placement.box,
            "label": entry.style.label,
            "direction": entry.direction,
        }
        for entry in reviews.history_of(person, viewer=request.user, via="api")
    ]


# Box labels -------------------------------------------------------------------------------


class BoxLabelOut(Schema):
    box: int
    label: str
    colour: str
    description: str


class BoxLabelIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    label: str = text(60, min_length=1)
    colour: str = Field(..., pattern=r"^#[0-9a-fA-F]{6}$", description="#2b6cb0")
    description: str = text(300, default="")


@router.get(
    "/succession/box-labels",
    response={200: list[BoxLabelOut], **errors(401, 403)},
    summary="Each box's label, colour and meaning (the org's own, else the defaults)",
    operation_id="list_box_labels",
)
def list_box_labels(request: HttpRequest) -> Any:
    if not access.sees_reviews(request.user):
        return Status(403, {"detail": "Box labels are for those who take part in talent reviews."})
    styles = reviews.box_styles()
    return [
        {"box": n, "label": s.label, "colour": s.colour, "description": s.description}
        for n, s in sorted(styles.items())
    ]


@router.get(
    "/succession/box-labels/{box}",
    response={200: BoxLabelOut, **errors(401, 403, 404, 422)},
    summary="One box's label, colour and meaning",
    operation_id="get_box_label",
)
def get_box_label(request: HttpRequest, box: BoxNumber) -> Any:
    if not access.sees_reviews(request.user):
        return Status(403, {"detail": "Box labels are for those who take part in talent reviews."})
    style = reviews.box_styles()[box]
    return {
        "box": box,
        "label": style.label,
        "colour": style.colour,
        "description": style.description,
    }


@router.put(
    "/succession/box-labels/{box}",
    response={200: BoxLabelOut, **errors(400, 401, 403, 422)},
    summary="Name and colour a box (program admins)",
    operation_id="update_box_label",
)
def update_box_label(request: HttpRequest, box: BoxNumber, payload: BoxLabelIn) -> Any:
    access.require_review_runner(request.user)
    instance = BoxLabel.objects.filter(box=box).first() or BoxLabel(box=box)
    form = forms.BoxLabelForm(payload.dict(), instance=instance)
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()
