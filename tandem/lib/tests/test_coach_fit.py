"""Coach fit: the score adds up its reasons, the ranking keeps the best three coaches
with a free place, and each reason names what it is about."""

from hypothesis import given
from hypothesis import strategies as st

from tandem.lib.coach_fit import (
    BLIND_SPOT,
    CERTIFICATION,
    FAR_TIME_ZONE,
    GOAL,
    LANGUAGE,
    LEVEL,
    NO_LANGUAGE,
    PLACES,
    TIME_ZONE,
    CoachProfile,
    Needs,
    fit,
    hours_apart,
    rank,
)

NEEDS = Needs(
    level="emerging",
    language="en",
    utc_offset_hours=0,
    blind_spots=frozenset({1}),
    goal_competencies=frozenset({1, 2}),
)


def coach(id=1, **overrides):
    values = {
        "id": id,
        "specialties": frozenset(),
        "levels": frozenset(),
        "languages": frozenset({"en"}),
        "utc_offset_hours": 0.0,
        "capacity": 4,
        "coachees": 0,
    }
    values.update(overrides)
    return CoachProfile(**values)


def codes(result):
    return [reason.code for reason in result.reasons]


def test_it_scores_a_blind_spot_above_a_goal_and_counts_each_competency_once():
    result = fit(coach(specialties=frozenset({1, 2, 3})), NEEDS)
    reasons = {r.code: r for r in result.reasons}
    assert reasons[BLIND_SPOT].competencies == (1,)
    assert reasons[BLIND_SPOT].points == 3.0
    assert reasons[GOAL].competencies == (2,)  # 1 is counted as a blind spot already
    assert reasons[GOAL].points == 2.0


def test_it_adds_level_language_time_zone_places_and_certification():
    result = fit(
        coach(levels=frozenset({"emerging"}), certification_rank=2, coachees=2, capacity=4),
        NEEDS,
    )
    assert set(codes(result)) == {LEVEL, LANGUAGE, TIME_ZONE, PLACES, CERTIFICATION}
    assert result.score == 2.0 + 2.0 + 1.5 + 0.5 + 0.5


def test_a_coach_who_does_not_speak_the_language_loses_points():
    result = fit(coach(languages=frozenset({"pt"})), NEEDS)
    assert NO_LANGUAGE in codes(result)
    assert result.score < 0


def test_far_time_zones_are_said_but_earn_nothing():
    result = fit(coach(utc_offset_hours=9), NEEDS)
    far = next(r for r in result.reasons if r.code == FAR_TIME_ZONE)
    assert far.hours == 9 and far.points == 0


def test_hours_apart_go_the_short_way_round_the_clock():
    assert hours_apart(-10, 13) == 1
    assert hours_apart(5.5, -3.5) == 9


def test_it_ranks_the_best_three_with_a_free_place():
    coaches = [
        coach(1),
        coach(2, specialties=frozenset({1})),
        coach(3, specialties=frozenset({2})),
        coach(4, specialties=frozenset({1, 2}), coachees=4),  # full: never suggested
        coach(5, levels=frozenset({"emerging"}), specialties=frozenset({1})),
    ]
    assert [f.coach_id for f in rank(coaches, NEEDS)] == [5, 2, 3]


def test_ties_go_to_more_free_places_then_the_lower_id():
    coaches = [coach(3, capacity=2, coachees=1), coach(2, capacity=2, coachees=1)]
    assert [f.coach_id for f in rank(coaches, NEEDS)] == [2, 3]


def test_the_strongest_reason_comes_first():
    result = fit(coach(specialties=frozenset({1})), NEEDS)
    assert result.reasons[0].code == BLIND_SPOT


@given(
    st.lists(
        st.builds(
            coach,
            id=st.integers(1, 10_000),
            capacity=st.integers(1, 10),
            coachees=st.integers(0, 12),
            specialties=st.frozensets(st.integers(1, 5)),
        ),
        max_size=12,
        unique_by=lambda c: c.id,
    )
)
def test_a_full_coach_is_never_suggested_and_scores_sum_their_reasons(coaches):
    ranked = rank(coaches, NEEDS, limit=20)
    by_id = {c.id: c for c in coaches}
    assert all(by_id[f.coach_id].free_places > 0 for f in ranked)
    assert len(ranked) == sum(1 for c in coaches if c.free_places > 0)
    assert [f.score for f in ranked] == sorted((f.score for f in ranked), reverse=True)
    for result in ranked:
        assert abs(result.score - sum(r.points for r in result.reasons)) <= 5e-5
