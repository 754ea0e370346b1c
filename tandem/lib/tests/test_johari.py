"""The Johari view on hand-worked cases, and against exact arithmetic for every pair of
scores a 360 can produce: the classes are exhaustive and exclusive."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.lib.johari import (
    AGREED_DEVELOPMENT,
    AGREED_STRENGTH,
    BLIND_SPOT,
    CONSISTENT,
    HIDDEN_STRENGTH,
    LABELS,
    NOT_ENOUGH_DATA,
    ONE_TO_FIVE,
    QUADRANTS,
    JohariRules,
    bottom_behaviours,
    classify,
    gap,
    johari_view,
    top_behaviours,
)


def test_the_defaults_on_a_1_to_5_scale():
    # range 4: much = 4/3; midpoint 3; strength cut 3 + 4/4 = 4; development cut 3.
    assert ONE_TO_FIVE.much == pytest.approx(4 / 3)
    assert ONE_TO_FIVE.strength_cut == 4
    assert ONE_TO_FIVE.development_cut == 3


def test_the_defaults_follow_the_scale():
    # 0-10: range 10, much 10/3, midpoint 5, strength cut 5 + 2.5 = 7.5.
    rules = JohariRules(0, 10)
    assert (rules.much, rules.strength_cut, rules.development_cut) == (10 / 3, 7.5, 5)


@pytest.mark.parametrize(
    ("self_score", "others", "expected"),
    [
        # gap 5 - 3.5 = 1.5 >= 4/3
        (5, 3.5, BLIND_SPOT),
        # others 3, 3, 2: mean 8/3; gap 4 - 8/3 = 4/3, exactly "much"
        (4, (3 + 3 + 2) / 3, BLIND_SPOT),
        # others 4, 4, 3: mean 11/3; gap 5 - 11/3 = 4/3
        (5, (4 + 4 + 3) / 3, BLIND_SPOT),
        # gap 4 - 2.7 = 1.3 < 4/3: not much; others 2.7 < 3
        (4, 2.7, AGREED_DEVELOPMENT),
        # gap 2 - 4 = -2 <= -4/3
        (2, 4, HIDDEN_STRENGTH),
        # others 4, 5, 5, 4: mean 4.5; gap 3 - 4.5 = -1.5
        (3, 4.5, HIDDEN_STRENGTH),
        # others 5, 4, 4: mean 13/3; gap 3 - 13/3 = -4/3, exactly "much"
        (3, (5 + 4 + 4) / 3, HIDDEN_STRENGTH),
        # gap 0.3, others 4.2 >= 4
        (4.5, 4.2, AGREED_STRENGTH),
        # gap 0, others exactly at the strength cut
        (4, 4.0, AGREED_STRENGTH),
        # gap -0.5, others 3.5: between the cuts
        (3, 3.5, CONSISTENT),
        # others exactly at the development cut is not below it
        (3, 3.0, CONSISTENT),
        # gap -0.4, others 2.9 < 3
        (2.5, 2.9, AGREED_DEVELOPMENT),
        # 1 and 1: the floor of the scale, agreed
        (1, 1, AGREED_DEVELOPMENT),
        (None, 4.0, NOT_ENOUGH_DATA),
        (4, None, NOT_ENOUGH_DATA),
        (None, None, NOT_ENOUGH_DATA),
    ],
)
def test_it_classifies_hand_worked_cases(self_score, others, expected):
    assert classify(self_score, others) == expected


def test_much_and_the_cuts_are_configurable():
    # 1-10, much 2: gap 8 - 6 = 2 >= 2.
    rules = JohariRules(1, 10, much=2)
    assert classify(8, 6, rules) == BLIND_SPOT
    assert classify(7.5, 6, rules) == CONSISTENT  # gap 1.5; 5.5 <= 6 < 7.75
    # Strength from 3.5, development below 2.5, on 1-5.
    rules = JohariRules(1, 5, strength_cut=3.5, development_cut=2.5)
    assert classify(3.5, 3.6) == CONSISTENT
    assert classify(3.5, 3.6, rules) == AGREED_STRENGTH
    assert classify(2.6, 2.8, rules) == CONSISTENT
    assert classify(2.6, 2.4, rules) == AGREED_DEVELOPMENT


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (dict(low=5, high=1), "from low to high"),
        (dict(low=1, high=1), "from low to high"),
        (dict(low=1, high=math.nan), "finite"),
        (dict(low=1, high=5, much=0), "more than 0"),
        (dict(low=1, high=5, much=5), "at most the scale range 4"),
        (dict(low=1, high=5, strength_cut=6), "strength cut 6 is outside the scale 1-5"),
        (dict(low=1, high=5, development_cut=0), "development cut 0 is outside"),
        (dict(low=1, high=5, strength_cut=3, development_cut=3.5), "could be both"),
        (dict(low="1", high=5), "must be a number"),
    ],
)
def test_it_refuses_bad_rules(arguments, message):
    with pytest.raises(ValueError, match=message):
        JohariRules(**arguments)


@pytest.mark.parametrize(
    ("self_score", "others", "message"),
    [
        (6, 3, "self score 6 is outside the scale 1-5"),
        (3, 0.5, "others' mean 0.5 is outside"),
        (math.nan, 3, "finite"),
        (3, math.inf, "finite"),
        (True, 3, "must be a number"),
    ],
)
def test_it_refuses_scores_off_the_scale(self_score, others, message):
    with pytest.raises(ValueError, match=message):
        classify(self_score, others)


def test_the_gap_is_self_minus_others():
    assert gap(4, 3.5) == 0.5
    assert gap(2, 4) == -2
    assert gap(None, 4) is None
    assert gap(4, None) is None


def test_the_view_lists_behaviours_by_class_in_order():
    view = johari_view(
        {
            "listens": (5, 3.5),
            "delegates": (4, 2.7),
            "decides": (2, 4),
            "coaches": (5, 3.0),
            "includes": (None, 4.0),
        }
    )
    assert view[BLIND_SPOT] == ["listens", "coaches"]
    assert view[AGREED_DEVELOPMENT] == ["delegates"]
    assert view[HIDDEN_STRENGTH] == ["decides"]
    assert view[NOT_ENOUGH_DATA] == ["includes"]
    assert view[AGREED_STRENGTH] == view[CONSISTENT] == []
    assert set(view) == set(QUADRANTS) == set(LABELS)


MEANS = {"a": 4.0, "b": 4.5, "c": 4.0, "d": None, "e": 3.0, "f": 3.0}


def test_top_behaviours_are_highest_first_ties_in_order():
    assert top_behaviours(MEANS, 2) == ["b", "a"]
    assert top_behaviours(MEANS, 3) == ["b", "a", "c"]
    assert top_behaviours(MEANS, 10) == ["b", "a", "c", "e", "f"]  # d has no mean


def test_bottom_behaviours_are_lowest_first_ties_in_order():
    assert bottom_behaviours(MEANS, 1) == ["e"]
    assert bottom_behaviours(MEANS, 3) == ["e", "f", "a"]
    assert bottom_behaviours(MEANS, 0) == []


@pytest.mark.parametrize("n", [-1, 1.5, True])
def test_top_and_bottom_need_a_whole_number(n):
    with pytest.raises(ValueError, match="whole number"):
        top_behaviours(MEANS, n)


def test_top_and_bottom_refuse_a_nan_mean():
    with pytest.raises(ValueError, match="finite"):
        bottom_behaviours({"a": math.nan}, 1)


# --- properties -----------------------------------------------------------------------

ratings = st.lists(st.integers(1, 5), min_size=1, max_size=12)
optional_ratings = st.none() | ratings


def exact_classes(mine, theirs, much, strength, development):
    """The rules on exact fractions: which of the five classes hold."""
    difference = mine - theirs
    return {
        BLIND_SPOT: difference >= much,
        HIDDEN_STRENGTH: difference <= -much,
        AGREED_STRENGTH: abs(difference) < much and theirs >= strength,
        AGREED_DEVELOPMENT: abs(difference) < much and theirs < development,
        CONSISTENT: abs(difference) < much and development <= theirs < strength,
    }


@given(ratings, optional_ratings)
def test_every_pair_of_scores_falls_in_exactly_one_class(self_ratings, others_ratings):
    # Self as the mean of a competency's items, others as the mean of all ratings: what
    # the report computes, in floats, against the same rules on exact fractions.
    mine = Fraction(sum(self_ratings), len(self_ratings))
    if others_ratings is None:
        assert classify(float(mine), None) == NOT_ENOUGH_DATA
        return
    theirs = Fraction(sum(others_ratings), len(others_ratings))
    holds = exact_classes(mine, theirs, Fraction(4, 3), 4, 3)
    assert sum(holds.values()) == 1
    expected = next(quadrant for quadrant, true in holds.items() if true)
    assert classify(float(mine), float(theirs)) == expected


@given(
    st.floats(1, 5),
    st.floats(1, 5),
    st.floats(0.1, 4),
    st.floats(1, 5),
    st.floats(1, 5),
)
def test_classify_is_exhaustive_for_any_rules(mine, theirs, much, first_cut, second_cut):
    development, strength = sorted((first_cut, second_cut))
    rules = JohariRules(1, 5, much=much, strength_cut=strength, development_cut=development)
    quadrant = classify(mine, theirs, rules)
    assert quadrant in QUADRANTS and quadrant != NOT_ENOUGH_DATA
    difference = mine - theirs
    if quadrant == BLIND_SPOT:
        assert difference >= much - 1e-8
    elif quadrant == HIDDEN_STRENGTH:
        assert difference <= -much + 1e-8
    else:
        assert abs(difference) < much + 1e-8


@given(st.dictionaries(st.text(max_size=3), st.none() | st.floats(1, 5), max_size=12))
def test_top_and_bottom_are_sorted_and_skip_missing(means):
    rated = {key: mean for key, mean in means.items() if mean is not None}
    top, bottom = top_behaviours(means, 4), bottom_behaviours(means, 4)
    assert len(top) == len(bottom) == min(4, len(rated))
    assert [rated[k] for k in top] == sorted((rated[k] for k in top), reverse=True)
    assert [rated[k] for k in bottom] == sorted(rated[k] for k in bottom)
    if top:
        assert rated[top[0]] == max(rated.values())
        assert rated[bottom[0]] == min(rated.values())
