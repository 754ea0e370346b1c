"""The 9-box of a review: counts by box on hand-computed placements, filters by unit
subtree and level, the org's labels, what a manager and an executive viewer see, and
the movement since the previous review."""

import datetime

import pytest

from tandem.succession import reviews
from tandem.succession.models import BoxLabel, ReviewStatus
from tandem.succession.tests.factories import ReviewFactory, place
from tandem.tests.factories import OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    sales = OrgUnitFactory(name="Sales")
    return {
        "sales": sales,
        "north": OrgUnitFactory(name="North", parent=sales),
        "legal": OrgUnitFactory(name="Legal"),
    }


@pytest.fixture
def team(org, units):
    """Eight people under the manager: six in Sales/North (four mid, two emerging), two
    in Legal."""
    north, legal = units["north"], units["legal"]
    people = [
        PersonFactory(last_name=f"N{i}", org_unit=north, level="mid", manager=org.manager)
        for i in range(4)
    ]
    people += [
        PersonFactory(last_name=f"E{i}", org_unit=north, level="emerging", manager=org.manager)
        for i in range(2)
    ]
    people += [
        PersonFactory(last_name=f"L{i}", org_unit=legal, level="mid", manager=org.ceo)
        for i in range(2)
    ]
    return people


def counts(grid):
    return {cell.box: cell.count for cell in grid.cells}


def test_it_counts_people_by_box(team, review, program_admin):
    # Boxes by hand: 9, 9, 5, 5, 5, 1, 7 and one rated (3) but calibrated to 6.
    for person, box in zip(team, [9, 9, 5, 5, 5, 1, 7], strict=False):
        place(review, person, box)
    place(review, team[7], 3, calibrated_performance="high", calibrated_potential="moderate")
    grid = reviews.grid_for(review, program_admin)
    assert counts(grid) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 3, 6: 1, 7: 1, 8: 0, 9: 2}
    assert grid.total == 8 and grid.shown and grid.individuals
    assert [[cell.box for cell in row] for row in grid.rows] == [[7, 8, 9], [4, 5, 6], [1, 2, 3]]
    assert {p.person for p in grid.rows[0][2].placements} == {team[0], team[1]}


def test_it_filters_by_unit_subtree_and_level(team, review, units, program_admin):
    for person in team:
        place(review, person, 5)
    sales = reviews.grid_for(review, program_admin, reviews.Slice(units["sales"]))
    assert sales.total == 6
    mid_sales = reviews.grid_for(review, program_admin, reviews.Slice(units["sales"], "mid"))
    assert mid_sales.total == 4
    assert reviews.grid_for(review, program_admin, reviews.Slice(level="mid")).total == 6


def test_it_uses_the_orgs_labels_and_the_defaults_elsewhere(review, program_admin):
    BoxLabel.objects.create(box=9, label="Stars", colour="#123456")
    grid = reviews.grid_for(review, program_admin)
    cells = {cell.box: cell.style for cell in grid.cells}
    assert (cells[9].label, cells[9].colour) == ("Stars", "#123456")
    assert cells[9].description  # the default meaning stays when none is given
    assert cells[1].label == "Talent risk"


def test_a_manager_sees_only_the_people_below_them(org, team, review, placed):
    for person in team:
        place(review, person, 5)
    grid = reviews.grid_for(review, org.manager.user)
    names = {p.person for cell in grid.cells for p in cell.placements}
    assert names == set(team[:6]) | {org.report}
    assert org.manager not in names


def test_an_executive_viewer_sees_counts_of_big_enough_slices_only(org, team, review, units):
    for person in team:
        place(review, person, 5)
    executive = org.executive.user
    whole = reviews.grid_for(review, executive)
    assert whole.shown and whole.total == 8 and counts(whole)[5] == 8
    assert all(cell.placements == [] for cell in whole.cells) and not whole.individuals
    # Legal has two people: not shown.
    legal = reviews.grid_for(review, executive, reviews.Slice(units["legal"]))
    assert not legal.shown and set(counts(legal).values()) == {None}
    # Sales has six, but the whole organization minus Sales would give Legal's two away.
    assert not reviews.grid_for(review, executive, reviews.Slice(units["sales"])).shown


def test_an_executive_viewer_sees_a_slice_whose_remainders_are_big_enough(org, team, units):
    review = ReviewFactory()
    more = [PersonFactory(org_unit=units["legal"], level="mid", manager=org.ceo) for _ in range(3)]
    for person in team + more:
        place(review, person, 5)
    # Sales: six; the rest (Legal) five.
    assert reviews.grid_for(review, org.executive.user, reviews.Slice(units["sales"])).shown


def test_movement_since_the_previous_closed_review(org, team, program_admin):
    before = ReviewFactory(held_on=datetime.date(2025, 3, 1), status=ReviewStatus.CLOSED)
    ReviewFactory(held_on=datetime.date(2025, 9, 1), status=ReviewStatus.RATING)  # not closed
    now = ReviewFactory(held_on=datetime.date(2026, 3, 1))
    moves = [(5, 6), (5, 5), (4, 2), (9, 1), (5, 8), (1, 1)]
    for person, (old, new) in zip(team, moves, strict=False):
        place(before, person, old)
        place(now, person, new)
    place(now, team[6], 9)  # new this year: no move
    grid = reviews.grid_for(now, program_admin)
    assert grid.movement.previous == before
    assert grid.movement.counts == {"up": 2, "same": 2, "across": 1, "down": 1}
    assert {(m.placement.person, m.direction) for m in grid.movement.moves} >= {
        (team[0], "up"),
        (team[3], "down"),
    }
    executive = reviews.grid_for(now, org.executive.user)
    # Seven placed, six of them in both reviews: counts show, people do not.
    assert executive.movement.counts == grid.movement.counts
    assert executive.movement.moves == []


def test_movement_counts_for_an_executive_viewer_need_five_people(org, team):
    before = ReviewFactory(held_on=datetime.date(2025, 3, 1), status=ReviewStatus.CLOSED)
    now = ReviewFactory(held_on=datetime.date(2026, 3, 1))
    for person in team[:4]:
        place(before, person, 5)
    for person in team:
        place(now, person, 6)
    grid = reviews.grid_for(now, org.executive.user)
    assert grid.shown and grid.movement.counts is None and grid.movement.moves == []
    place(before, team[4], 5)
    grid = reviews.grid_for(now, org.executive.user)
    assert grid.movement.counts == {"up": 5, "same": 0, "across": 0, "down": 0}
    assert grid.movement.moves == []
