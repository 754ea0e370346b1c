"""The mentoring match: who mentors whom, chosen so the program's total compatibility is
as high as it can be, with every pair's score explained. Pure: plain values in, plain
values out; mentees and mentors are positions in the sequences given.

Scoring. Each questionnaire criterion gives a pair a similarity between 0 and 1; the
pair's score is the weighted mean, 0-100:  score = 100 * sum(w * s) / sum(w).
Scores are kept internally as whole hundredths of a point (0-10000). A pair that
breaks a hard rule (mentor not enough levels above, no shared language, an excluded
pair such as the mentee's own reporting chain, or below the program's minimum score)
is never proposed.

Solving. The assignment is a min-cost flow (OR-Tools): source -> mentee (capacity 1,
or top_n for suggestions) -> mentor (one arc per allowed pair, cost = -weight) ->
sink (the mentor's free places), with a zero-cost bypass from source to sink so a
mentee may stay unmatched. Every allowed pair is scored, but only each mentee's best
candidates enter the flow, which keeps a 10,000 x 2,500 program to ~300,000 arcs
instead of 25 million.

Optimality is then proven, not assumed: the solved flow is optimal for the full
problem if and only if the full residual graph has no negative cycle. Node potentials
p from shortest paths in the pruned residual graph (Bellman-Ford, vectorized) make
every pruned arc's reduced cost non-negative; if also w(i, j) <= p(i) - p(j) for every
pair left out, p is a feasible potential for the full graph, which proves the flow
optimal. Pairs that fail the test are added and the flow solved again, until none
fails; the result is then exact, and `Result.stats["certified"]` says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

UNITS = 100  # internal score units per point
FULL = 100 * UNITS
INELIGIBLE = -1
MAX_OPTIONS = 63
# Scores of all pairs are kept for the certificate when they fit in this many bytes
# (2 per pair); beyond it they are computed a second time instead.
KEEP_SCORES_BYTES = 2 * 1024**3
CHUNK_PAIRS = 1 << 16  # pairs scored per numpy step: small enough to stay in cache
MAX_ROUNDS = 100

Progress = Callable[[str, int, int], None]

NO_ELIGIBLE_MENTOR = "no_eligible_mentor"
BELOW_MIN_SCORE = "below_min_score"
CAPACITY = "capacity"
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
) -> np.ndarray:
    out = np.zeros(len(values), dtype=np.uint64)
    for position, options in enumerate(values):
        mask = 0
        for option in options or ():
            bit = vocabulary.setdefault(option, len(vocabulary))
            if bit >= MAX_OPTIONS:
                raise ValueError(f"{key}: more than {MAX_OPTIONS} different options")
            mask |= 1 << bit
        out[position] = mask
    return out


def _numbers(values: Sequence[Any]) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float32)


@dataclass
class _Scorer:
    """A criterion turned into arrays, and the points it is worth (in score units)."""

    criterion: Criterion
    points: float
    mentee: np.ndarray
    mentor: np.ndarray
    mentee_size: np.ndarray | None = None  # COVERAGE: options per mentee

    def add_to(self, total: np.ndarray, rows: slice, cols: slice | np.ndarray) -> None:
        a, b = self.mentee[rows, None], self.mentor[None, cols]
        kind = self.criterion.kind
        if kind is Kind.SAME:
            total += (a == b) * np.float32(self.points)
        elif kind is Kind.DIFFERENT:
            total += ((a != b) & (a >= 0) & (b >= 0)) * np.float32(self.points)
        elif kind is Kind.COVERAGE:
            assert self.mentee_size is not None
            shared = np.bitwise_count(a & b).astype(np.float32)
            size = self.mentee_size[rows]
            # Points per shared option; a mentee with no preference is fully covered.
            per_option = np.where(size > 0, self.points / np.maximum(size, 1), 0).astype(np.float32)
            total += shared * per_option[:, None]
            total += np.where(size == 0, np.float32(self.points), np.float32(0))[:, None]
        else:
            distance = np.abs(a - b)
            total += np.fmax(np.float32(self.points) - distance * np.float32(self.points), 0)

    def similarity(self, i: int, j: int) -> float:
        unit = _Scorer(self.criterion, 1.0, self.mentee, self.mentor, self.mentee_size)
        total = np.zeros((1, 1), dtype=np.float32)
        unit.add_to(total, slice(i, i + 1), np.array([j]))
        return float(total[0, 0])


def _scorers(problem: Problem, n: int, m: int) -> list[_Scorer]:
    total_weight = sum(max(c.weight, 0) for c in problem.criteria)
    out = []
    for criterion in problem.criteria:
        if not 0 <= criterion.weight <= 10:
            raise ValueError(f"{criterion.key}: weight must be between 0 and 10")
        if len(criterion.mentees) != n or len(criterion.mentors) != m:
            raise ValueError(f"{criterion.key}: one answer per mentee and per mentor")
        points = FULL * criterion.weight / total_weight if total_weight else 0.0
        vocabulary: dict[Hashable, int] = {}
        size = None
        if criterion.kind in (Kind.SAME, Kind.DIFFERENT):
            mentee = _codes(criterion.mentees, -1, vocabulary)
            mentor = _codes(criterion.mentors, -2, vocabulary)
        elif criterion.kind is Kind.COVERAGE:
            mentee = _masks(criterion.mentees, vocabulary, criterion.key)
            mentor = _masks(criterion.mentors, vocabulary, criterion.key)
            size = np.bitwise_count(mentee).astype(np.float32)
        else:
            if criterion.scale <= 0:
                raise ValueError(f"{criterion.key}: scale must be positive")
            mentee = _numbers(criterion.mentees) / np.float32(criterion.scale)
            mentor = _numbers(criterion.mentors) / np.float32(criterion.scale)
        out.append(_Scorer(criterion, points, mentee, mentor, size))
    return out


@dataclass
class _Rules:
    """The hard rules as arrays; `allowed` says which pairs of a block pass them."""

    mentee_levels: np.ndarray | None
    mentor_levels: np.ndarray | None
    gap: int | None
    mentee_languages: np.ndarray | None
    mentor_languages: np.ndarray | None
    excluded: dict[int, dict[int, str]]  # mentee -> mentor -> reason
    min_units: int

    @classmethod
    def of(cls, problem: Problem, n: int, m: int) -> _Rules:
        rules = problem.rules
        levels: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
        if rules.min_level_gap is not None:
            if rules.mentee_levels is None or rules.mentor_levels is None:
                raise ValueError("a minimum level gap needs the levels of both sides")
            levels = (
                np.asarray(rules.mentee_levels, dtype=np.int32),
                np.asarray(rules.mentor_levels, dtype=np.int32),
            )
        languages: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
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
        minimum = 0 if problem.min_score is None else math.ceil(problem.min_score * UNITS - 1e-9)
        return cls(*levels, rules.min_level_gap, *languages, excluded, max(minimum, 0))

    def allowed(self, rows: slice, cols: slice | np.ndarray) -> np.ndarray | None:
        ok = None
        if self.mentee_levels is not None and self.mentor_levels is not None:
            assert self.gap is not None
            ok = (self.mentor_levels[None, cols] - self.mentee_levels[rows, None]) >= self.gap
        if self.mentee_languages is not None and self.mentor_languages is not None:
            shared = (self.mentee_languages[rows, None] & self.mentor_languages[None, cols]) != 0
            ok = shared if ok is None else ok & shared
        return ok

    def broken(self, i: int, j: int) -> str | None:
        if self.mentee_levels is not None and self.mentor_levels is not None:
            assert self.gap is not None
            if self.mentor_levels[j] - self.mentee_levels[i] < self.gap:
                return LEVEL_GAP
        languages = self.mentee_languages, self.mentor_languages
        if (
            languages[0] is not None
            and languages[1] is not None
            and not languages[0][i] & languages[1][j]
        ):
            return NO_SHARED_LANGUAGE
        return self.excluded.get(i, {}).get(j)


class _Scores:
    """Every pair's score, block by block: the integer score, or INELIGIBLE."""

    def __init__(self, problem: Problem) -> None:
        self.n = len(problem.criteria[0].mentees) if problem.criteria else _count(problem)
        self.m = len(problem.capacities)
        self.scorers = [s for s in _scorers(problem, self.n, self.m) if s.points > 0]
        self.rules = _Rules.of(problem, self.n, self.m)
        self.rows_per_block = max(1, CHUNK_PAIRS // max(self.m, 1))

    def blocks(self) -> Iterator[tuple[int, int]]:
        for start in range(0, self.n, self.rows_per_block):
            yield start, min(self.n, start + self.rows_per_block)

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rule-eligible) for mentees start..stop against every mentor."""
        rows, cols = slice(start, stop), slice(0, self.m)
        total = np.zeros((stop - start, self.m), dtype=np.float32)
        for scorer in self.scorers:
            scorer.add_to(total, rows, cols)
        scores = np.rint(total).astype(np.int32)
        allowed = self.rules.allowed(rows, cols)
        eligible = np.ones_like(scores, dtype=bool) if allowed is None else allowed
        for i in range(start, stop):
            for j in self.rules.excluded.get(i, ()):
                eligible[i - start, j] = False
        scores[~eligible] = INELIGIBLE
        if self.rules.min_units > 0:
            scores[scores < self.rules.min_units] = INELIGIBLE
        return scores, eligible

    def pair(self, i: int, j: int) -> int:
        total = np.zeros((1, 1), dtype=np.float32)
        for scorer in self.scorers:
            scorer.add_to(total, slice(i, i + 1), np.array([j]))
        return int(np.rint(total[0, 0]))


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
    solved: _Flow, n: int, m: int, mentee_capacity: np.ndarray, mentor_capacity: np.ndarray
) -> np.ndarray:
    """Shortest-path distances in the residual graph from a virtual root joined to every
    node: a potential under which every residual arc has a non-negative reduced cost."""
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
    distance = np.zeros(n + m + 2, dtype=np.int64)
    for _ in range(n + m + 3):
        best = np.minimum.reduceat(distance[tails] + costs, starts)
        improved = best < distance[targets]
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    raise RuntimeError("the residual graph has a negative cycle: the flow is not optimal")


class _Matcher:
    """Scores every pair once, keeps each mentee's best candidates, solves, and proves
    (or repairs) optimality over all pairs."""

    def __init__(
        self,
        problem: Problem,
        *,
        objective: Objective,
        mentee_capacity: np.ndarray,
        mentor_capacity: np.ndarray,
        candidates: int | None,
        progress: Progress | None,
    ) -> None:
        self.scores = _Scores(problem)
        self.n, self.m = self.scores.n, self.scores.m
        self.objective = objective
        self.mentee_capacity = mentee_capacity
        self.mentor_capacity = mentor_capacity
        self.progress = progress
        room = int(mentee_capacity.max(initial=0))
        default = max(32, 4 * room, 2 * math.ceil(mentee_capacity.sum() / max(1, self.m)))
        self.keep = min(self.m, candidates if candidates is not None else default)
        self.kept: np.ndarray | None = None
        self.full_mentors = np.flatnonzero(mentor_capacity <= 0)
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

    def weights(self, scores: np.ndarray) -> np.ndarray:
        return scores.astype(np.int64) * self.scale + self.bonus

    def _tick(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def score_all(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Candidate arcs (mentee, mentor, score), and per mentee whether any mentor
        passes the rules and whether any also reaches the minimum score."""
        started = time.perf_counter()
        n, m, keep = self.n, self.m, self.keep
        keep_scores = n * m * 2 <= KEEP_SCORES_BYTES
        if keep_scores:
            self.kept = np.empty((n, m), dtype=np.int16)
        chosen_mentors = np.empty((n, keep), dtype=np.int32)
        chosen_scores = np.empty((n, keep), dtype=np.int32)
        any_rule_eligible = np.zeros(n, dtype=bool)
        any_eligible = np.zeros(n, dtype=bool)
        done = 0
        for start, stop in self.scores.blocks():
            scores, eligible = self.scores.block(start, stop)
            if self.kept is not None:
                self.kept[start:stop] = scores
            any_rule_eligible[start:stop] = eligible.any(axis=1)
            any_eligible[start:stop] = (scores >= 0).any(axis=1)
            # A mentor without a free place can take nobody: their arcs could never
            # carry flow nor close a cycle, so they are left out of flow and certificate.
            scores[:, self.full_mentors] = INELIGIBLE
            if keep < m:
                best = np.argpartition(scores, m - keep, axis=1)[:, m - keep :]
            else:
                best = np.broadcast_to(np.arange(m, dtype=np.int32), (stop - start, m))
            chosen_mentors[start:stop] = best
            chosen_scores[start:stop] = np.take_along_axis(scores, best, axis=1)
            done += stop - start
            self._tick("score", done, n)
        self.stats["seconds_scoring"] = round(time.perf_counter() - started, 3)
        valid = (chosen_scores >= 0) & (self.mentee_capacity[:, None] > 0)
        rows = np.broadcast_to(np.arange(n, dtype=np.int32)[:, None], (n, keep))
        self.stats["pairs_scored"] = n * m
        return (
            rows[valid],
            chosen_mentors[valid],
            chosen_scores[valid],
            any_rule_eligible,
            any_eligible,
        )

    def violations(
        self, potential: np.ndarray, solved: _Flow
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs outside the candidate set whose reduced cost is negative."""
        n = self.n
        mentee_potential = potential[:n]
        mentor_potential = potential[n : n + self.m]
        used = solved.flows > 0
        matched = (solved.mentees[used], solved.mentors[used])
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        blocks = list(self.scores.blocks())
        for number, (start, stop) in enumerate(blocks, 1):
            if self.kept is not None:
                scores = self.kept[start:stop].astype(np.int32)
            else:
                scores = self.scores.block(start, stop)[0]
            slack = self.weights(scores) + mentor_potential[None, :]
            slack -= mentee_potential[start:stop, None]
            slack[scores < 0] = -1
            slack[self.mentee_capacity[start:stop] == 0] = -1
            inside = (matched[0] >= start) & (matched[0] < stop)
            slack[matched[0][inside] - start, matched[1][inside]] = -1
            rows, cols = np.nonzero(slack > 0)
            if len(rows):
                found.append((rows + start, cols, scores[rows, cols]))
            self._tick("certify", number, len(blocks))
        if not found:
            empty = np.empty(0, dtype=np.int32)
            return empty, empty, empty
        return tuple(np.concatenate(part) for part in zip(*found, strict=True))  # type: ignore[return-value]

    def run(self) -> tuple[_Flow, np.ndarray, np.ndarray]:
        mentees, mentors, scores, any_rule_eligible, any_eligible = self.score_all()
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
                self.weights(scores),
                self.mentee_capacity,
                self.mentor_capacity,
            )
            solve_seconds += time.perf_counter() - started
            if self.keep >= self.m:
                break  # every allowed pair is in the flow: optimal as solved
            started = time.perf_counter()
            potential = _potentials(
                solved, self.n, self.m, self.mentee_capacity, self.mentor_capacity
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
        return solved, any_rule_eligible, any_eligible


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
    capacity = np.asarray(problem.capacities, dtype=np.int64).copy()
    if (capacity < 0).any():
        raise ValueError("capacities cannot be negative")
    matcher_scores = _Scores(problem)
    n = matcher_scores.n
    pairs, locked_mentees = _locked_pairs(matcher_scores, locked, capacity)
    mentee_capacity = np.ones(n, dtype=np.int64)
    mentee_capacity[list(locked_mentees)] = 0
    matcher = _Matcher(
        problem,
        objective=objective,
        mentee_capacity=mentee_capacity,
        mentor_capacity=capacity,
        candidates=candidates,
        progress=progress,
    )
    solved, any_rule_eligible, any_eligible = matcher.run()
    used = solved.flows > 0
    for i, j, weight in zip(
        solved.mentees[used].tolist(),
        solved.mentors[used].tolist(),
        solved.weights[used].tolist(),
        strict=True,
    ):
        pairs.append(Pair(i, j, ((weight - matcher.bonus) // matcher.scale) / UNITS))
    pairs.sort(key=lambda pair: pair.mentee)
    matched = {pair.mentee for pair in pairs}
    unmatched = {}
    for i in range(n):
        if i in matched:
            continue
        if not any_rule_eligible[i]:
            unmatched[i] = NO_ELIGIBLE_MENTOR
        elif not any_eligible[i]:
            unmatched[i] = BELOW_MIN_SCORE
        else:
            unmatched[i] = CAPACITY
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
        problem,
        objective=Objective.OPTIMAL,
        mentee_capacity=np.full(scores.n, top_n, dtype=np.int64),
        mentor_capacity=np.asarray(problem.capacities, dtype=np.int64).copy(),
        candidates=candidates,
        progress=progress,
    )
    solved, _rule_eligible, _eligible = matcher.run()
    used = solved.flows > 0
    offered: dict[int, list[Pair]] = {i: [] for i in range(scores.n)}
    for i, j, weight in zip(
        solved.mentees[used].tolist(),
        solved.mentors[used].tolist(),
        solved.weights[used].tolist(),
        strict=True,
    ):
        offered[i].append(Pair(i, j, ((weight - matcher.bonus) // matcher.scale) / UNITS))
    for pairs in offered.values():
        pairs.sort(key=lambda pair: (-pair.score, pair.mentor))
    return offered


def explain(problem: Problem, mentee: int, mentor: int) -> Explanation:
    """Each criterion's part in the pair's score (the points add up to the score), and
    the hard rule the pair breaks, if any."""
    scores = _Scores(problem)
    if not (0 <= mentee < scores.n and 0 <= mentor < scores.m):
        raise ValueError("no such mentee or mentor")
    contributions = []
    for scorer in _scorers(problem, scores.n, scores.m):
        criterion = scorer.criterion
        similarity = scorer.similarity(mentee, mentor)
        contributions.append(
            Contribution(
                criterion.key,
                criterion.label,
                criterion.weight,
                round(similarity, 4),
                round(scorer.points * similarity / UNITS, 2),
            )
        )
    score = scores.pair(mentee, mentor)
    excluded_by = scores.rules.broken(mentee, mentor)
    if excluded_by is None and score < scores.rules.min_units:
        excluded_by = BELOW_MIN_SCORE
    return Explanation(score / UNITS, contributions, excluded_by)
