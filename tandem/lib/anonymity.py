"""Anonymity rules for 360 reports, surveys and analytics slices.

Every read path that shows an aggregate over people goes through this module: the 360
report page, its PDF, the API, exports and the dashboards. The rules (DESIGN.md,
"Confidentiality rules"):

- Nobody sees one rater's answers. A 360 rater group shows only with enough responses:
  peers, direct reports and others 3 or more each, "all others" combined 4 or more. The
  manager shows as a group of one only where the program allows it. Programs may raise
  the minimums, never lower the group minimums below 3.
- A group below its minimum is dropped, and it must not come back by subtraction.
- Any survey or analytics aggregate over people needs 5 or more of them, and no slice
  may be worked out by differencing a larger slice and its other parts.
- Comments follow the group rules and are shown in an order that says nothing about
  who wrote them.

**The anti-subtraction rule for "all others".** A report shows, for one figure (an item,
say), the total of each shown group (its mean times its count; assume counts are known)
and the total over the groups that feed "all others". If exactly one hidden group fed
"all others", its total would be all_others - (the shown groups that feed it). So:

    "All others" is computed over the shown groups (peers, direct reports, others) plus
    the hidden ones only when *every* hidden group joins, there are at least two of them
    with answers, and together they have at least `all_others` raters. Otherwise the
    hidden groups are left out of "all others" altogether.

Why no combination of shown figures recovers a hidden group: with V the shown groups
feeding all-others and R the hidden groups in it, the shown figures are S_g for the
shown groups and S_all = sum(S_v for v in V) + sum(S_h for h in R). Any linear
combination a_1*S_1 + ... + b*S_all gives every group in R the same coefficient b and
every hidden group outside R the coefficient 0. The most it can tell about hidden groups
is therefore their total sum(S_h for h in R): a mix of two or more groups over at least
`all_others` raters, which is what "all others" promises anyway. Whether this is worth
it: with 2 peers, 2 direct reports and 3 others, "all others" still shows (7 raters)
instead of nothing. The manager and self never feed "all others": the manager either has
their own column or is not shown anywhere, so nothing can be subtracted from them.

This holds for every figure that adds up per-rater values over the groups it covers:
sums, means with their n, counts of each rating (the spread), and the comments: a shown
group's comments under its name, the comments of the groups in `all_others_from` in the
"all others" pool, nobody else's anywhere. Two things the caller must keep to:

1. Plan each figure from its own answer counts. Where "not observed" is allowed, an item
   can have 2 peer answers while the review has 3 peers; plan the item from its counts.
2. Build figures over several items (a competency) only from figures already shown,
   e.g. the peers' competency mean as the mean of the peers' shown item means, never by
   pooling raw answers; otherwise competency minus the shown items would reveal the
   hidden item.

For analytics slices, `suppress_small` drops the small ones and
`complementary_suppression` drops one more where a parent and its other children would
give a small child away. For anything else (two filters crossed, say), `recoverable`
tells exactly whether a set of people's total follows from the figures shown.
"""

import random
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

SELF = "self"
MANAGER = "manager"
PEERS = "peers"
DIRECT_REPORTS = "direct_reports"
OTHERS = "others"
# Not a rater group: the combined figure over the anonymous groups.
ALL_OTHERS = "all_others"

RATER_GROUPS = (SELF, MANAGER, PEERS, DIRECT_REPORTS, OTHERS)
# The groups whose raters stay anonymous and may feed "all others".
ANONYMOUS_GROUPS = (PEERS, DIRECT_REPORTS, OTHERS)

# Programs may raise the group minimums, never set them below this.
NEVER_BELOW = 3
# Any survey or analytics aggregate over people needs this many of them.
SLICE_MINIMUM = 5


def gettext_noop(message: str) -> str:
    """Marks a string for translation (makemessages finds it by this name)."""
    return message


