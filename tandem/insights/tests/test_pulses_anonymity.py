"""No combination of pulse filters reveals a group of fewer than 5 people, not even by
differencing two allowed slices (issue 9, "done when").

On seeded random organizations (about 60 people, 3 levels, nested units, teams of 1 to
9, some people in another unit than their manager, about 80% answering), every
combination of the filters (org unit and below, level, team lead) is asked of
`pulses.slice_figures`, the function the pages and the API call. The response sets of
the slices shown are worked out here independently, from the responses' keys, and:

- each shown slice has 5 responses or more, and its n is its set's size;
- for any two shown slices A and B, A - B is empty or has 5 or more;
- stronger: grouping the responses by which shown slices they are in, every group has
  5 or more. Any figure that can be derived from the shown ones (a linear combination of
  their totals) is a figure over a union of these groups, so over 5 people or more.
"""

import itertools
import random
from collections import Counter, defaultdict

import pytest
from django.core import mail
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.insights import pulses
from tandem.insights.models import Pulse, PulseResponse
from tandem.insights.tests.test_pulses_setup import answers, opened
from tandem.people.models import Level, OrgUnit, Person
from tandem.tests.factories import OrgUnitFactory, PersonFactory, UserFactory

LEVELS = [Level.SENIOR, Level.MID, Level.INDIVIDUAL_CONTRIBUTOR]


def random_org(rng: random.Random) -> None:
    root = OrgUnitFactory(name="Org")
    departments = [OrgUnitFactory(name=f"Dept {n}", parent=root) for n in range(2)]
    leaves = [
        OrgUnitFactory(name=f"Team unit {d}.{n}", parent=department)
        for d, department in enumerate(departments)
        for n in range(rng.randint(1, 3))
    ]
    units = [root, *departments, *leaves]
    ceo = PersonFactory(level=Level.SENIOR, org_unit=root, manager=None)
    heads = [PersonFactory(level=Level.SENIOR, org_unit=d, manager=ceo) for d in departments]
    count = 3
    while count < 60:
        unit = rng.choice(leaves)
        head = heads[departments.index(unit.parent)]
        lead = PersonFactory(level=Level.MID, org_unit=unit, manager=head)
        count += 1
        usual = rng.choice([Level.MID, Level.INDIVIDUAL_CONTRIBUTOR])
        for _ in range(rng.randint(1, 9)):
            # Most of a team is at one level; now and then someone is not.
            level = usual if rng.random() < 0.85 else rng.choice(LEVELS)
            # Now and then someone sits in another unit than their manager.
            where = rng.choice(units) if rng.random() < 0.1 else unit
            PersonFactory(level=level, org_unit=where, manager=lead)
            count += 1


def answered_pulse(rng: random.Random):
    admin = UserFactory(username=f"admin{rng.random()}")
    pulse, raw = opened(admin)
    for token in raw.values():
        if rng.random() < 0.8:
            scores = answers(rng.randint(1, 5), rng.randint(0, 10))
            pulses.pulse_answer(raw_token=token, answers=scores)
    mail.outbox.clear()
    return pulses.pulse_close(pulse=pulse)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_no_filter_combination_isolates_fewer_than_five(seed):
    rng = random.Random(seed)
    random_org(rng)
    pulse = answered_pulse(rng)
    rows = list(PulseResponse.objects.values_list("pk", "org_unit_id", "level", "team_lead_id"))
    subtree = {unit.pk: set(OrgUnit.objects.subtree_ids(unit)) for unit in OrgUnit.objects.all()}
    leads = {lead for _pk, _unit, _level, lead in rows}
    people = Person.objects.in_bulk([lead for lead in leads if lead is not None])
    results = pulses.PulseResults.of(pulse)

    shown: list[frozenset[int]] = []
    hidden = 0
    for unit, level, lead in itertools.product(
        [None, *OrgUnit.objects.all()], [None, *Level.values], [None, *leads]
    ):
        figures = pulses.slice_figures(
            pulse, org_unit=unit, level=level, team_lead=people.get(lead)
        )
        # The pages' breakdowns read the same rule from the keys, in memory: they agree.
        units = subtree[unit.pk] if unit is not None else None
        assert results.figures(units=units, level=level, team_lead=lead) == figures
        members = frozenset(
            pk
            for pk, r_unit, r_level, r_lead in rows
            if (unit is None or r_unit in subtree[unit.pk])
            and (level is None or r_level == level)
            and (lead is None or r_lead == lead)
        )
        if not figures.shown:
            assert figures.n is None and figures.index is None and figures.enps is None
            hidden += 1
            continue
        assert len(members) >= 5 and figures.n == len(members)
        shown.append(members)

    assert shown and hidden, "the organization should give both shown and hidden slices"
    everyone = frozenset(pk for pk, *_rest in rows)
    assert everyone in shown
    assert_no_small_group_derivable(shown, everyone)


