"""The 9-box's numbering, the grid as drawn, counts and movement directions."""

import pytest

from tandem.lib import ninebox


def test_it_numbers_boxes_from_bottom_left_to_top_right():
    assert ninebox.box("low", "low") == 1
    assert ninebox.box("high", "low") == 3
    assert ninebox.box("low", "moderate") == 4
    assert ninebox.box("moderate", "high") == 8
    assert ninebox.box("high", "high") == 9


def test_it_reads_the_ratings_back_from_every_box():
    for number in range(1, 10):
        assert ninebox.box(*ninebox.ratings_of(number)) == number


def test_it_refuses_unknown_ratings_and_boxes():
    with pytest.raises(ValueError):
        ninebox.box("excellent", "low")
    with pytest.raises(ValueError):
        ninebox.ratings_of(10)


def test_it_draws_high_potential_on_top_and_low_performance_left():
    assert ninebox.rows() == [[7, 8, 9], [4, 5, 6], [1, 2, 3]]


def test_it_counts_every_box_even_empty_ones():
    assert ninebox.counts([9, 9, 5, 1]) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 2}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (5, 5, "same"),
        (5, 6, "up"),  # performance rose
        (5, 8, "up"),  # potential rose
        (1, 9, "up"),  # both rose
        (5, 2, "down"),  # potential fell
        (9, 1, "down"),
        (4, 2, "across"),  # performance rose, potential fell
        (3, 7, "across"),
    ],
)
def test_it_reads_the_direction_of_a_move(before, after, expected):
    assert ninebox.direction(before, after) == expected


def test_movement_counts_only_people_placed_in_both_reviews():
    before = {1: 5, 2: 5, 3: 9, 4: 4}
    after = {1: 6, 2: 5, 3: 1, 4: 2, 5: 9}
    assert ninebox.movement(before, after) == {"up": 1, "same": 1, "across": 1, "down": 1}


def test_every_box_has_a_default_label_and_a_hex_colour():
    assert sorted(ninebox.DEFAULT_STYLES) == list(range(1, 10))
    for style in ninebox.DEFAULT_STYLES.values():
        assert style.label and style.colour.startswith("#") and len(style.colour) == 7