NOT_ENOUGH_RESPONSES = gettext_noop("not enough responses")
MANAGER_NOT_SHOWN = gettext_noop("this program does not show the manager's answers")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class Thresholds:
    """The minimum number of responses for each 360 rater group to be shown.

    `all_others` is the minimum for the combined figure over peers, direct reports and
    others; `show_manager` lets the manager show as a group of one.
    """

    peers: int = 3
    direct_reports: int = 3
    others: int = 3
    all_others: int = 4
    show_manager: bool = False

    def validated(self) -> "Thresholds":
        """These thresholds, or a ValueError listing every minimum that is too low."""
        problems = []
        for name, label in (
            ("peers", "peers"),
            ("direct_reports", "direct reports"),
            ("others", "others"),
            ("all_others", "all others combined"),
        ):
            value = getattr(self, name)
            if not _is_count(value):
                problems.append(f"the minimum for {label} must be a whole number")
            elif value < NEVER_BELOW:
                problems.append(
                    f"the minimum for {label} is {value}, but it can never be below "
                    f"{NEVER_BELOW}: a smaller group would let raters be identified"
                )
        if not isinstance(self.show_manager, bool):
            problems.append("show_manager must be true or false")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def minimum_for(self, group: str) -> int:
        """The fewest responses with which an anonymous group may show."""
        if group not in ANONYMOUS_GROUPS:
            raise ValueError(f"{group!r} is not an anonymous rater group")
        value: int = getattr(self, group)
        return value


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class ReportGroups:
    """What a 360 figure may show, planned from its answer counts.

    `shown` holds rater groups and, when it shows, `ALL_OTHERS`; `all_others_from` the
    groups whose raters make up "all others" (empty when it does not show);
    `suppressed` every group in the counts (and "all others") that is not shown, with
    the reason to print in its place.
    """

    counts: Mapping[str, int]
    shown: frozenset[str]
    all_others_from: frozenset[str]
    suppressed: Mapping[str, str] = field(default_factory=dict)

    @property
    def all_others_n(self) -> int:
        """How many raters "all others" is computed over (0 when it does not show)."""
        return sum(self.counts[group] for group in self.all_others_from)

    def reason(self, group: str) -> str | None:
        """Why `group` is not shown, or None when it is."""
        return self.suppressed.get(group)


def _checked_counts(counts: Mapping[str, int]) -> dict[str, int]:
    problems = []
    for group, n in counts.items():
        if group not in RATER_GROUPS:
            problems.append(f"unknown rater group {group!r} (expected one of {RATER_GROUPS})")
        elif not _is_count(n):
            problems.append(f"the count for {group} must be a whole number, 0 or more")
    if not problems and counts.get(SELF, 0) > 1:
        problems.append("there is only one self-assessment per subject")
    if problems:
        raise ValueError("; ".join(problems))
    return dict(counts)