def assert_no_small_group_derivable(shown: list[frozenset[int]], everyone: frozenset[int]) -> None:
    distinct = set(shown)
    for a, b in itertools.permutations(distinct, 2):
        left = a - b
        assert not left or len(left) >= 5
    classes: dict[tuple[bool, ...], int] = defaultdict(int)
    ordered = sorted(distinct, key=sorted)
    for pk in everyone:
        classes[tuple(pk in members for members in ordered)] += 1
    assert not distinct or min(classes.values()) >= 5


# The same rule without a database, on many more shapes: hypothesis draws a unit tree
# and responses with any keys at all, the cells are planned as closing does, and every
# filter combination is asked of the same `PulseResults.figures`.


@st.composite
def responses_in_a_tree(draw):
    units = draw(st.integers(1, 6))
    parents = {1: None} | {u: draw(st.integers(1, u - 1)) for u in range(2, units + 1)}
    leads = list(range(101, 101 + draw(st.integers(1, 6))))
    keys = st.tuples(
        st.sampled_from([*parents, None]),
        st.sampled_from(["senior", "mid", "individual_contributor"]),
        st.sampled_from([*leads, None]),
    )
    # Keys come in clumps (a team at one level), as in an organization.
    clumps = draw(st.lists(st.tuples(keys, st.integers(1, 12)), max_size=14))
    return parents, [key for key, times in clumps for _ in range(times)]


@settings(max_examples=300, deadline=None)
@given(responses_in_a_tree())
def test_no_filter_combination_isolates_fewer_than_five_on_any_shape(drawn):
    parents, keys = drawn
    ancestry: dict[int, tuple[int, ...]] = {}
    for unit in sorted(parents):
        above = parents[unit]
        ancestry[unit] = (*(ancestry[above] if above else ()), unit)
    subtree = {unit: {u for u, chain in ancestry.items() if unit in chain} for unit in parents}
    sizes = Counter(keys)
    cells = pulses.plan_cells(sizes, ancestry) if sizes else None
    rows = [
        {
            "org_unit_id": key[0],
            "level": key[1],
            "team_lead_id": key[2],
            "cell": cells.cell_of[key],
            "n": n,
            "total": 50.0 * n,
            "squares": 2600.0 * n,
            "promoters": n,
            "detractors": 0,
        }
        for key, n in sizes.items()
    ]
    results = pulses.PulseResults.from_rows(Pulse(invited=len(keys)), rows)
    people = list(enumerate(keys))  # one "person" per response
    shown = []
    for unit, level, lead in itertools.product(
        [None, *parents],
        [None, "senior", "mid", "individual_contributor"],
        [None, *{key[2] for key in keys}],
    ):
        units = subtree[unit] if unit is not None else None
        figures = results.figures(units=units, level=level, team_lead=lead)
        members = frozenset(
            pk
            for pk, (r_unit, r_level, r_lead) in people
            if (units is None or r_unit in units)
            and (level is None or r_level == level)
            and (lead is None or r_lead == lead)
        )
        if figures.shown:
            assert len(members) >= 5 and figures.n == len(members)
            shown.append(members)
    assert_no_small_group_derivable(shown, frozenset(pk for pk, _key in people))
