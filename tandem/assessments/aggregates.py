"""360 figures computed in the database: the sums every report figure is made from.

Two GROUP BY queries over `Rating` rows give everything a report needs besides the
self-assessment and the comments, for one review or ten thousand at once:

- `item_sums`: for each review, item and rater group, how many raters answered, the sum
  of their scores, and how many chose each point of the scale (packed into one
  integer). The mean score and the spread follow.
- `rater_summaries`: for each review, competency and rater group, a `Summary` (n, sum
  and sum of squares) of the raters' own competency scores, each rater's mean score
  over the items of the competency they rated. The interval of "all others" and the
  change since the previous review follow.

`build` then applies the anonymity rules (tandem.lib.anonymity) item by item, and makes
the competency figures only from item figures already shown, as the report module's
docstring sets out. Nothing here hands out one rater's answers: what leaves this module
is a figure the rules allow, or the sums it is computed from.

Rating rows hold small integers (group codes, the item's and competency's places in
the instrument); names are put back here, so callers see item keys and group names.
"""

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Avg,
    BigIntegerField,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast

from tandem.assessments.models import GROUP_CODES, GROUP_NAMES, Rating, Review, SelfAssessment
from tandem.lib import anonymity
from tandem.lib.anonymity import ALL_OTHERS, DIRECT_REPORTS, SELF
from tandem.lib.stats import Summary

# From this many reviews on, PostgreSQL is told how to group (see build).
LARGE_BATCH = 100
# A group's answers to one item: (how many, the sum of their scores, and how many
# chose each point of the scale packed into one integer, `bits` bits per point).
Sums = tuple[int, int, int]
# competency place -> group code -> Summary of the raters' own competency scores
Summaries = dict[int, dict[int, Summary]]


def _rows(queryset: QuerySet[Any], wrap: str = "") -> Iterator[tuple[Any, ...]]:
    """The rows of `queryset`'s SQL (inside `wrap`, a format string with {query}, when
    given), straight from the cursor: the ORM's per-value converters would cost more
    than the database's whole GROUP BY on millions of answers."""
    sql, params = queryset.query.sql_with_params()
    if wrap:
        sql = wrap.format(query=sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20_000):
            yield from batch


