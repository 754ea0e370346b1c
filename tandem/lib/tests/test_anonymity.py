"""The anonymity rules: hand-worked 360 plans and slices, and brute-force proofs that no
combination of the figures shown gives a hidden group or a small slice away."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.lib.anonymity import (
    ALL_OTHERS,
    ANONYMOUS_GROUPS,
    DIRECT_REPORTS,
    MANAGER,
    MANAGER_NOT_SHOWN,
    NOT_ENOUGH_RESPONSES,
    OTHERS,
    PEERS,
    SELF,
    Thresholds,
    complementary_suppression,
    differencing_safe,
    min_group_size_ok,
    plan_report_groups,
    recoverable,
    safe_cells,
    shuffled,
    suppress_small,
    visible_groups,
)

# --- thresholds -----------------------------------------------------------------------


def test_the_defaults_are_the_designs():
    thresholds = Thresholds()
    assert (thresholds.peers, thresholds.direct_reports, thresholds.others) == (3, 3, 3)
    assert thresholds.all_others == 4
    assert thresholds.show_manager is False
    assert thresholds.validated() is thresholds


@pytest.mark.parametrize("field", ["peers", "direct_reports", "others", "all_others"])
def test_it_never_allows_a_minimum_below_3(field):
    with pytest.raises(ValueError, match="2, but it can never be below 3"):
        Thresholds(**{field: 2}).validated()


def test_it_lists_every_minimum_that_is_too_low():
    with pytest.raises(ValueError) as refused:
        Thresholds(peers=1, direct_reports=2).validated()
    assert "minimum for peers is 1" in str(refused.value)
    assert "minimum for direct reports is 2" in str(refused.value)


@pytest.mark.parametrize(
    "thresholds",
    [Thresholds(peers=3.5), Thresholds(peers=True), Thresholds(show_manager=1)],  # type: ignore[arg-type]
)
def test_it_refuses_thresholds_of_the_wrong_type(thresholds):
    with pytest.raises(ValueError):
        thresholds.validated()


def test_it_allows_raising_the_minimums():
    assert Thresholds(peers=5, direct_reports=4, all_others=6).validated().peers == 5


def test_a_plan_is_never_made_with_thresholds_below_3():
    with pytest.raises(ValueError, match="never be below 3"):
        plan_report_groups({PEERS: 2}, Thresholds(peers=2))


# --- 360 plans, worked by hand --------------------------------------------------------


def test_it_shows_groups_that_meet_their_minimum():
    plan = plan_report_groups({SELF: 1, MANAGER: 1, PEERS: 3, DIRECT_REPORTS: 3, OTHERS: 0})
    assert plan.shown == {SELF, PEERS, DIRECT_REPORTS, ALL_OTHERS}
    # all others = 3 peers + 3 direct reports = 6 >= 4.
    assert plan.all_others_from == {PEERS, DIRECT_REPORTS}
    assert plan.all_others_n == 6
    assert plan.suppressed == {MANAGER: MANAGER_NOT_SHOWN, OTHERS: NOT_ENOUGH_RESPONSES}
    assert plan.reason(PEERS) is None
    assert plan.reason(MANAGER) == MANAGER_NOT_SHOWN


def test_a_group_with_two_responses_is_dropped_and_not_folded_into_all_others():
    # Folding the 2 peers into all others (2 + 3 = 5 >= 4) would give them away:
    # all_others_total - direct_reports_total = peers_total. So all others is only the
    # 3 direct reports, fewer than 4: it does not show either.
    plan = plan_report_groups({PEERS: 2, DIRECT_REPORTS: 3})
    assert plan.shown == {DIRECT_REPORTS}
    assert plan.suppressed == {PEERS: NOT_ENOUGH_RESPONSES, ALL_OTHERS: NOT_ENOUGH_RESPONSES}
    assert plan.all_others_from == frozenset()
    assert plan.all_others_n == 0


def test_all_others_may_repeat_a_single_shown_group():
    # 2 peers hidden; all others = the 5 direct reports alone, which shows anyway.
    plan = plan_report_groups({PEERS: 2, DIRECT_REPORTS: 5})
    assert plan.shown == {DIRECT_REPORTS, ALL_OTHERS}
    assert plan.all_others_from == {DIRECT_REPORTS}


def test_two_hidden_groups_join_all_others_together_when_they_have_enough_raters():
    # 2 peers + 2 direct reports hidden: together 4 >= 4 raters from 2 groups, so all
    # others = 2 + 2 + 3 others = 7. Subtracting the others leaves 4 raters of 2 groups.
    plan = plan_report_groups({PEERS: 2, DIRECT_REPORTS: 2, OTHERS: 3})
    assert plan.shown == {OTHERS, ALL_OTHERS}
    assert plan.all_others_from == {PEERS, DIRECT_REPORTS, OTHERS}
    assert plan.all_others_n == 7


def test_hidden_groups_stay_out_when_together_they_are_too_few():
    # 2 peers + 1 direct report = 3 < 4: left out; all others = the 3 others < 4.
    plan = plan_report_groups({PEERS: 2, DIRECT_REPORTS: 1, OTHERS: 3})
    assert plan.shown == {OTHERS}
    assert ALL_OTHERS in plan.suppressed


def test_all_others_can_be_made_of_hidden_groups_only():
    # 2 peers + 2 direct reports: no group shows, all others (4 raters) does.
    assert visible_groups({PEERS: 2, DIRECT_REPORTS: 2}) == {ALL_OTHERS}


def test_a_lone_hidden_group_never_shows_as_all_others():
    # Peers need 6 here; 5 peers alone would make all others = the peers.
    thresholds = Thresholds(peers=6)
    assert visible_groups({PEERS: 5, DIRECT_REPORTS: 0}, thresholds) == set()


def test_the_manager_shows_only_where_the_program_allows_it():
    counts = {MANAGER: 1, PEERS: 3, DIRECT_REPORTS: 1}
    assert MANAGER not in visible_groups(counts)
    plan = plan_report_groups(counts, Thresholds(show_manager=True))
    assert MANAGER in plan.shown
    # The manager never feeds all others, shown or not.
    assert plan.all_others_from == set()  # 3 peers alone: fewer than 4
    missing = plan_report_groups({MANAGER: 0}, Thresholds(show_manager=True))
    assert missing.reason(MANAGER) == NOT_ENOUGH_RESPONSES


def test_self_shows_when_there_is_a_self_assessment():
    assert SELF in visible_groups({SELF: 1})
    assert plan_report_groups({SELF: 0}).reason(SELF) == NOT_ENOUGH_RESPONSES


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"peer": 3}, "unknown rater group 'peer'"),
        ({PEERS: -1}, "whole number"),
        ({PEERS: 3.0}, "whole number"),
        ({SELF: 2}, "only one self-assessment"),
    ],
)
def test_it_refuses_bad_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        plan_report_groups(counts)


# --- 360 plans: no subtraction, for any counts ----------------------------------------


def figures(plan):
    """The shown figures as the sets of groups they add up (a mean times its count)."""
    shown = [frozenset([group]) for group in plan.shown if group != ALL_OTHERS]
    if ALL_OTHERS in plan.shown:
        shown.append(frozenset(plan.all_others_from))
    return shown


def hidden_groups(plan):
    return [g for g in plan.suppressed if g != ALL_OTHERS and plan.counts[g] > 0]


counts_strategy = st.fixed_dictionaries(
    {
        SELF: st.integers(0, 1),
        MANAGER: st.integers(0, 2),
        PEERS: st.integers(0, 8),
        DIRECT_REPORTS: st.integers(0, 8),
        OTHERS: st.integers(0, 8),
    }
)
thresholds_strategy = st.builds(
    Thresholds,
    peers=st.integers(3, 7),
    direct_reports=st.integers(3, 7),
    others=st.integers(3, 7),
    all_others=st.integers(3, 8),
    show_manager=st.booleans(),
)


@settings(max_examples=300)
@given(counts_strategy, thresholds_strategy)
def test_no_combination_of_shown_figures_recovers_a_hidden_group(counts, thresholds):
    plan = plan_report_groups(counts, thresholds)
    shown = figures(plan)
    hidden = hidden_groups(plan)
    groups = list(counts)

    # Brute force: every combination of the shown figures with whole coefficients from
    # -2 to 2. Each figure is a total over its groups, so a combination puts a weight on
    # each group; the hidden groups' weights must be all zero, or equal over exactly
    # the hidden groups that feed all others (and those are 2+ groups, enough raters).
    residual = [g for g in hidden if g in plan.all_others_from]
    for coefficients in itertools.product(range(-2, 3), repeat=len(shown)):
        weight = {
            g: sum(c for c, f in zip(coefficients, shown, strict=True) if g in f) for g in groups
        }
        on_hidden = {g: weight[g] for g in hidden if weight[g]}
        if not on_hidden:
            continue
        assert set(on_hidden) == set(residual), (coefficients, on_hidden)
        assert len(set(on_hidden.values())) == 1

    # Exactly (any rational coefficients): no hidden group, nor any set of hidden groups
    # other than the whole residual, has a total that follows from the shown figures.
    for size in range(1, len(hidden) + 1):
        for subset in itertools.combinations(hidden, size):
            if recoverable(subset, shown):
                assert set(subset) == set(residual)
    if residual:
        assert len(residual) >= 2
        assert sum(counts[g] for g in residual) >= thresholds.all_others


@given(counts_strategy, thresholds_strategy)
def test_every_shown_figure_meets_its_minimum(counts, thresholds):
    plan = plan_report_groups(counts, thresholds)
    for group in plan.shown & set(ANONYMOUS_GROUPS):
        assert counts[group] >= thresholds.minimum_for(group)
    if ALL_OTHERS in plan.shown:
        assert plan.all_others_n >= thresholds.all_others
        assert plan.all_others_from <= set(ANONYMOUS_GROUPS)
    assert (MANAGER in plan.shown) == (thresholds.show_manager and counts[MANAGER] >= 1)
    # Every group is either shown or has a reason, never both.
    for group in [*counts, ALL_OTHERS]:
        assert (group in plan.shown) != (group in plan.suppressed)


def test_the_brute_force_catches_the_naive_rule():
    # The rule it guards against: all others over every non-self, non-manager rater.
    # 2 peers (hidden) + 3 direct reports + 3 others = 8: peers = all - DR - others.
    naive = [{DIRECT_REPORTS}, {OTHERS}, {PEERS, DIRECT_REPORTS, OTHERS}]
    assert recoverable({PEERS}, naive)
    assert not recoverable(
        {PEERS}, figures(plan_report_groups({PEERS: 2, DIRECT_REPORTS: 3, OTHERS: 3}))
    )


# --- recoverable ----------------------------------------------------------------------


def test_recoverable_sees_a_difference_of_two_figures():
    assert recoverable({"a"}, [{"a", "b"}, {"b"}])
    assert not recoverable({"a"}, [{"a", "b"}])
    assert recoverable({"a", "b"}, [{"a", "b"}])
    assert recoverable(set(), [])


def test_recoverable_finds_combinations_with_fractions():
    # a = ((a + b) - (b + c) + (a + c)) / 2
    assert recoverable({"a"}, [{"a", "b"}, {"b", "c"}, {"a", "c"}])
    assert not recoverable({"a"}, [{"a", "b"}, {"b", "c"}, {"c", "d"}])


def test_recoverable_with_two_filters_crossed():
    # Teams x levels: showing every team and every level except one cell is fine, but
    # showing the cells of one team and of one level minus the crossing leaks it.
    cells = {(team, level) for team in "XY" for level in "12"}
    team_x = {c for c in cells if c[0] == "X"}
    level_1 = {c for c in cells if c[1] == "1"}
    assert not recoverable({("X", "1")}, [team_x, level_1, cells])
    assert recoverable({("X", "1")}, [team_x, level_1, cells, {("X", "2")}])


atoms = st.sets(st.sampled_from("abcd"))


@settings(max_examples=200, deadline=None)  # up to 9^4 combinations per example
@given(st.lists(atoms, max_size=4), atoms)
def test_recoverable_misses_no_combination(shown, target):
    # The dangerous mistake is "not recoverable" when some combination works: try every
    # combination with coefficients in halves from -2 to 2.
    halves = [k / 2 for k in range(-4, 5)]
    found = any(
        all(
            sum(c for c, members in zip(coefficients, shown, strict=True) if atom in members)
            == (atom in target)
            for atom in "abcd"
        )
        for coefficients in itertools.product(halves, repeat=len(shown))
    )
    if found:
        assert recoverable(target, shown)


# --- survey and analytics slices ------------------------------------------------------


def test_a_slice_needs_5_people_by_default():
    assert min_group_size_ok(5)
    assert not min_group_size_ok(4)
    assert min_group_size_ok(3, minimum=3)


@pytest.mark.parametrize(("n", "minimum"), [(-1, 5), (2.0, 5), (3, 0), (3, True)])
def test_min_group_size_refuses_bad_sizes(n, minimum):
    with pytest.raises(ValueError, match="whole number"):
        min_group_size_ok(n, minimum)


def test_it_suppresses_small_slices():
    assert suppress_small({"sales": 4, "support": 5, "legal": 0, "it": 12}) == {"sales", "legal"}
    assert suppress_small({"sales": 4}, minimum=3) == set()


def test_differencing_is_safe_when_nothing_or_enough_is_left_over():
    # 20 people: shown teams 8 + 7 + 5 = 20, nothing left over.
    assert differencing_safe(20, [8, 7, 5])
    # 20 people: teams 8 and 9 shown, team of 3 hidden: 20 - 8 - 9 = 3 gives it away.
    assert not differencing_safe(20, [8, 9, 3])
    # Two hidden teams of 3: 6 left over, their total is an aggregate over 6 people.
    assert differencing_safe(20, [8, 6, 3, 3])
    # 2 people in no team: 22 - 20 = 2 would be theirs.
    assert not differencing_safe(22, [8, 7, 5])
    # A whole under the minimum is not shown, so nothing can be subtracted from it.
    assert differencing_safe(4, [3, 1])


def test_complementary_suppression_hides_the_smallest_other_part():
    # 20 = 8 + 9 + 3: the 3 are hidden, and 3 < 5 left over, so the smallest shown part
    # (8) goes too: left over 3 + 8 = 11.
    assert complementary_suppression(20, {"a": 8, "b": 9, "c": 3}) == {"a", "c"}


def test_complementary_suppression_breaks_ties_by_order():
    # 25 = 10 + 6 + 6 + 3: the 3 hidden; b and c tie at 6, b comes first.
    assert complementary_suppression(25, {"a": 10, "b": 6, "c": 6, "d": 3}) == {"b", "d"}


def test_complementary_suppression_counts_people_in_no_part():
    # 32 = 10 + 10 + 10 and 2 in no part: left over 2, so one part of 10 goes.
    assert complementary_suppression(32, {"a": 10, "b": 10, "c": 10}) == {"a"}
    assert complementary_suppression(30, {"a": 10, "b": 10, "c": 10}) == set()


def test_complementary_suppression_keeps_going_until_safe():
    # 13 = 5 + 5 + 3: hide 3, then a (left over 8).
    assert complementary_suppression(13, {"a": 5, "b": 5, "c": 3}) == {"a", "c"}
    # Under the minimum everything is hidden (and so is the whole).
    assert complementary_suppression(3, {"a": 2, "b": 1}) == {"a", "b"}
    # Empty parts hide nothing: 20 - 10 - 10 = 0 left over.
    assert complementary_suppression(20, {"a": 10, "b": 10, "c": 0}) == {"c"}


def test_parts_cannot_outnumber_the_whole():
    with pytest.raises(ValueError, match="add up to 12 people, more than the 10"):
        complementary_suppression(10, {"a": 6, "b": 6})
    with pytest.raises(ValueError, match="add up to"):
        differencing_safe(10, [6, 6])


@settings(max_examples=300)
@given(
    st.lists(st.integers(0, 12), min_size=1, max_size=6),
    st.integers(0, 6),
    st.integers(2, 7),
)
def test_after_complementary_suppression_no_small_part_can_be_worked_out(sizes, extra, minimum):
    children = {f"team{i}": n for i, n in enumerate(sizes)}
    parent_n = sum(sizes) + extra
    suppressed = complementary_suppression(parent_n, children, minimum)
    assert suppress_small(children, minimum) <= suppressed

    parts = dict(children)
    parts["nobody's"] = extra  # people in no part are one more hidden part
    shown = [{key} for key in children if key not in suppressed]
    if parent_n >= minimum:
        shown.append(set(parts))
    hidden = [key for key in parts if key in suppressed or key == "nobody's"]
    # Any set of hidden parts whose total follows from the figures has 0 or >= minimum
    # people.
    for size in range(1, len(hidden) + 1):
        for subset in itertools.combinations(hidden, size):
            people = sum(parts[key] for key in subset)
            if 0 < people < minimum:
                assert not recoverable(subset, shown), subset
    assert differencing_safe(
        parent_n, [n for k, n in children.items() if k not in suppressed], minimum
    )


# --- comments -------------------------------------------------------------------------


COMMENTS = ["Listens well.", "Decides fast.", "Could delegate more.", "Clear goals.", "Kind."]


def test_the_order_is_fixed_for_a_seed():
    # Pinned: the page and the PDF, rendered in different processes, agree.
    assert shuffled(COMMENTS, seed=42) == shuffled(COMMENTS, seed=42)
    assert shuffled(COMMENTS, seed=42) == [
        "Kind.",
        "Could delegate more.",
        "Decides fast.",
        "Listens well.",
        "Clear goals.",
    ]
    assert shuffled(COMMENTS, seed="review-7") == shuffled(list(COMMENTS), seed="review-7")


def test_the_order_does_not_depend_on_the_order_the_comments_came_in():
    for _ in range(20):
        arrived = random.sample(COMMENTS, len(COMMENTS))
        assert shuffled(arrived, seed=7) == shuffled(COMMENTS, seed=7)


def test_the_order_is_not_alphabetical_for_every_seed():
    orders = {tuple(shuffled(COMMENTS, seed=seed)) for seed in range(20)}
    assert len(orders) > 1
    assert sorted(shuffled(COMMENTS, seed=1)) == sorted(COMMENTS)


def test_it_shuffles_records_by_their_text():
    records = [{"text": text, "rater": i} for i, text in enumerate(COMMENTS)]
    result = shuffled(records, seed=42, key=lambda record: record["text"])
    assert [record["text"] for record in result] == shuffled(COMMENTS, seed=42)


# --- safe cells ---------------------------------------------------------------------------


def test_a_big_enough_team_is_its_own_cell_and_small_ones_pool_in_their_unit():
    sizes = {("A", "t1"): 6, ("A", "t2"): 2, ("A", "t3"): 3, ("B", "t4"): 5}
    cells = safe_cells(sizes, {key: key for key in sizes})
    assert cells.shows([("A", "t1")])
    assert not cells.shows([("A", "t2")])
    assert cells.shows([("A", "t2"), ("A", "t3")])  # 5 people, one cell
    assert cells.shows(list(sizes))
    assert cells.cell_of[("A", "t2")] == cells.cell_of[("A", "t3")]


def test_a_units_small_leftover_goes_up_so_its_teams_show_and_the_unit_does_not():
    # Unit A: team t1 of 8, team t2 of 3; unit B: t3 of 9, t4 of 2. Showing A (11) and
    # t1 (8) would give t2 (3) away: t2 and t4 go up and pool at the top (5), so the
    # big teams and the whole show, and neither unit does.
    sizes = {("A", "t1"): 8, ("A", "t2"): 3, ("B", "t3"): 9, ("B", "t4"): 2}
    cells = safe_cells(sizes, {key: key for key in sizes})
    assert cells.shows([("A", "t1")]) and cells.shows([("B", "t3")])
    assert not cells.shows([("A", "t1"), ("A", "t2")])
    assert cells.shows(list(sizes))


def test_a_leftover_at_the_top_joins_a_pooled_cell_before_a_team_of_its_own():
    sizes = {("A", "t1"): 8, ("B", "t2"): 3, ("B", "t3"): 3, ("C", "t4"): 2}
    cells = safe_cells(sizes, {key: key for key in sizes})
    assert cells.shows([("A", "t1")])  # t4 joined B's pooled cell, not t1
    assert cells.cell_of[("C", "t4")] == cells.cell_of[("B", "t2")]


def test_a_unit_too_small_altogether_passes_its_people_up():
    sizes = {("A", "x", "t1"): 2, ("A", "y", "t2"): 2, ("A", "y", "t3"): 2}
    cells = safe_cells(sizes, {key: key for key in sizes})
    assert len(set(cells.cell_of.values())) == 1
    assert cells.shows(list(sizes))
    assert not cells.shows([("A", "y", "t2"), ("A", "y", "t3")])


def test_a_whole_population_under_the_minimum_shows_nothing():
    sizes = {("A", "t1"): 2, ("A", "t2"): 2}
    cells = safe_cells(sizes, {key: key for key in sizes})
    assert not cells.shows(list(sizes))


def test_it_refuses_a_size_without_a_path_or_a_negative_size():
    with pytest.raises(ValueError, match="no path"):
        safe_cells({"a": 3}, {})
    with pytest.raises(ValueError, match="whole number"):
        safe_cells({"a": -1}, {"a": ("x",)})


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.tuples(
            st.sampled_from("ABC"),
            st.sampled_from("xy"),
            st.sampled_from(["m", "s"]),
            st.integers(1, 6),
        ),
        st.integers(0, 9),
        min_size=1,
        max_size=25,
    )
)
def test_no_combination_of_shown_slices_isolates_fewer_than_five(sizes):
    """Every filter combination (unit, sub-unit, level, team, and any of them left
    open) that shows gives a set of people; grouping people by which shown slices they
    are in, every group is 0 or at least 5: no linear combination of shown figures,
    differencing included, can single out fewer than 5."""
    paths = {key: key for key in sizes}
    cells = safe_cells(sizes, paths)
    options = [(None, *sorted({key[place] for key in sizes})) for place in range(4)]
    shown = []
    for combo in itertools.product(*options):
        keys = [k for k in sizes if all(c is None or k[i] == c for i, c in enumerate(combo))]
        if cells.shows(keys):
            assert sum(sizes[k] for k in keys) >= 5
            shown.append(set(keys))
    classes: dict[tuple[bool, ...], int] = {}
    for key, n in sizes.items():
        signature = tuple(key in members for members in shown)
        classes[signature] = classes.get(signature, 0) + n
    for signature, n in classes.items():
        if any(signature):
            assert n == 0 or n >= 5, (signature, n)
