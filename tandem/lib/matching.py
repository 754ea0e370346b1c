"""The mentoring match: who mentors whom, chosen so the program's total compatibility is
as high as it can be, with every pair's score explained. Pure: plain values in, plain
values out; mentees and mentors are positions in the sequences given.

Scoring. Each questionnaire criterion gives a pair a similarity between 0 and 1; the
pair's score is the weighted mean, 0-100:  score = 100 * sum(w * s) / sum(w).
Scores are kept internally as whole hundredths of a point (0-10000), each criterion's
part rounded on its own so that the parts an explanation shows add up to the score.
People share answers, so each criterion's parts are looked up from a small table per
distinct answer rather than computed per pair (see _Table). A pair that
breaks a hard rule (mentor not enough levels above, no shared language, an excluded
pair such as the mentee's own reporting chain, or below the program's minimum score)
is never proposed.

Solving. The assignment is a min-cost flow (OR-Tools): source -> mentee (capacity 1,
or top_n for suggestions) -> mentor (one arc per allowed pair, cost = -weight) ->
sink (the mentor's free places), with a zero-cost bypass from source to sink so a
mentee may stay unmatched. Every allowed pair is scored, but only each mentee's best
candidates (and each little-chosen mentor's best mentees) enter the flow, which keeps a
10,000 x 2,500 program to ~330,000 arcs instead of 25 million.

Optimality is then proven, not assumed: the solved flow is optimal for the full
problem if and only if the full residual graph has no negative cycle. Node potentials
p from shortest paths in the pruned residual graph (Bellman-Ford, vectorized) make
every pruned arc's reduced cost non-negative; if also w(i, j) <= p(i) - p(j) for every
pair left out, p is a feasible potential for the full graph, which proves the flow
optimal. Pairs that fail the test are added (with those close to failing, which the
next potentials would fail) and the flow solved again, until none fails; the result is
then exact, and `Result.stats["certified"]` says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

UNITS = 100  # internal score units per point
FULL = 100 * UNITS
INELIGIBLE = -1
MAX_OPTIONS = 63
CHUNK_PAIRS = 1 << 16  # pairs scored per numpy step: small enough to stay in cache
TABLE_BYTES = 16 * 1024**2  # the largest lookup table of scores (see _Table)
CLOSED = -20_000  # in a table: a pair the rules close; below any sum of scores
MAX_ROUNDS = 100
NEAR_UNITS = 300  # 3 points: see _Matcher.violations

Progress = Callable[[str, int, int], None]

# Why a mentee stays unmatched:
NO_ELIGIBLE_MENTOR = "no_eligible_mentor"  # no mentor passes the hard rules
BELOW_MIN_SCORE = "below_min_score"  # the allowed mentors with free places score too low
CAPACITY = "capacity"  # allowed mentors are full, or their places went to better matches
LEVEL_GAP = "level_gap"
NO_SHARED_LANGUAGE = "no_shared_language"


class Kind(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    COVERAGE = "coverage"
    CLOSENESS = "closeness"


class Objective(StrEnum):
    OPTIMAL = "optimal"  # the highest total compatibility
    MOST_MATCHED = "most_matched"  # as many mentees matched as possible, then the best total


@dataclass(frozen=True)
class Criterion:
    """One scored question. Answers per kind: SAME and DIFFERENT take a hashable value
    or None; COVERAGE a collection of options (None or empty from a mentee means "no
    preference"); CLOSENESS a number or None, similar up to `scale` apart."""

    key: str
    label: str
    kind: Kind
    weight: int
    mentees: Sequence[Any]
    mentors: Sequence[Any]
    scale: float = 1.0


@dataclass(frozen=True)
class Rules:
    mentee_levels: Sequence[int] | None = None
    mentor_levels: Sequence[int] | None = None
    min_level_gap: int | None = None
    mentee_languages: Sequence[Collection[Hashable] | None] | None = None
    mentor_languages: Sequence[Collection[Hashable] | None] | None = None
    excluded: Iterable[tuple[int, int, str]] = ()


@dataclass(frozen=True)
class Problem:
    criteria: Sequence[Criterion]
    capacities: Sequence[int]
    rules: Rules = Rules()
    min_score: float | None = None
    # Mentees to match in preference (high potentials, say): each of their matches
    # counts as if it scored 100 points more. Their scores and explanations are not
    # touched, so nothing shown tells who is preferred.
    preferred: Sequence[bool] | None = None


@dataclass(frozen=True)
class Pair:
    mentee: int
    mentor: int
    score: float
    locked: bool = False


@dataclass(frozen=True)
class Contribution:
    key: str
    label: str
    weight: int
    similarity: float
    points: float


@dataclass(frozen=True)
class Explanation:
    score: float
    contributions: list[Contribution]
    excluded_by: str | None


@dataclass
class Result:
    pairs: list[Pair]
    unmatched: dict[int, str]
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def total_score(self) -> float:
        return round(sum(pair.score for pair in self.pairs), 2)

    @property
    def mean_score(self) -> float | None:
        return round(self.total_score / len(self.pairs), 2) if self.pairs else None

    @property
    def lowest_score(self) -> float | None:
        return min((pair.score for pair in self.pairs), default=None)


# --- Encoding the answers --------------------------------------------------------------


def _codes(values: Sequence[Any], missing: int, vocabulary: dict[Hashable, int]) -> np.ndarray:
    out = np.empty(len(values), dtype=np.int32)
    for position, value in enumerate(values):
        out[position] = missing if value is None else vocabulary.setdefault(value, len(vocabulary))
    return out


def _masks(
    values: Sequence[Collection[Hashable] | None], vocabulary: dict[Hashable, int], key: str
) -> list[int]:
    out = []
    for options in values:
        mask = 0
        for option in options or ():
            bit = vocabulary.setdefault(option, len(vocabulary))
            if bit >= MAX_OPTIONS:
                raise ValueError(f"{key}: more than {MAX_OPTIONS} different options")
            mask |= 1 << bit
        out.append(mask)
    return out


def _mask_arrays(mentee: list[int], mentor: list[int], options: int) -> tuple[np.ndarray, ...]:
    # The narrowest integer that holds every option: less memory to stream per pair.
    dtype = next(
        t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if options <= 8 * t().nbytes
    )
    return np.array(mentee, dtype=dtype), np.array(mentor, dtype=dtype)


def _numbers(values: Sequence[Any]) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def _points(weights: list[int]) -> list[int]:
    """Each criterion's share of the FULL score, in whole units that add up to FULL
    (largest remainder), so a perfect pair scores exactly 100."""
    total = sum(weights)
    if not total:
        return [0] * len(weights)
    exact = [FULL * w / total for w in weights]
    points = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda k: points[k] - exact[k])
    for k in by_remainder[: FULL - sum(points)]:
        points[k] += 1
    return points