class _Instrument:
    """What the aggregates need from an instrument document, looked up once."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.low = int(document["scale"]["min"])
        self.high = int(document["scale"]["max"])
        self.points = self.high - self.low + 1
        # Counts of each point packed in one 63-bit integer; a count that needs more
        # bits than its slot is read back by a query instead (ItemFigures.spread).
        self.bits = min(16, 63 // self.points)
        self.capacity = (1 << self.bits) - 1
        # (competency key, [(item place, item key, reverse), ...]) in document order
        self.competencies: list[tuple[str, list[tuple[int, str, bool]]]] = []
        place = 0
        for competency in document["competencies"]:
            items = []
            for item in competency["items"]:
                items.append((place, item["key"], bool(item.get("reverse"))))
                place += 1
            self.competencies.append((competency["key"], items))
        self.item_count = place

    def scores(self, answers: Mapping[str, Any]) -> dict[str, int]:
        """{item key: score} for the rated answers (as tandem.lib.instruments
        .scored_answers, without its rows)."""
        low, high = self.low, self.high
        result = {}
        for _competency, items in self.competencies:
            for _place, key, reverse in items:
                value = answers.get(key)
                if type(value) is int and low <= value <= high:
                    result[key] = low + high - value if reverse else value
        return result

    def unpack(self, packed: int) -> tuple[int, ...]:
        return tuple(
            (packed >> (self.bits * point)) & self.capacity for point in range(self.points)
        )


def item_sums(ratings: QuerySet[Rating], instrument: _Instrument) -> dict[int, list[Any]]:
    """{review id: [per item place: {group code: (n, sum of scores, packed counts)}]}."""
    shift = (F("value") - instrument.low) * instrument.bits
    # django-stubs types the shift as an int; Django takes any expression.
    packed = Cast(Value(1), BigIntegerField()).bitleftshift(shift)  # type: ignore[arg-type]
    rows = (
        ratings.values_list("review_id", "item", "group")
        .annotate(n=Count("*"), total=Sum("score"), packed=Cast(Sum(packed), BigIntegerField()))
        .order_by()
    )
    result: dict[int, list[Any]] = {}
    size = instrument.item_count
    for review_id, item, group, n, total, points in _rows(rows):
        cells = result.get(review_id)
        if cells is None:
            cells = result[review_id] = [None] * size
        by_group = cells[item]
        if by_group is None:
            by_group = cells[item] = {}
        by_group[group] = (n, total, points)
    return result


def rater_summaries(ratings: QuerySet[Rating]) -> dict[int, Summaries]:
    """{review id: {competency place: {group code: Summary of the raters' own scores}}}
    for `ratings`; a rater's score is their mean over the rows of theirs in `ratings`.
    Both steps run in the database: per rater, then per group."""
    per_rater = (
        ratings.values("review_id", "competency", "response_id", "group")
        .annotate(mean=Avg("score", output_field=FloatField()))
        .order_by()
    )
    # Only the ORM's own SQL goes in; its parameters stay parameters.
    group = connection.ops.quote_name("group")
    wrap = (
        f"SELECT review_id, competency, {group}, COUNT(*), SUM(mean), SUM(mean * mean) "  # noqa: S608
        f"FROM ({{query}}) per_rater GROUP BY review_id, competency, {group}"
    )
    result: dict[int, Summaries] = defaultdict(dict)
    for review_id, competency, rater_group, n, total, squares in _rows(per_rater, wrap):
        by_group = result[review_id].setdefault(competency, {})
        by_group[rater_group] = Summary(n, float(total), float(squares))
    return result


# Every figure has its slot in these columns; a tuple per item instead of dicts keeps
# the few million objects of a large batch fewer and cheaper.
COLUMNS = (SELF, *GROUP_CODES, ALL_OTHERS)
_SLOT = {name: slot for slot, name in enumerate(COLUMNS)}
_SELF_SLOT, _ALL_OTHERS_SLOT = _SLOT[SELF], _SLOT[ALL_OTHERS]
_NOTHING: tuple[None, ...] = (None,) * len(COLUMNS)


def _as_dict(values: tuple[Any, ...]) -> dict[str, Any]:
    return {name: value for name, value in zip(COLUMNS, values, strict=True) if value is not None}


@dataclass(slots=True)
class ItemFigures:
    """What the rules allow on one item: a mean and its number of answers in each
    shown column of COLUMNS (None where not shown); `plan` says why the others are
    not shown."""

    review_id: int
    place: int
    key: str
    competency: str
    reverse: bool
    plan: anonymity.ReportGroups
    mean_slots: tuple[float | None, ...]
    size_slots: tuple[int | None, ...]
    packed: int  # "all others" raters per scale point, packed (see _Instrument)
    instrument: _Instrument

    @property
    def means(self) -> dict[str, float]:
        return _as_dict(self.mean_slots)

    @property
    def sizes(self) -> dict[str, int]:
        return _as_dict(self.size_slots)

    def shows(self, column: str) -> bool:
        return self.mean_slots[_SLOT[column]] is not None

    @property
    def spread(self) -> tuple[int, ...] | None:
        """How many "all others" raters chose each point of the scale, lowest first;
        None when "all others" is not shown."""
        others = self.size_slots[_ALL_OTHERS_SLOT]
        if others is None:
            return None
        if others <= self.instrument.capacity:
            return self.instrument.unpack(self.packed)
        counts = dict(
            Rating.objects.filter(
                review_id=self.review_id,
                item=self.place,
                group__in=[GROUP_CODES[g] for g in self.plan.all_others_from],
            )
            .values_list("value")
            .annotate(n=Count("pk"))
            .order_by()
        )
        low, high = self.instrument.low, self.instrument.high
        return tuple(counts.get(point, 0) for point in range(low, high + 1))


@dataclass
class CompetencyFigures:
    key: str
    place: int
    items: list[ItemFigures]
    # Groups with at least one shown item: the mean of their shown item means, and the
    # most answers behind any of them.
    means: dict[str, float]
    sizes: dict[str, int]
    # The raters' own scores behind "all others" and behind the direct reports, over the
    # items where that figure shows; None when there is no one set of raters to use.
    others: Summary | None = None
    direct_reports: Summary | None = None
    # Raters of each group who rated at least one item (the comments follow these).
    raters: dict[str, int] = field(default_factory=dict)


@dataclass
class ReviewFigures:
    review_id: int
    competencies: list[CompetencyFigures]

    def competency(self, key: str) -> CompetencyFigures | None:
        return next((c for c in self.competencies if c.key == key), None)


@dataclass(frozen=True)
class _Recipe:
    """What to show for one pattern of answer counts: the plan, and the groups to
    compute means for. The same few patterns recur on every item of every review, so
    each is planned once."""

    plan: anonymity.ReportGroups
    groups: tuple[tuple[int, int], ...]  # shown rater groups (code, slot), not SELF
    self_shown: bool
    pooled: tuple[int, ...]  # codes of the groups of "all others"; empty when not shown

    @classmethod
    def of(cls, sizes: dict[str, int], thresholds: anonymity.Thresholds) -> "_Recipe":
        plan = anonymity.plan_report_groups(sizes, thresholds)
        groups = tuple(
            (GROUP_CODES[g], _SLOT[g]) for g in sorted(plan.shown) if g not in (SELF, ALL_OTHERS)
        )
        pooled = tuple(sorted(GROUP_CODES[g] for g in plan.all_others_from))
        return cls(plan, groups, SELF in plan.shown, pooled)


def _item(
    review_id: int,
    instrument: _Instrument,
    recipes: dict[Any, _Recipe],
    thresholds: anonymity.Thresholds,
    competency: str,
    place: int,
    key: str,
    reverse: bool,
    sums: Mapping[int, Sums],
    present: tuple[int, ...],
    self_scores: Mapping[str, int] | None,
) -> ItemFigures:
    counts = tuple([sums[group][0] if group in sums else 0 for group in present])
    self_score = self_scores.get(key) if self_scores is not None else None
    pattern = (present, counts, self_scores is not None, self_score is not None)
    recipe = recipes.get(pattern)
    if recipe is None:
        answered = {GROUP_NAMES[g]: n for g, n in zip(present, counts, strict=True)}
        if self_scores is not None:
            answered[SELF] = 0 if self_score is None else 1
        recipe = recipes[pattern] = _Recipe.of(answered, thresholds)
    means: list[float | None] = list(_NOTHING)
    sizes: list[int | None] = list(_NOTHING)
    for code, slot in recipe.groups:
        n, total, _points = sums[code]
        means[slot] = total / n
        sizes[slot] = n
    if recipe.self_shown:
        means[_SELF_SLOT] = float(self_score)  # type: ignore[arg-type]
        sizes[_SELF_SLOT] = 1
    packed = 0
    if recipe.pooled:
        n = total = 0
        for code in recipe.pooled:
            group_n, group_total, points = sums[code]
            n, total, packed = n + group_n, total + group_total, packed + points
        means[_ALL_OTHERS_SLOT] = total / n
        sizes[_ALL_OTHERS_SLOT] = n
    return ItemFigures(
        review_id,
        place,
        key,
        competency,
        reverse,
        recipe.plan,
        tuple(means),
        tuple(sizes),
        packed,
        instrument,
    )


def _competency(
    key: str, place: int, items: list[ItemFigures], summaries: Summaries
) -> CompetencyFigures:
    means: dict[str, float] = {}
    sizes: dict[str, int] = {}
    for slot, name in enumerate(COLUMNS):
        shown = [i for i in items if i.mean_slots[slot] is not None]
        if shown:
            means[name] = sum(i.mean_slots[slot] for i in shown) / len(shown)  # type: ignore[misc]
            sizes[name] = max(i.size_slots[slot] or 0 for i in shown)
    raters = {GROUP_NAMES[code]: s.n for code, s in summaries.get(place, {}).items()}
    return CompetencyFigures(key, place, items, means, sizes, raters=raters)


def others_groups(items: Iterable[ItemFigures]) -> frozenset[str] | None:
    """The groups "all others" is built from, when it is the same on every item where
    it shows; None otherwise, or when it shows nowhere."""
    sets = {i.plan.all_others_from for i in items if i.shows(ALL_OTHERS)}
    return next(iter(sets)) if len(sets) == 1 else None


def _add(summaries: Summaries, competency: int, groups: Iterable[str]) -> Summary | None:
    by_group = summaries.get(competency, {})
    codes = [GROUP_CODES[g] for g in groups]
    found = [by_group[code] for code in codes if code in by_group]
    if not found:
        return None
    total = found[0]
    for summary in found[1:]:
        total = total + summary
    return total


def _rater_figures(
    reviews: list[ReviewFigures], summaries: Mapping[int, Summaries], *, direct_reports: bool
) -> None:
    """Fill in the raters' own scores behind "all others" (and, when asked for, behind
    the direct reports: only a change since an earlier review needs them).

    Over every item of a competency (the usual case) these are the summaries already
    computed. Where a figure shows on some items only, they are summed again in the
    database over just those items: one query per figure for all such competencies."""
    figures = [ALL_OTHERS, DIRECT_REPORTS] if direct_reports else [ALL_OTHERS]
    for figure in figures:
        partial: list[tuple[int, CompetencyFigures, frozenset[str]]] = []
        where = Q()
        for review in reviews:
            for competency in review.competencies:
                groups = (
                    others_groups(competency.items)
                    if figure == ALL_OTHERS
                    else frozenset({DIRECT_REPORTS})
                )
                shown = [i.place for i in competency.items if i.shows(figure)]
                if groups is None or not shown:
                    continue
                if len(shown) == len(competency.items):
                    summary = _add(summaries.get(review.review_id, {}), competency.place, groups)
                    _set(competency, figure, summary)
                else:
                    partial.append((review.review_id, competency, groups))
                    where |= Q(review_id=review.review_id, item__in=shown)
        if partial:
            again = rater_summaries(Rating.objects.filter(where))
            for review_id, competency, groups in partial:
                summary = _add(again.get(review_id, {}), competency.place, groups)
                _set(competency, figure, summary)


def _set(competency: CompetencyFigures, figure: str, summary: Summary | None) -> None:
    if figure == ALL_OTHERS:
        competency.others = summary
    else:
        competency.direct_reports = summary


@dataclass
class _Fetched:
    """A batch's sums, as the database returned them."""

    sums: dict[int, list[Any]]
    summaries: dict[int, Summaries]
    self_answers: dict[int, Any]


def _fetch(ids: list[int], instrument: _Instrument, manager_hidden: list[int]) -> _Fetched:
    ratings = Rating.objects.filter(review_id__in=ids)
    # Where the manager is never shown, their answers figure nowhere (they never feed
    # "all others"): a quarter of the rows a typical review's item sums need not read.
    # The column still appears, with its reason, as the manager is among the raters.
    manager = Q(group=GROUP_CODES[anonymity.MANAGER])
    if len(manager_hidden) == len(ids):
        item_ratings = ratings.exclude(manager)
    else:
        item_ratings = ratings.exclude(manager & Q(review_id__in=manager_hidden))
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql" and len(ids) >= LARGE_BATCH:
            # Each query reads its covering index in order, so grouping as the rows
            # come is twice as fast as hashing them (measured on a thousand reviews);
            # for this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_hashagg = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        return _Fetched(
            item_sums(item_ratings, instrument),
            rater_summaries(ratings),
            dict(
                SelfAssessment.objects.filter(
                    review_id__in=ids, submitted_at__isnull=False
                ).values_list("review_id", "answers")
            ),
        )


def _compute(
    reviews: Sequence[Review],
    instrument: _Instrument,
    fetched: _Fetched,
    thresholds_of: Callable[[Review], anonymity.Thresholds],
    *,
    direct_reports: bool,
) -> list[ReviewFigures]:
    result = []
    recipes: dict[anonymity.Thresholds, dict[Any, _Recipe]] = {}
    empty = [None] * instrument.item_count
    for review in reviews:
        review_summaries = fetched.summaries.get(review.pk, {})
        # The groups with any rating: every rater group rates some competency.
        present = tuple(sorted({g for by in review_summaries.values() for g in by}))
        self_scores = None
        if review.pk in fetched.self_answers:
            self_scores = instrument.scores(fetched.self_answers[review.pk] or {})
        thresholds = thresholds_of(review)
        review_recipes = recipes.setdefault(thresholds, {})
        cells = fetched.sums.get(review.pk, empty)
        competencies = []
        for place, (competency, items) in enumerate(instrument.competencies):
            figures = [
                _item(
                    review.pk,
                    instrument,
                    review_recipes,
                    thresholds,
                    competency,
                    item_place,
                    key,
                    reverse,
                    cells[item_place] or {},
                    present,
                    self_scores,
                )
                for item_place, key, reverse in items
            ]
            competencies.append(_competency(competency, place, figures, review_summaries))
        result.append(ReviewFigures(review.pk, competencies))
    _rater_figures(result, fetched.summaries, direct_reports=direct_reports)
    return result


def build(
    reviews: Sequence[Review],
    document: Mapping[str, Any],
    thresholds_of: Callable[[Review], anonymity.Thresholds],
    *,
    direct_reports: bool = False,
) -> list[ReviewFigures]:
    """The figures of `reviews`, which all use the instrument `document`, from three
    queries in all (and one more for the competencies where a figure shows on only some
    of their items). `thresholds_of(review)` gives a review's anonymity minimums."""
    instrument = _Instrument(document)
    with _cyclic_gc_paused():
        hidden = [review.pk for review in reviews if not thresholds_of(review).show_manager]
        fetched = _fetch([review.pk for review in reviews], instrument, hidden)
        return _compute(reviews, instrument, fetched, thresholds_of, direct_reports=direct_reports)


def build_many(
    reviews: Sequence[Review],
    document: Mapping[str, Any],
    thresholds_of: Callable[[Review], anonymity.Thresholds],
    *,
    chunk: int = 1000,
) -> Iterator[ReviewFigures]:
    """`build` for any number of reviews, `chunk` at a time, so memory stays bounded.

    (Running the next chunk's queries on a second connection while Python works on
    this one was tried on PostgreSQL: slower, as the two threads then fight over
    Python's lock for every row.)"""
    for start in range(0, len(reviews), chunk):
        yield from build(reviews[start : start + chunk], document, thresholds_of)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Building the figures makes a few million small objects and no reference cycles;
    the cyclic collector would walk them again and again. Paused for that stretch only,
    and started again even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