def plan_report_groups(
    counts: Mapping[str, int], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> ReportGroups:
    """Which groups one 360 figure may show, given how many raters of each group
    answered it. See the module docstring for the rule that keeps a dropped group from
    being subtracted back out of "all others"."""
    thresholds = thresholds.validated()
    counts = _checked_counts(counts)
    shown: set[str] = set()
    suppressed: dict[str, str] = {}

    for group in (SELF, MANAGER):
        if group not in counts:
            continue
        if group == MANAGER and not thresholds.show_manager:
            suppressed[group] = MANAGER_NOT_SHOWN
        elif counts[group] >= 1:
            shown.add(group)
        else:
            suppressed[group] = NOT_ENOUGH_RESPONSES

    visible: list[str] = []
    hidden: list[str] = []
    for group in ANONYMOUS_GROUPS:
        if group not in counts:
            continue
        n = counts[group]
        if n >= thresholds.minimum_for(group):
            shown.add(group)
            visible.append(group)
        else:
            suppressed[group] = NOT_ENOUGH_RESPONSES
            if n > 0:
                hidden.append(group)

    feeding = set(visible)
    if len(hidden) >= 2 and sum(counts[g] for g in hidden) >= thresholds.all_others:
        feeding.update(hidden)
    if sum(counts[g] for g in feeding) >= thresholds.all_others:
        shown.add(ALL_OTHERS)
    else:
        feeding = set()
        suppressed[ALL_OTHERS] = NOT_ENOUGH_RESPONSES

    return ReportGroups(
        counts=MappingProxyType(counts),
        shown=frozenset(shown),
        all_others_from=frozenset(feeding),
        suppressed=MappingProxyType(suppressed),
    )


def visible_groups(
    counts: Mapping[str, int], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> set[str]:
    """The rater groups (and `ALL_OTHERS`, when it shows) that one 360 figure may show."""
    return set(plan_report_groups(counts, thresholds).shown)


# --- survey and analytics slices ------------------------------------------------------


def _check_minimum(minimum: int) -> None:
    if not _is_count(minimum) or minimum < 1:
        raise ValueError(
            f"the minimum group size must be a whole number, 1 or more, not {minimum!r}"
        )


def min_group_size_ok(n: int, minimum: int = SLICE_MINIMUM) -> bool:
    """Whether an aggregate over `n` people may be shown."""
    _check_minimum(minimum)
    if not _is_count(n):
        raise ValueError(f"a group size must be a whole number, 0 or more, not {n!r}")
    return n >= minimum


def suppress_small(slices: Mapping[K, int], minimum: int = SLICE_MINIMUM) -> set[K]:
    """The slices to show as "not enough responses": those under `minimum` people.

    This is primary suppression only; where slices are parts of a shown whole, use
    `complementary_suppression` so that the whole minus the others cannot give one away.
    """
    _check_minimum(minimum)
    return {key for key, n in slices.items() if not min_group_size_ok(n, minimum)}


def _residual(parent_n: int, child_ns: Iterable[int], minimum: int) -> int:
    return parent_n - sum(n for n in child_ns if n >= minimum)


def _check_parts(parent_n: int, child_ns: Collection[int], minimum: int) -> None:
    _check_minimum(minimum)
    if not _is_count(parent_n) or not all(_is_count(n) for n in child_ns):
        raise ValueError("group sizes must be whole numbers, 0 or more")
    if sum(child_ns) > parent_n:
        raise ValueError(
            f"the parts add up to {sum(child_ns)} people, more than the {parent_n} in the whole"
        )


def differencing_safe(parent_n: int, child_ns: Iterable[int], minimum: int = SLICE_MINIMUM) -> bool:
    """Whether the whole (shown when it has `minimum` people) and every part that meets
    the minimum may be shown together without giving away the small parts.

    The parts must not overlap; people in none of them count as one more hidden part.
    Safe when the people left over (the whole minus the shown parts) are none or at
    least `minimum`: their total is all that differencing can reveal.
    """
    child_ns = list(child_ns)
    _check_parts(parent_n, child_ns, minimum)
    if parent_n < minimum:
        return True
    left_over = _residual(parent_n, child_ns, minimum)
    return left_over == 0 or left_over >= minimum


def complementary_suppression(
    parent_n: int, children: Mapping[K, int], minimum: int = SLICE_MINIMUM
) -> set[K]:
    """The parts to suppress so that a shown whole cannot give a small part away.

    Every part under `minimum` is suppressed; then, while the people left over (the whole
    minus the shown parts) are more than none and fewer than `minimum`, the smallest
    shown part is suppressed too (ties: the first in `children`). The whole itself never
    needs suppressing for this: once every part is suppressed, what is left over is the
    whole, which shows only if it meets the minimum anyway.
    """
    _check_parts(parent_n, list(children.values()), minimum)
    suppressed = {key for key, n in children.items() if n < minimum}
    left_over = _residual(parent_n, children.values(), minimum)
    candidates = sorted(
        (key for key in children if key not in suppressed),
        key=lambda key: children[key],
    )
    for key in candidates:
        if left_over == 0 or left_over >= minimum:
            break
        suppressed.add(key)
        left_over += children[key]
    return suppressed


def recoverable(target: Iterable[Hashable], shown: Iterable[Iterable[Hashable]]) -> bool:
    """Whether the total over `target` follows from the totals over the `shown` sets.

    Each shown figure is taken as the total of some value over a set of people (or
    groups): a mean with its count is such a total. The target's total is recoverable
    exactly when its indicator vector is a linear combination of the shown sets'
    indicator vectors, which this decides by exact (fraction) elimination.
    """
    target_set = set(target)
    basis: list[dict[Hashable, Fraction]] = []  # each row led by its pivot

    def reduce(vector: dict[Hashable, Fraction]) -> dict[Hashable, Fraction]:
        for row in basis:
            pivot = next(iter(row))
            factor = vector.get(pivot)
            if factor:
                for atom, value in row.items():
                    vector[atom] = vector.get(atom, Fraction(0)) - factor * value
                vector = {atom: value for atom, value in vector.items() if value}
        return vector

    for members in shown:
        reduced = reduce({atom: Fraction(1) for atom in set(members)})
        if reduced:
            pivot, value = next(iter(reduced.items()))
            row = {pivot: Fraction(1)}
            row.update({atom: v / value for atom, v in reduced.items() if atom != pivot})
            basis.append(row)
    return not reduce({atom: Fraction(1) for atom in target_set})


@dataclass(frozen=True)
class Cells:
    """A partition of the finest slices ("keys": e.g. unit, level and team) into cells
    of at least `minimum` people each (see `safe_cells`). A figure over a set of keys
    may be shown only when the set is a union of whole cells: then any figure that can
    be derived from shown ones, by differencing or any other linear combination, is a
    figure over a union of cells too, so over `minimum` people or more."""

    cell_of: Mapping[Hashable, int]
    sizes: Mapping[int, int]
    minimum: int

    def shows(self, keys: Iterable[Hashable]) -> bool:
        """Whether a figure over the people of `keys` may be shown: the keys cover
        whole cells only, and at least `minimum` people."""
        keys = set(keys)
        touched: dict[int, int] = {}
        for key in keys:
            cell = self.cell_of.get(key)
            if cell is None:
                continue  # a key without people
            touched[cell] = touched.get(cell, 0) + 1
        if not touched:
            return False
        members = self._members
        if any(members[cell] != count for cell, count in touched.items()):
            return False
        return sum(self.sizes[cell] for cell in touched) >= self.minimum

    @cached_property
    def _members(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for cell in self.cell_of.values():
            counts[cell] = counts.get(cell, 0) + 1
        return counts


def safe_cells(
    sizes: Mapping[K, int],
    paths: Mapping[K, Sequence[Hashable]],
    minimum: int = SLICE_MINIMUM,
) -> Cells:
    """Group the finest slices into cells of at least `minimum` people, finest first.

    `sizes` gives each key's number of people; `paths[key]` its place in a hierarchy,
    coarsest first (e.g. the org unit's ancestors, then the level, then the team). At
    each node of the hierarchy, from the leaves up, the people not yet in a cell are
    pooled; a pool of `minimum` or more becomes a cell, a smaller one is passed up to
    the parent. So a team of 6 is its own cell; three teams of 2 in a unit become one
    cell of the unit; and a unit whose leftover is 1 to `minimum` - 1 people passes
    them up, which keeps its teams showing and hides the unit as a whole (the unit
    minus its teams would give the leftover away). At the root a small leftover joins
    the smallest cell that already pools several keys (else the smallest cell), so
    every cell has `minimum` people unless there are fewer than that in all.
    """
    _check_minimum(minimum)
    for key, n in sizes.items():
        if not _is_count(n):
            raise ValueError(f"the size of {key!r} is {n!r}, not a whole number, 0 or more")
        if key not in paths:
            raise ValueError(f"{key!r} has a size but no path")

    # The hierarchy as nested dicts; each node lists the keys that end there.
    root: dict[Hashable, Any] = {}
    ends = "\0ends"
    for key in sizes:
        node = root
        for step in paths[key]:
            node = node.setdefault(("step", step), {})
        node.setdefault(ends, []).append(key)

    cells: list[list[K]] = []
    cell_sizes: list[int] = []

    def visit(node: dict[Hashable, Any]) -> tuple[list[K], int]:
        """The node's keys not yet in a cell, and their people."""
        pool: list[K] = [key for key in node.get(ends, ()) if sizes[key] > 0]
        pooled = sum(sizes[key] for key in pool)
        for step, child in node.items():
            if step == ends:
                continue
            keys, people = visit(child)
            pool += keys
            pooled += people
        if 0 < pooled < minimum:
            return pool, pooled
        if pooled:
            cells.append(pool)
            cell_sizes.append(pooled)
        return [], 0

    left, people = visit(root)
    # Take in whole cells, pooled ones first, then the smallest, until big enough.
    for cell in sorted(range(len(cells)), key=lambda c: (len(cells[c]) == 1, cell_sizes[c], c)):
        if not left or people >= minimum:
            break
        left += cells[cell]
        people += cell_sizes[cell]
        cells[cell] = []
        cell_sizes[cell] = 0
    if left:
        cells.append(left)
        cell_sizes.append(people)
    cell_of: dict[Hashable, int] = {}
    numbered: dict[int, int] = {}
    for number, members in enumerate(cells):
        if members:
            numbered[number] = cell_sizes[number]
            for key in members:
                cell_of[key] = number
    return Cells(cell_of, numbered, minimum)


# --- comments -------------------------------------------------------------------------


def shuffled(
    comments: Iterable[T],
    seed: int | str | bytes,
    *,
    key: Callable[[T], str] | None = None,
) -> list[T]:
    """The comments in an order that says nothing about who wrote them.

    The comments are first put in a canonical order (by their text, or by `key`), so the
    order they came in (submission time, rater id) cannot leak; then shuffled with
    `random.Random(seed)`, so the report does not list them alphabetically and the page
    and its PDF agree. Use one seed per report (e.g. the review's id), never one per
    rater: a seed tied to a rater would tie the order to that rater.
    """
    text = key if key is not None else str
    ordered = sorted(comments, key=text)
    random.Random(seed).shuffle(ordered)
    return ordered
