"""360 figures computed in the database: the sums every report figure is made from.

Two GROUP BY queries over `Rating` rows give everything a report needs besides the
self-assessment and the comments, for one review or ten thousand at once:

- `item_counts`: for each review, item and rater group, how many raters chose each
  point of the scale. The number of answers, the mean score and the spread follow.
- `rater_summaries`: for each review, competency and rater group, a `Summary` (n, sum
  and sum of squares) of the raters' own competency scores, each rater's mean score
  over the items of the competency they rated. The interval of "all others" and the
  change since the previous review follow.

`ReviewFigures.build` then applies the anonymity rules (tandem.lib.anonymity) item by
item, and makes the competency figures only from item figures already shown, as the
report module's docstring sets out. Nothing here hands out one rater's answers: what
leaves this module is a figure the rules allow, or the sums it is computed from.
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

from tandem.assessments.models import Rating, Review, SelfAssessment
from tandem.lib import anonymity
from tandem.lib import instruments as rules
from tandem.lib.anonymity import ALL_OTHERS, DIRECT_REPORTS, SELF
from tandem.lib.stats import Summary

# A group's answers to one item: (how many, the sum of their scores, and how many
# chose each point of the scale packed into one integer, `bits` bits per point).
Sums = tuple[int, int, int]


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


class _Scale:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.low = int(document["scale"]["min"])
        self.high = int(document["scale"]["max"])
        self.points = self.high - self.low + 1
        # Counts of each point packed in one 63-bit integer; a count that needs more
        # bits than its slot is read back by a query instead (`_spread`).
        self.bits = min(16, 63 // self.points)
        self.capacity = (1 << self.bits) - 1

    def unpack(self, packed: int) -> tuple[int, ...]:
        return tuple(
            (packed >> (self.bits * point)) & self.capacity for point in range(self.points)
        )


def item_sums(ratings: QuerySet[Rating], scale: _Scale) -> dict[int, dict[str, dict[str, Sums]]]:
    """{review id: {item: {group: (n, sum of scores, packed counts per point)}}}."""
    shift = (F("value") - scale.low) * scale.bits
    # django-stubs types the shift as an int; Django takes any expression.
    packed = Cast(Value(1), BigIntegerField()).bitleftshift(shift)  # type: ignore[arg-type]
    rows = (
        ratings.exclude(group=SELF)
        .values_list("review_id", "item", "group")
        .annotate(n=Count("pk"), total=Sum("score"), packed=Sum(packed))
        .order_by()
    )
    result: dict[int, dict[str, dict[str, Sums]]] = defaultdict(dict)
    for review_id, item, group, n, total, points in _rows(rows):
        by_item = result[review_id]
        by_group = by_item.get(item)
        if by_group is None:
            by_group = by_item[item] = {}
        by_group[group] = (n, int(total), int(points))
    return result


# competency -> group -> Summary of the raters' own competency scores
Summaries = dict[str, dict[str, Summary]]


def rater_summaries(ratings: QuerySet[Rating]) -> dict[int, Summaries]:
    """{review id: {competency: {group: Summary of the raters' own scores}}} for
    `ratings`; a rater's score is their mean over the rows of theirs in `ratings`.
    Both steps run in the database: per rater, then per group."""
    per_rater = (
        ratings.exclude(group=SELF)
        .values("review_id", "competency", "response_id", "group")
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


@dataclass(slots=True)
class ItemFigures:
    """What the rules allow on one item. `means` and `sizes` hold every shown figure
    (rater groups, SELF, ALL_OTHERS); `plan` says why the others are not shown."""

    review_id: int
    key: str
    competency: str
    reverse: bool
    plan: anonymity.ReportGroups
    means: dict[str, float]
    sizes: dict[str, int]
    packed: int  # "all others" raters per scale point, packed (see _Scale)
    scale: _Scale

    @property
    def spread(self) -> tuple[int, ...] | None:
        """How many "all others" raters chose each point of the scale, lowest first;
        None when "all others" is not shown."""
        if ALL_OTHERS not in self.means:
            return None
        if self.sizes[ALL_OTHERS] <= self.scale.capacity:
            return self.scale.unpack(self.packed)
        counts = dict(
            Rating.objects.filter(
                review_id=self.review_id, item=self.key, group__in=self.plan.all_others_from
            )
            .values_list("value")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return tuple(counts.get(point, 0) for point in range(self.scale.low, self.scale.high + 1))


@dataclass
class CompetencyFigures:
    key: str
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
    groups: tuple[str, ...]  # shown rater groups (not SELF)
    self_shown: bool
    pooled: tuple[str, ...]  # the groups of "all others", empty when it does not show

    @classmethod
    def of(cls, sizes: dict[str, int], thresholds: anonymity.Thresholds) -> "_Recipe":
        plan = anonymity.plan_report_groups(sizes, thresholds)
        groups = tuple(g for g in plan.shown if g not in (SELF, ALL_OTHERS))
        return cls(plan, groups, SELF in plan.shown, tuple(sorted(plan.all_others_from)))


def _item(
    review_id: int,
    scale: _Scale,
    recipes: dict[Any, _Recipe],
    thresholds: anonymity.Thresholds,
    competency: str,
    item: Mapping[str, Any],
    sums: Mapping[str, Sums],
    present: tuple[str, ...],
    self_scores: Mapping[str, int] | None,
) -> ItemFigures:
    key = item["key"]
    counts = tuple([sums[group][0] if group in sums else 0 for group in present])
    self_score = self_scores.get(key) if self_scores is not None else None
    pattern = (present, counts, self_scores is not None, self_score is not None)
    recipe = recipes.get(pattern)
    if recipe is None:
        sizes = dict(zip(present, counts, strict=True))
        if self_scores is not None:
            sizes[SELF] = 0 if self_score is None else 1
        recipe = recipes[pattern] = _Recipe.of(sizes, thresholds)
    means: dict[str, float] = {}
    shown: dict[str, int] = {}
    for group in recipe.groups:
        n, total, _points = sums[group]
        means[group] = total / n
        shown[group] = n
    if recipe.self_shown:
        means[SELF] = float(self_score)  # type: ignore[arg-type]
        shown[SELF] = 1
    packed = 0
    if recipe.pooled:
        n = total = 0
        for group in recipe.pooled:
            group_n, group_total, points = sums[group]
            n, total, packed = n + group_n, total + group_total, packed + points
        means[ALL_OTHERS] = total / n
        shown[ALL_OTHERS] = n
    return ItemFigures(
        review_id,
        key,
        competency,
        bool(item.get("reverse")),
        recipe.plan,
        means,
        shown,
        packed,
        scale,
    )


def _competency(key: str, items: list[ItemFigures], summaries: Summaries) -> CompetencyFigures:
    totals: dict[str, list[float]] = {}  # group -> [sum of shown item means, how many, most n]
    for item in items:
        for group, mean in item.means.items():
            total = totals.get(group)
            n = item.sizes[group]
            if total is None:
                totals[group] = [mean, 1, n]
            else:
                total[0] += mean
                total[1] += 1
                total[2] = max(total[2], n)
    means = {group: total[0] / total[1] for group, total in totals.items()}
    sizes = {group: int(total[2]) for group, total in totals.items()}
    raters = {group: summary.n for group, summary in summaries.get(key, {}).items()}
    return CompetencyFigures(key, items, means, sizes, raters=raters)


def others_groups(items: Iterable[ItemFigures]) -> frozenset[str] | None:
    """The groups "all others" is built from, when it is the same on every item where
    it shows; None otherwise, or when it shows nowhere."""
    sets = {i.plan.all_others_from for i in items if ALL_OTHERS in i.means}
    return next(iter(sets)) if len(sets) == 1 else None


def _add(summaries: Summaries, competency: str, groups: Iterable[str]) -> Summary | None:
    by_group = summaries.get(competency, {})
    found = [by_group[g] for g in groups if g in by_group]
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
                shown = [i.key for i in competency.items if figure in i.means]
                if groups is None or not shown:
                    continue
                if len(shown) == len(competency.items):
                    _set(
                        competency,
                        figure,
                        _add(summaries.get(review.review_id, {}), competency.key, groups),
                    )
                else:
                    partial.append((review.review_id, competency, groups))
                    where |= Q(review_id=review.review_id, item__in=shown)
        if partial:
            again = rater_summaries(Rating.objects.filter(where))
            for review_id, competency, groups in partial:
                _set(competency, figure, _add(again.get(review_id, {}), competency.key, groups))


def _set(competency: CompetencyFigures, figure: str, summary: Summary | None) -> None:
    if figure == ALL_OTHERS:
        competency.others = summary
    else:
        competency.direct_reports = summary


def build(
    reviews: Sequence[Review],
    document: Mapping[str, Any],
    thresholds_of: Callable[[Review], anonymity.Thresholds],
    *,
    direct_reports: bool = False,
) -> list[ReviewFigures]:
    """The figures of `reviews`, which all use the instrument `document`, from three
    queries in all (and one more for a competency where a figure shows on only some of
    its items). `thresholds_of(review)` gives a review's anonymity minimums."""
    scale = _Scale(document)
    ids = [review.pk for review in reviews]
    ratings = Rating.objects.filter(review_id__in=ids)
    with _cyclic_gc_paused():
        with transaction.atomic(savepoint=False):
            if connection.vendor == "postgresql":
                # Enough memory to hash the GROUP BY of a few thousand reviews without
                # spilling to disk; for this transaction only.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL work_mem = '64MB'")
            sums = item_sums(ratings, scale)
            summaries = rater_summaries(ratings)
            self_answers = dict(
                SelfAssessment.objects.filter(
                    review_id__in=ids, submitted_at__isnull=False
                ).values_list("review_id", "answers")
            )
        return _figures(
            reviews,
            document,
            thresholds_of,
            scale,
            sums,
            summaries,
            self_answers,
            direct_reports=direct_reports,
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Building the figures makes a few million small objects and no reference cycles;
    the cyclic collector would walk them again and again (half the time, measured on
    10,000 reviews). Paused for that stretch only, and started again even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _figures(
    reviews: Sequence[Review],
    document: Mapping[str, Any],
    thresholds_of: Callable[[Review], anonymity.Thresholds],
    scale: _Scale,
    sums: Mapping[int, Mapping[str, Mapping[str, Sums]]],
    summaries: Mapping[int, Summaries],
    self_answers: Mapping[int, Any],
    *,
    direct_reports: bool,
) -> list[ReviewFigures]:
    result = []
    recipes: dict[anonymity.Thresholds, dict[Any, _Recipe]] = {}
    for review in reviews:
        review_sums = sums.get(review.pk, {})
        present = tuple(sorted({group for by_group in review_sums.values() for group in by_group}))
        self_scores = None
        if review.pk in self_answers:
            self_scores = {
                item: score
                for item, _competency, _value, score in rules.scored_answers(
                    document, self_answers[review.pk] or {}
                )
            }
        thresholds = thresholds_of(review)
        review_recipes = recipes.setdefault(thresholds, {})
        review_summaries = summaries.get(review.pk, {})
        competencies = []
        for competency in document["competencies"]:
            items = [
                _item(
                    review.pk,
                    scale,
                    review_recipes,
                    thresholds,
                    competency["key"],
                    item,
                    review_sums.get(item["key"], {}),
                    present,
                    self_scores,
                )
                for item in competency["items"]
            ]
            competencies.append(_competency(competency["key"], items, review_summaries))
        result.append(ReviewFigures(review.pk, competencies))
    _rater_figures(result, summaries, direct_reports=direct_reports)
    return result