@dataclass
class _Scorer:
    """A criterion turned into arrays, and the whole score units it is worth. A pair's
    part of the score is `units`: its similarity times the points, rounded to a whole
    unit, so the parts an explanation shows add up exactly to the score."""

    criterion: Criterion
    points: int
    mentee: np.ndarray
    mentor: np.ndarray

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarity 0-1 of mentee answers `a` with mentor answers `b`, broadcast
        (a column against a row gives every pair)."""
        kind = self.criterion.kind
        if kind is Kind.SAME:
            return (a == b).astype(np.float64)
        if kind is Kind.DIFFERENT:
            return ((a != b) & (a >= 0) & (b >= 0)).astype(np.float64)
        if kind is Kind.COVERAGE:
            size = np.bitwise_count(a)
            # A mentee with no preference is fully covered by anyone.
            return np.where(size == 0, 1.0, np.bitwise_count(a & b) / np.maximum(size, 1))
        return 1 - np.fmin(np.abs(a - b), 1)  # an unanswered side (nan) gets nothing

    def units(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        return np.rint(self.similarity(mentee, mentor) * self.points).astype(np.int16)


def _scorers(problem: Problem, n: int, m: int) -> list[_Scorer]:
    for criterion in problem.criteria:
        if not 0 <= criterion.weight <= 10:
            raise ValueError(f"{criterion.key}: weight must be between 0 and 10")
        if len(criterion.mentees) != n or len(criterion.mentors) != m:
            raise ValueError(f"{criterion.key}: one answer per mentee and per mentor")
    points = _points([c.weight for c in problem.criteria])
    out = []
    for criterion, worth in zip(problem.criteria, points, strict=True):
        vocabulary: dict[Hashable, int] = {}
        if criterion.kind in (Kind.SAME, Kind.DIFFERENT):
            mentee = _codes(criterion.mentees, -1, vocabulary)
            mentor = _codes(criterion.mentors, -2, vocabulary)
        elif criterion.kind is Kind.COVERAGE:
            mentee_masks = _masks(criterion.mentees, vocabulary, criterion.key)
            mentor_masks = _masks(criterion.mentors, vocabulary, criterion.key)
            mentee, mentor = _mask_arrays(mentee_masks, mentor_masks, len(vocabulary))
        else:
            if criterion.scale <= 0:
                raise ValueError(f"{criterion.key}: scale must be positive")
            mentee = _numbers(criterion.mentees) / criterion.scale
            mentor = _numbers(criterion.mentors) / criterion.scale
        out.append(_Scorer(criterion, worth, mentee, mentor))
    return out


@dataclass
class _Table:
    """Scores looked up rather than computed: `table[codes[i], j]` is what mentee i
    gets with mentor j from one criterion, or from several added together. Mentees
    share answers (a few hundred different skill sets among thousands of people), so
    a table has few rows, and scoring a block of pairs is a row copy and an add per
    table instead of several passes per criterion."""

    codes: np.ndarray  # per mentee: their row of the table
    table: np.ndarray  # int16 (rows, mentors)

    @classmethod
    def of(cls, scorer: _Scorer) -> _Table:
        values, codes = np.unique(scorer.mentee, return_inverse=True)
        return cls(codes.astype(np.intp), scorer.units(values[:, None], scorer.mentor[None, :]))

    def joined(self, other: _Table, max_rows: int) -> _Table | None:
        """One table for both, if the combinations of answers present are few enough."""
        width = max(len(other.table), 1)
        pairs, codes = np.unique(self.codes * width + other.codes, return_inverse=True)
        if len(pairs) > max_rows:
            return None
        table = self.table[pairs // width].astype(np.int32) + other.table[pairs % width]
        return _Table(codes.astype(np.intp), np.maximum(table, CLOSED).astype(np.int16))


@dataclass
class _Rules:
    """The hard rules. Levels and languages are the same for many people, so the
    mentors each kind of mentee may not have are worked out once per kind
    (`closed[kind_of[i]]`), and excluded pairs are kept sorted by mentee."""

    mentee_levels: np.ndarray | None
    mentor_levels: np.ndarray | None
    gap: int | None
    mentee_languages: list[int] | None
    mentor_languages: list[int] | None
    excluded: dict[int, dict[int, str]]  # mentee -> mentor -> reason
    excluded_pairs: tuple[np.ndarray, np.ndarray]  # sorted by mentee
    min_units: int
    kind_of: np.ndarray  # mentee -> index into closed
    closed: np.ndarray  # (kinds, mentors): True where the rules forbid the pair

    @classmethod
    def of(cls, problem: Problem, n: int, m: int) -> _Rules:
        rules = problem.rules
        levels: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
        if rules.min_level_gap is not None:
            if rules.mentee_levels is None or rules.mentor_levels is None:
                raise ValueError("a minimum level gap needs the levels of both sides")
            levels = (
                np.asarray(rules.mentee_levels, dtype=np.int64),
                np.asarray(rules.mentor_levels, dtype=np.int64),
            )
        languages: tuple[list[int] | None, list[int] | None] = (None, None)
        if rules.mentee_languages is not None and rules.mentor_languages is not None:
            vocabulary: dict[Hashable, int] = {}
            languages = (
                _masks(rules.mentee_languages, vocabulary, "languages"),
                _masks(rules.mentor_languages, vocabulary, "languages"),
            )
        excluded: dict[int, dict[int, str]] = {}
        for i, j, reason in rules.excluded:
            if 0 <= i < n and 0 <= j < m:
                excluded.setdefault(i, {}).setdefault(j, reason)
        pairs = sorted((i, j) for i, mentors in excluded.items() for j in mentors)
        excluded_pairs = (
            np.array([i for i, _ in pairs], dtype=np.int64),
            np.array([j for _, j in pairs], dtype=np.int64),
        )
        minimum = 0 if problem.min_score is None else math.ceil(problem.min_score * UNITS - 1e-9)
        kinds: dict[tuple[int, int], int] = {}
        kind_of = np.empty(n, dtype=np.int64)
        for i in range(n):
            level = int(levels[0][i]) if levels[0] is not None else 0
            spoken = languages[0][i] if languages[0] is not None else 0
            kind_of[i] = kinds.setdefault((level, spoken), len(kinds))
        closed = np.zeros((len(kinds), m), dtype=bool)
        mentor_spoken = np.array(languages[1] or [0] * m, dtype=np.uint64)
        for (level, spoken), kind in kinds.items():
            if levels[1] is not None:
                assert rules.min_level_gap is not None
                closed[kind] |= levels[1] - level < rules.min_level_gap
            if languages[0] is not None:
                closed[kind] |= (mentor_spoken & np.uint64(spoken)) == 0
        return cls(
            *levels,
            rules.min_level_gap,
            *languages,
            excluded,
            excluded_pairs,
            max(minimum, 0),
            kind_of,
            closed,
        )

    def excluded_in(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        mentees, mentors = self.excluded_pairs
        first, last = np.searchsorted(mentees, [start, stop])
        return mentees[first:last] - start, mentors[first:last]

    def broken(self, i: int, j: int) -> str | None:
        if self.mentee_levels is not None and self.mentor_levels is not None:
            assert self.gap is not None
            if self.mentor_levels[j] - self.mentee_levels[i] < self.gap:
                return LEVEL_GAP
        spoken, offered = self.mentee_languages, self.mentor_languages
        if spoken is not None and offered is not None and not spoken[i] & offered[j]:
            return NO_SHARED_LANGUAGE
        return self.excluded.get(i, {}).get(j)


class _Scores:
    """Every pair's score, block by block: the integer score, or INELIGIBLE."""

    def __init__(self, problem: Problem) -> None:
        self.n = len(problem.criteria[0].mentees) if problem.criteria else _count(problem)
        self.m = len(problem.capacities)
        self.scorers = _scorers(problem, self.n, self.m)
        self.rules = _Rules.of(problem, self.n, self.m)
        self.closed = self.rules.closed
        self.rows_per_block = max(1, CHUNK_PAIRS // max(self.m, 1))

    @cached_property
    def lookups(self) -> tuple[list[_Table], list[_Scorer]]:
        """The tables every block is read from, and the criteria with too many different
        answers for a table, computed block by block. Made on first use: explaining a
        pair needs neither."""
        if not (self.n and self.m):
            return [], []
        max_rows = max(1, TABLE_BYTES // (2 * self.m))
        tables = [_Table(self.rules.kind_of, np.where(self.closed, CLOSED, 0).astype(np.int16))]
        computed = []
        for scorer in self.scorers:
            if scorer.points <= 0:
                continue
            if len(np.unique(scorer.mentee)) > max_rows:
                computed.append(scorer)
            else:
                tables.append(_Table.of(scorer))
        tables.sort(key=lambda table: len(table.table))
        joined_up = [tables[0]]
        for table in tables[1:]:
            joined = joined_up[-1].joined(table, max_rows)
            if joined is None:
                joined_up.append(table)
            else:
                joined_up[-1] = joined
        return joined_up, computed

    def close_mentors(self, mentors: np.ndarray) -> None:
        """Leave these mentors out of every pair from now on. Kept apart from the rules,
        so an unmatched mentee's reason stays right."""
        self.closed = self.rules.closed.copy()
        self.closed[:, mentors] = True
        tables, _computed = self.lookups
        if tables:
            tables[0].table[:, mentors] = CLOSED

    def blocks(self, rows: int | None = None) -> Iterator[tuple[int, int]]:
        step = rows or self.rows_per_block
        for start in range(0, self.n, step):
            yield start, min(self.n, start + step)

    def block(self, start: int, stop: int, out: np.ndarray | None = None) -> np.ndarray:
        """The scores (int16) of mentees start..stop against every mentor, written to
        `out` if given, and returned."""
        rows = slice(start, stop)
        total = np.empty((stop - start, self.m), dtype=np.int16) if out is None else out
        tables, computed = self.lookups
        if not tables:
            total.fill(INELIGIBLE)
            return total
        first, *rest = tables
        np.take(first.table, first.codes[rows], axis=0, out=total, mode="clip")
        buffer = self._buffer[: stop - start]
        if len(buffer) < stop - start:
            buffer = np.empty_like(total)
        for table in rest:
            np.take(table.table, table.codes[rows], axis=0, out=buffer, mode="clip")
            total += buffer
        for scorer in computed:
            total += scorer.units(scorer.mentee[rows, None], scorer.mentor[None, :])
        total[self.rules.excluded_in(start, stop)] = INELIGIBLE
        if self.rules.min_units > 0:
            np.copyto(total, INELIGIBLE, where=total < self.rules.min_units)
        else:
            np.maximum(total, INELIGIBLE, out=total)
        return total

    @cached_property
    def _buffer(self) -> np.ndarray:
        return np.empty((self.rows_per_block, self.m), dtype=np.int16)

    def rule_eligible(self, closed: np.ndarray) -> np.ndarray:
        """Per mentee: is any mentor open to them (`closed`: per kind of mentee, the
        mentors the rules close), counting the excluded pairs?"""
        allowed = (~closed).sum(axis=1)[self.rules.kind_of]
        mentees, mentors = self.rules.excluded_pairs
        if len(mentees):
            open_pairs = ~closed[self.rules.kind_of[mentees], mentors]
            np.subtract.at(allowed, mentees[open_pairs], 1)
        return allowed > 0

    def of_pairs(self, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
        """The scores (int32) of these pairs, as `block` gives them."""
        tables, computed = self.lookups
        total = np.zeros(len(mentees), dtype=np.int32)
        for table in tables:
            total += table.table[table.codes[mentees], mentors]
        for scorer in computed:
            total += scorer.units(scorer.mentee[mentees], scorer.mentor[mentors])
        excluded = self.m * self.rules.excluded_pairs[0] + self.rules.excluded_pairs[1]
        total[_among(self.m * mentees.astype(np.int64) + mentors, excluded)] = INELIGIBLE
        total[total < self.rules.min_units] = INELIGIBLE
        return total

    def parts(self, i: int, j: int) -> list[int]:
        """Each criterion's units for the pair, rules aside."""
        return [int(s.units(s.mentee[i], s.mentor[j])) for s in self.scorers]

    def pair(self, i: int, j: int) -> int:
        return sum(self.parts(i, j))

    def explain(self, i: int, j: int) -> Explanation:
        if not (0 <= i < self.n and 0 <= j < self.m):
            raise ValueError("no such mentee or mentor")
        parts = self.parts(i, j)
        contributions = []
        for scorer, units in zip(self.scorers, parts, strict=True):
            similarity = scorer.similarity(scorer.mentee[i], scorer.mentor[j])
            criterion = scorer.criterion
            contributions.append(
                Contribution(
                    criterion.key,
                    criterion.label,
                    criterion.weight,
                    round(float(similarity), 4),
                    units / UNITS,
                )
            )
        score = sum(parts)
        excluded_by = self.rules.broken(i, j)
        if excluded_by is None and score < self.rules.min_units:
            excluded_by = BELOW_MIN_SCORE
        return Explanation(score / UNITS, contributions, excluded_by)


def _count(problem: Problem) -> int:
    rules = problem.rules
    for side in (rules.mentee_levels, rules.mentee_languages):
        if side is not None:
            return len(side)
    raise ValueError("a problem without criteria needs the mentees' levels or languages")


# --- Solving ----------------------------------------------------------------------------


@dataclass
class _Flow:
    """A solved flow on a candidate set and what it says."""

    mentees: np.ndarray  # candidate arcs: mentee, mentor, weight, flow
    mentors: np.ndarray
    weights: np.ndarray
    flows: np.ndarray
    mentee_flow: np.ndarray
    mentor_flow: np.ndarray
    bypass: int


def _solve_flow(
    n: int,
    m: int,
    mentees: np.ndarray,
    mentors: np.ndarray,
    weights: np.ndarray,
    mentee_capacity: np.ndarray,
    mentor_capacity: np.ndarray,
) -> _Flow:
    source, sink = n + m, n + m + 1
    supply = int(mentee_capacity.sum())
    k = len(mentees)
    tails = np.concatenate([np.full(n, source), mentees, np.arange(n, n + m), [source]])
    heads = np.concatenate([np.arange(n), mentors + n, np.full(m, sink), [sink]])
    capacities = np.concatenate([mentee_capacity, np.ones(k), mentor_capacity, [supply]])
    costs = np.concatenate([np.zeros(n), -weights, np.zeros(m), [0]])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver stopped with {status}")
    flows = flow.flows(arcs)
    return _Flow(
        mentees,
        mentors,
        weights,
        flows[n : n + k],
        flows[:n],
        flows[n + k : n + k + m],
        int(flows[-1]),
    )


def _potentials(
    solved: _Flow,
    n: int,
    m: int,
    mentee_capacity: np.ndarray,
    mentor_capacity: np.ndarray,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """A potential under which every residual arc has a non-negative reduced cost:
    Bellman-Ford from a virtual root joined to every node. Any starting values work
    (relaxing only lowers them, to the largest feasible potential below them), so the
    previous round's potential, nearly feasible already, saves most iterations."""
    source, sink = n + m, n + m + 1
    everyone, mentor_nodes = np.arange(n), np.arange(n, n + m)
    used = solved.flows > 0
    parts = [
        # (tails, heads, costs) of each kind of residual arc
        (solved.mentees[~used], solved.mentors[~used] + n, -solved.weights[~used]),
        (solved.mentors[used] + n, solved.mentees[used], solved.weights[used]),
    ]
    spare = solved.mentee_flow < mentee_capacity
    parts.append((np.full(spare.sum(), source), everyone[spare], np.zeros(spare.sum())))
    taken = solved.mentee_flow > 0
    parts.append((everyone[taken], np.full(taken.sum(), source), np.zeros(taken.sum())))
    room = solved.mentor_flow < mentor_capacity
    parts.append((mentor_nodes[room], np.full(room.sum(), sink), np.zeros(room.sum())))
    busy = solved.mentor_flow > 0
    parts.append((np.full(busy.sum(), sink), mentor_nodes[busy], np.zeros(busy.sum())))
    parts.append((np.array([source]), np.array([sink]), np.zeros(1)))
    if solved.bypass > 0:
        parts.append((np.array([sink]), np.array([source]), np.zeros(1)))
    tails = np.concatenate([p[0] for p in parts]).astype(np.int64)
    heads = np.concatenate([p[1] for p in parts]).astype(np.int64)
    costs = np.concatenate([p[2] for p in parts]).astype(np.int64)
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    distance = np.zeros(n + m + 2, dtype=np.int64) if start is None else start.copy()
    for _ in range(n + m + 3):
        best = np.minimum.reduceat(distance[tails] + costs, starts)
        improved = best < distance[targets]
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    raise RuntimeError("the residual graph has a negative cycle: the flow is not optimal")


class _BestPerMentor:
    """Each mentor's `want` best mentees, gathered as the blocks of scores stream by: a
    pair is noted only if it beats the mentor's want-th best so far, and the notes are
    cut back to each mentor's best whenever they pile up. In random order a mentor's
    want-th best rises fast, so few pairs are ever noted."""

    def __init__(self, m: int, want: int, active: np.ndarray) -> None:
        self.want = want
        self.active = active  # mentees who can still be matched
        self.floor = np.full(m, INELIGIBLE, dtype=np.int16)  # noted only above this
        self.notes: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.noted = 0
        self.limit = max(4 * want * m, 1 << 16)

    def see(self, start: int, block: np.ndarray) -> None:
        rows, mentors = np.nonzero(block > self.floor)
        scores = block[rows, mentors]
        mentees = rows + start
        active = self.active[mentees]
        self.notes.append((mentees[active], mentors[active], scores[active]))
        self.noted += int(active.sum())
        if self.noted > self.limit:
            self._cut()

    def _cut(self) -> None:
        if not self.notes:
            return
        mentees, mentors, scores = (np.concatenate(part) for part in zip(*self.notes, strict=True))
        order = np.lexsort((-scores.astype(np.int32), mentors))
        mentees, mentors, scores = mentees[order], mentors[order], scores[order]
        firsts = np.flatnonzero(np.r_[True, mentors[1:] != mentors[:-1]])
        sizes = np.diff(np.r_[firsts, len(mentors)])
        rank = np.arange(len(mentors)) - np.repeat(firsts, sizes)
        kept = rank < self.want
        full = firsts[sizes >= self.want]
        self.floor[mentors[full]] = scores[full + self.want - 1]
        self.notes = [(mentees[kept], mentors[kept], scores[kept])]
        self.noted = int(kept.sum())

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mentees, mentors, scores) of every mentor's best, as int32 arrays."""
        self._cut()
        if not self.notes:
            empty = np.empty(0, dtype=np.int32)
            return empty, empty, empty
        mentees, mentors, scores = self.notes[0]
        return mentees.astype(np.int32), mentors.astype(np.int32), scores.astype(np.int32)


class _Matcher:
    """Scores every pair once, keeps each mentee's best candidates, solves, and proves
    (or repairs) optimality over all pairs."""

    def __init__(
        self,
        scores: _Scores,
        *,
        objective: Objective,
        mentee_capacity: np.ndarray,
        mentor_capacity: np.ndarray,
        candidates: int | None,
        progress: Progress | None,
        preferred: np.ndarray | None = None,
    ) -> None:
        # A mentor without a free place can take nobody: their pairs could never carry
        # flow nor close a cycle, so they stay out of the flow and the certificate.
        self.scores = scores
        scores.close_mentors(np.flatnonzero(mentor_capacity <= 0))
        self.n, self.m = self.scores.n, self.scores.m
        self.rule_eligible = self.scores.rule_eligible(self.scores.rules.closed)
        self.free_eligible = self.scores.rule_eligible(self.scores.closed)
        self.objective = objective
        self.mentee_capacity = mentee_capacity
        self.mentor_capacity = mentor_capacity
        self.progress = progress
        room = int(mentee_capacity.max(initial=0))
        default = max(32, 4 * room, 2 * math.ceil(mentee_capacity.sum() / max(1, self.m)))
        self.keep = min(self.m, candidates if candidates is not None else default)
        self.stats: dict[str, Any] = {}
        # Tie-break (OPTIMAL): total score first, then more people matched. MOST_MATCHED:
        # a bonus larger than any difference in total score makes the count come first.
        active = int((mentee_capacity > 0).sum())
        if objective is Objective.OPTIMAL:
            self.scale, self.bonus = active + 1, 1
        else:
            self.scale, self.bonus = (
                1,
                FULL * max(active, 1) * int(mentee_capacity.max(initial=1)) + 1,
            )
        # Each mentee's constant part of every weight: the bonus, and a full score's
        # worth more for a preferred mentee.
        self.row_bonus = np.full(self.n, self.bonus, dtype=np.int64)
        if preferred is not None:
            self.row_bonus[preferred] += FULL * self.scale

    def weights(self, mentees: np.ndarray, scores: np.ndarray) -> np.ndarray:
        return scores.astype(np.int64) * self.scale + self.row_bonus[mentees]

    def _tick(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def score_all(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate arcs (mentee, mentor, score): each mentee's best `keep` mentors
        among those the rules allow and who have a free place, widened (see `widened`)."""
        started = time.perf_counter()
        n, m, keep = self.n, self.m, self.keep
        chosen_mentors = np.empty((n, keep), dtype=np.int32)
        chosen_scores = np.empty((n, keep), dtype=np.int32)
        self.any_eligible = np.zeros(n, dtype=bool)
        want = min(n, max(32, 8 * int(self.mentor_capacity.max(initial=1))))
        each_mentors_best = _BestPerMentor(m, want, self.mentee_capacity > 0)
        # Selection runs on 32-bit integers: numpy's vectorized partition has no 16-bit
        # argpartition, and the scalar one is four times slower.
        wide = np.empty((self.scores.rows_per_block, m), dtype=np.int32)
        blocks = list(self.scores.blocks())
        for number, (start, stop) in enumerate(blocks, 1):
            block = self.scores.block(start, stop)
            if want < n:
                each_mentors_best.see(start, block)
            scores = wide[: stop - start]
            np.copyto(scores, block)
            self.any_eligible[start:stop] = scores.max(axis=1, initial=INELIGIBLE) >= 0
            if keep < m:
                best = np.argpartition(scores, m - keep, axis=1)[:, m - keep :]
            else:
                best = np.broadcast_to(np.arange(m, dtype=np.int32), (stop - start, m))
            chosen_mentors[start:stop] = best
            chosen_scores[start:stop] = np.take_along_axis(scores, best, axis=1)
            self._tick("score", number, len(blocks))
        self.stats["seconds_scoring"] = round(time.perf_counter() - started, 3)
        self.stats["pairs_scored"] = n * m
        valid = (chosen_scores >= 0) & (self.mentee_capacity[:, None] > 0)
        rows = np.broadcast_to(np.arange(n, dtype=np.int32)[:, None], (n, keep))
        arcs = rows[valid], chosen_mentors[valid], chosen_scores[valid]
        if want >= n:
            return arcs
        return self.widened(*arcs, each_mentors_best)

    def widened(
        self,
        mentees: np.ndarray,
        mentors: np.ndarray,
        scores: np.ndarray,
        each_mentors_best: _BestPerMentor,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each mentee's best mentors can leave a mentor with few candidates, and then
        nothing in the flow prices their places right: the certificate fails on them
        and costs a round. So such mentors also get their own best mentees."""
        extra_mentees, extra_mentors, extra_scores = each_mentors_best.result()
        degree = np.bincount(mentors, minlength=self.m)
        thin = (degree < each_mentors_best.want) & (self.mentor_capacity > 0)
        fresh = thin[extra_mentors]
        fresh &= ~_among(self._keys(extra_mentees, extra_mentors), self._keys(mentees, mentors))
        return (
            np.concatenate([mentees, extra_mentees[fresh]]),
            np.concatenate([mentors, extra_mentors[fresh]]),
            np.concatenate([scores, extra_scores[fresh]]),
        )

    def violations(
        self, potential: np.ndarray, solved: _Flow
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Allowed pairs outside the flow with a negative reduced cost,
        weight(i, j) > p(i) - p(j), and when there are any, also those within
        NEAR_UNITS of failing: the next round's potentials move a little, and pairs
        close to the line are the ones that would fail then. A quick pass in floating
        point over every pair finds the pairs that might qualify; they are then
        tested exactly in integers."""
        n = self.n
        # weight = score * scale + bonus, so the test is score > (p(i) - bonus)/scale - p(j)/scale
        row_bound = (potential[:n] - self.row_bonus) / self.scale - NEAR_UNITS - 0.5
        row_bound[self.mentee_capacity == 0] = np.inf
        col_shift = potential[n : n + self.m] / self.scale
        # Moving both sides by the same amount keeps the test and the numbers small, so
        # single precision is far finer than the margin (NEAR_UNITS) the filter leaves.
        middle = float(np.median(col_shift)) if self.m else 0.0
        col_shift -= middle
        row_bound -= middle
        spread = max(float(np.abs(col_shift).max(initial=0)), FULL)
        dtype = np.float32 if spread < 2**20 else np.float64
        col_shift, row_bound = col_shift.astype(dtype), row_bound.astype(dtype)
        work = np.empty((self.scores.rows_per_block, self.m), dtype=dtype)
        # Pairs in the flow are covered by the potentials already (those carrying flow
        # are tight): they are left out, so that a row is looked at only when a pair
        # outside the flow comes near the line.
        by_mentee = np.argsort(solved.mentees, kind="stable")
        flow_mentees, flow_mentors = solved.mentees[by_mentee], solved.mentors[by_mentee]
        found_rows, found_cols = [], []
        blocks = list(self.scores.blocks())
        ends = np.searchsorted(flow_mentees, [stop for _start, stop in blocks])
        for number, (start, stop) in enumerate(blocks, 1):
            shifted = work[: stop - start]
            np.add(self.scores.block(start, stop), col_shift[None, :], out=shifted)
            first, last = ends[number - 2] if number > 1 else 0, ends[number - 1]
            shifted[flow_mentees[first:last] - start, flow_mentors[first:last]] = -np.inf
            bounds = row_bound[start:stop]
            failing = np.flatnonzero(shifted.max(axis=1, initial=-np.inf) > bounds)
            if len(failing):
                maybe_rows, maybe_cols = np.nonzero(shifted[failing] > bounds[failing, None])
                found_rows.append(failing[maybe_rows] + start)
                found_cols.append(maybe_cols)
            self._tick("certify", number, len(blocks))
        if not found_rows:
            empty = np.empty(0, dtype=np.int32)
            return empty, empty, empty
        mentees = np.concatenate(found_rows)
        mentors = np.concatenate(found_cols)
        scores = self.scores.of_pairs(mentees, mentors)
        slack = self.weights(mentees, scores) + potential[n + mentors] - potential[mentees]
        allowed = scores >= 0
        if not (allowed & (slack > 0)).any():
            empty = np.empty(0, dtype=np.int32)
            return empty, empty, empty
        near = allowed & (slack > -NEAR_UNITS * self.scale)
        return mentees[near], mentors[near], scores[near]

    def _keys(self, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
        return mentees.astype(np.int64) * self.m + mentors

    def run(self) -> _Flow:
        mentees, mentors, scores = self.score_all()
        potential = None
        rounds = 0
        solve_seconds = certify_seconds = 0.0
        while True:
            rounds += 1
            started = time.perf_counter()
            solved = _solve_flow(
                self.n,
                self.m,
                mentees,
                mentors,
                self.weights(mentees, scores),
                self.mentee_capacity,
                self.mentor_capacity,
            )
            solve_seconds += time.perf_counter() - started
            if self.keep >= self.m:
                break  # every allowed pair is in the flow: optimal as solved
            started = time.perf_counter()
            potential = _potentials(
                solved, self.n, self.m, self.mentee_capacity, self.mentor_capacity, potential
            )
            # A pair in the flow never fails the test (its reduced cost is >= 0 under
            # these potentials), so what fails is new: add it and solve again.
            extra_mentees, extra_mentors, extra_scores = self.violations(potential, solved)
            certify_seconds += time.perf_counter() - started
            if not len(extra_mentees):
                break
            if rounds > MAX_ROUNDS:
                raise RuntimeError("the match did not settle: no optimality certificate")
            mentees = np.concatenate([mentees, extra_mentees])
            mentors = np.concatenate([mentors, extra_mentors])
            scores = np.concatenate([scores, extra_scores])
        self.stats.update(
            candidates_kept=len(mentees),
            candidates_per_mentee=self.keep,
            rounds=rounds,
            certified=True,
            seconds_solving=round(solve_seconds, 3),
            seconds_certifying=round(certify_seconds, 3),
        )
        return solved

    def pairs(self, solved: _Flow) -> Iterator[Pair]:
        used = solved.flows > 0
        for i, j, weight in zip(
            solved.mentees[used].tolist(),
            solved.mentors[used].tolist(),
            solved.weights[used].tolist(),
            strict=True,
        ):
            yield Pair(i, j, ((weight - int(self.row_bonus[i])) // self.scale) / UNITS)

    def reason_unmatched(self, mentee: int) -> str:
        if not self.rule_eligible[mentee]:
            return NO_ELIGIBLE_MENTOR
        if not self.free_eligible[mentee]:
            return CAPACITY  # every mentor the rules allow is full
        if not self.any_eligible[mentee]:
            return BELOW_MIN_SCORE
        return CAPACITY  # the places went to better matches overall


def _among(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Which values are in pool (np.isin, without its hashing: several times faster here)."""
    if not len(pool):
        return np.zeros(len(values), dtype=bool)
    pool = np.sort(pool)
    at = np.minimum(np.searchsorted(pool, values), len(pool) - 1)
    return pool[at] == values


def _locked_pairs(
    scores: _Scores, locked: Iterable[tuple[int, int]], capacity: np.ndarray
) -> tuple[list[Pair], set[int]]:
    pairs = []
    seen: set[int] = set()
    for i, j in locked:
        if not (0 <= i < scores.n and 0 <= j < scores.m):
            raise ValueError(f"locked pair ({i}, {j}) is out of range")
        if i in seen:
            raise ValueError(f"mentee {i} is locked to two mentors")
        seen.add(i)
        capacity[j] -= 1
        pairs.append(Pair(i, j, scores.pair(i, j) / UNITS, locked=True))
    np.maximum(capacity, 0, out=capacity)
    return pairs, seen


def solve(
    problem: Problem,
    *,
    objective: Objective = Objective.OPTIMAL,
    locked: Iterable[tuple[int, int]] = (),
    progress: Progress | None = None,
    candidates: int | None = None,
) -> Result:
    """The optimal assignment of mentees to mentors (see the module docstring).
    Locked pairs are kept as they are (an admin's decision, even against a rule) and
    take their mentor's place; everyone else is matched around them."""
    started = time.perf_counter()
    scores = _Scores(problem)
    capacity = _capacities(problem, scores.m)
    pairs, locked_mentees = _locked_pairs(scores, locked, capacity)
    mentee_capacity = np.ones(scores.n, dtype=np.int64)
    mentee_capacity[list(locked_mentees)] = 0
    preferred = None
    if problem.preferred is not None:
        if len(problem.preferred) != scores.n:
            raise ValueError("preferred: one value per mentee")
        preferred = np.asarray(problem.preferred, dtype=bool)
    matcher = _Matcher(
        scores,
        objective=objective,
        mentee_capacity=mentee_capacity,
        mentor_capacity=capacity,
        candidates=candidates,
        progress=progress,
        preferred=preferred,
    )
    pairs.extend(matcher.pairs(matcher.run()))
    pairs.sort(key=lambda pair: pair.mentee)
    matched = {pair.mentee for pair in pairs}
    unmatched = {i: matcher.reason_unmatched(i) for i in range(scores.n) if i not in matched}
    stats = dict(matcher.stats, seconds=round(time.perf_counter() - started, 3))
    return Result(pairs, unmatched, stats)


def suggest(
    problem: Problem,
    *,
    top_n: int = 3,
    progress: Progress | None = None,
    candidates: int | None = None,
) -> dict[int, list[Pair]]:
    """Up to `top_n` mentors for each mentee to choose from, best first, such that no
    mentor is offered to more mentees than they have free places and the suggestions'
    total score is as high as it can be."""
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    scores = _Scores(problem)
    matcher = _Matcher(
        scores,
        objective=Objective.OPTIMAL,
        mentee_capacity=np.full(scores.n, top_n, dtype=np.int64),
        mentor_capacity=_capacities(problem, scores.m),
        candidates=candidates,
        progress=progress,
    )
    offered: dict[int, list[Pair]] = {i: [] for i in range(scores.n)}
    for pair in matcher.pairs(matcher.run()):
        offered[pair.mentee].append(pair)
    for pairs in offered.values():
        pairs.sort(key=lambda pair: (-pair.score, pair.mentor))
    return offered


def _capacities(problem: Problem, m: int) -> np.ndarray:
    capacity = np.asarray(problem.capacities, dtype=np.int64).copy()
    if (capacity < 0).any():
        raise ValueError("capacities cannot be negative")
    return capacity


def score_matrix(problem: Problem) -> np.ndarray:
    """Every pair's score in hundredths of a point (INELIGIBLE where a rule forbids the
    pair), as an n x m array: for checks and comparisons, not for large programs."""
    scores = _Scores(problem)
    blocks = [scores.block(start, stop) for start, stop in scores.blocks()]
    return np.vstack(blocks).astype(np.int32) if blocks else np.empty((0, scores.m), np.int32)


def explain(problem: Problem, mentee: int, mentor: int) -> Explanation:
    """Each criterion's part in the pair's score (the points add up to the score), and
    the hard rule the pair breaks, if any."""
    return explain_pairs(problem, [(mentee, mentor)])[0]


def explain_pairs(problem: Problem, pairs: Iterable[tuple[int, int]]) -> list[Explanation]:
    """`explain` for many pairs, the answers read once."""
    scores = _Scores(problem)
    return [scores.explain(i, j) for i, j in pairs]
