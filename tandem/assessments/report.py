"""The 360 report of a closed review: every figure the anonymity rules allow, and no other.

How each figure is built (tandem.lib.anonymity, module docstring):

- **Item figures.** For each item, each group's answers are the submitted responses'
  ratings of that item; "not observed" and blanks are no answer. The item is planned
  with `plan_report_groups` from *its own* counts and the review's minimums. A shown
  group's figure is the mean of its ratings; "all others" is the mean over the raters
  of the groups in `all_others_from`. Reverse-keyed items are scored
  `min + max - rating`, so a higher score is always better.
- **Competency figures** are built only from item figures already shown: a group's
  competency mean is the unweighted mean of that group's *shown* item means in the
  competency (None when none shows). Raw answers are never pooled across items, so a
  competency figure minus the shown item figures gives nothing new away.
- **Spread**: for an item whose "all others" shows, how many of its raters chose each
  scale point (the rating as given), over exactly the raters "all others" is computed
  from. Counts are sums over the same set, so they reveal no more than the mean does.
- **Comments** on a competency follow the groups planned from the number of raters of
  each group who rated at least one of its items: a shown group's comments under its
  name, the comments of the hidden groups that feed "all others" in the "all others"
  pool, nobody else's; each list shuffled with the report's seed (the review's id).
- **Interval for "all others"** (and the change since the previous review): over the
  raters' own competency scores (the mean of a rater's scores on the competency's items
  where "all others" shows). It is computed only when "all others" is built from the
  same groups on every such item, so it is a figure over one set of raters, like the
  spread; otherwise it says "not enough data". The change in the direct-report view is
  likewise over the direct reports' own competency scores on the items where the
  direct reports show, in both reviews.

Below a minimum a figure says "not enough responses", never a number. Nothing here
returns one rater's answers.
"""

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog, Role
from tandem.assessments.models import RaterGroup, Response, Review, ReviewStatus
from tandem.lib import anonymity, johari
from tandem.lib.anonymity import ALL_OTHERS, ANONYMOUS_GROUPS, DIRECT_REPORTS, MANAGER, SELF
from tandem.lib.stats import Estimate, mean_change_ci, mean_ci

NOT_OBSERVED = "n/o"
TOP_AND_BOTTOM = 5
# Column order on the page, the PDF and the API.
COLUMN_ORDER = (SELF, MANAGER, *ANONYMOUS_GROUPS, ALL_OTHERS)


def group_label(group: str) -> str:
    if group == ALL_OTHERS:
        return _("All others")
    return str(RaterGroup(group).label)


class ReportNotReady(Exception):
    """The review is not closed: there is no report yet."""


@dataclass(frozen=True)
class GroupFigure:
    """One group's mean on an item or a competency, or why it is not shown."""

    group: str
    n: int
    mean: float | None
    reason: str = ""

    @property
    def label(self) -> str:
        return group_label(self.group)

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class SpreadPoint:
    point: int
    label: str
    count: int


@dataclass(frozen=True)
class ItemResult:
    key: str
    text: str
    reverse: bool
    competency_key: str
    figures: tuple[GroupFigure, ...]
    spread: tuple[SpreadPoint, ...] | None
    quadrant: str

    def figure(self, group: str) -> GroupFigure | None:
        return next((f for f in self.figures if f.group == group), None)

    def mean(self, group: str) -> float | None:
        found = self.figure(group)
        return found.mean if found else None

    @property
    def self_score(self) -> float | None:
        return self.mean(SELF)

    @property
    def others_mean(self) -> float | None:
        return self.mean(ALL_OTHERS)

    @property
    def gap(self) -> float | None:
        return johari.gap(self.self_score, self.others_mean)


@dataclass(frozen=True)
class CommentGroup:
    group: str
    comments: tuple[str, ...]

    @property
    def label(self) -> str:
        return group_label(self.group)


@dataclass(frozen=True)
class CompetencyResult:
    key: str
    name: str
    figures: tuple[GroupFigure, ...]
    items: tuple[ItemResult, ...]
    others_interval: Estimate
    quadrant: str
    comments: tuple[CommentGroup, ...]
    change: Estimate | None = None
    direct_reports_change: Estimate | None = None

    def figure(self, group: str) -> GroupFigure | None:
        return next((f for f in self.figures if f.group == group), None)

    def mean(self, group: str) -> float | None:
        found = self.figure(group)
        return found.mean if found else None

    @property
    def self_score(self) -> float | None:
        return self.mean(SELF)

    @property
    def others_mean(self) -> float | None:
        return self.mean(ALL_OTHERS)

    @property
    def gap(self) -> float | None:
        return johari.gap(self.self_score, self.others_mean)

    @property
    def quadrant_label(self) -> str:
        return _(johari.LABELS[self.quadrant])  # type: ignore[index]

    @property
    def change_text(self) -> str:
        return _estimate_text(self.change, signed=True)

    @property
    def direct_reports_change_text(self) -> str:
        return _estimate_text(self.direct_reports_change, signed=True)

    @property
    def others_interval_text(self) -> str:
        return _estimate_text(self.others_interval, signed=False)


def _estimate_text(estimate: Estimate | None, *, signed: bool) -> str:
    """An estimate as the report prints it; "" when there is none to compare."""
    if estimate is None:
        return ""
    if not estimate.enough:
        return _(anonymity.NOT_ENOUGH_RESPONSES)
    return estimate.format(2, signed=signed)


@dataclass(frozen=True)
class JohariQuadrant:
    key: str
    label: str
    items: tuple[ItemResult, ...]


@dataclass
class Report:
    review: Review
    columns: tuple[str, ...]
    scale_min: int
    scale_max: int
    scale_labels: dict[int, str]
    much: float
    competencies: tuple[CompetencyResult, ...]
    johari: tuple[JohariQuadrant, ...]
    top: tuple[ItemResult, ...]
    bottom: tuple[ItemResult, ...]
    previous: Review | None = None

    @property
    def column_labels(self) -> list[tuple[str, str]]:
        return [(group, group_label(group)) for group in self.columns]

    @property
    def has_comments(self) -> bool:
        return any(c.comments for c in self.competencies)

    @property
    def has_change(self) -> bool:
        return self.previous is not None


def thresholds_of(review: Review) -> anonymity.Thresholds:
    return anonymity.Thresholds(
        peers=review.min_peers,
        direct_reports=review.min_direct_reports,
        others=review.min_others,
        all_others=review.min_all_others,
        show_manager=review.show_manager,
    )


@dataclass(frozen=True)
class _Rater:
    """One response inside this module only: never leaves it."""

    group: str
    answers: Mapping[str, Any]
    comments: Mapping[str, Any]


def _rating(answers: Mapping[str, Any], key: str, low: int, high: int) -> int | None:
    value = answers.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None  # "n/o", blank or out of range: no answer
    return value


def _mean(values: Iterable[float]) -> float | None:
    data = list(values)
    return statistics.fmean(data) if data else None


class _Builder:
    def __init__(self, review: Review, *, much: float | None) -> None:
        self.review = review
        self.document = review.instrument.document
        scale = self.document["scale"]
        self.low, self.high = int(scale["min"]), int(scale["max"])
        self.labels = {int(point): text for point, text in scale["labels"].items()}
        self.rules = johari.JohariRules(self.low, self.high, much=much)
        self.thresholds = thresholds_of(review)
        responses = Response.objects.filter(review=review, submitted_at__isnull=False)
        self.raters = [
            _Rater(group, answers or {}, comments or {})
            for group, answers, comments in responses.values_list("group", "answers", "comments")
            if group != SELF
        ]
        self_assessment = getattr(review, "self_assessment", None)
        self.self_answers: Mapping[str, Any] | None = (
            self_assessment.answers
            if self_assessment is not None and self_assessment.submitted_at is not None
            else None
        )
        self.groups_present = {rater.group for rater in self.raters}
        self._plans: dict[str, anonymity.ReportGroups] = {}

    def score(self, rating: int, reverse: bool) -> float:
        return float(self.low + self.high - rating if reverse else rating)

    # --- items ---------------------------------------------------------------------

    def item(self, competency_key: str, item: Mapping[str, Any]) -> ItemResult:
        key, reverse = item["key"], bool(item.get("reverse"))
        ratings: dict[str, list[int]] = {group: [] for group in self.groups_present}
        for rater in self.raters:
            rating = _rating(rater.answers, key, self.low, self.high)
            if rating is not None:
                ratings[rater.group].append(rating)
        counts = {group: len(values) for group, values in ratings.items()}
        self_rating = (
            _rating(self.self_answers, key, self.low, self.high)
            if self.self_answers is not None
            else None
        )
        if self.self_answers is not None:
            counts[SELF] = 1 if self_rating is not None else 0
        plan = anonymity.plan_report_groups(counts, self.thresholds)

        figures = []
        for group in COLUMN_ORDER:
            if group == ALL_OTHERS:
                pooled = [r for g in plan.all_others_from for r in ratings[g]]
                values = [self.score(r, reverse) for r in pooled]
            elif group == SELF:
                if group not in counts:
                    continue
                values = [self.score(self_rating, reverse)] if self_rating is not None else []
            else:
                if group not in counts:
                    continue
                values = [self.score(r, reverse) for r in ratings[group]]
            if group in plan.shown:
                figures.append(GroupFigure(group, len(values), _mean(values)))
            else:
                figures.append(
                    GroupFigure(
                        group, 0, None, plan.reason(group) or anonymity.NOT_ENOUGH_RESPONSES
                    )
                )
        spread = None
        if ALL_OTHERS in plan.shown:
            pooled = [r for g in plan.all_others_from for r in ratings[g]]
            spread = tuple(
                SpreadPoint(point, self.labels[point], pooled.count(point))
                for point in range(self.low, self.high + 1)
            )
        partial = ItemResult(key, item["text"], reverse, competency_key, tuple(figures), spread, "")
        quadrant = johari.classify(partial.self_score, partial.others_mean, self.rules)
        self._plans[key] = plan
        return ItemResult(
            key, item["text"], reverse, competency_key, tuple(figures), spread, quadrant
        )

    # --- competencies --------------------------------------------------------------

    def rater_scores(
        self, items: Iterable[ItemResult], groups: Iterable[str], feeding: str
    ) -> list[float]:
        """Each rater's own mean score over `items` where figure `feeding` shows (a
        rater of `groups` only); raters who rated none of them are left out."""
        shown_items = [i for i in items if i.mean(feeding) is not None]
        wanted = set(groups)
        scores = []
        for rater in self.raters:
            if rater.group not in wanted:
                continue
            values = [
                self.score(rating, i.reverse)
                for i in shown_items
                if (rating := _rating(rater.answers, i.key, self.low, self.high)) is not None
            ]
            if values:
                scores.append(statistics.fmean(values))
        return scores

    def others_set(self, items: Iterable[ItemResult]) -> frozenset[str] | None:
        """The groups "all others" is built from, when it is the same on every item of
        the competency where it shows; None otherwise (or when it never shows)."""
        sets = {self._plans[i.key].all_others_from for i in items if i.others_mean is not None}
        return next(iter(sets)) if len(sets) == 1 else None

    def competency(self, competency: Mapping[str, Any]) -> CompetencyResult:
        items = tuple(self.item(competency["key"], item) for item in competency["items"])
        figures = []
        for group in COLUMN_ORDER:
            per_item = [i.figure(group) for i in items]
            present = [f for f in per_item if f is not None]
            if not present:
                continue
            shown = [f for f in present if f.mean is not None]
            if shown:
                figures.append(
                    GroupFigure(
                        group,
                        max(f.n for f in shown),
                        statistics.fmean(f.mean for f in shown if f.mean is not None),
                    )
                )
            else:
                reasons = {f.reason for f in present}
                reason = reasons.pop() if len(reasons) == 1 else anonymity.NOT_ENOUGH_RESPONSES
                figures.append(GroupFigure(group, 0, None, reason))

        others_groups = self.others_set(items)
        scores = (
            self.rater_scores(items, others_groups, ALL_OTHERS) if others_groups is not None else []
        )
        interval = mean_ci(scores) if scores else Estimate.insufficient(0)
        partial = CompetencyResult(
            competency["key"], competency["name"], tuple(figures), items, interval, "", ()
        )
        quadrant = johari.classify(partial.self_score, partial.others_mean, self.rules)
        return CompetencyResult(
            competency["key"],
            competency["name"],
            tuple(figures),
            items,
            interval,
            quadrant,
            self.comments(competency["key"], items),
        )

    def comments(
        self, competency_key: str, items: tuple[ItemResult, ...]
    ) -> tuple[CommentGroup, ...]:
        counts: dict[str, int] = {}
        for rater in self.raters:
            rated = any(
                _rating(rater.answers, i.key, self.low, self.high) is not None for i in items
            )
            counts[rater.group] = counts.get(rater.group, 0) + (1 if rated else 0)
        plan = anonymity.plan_report_groups(counts, self.thresholds)
        pools: dict[str, list[str]] = {}
        for rater in self.raters:
            text = rater.comments.get(competency_key)
            if not isinstance(text, str) or not text.strip():
                continue
            if rater.group in plan.shown:
                pools.setdefault(rater.group, []).append(text.strip())
            elif rater.group in plan.all_others_from:
                pools.setdefault(ALL_OTHERS, []).append(text.strip())
        seed = f"review-{self.review.pk}"
        return tuple(
            CommentGroup(group, tuple(anonymity.shuffled(pools[group], seed)))
            for group in COLUMN_ORDER
            if pools.get(group)
        )

    def build(self) -> list[CompetencyResult]:
        return [self.competency(c) for c in self.document["competencies"]]


def _with_changes(
    current: list[CompetencyResult],
    builder: _Builder,
    previous: tuple[list[CompetencyResult], _Builder] | None,
) -> list[CompetencyResult]:
    if previous is None:
        return current
    before_results, before_builder = previous
    before_by_key = {c.key: c for c in before_results}
    changed = []
    for competency in current:
        before = before_by_key.get(competency.key)
        change = direct_change = None
        if before is not None:
            change = _change(competency, builder, before, before_builder, ALL_OTHERS)
            if (
                competency.mean(DIRECT_REPORTS) is not None
                and before.mean(DIRECT_REPORTS) is not None
            ):
                direct_change = _change(competency, builder, before, before_builder, DIRECT_REPORTS)
        changed.append(
            CompetencyResult(
                competency.key,
                competency.name,
                competency.figures,
                competency.items,
                competency.others_interval,
                competency.quadrant,
                competency.comments,
                change,
                direct_change,
            )
        )
    return changed


def _change(
    after: CompetencyResult,
    after_builder: _Builder,
    before: CompetencyResult,
    before_builder: _Builder,
    figure: str,
) -> Estimate:
    def scores(result: CompetencyResult, builder: _Builder) -> list[float] | None:
        if figure == ALL_OTHERS:
            groups = builder.others_set(result.items)
            if groups is None:
                return None
        else:
            groups = frozenset({figure})
        return builder.rater_scores(result.items, groups, figure)

    first, second = scores(before, before_builder), scores(after, after_builder)
    if not first or not second:
        return Estimate.insufficient(len(first or []) + len(second or []))
    return mean_change_ci(first, second, paired=False)


def build_report(review: Review, *, much: float | None = None) -> Report:
    """The report of a closed review. `much` is the Johari gap that counts as large
    (default: a third of the scale's range). Raises ReportNotReady before it closes."""
    if review.status != ReviewStatus.CLOSED:
        raise ReportNotReady(_("The report is ready once the review has closed."))
    builder = _Builder(review, much=much)
    competencies = builder.build()
    previous = review.previous
    before = None
    if previous is not None and previous.status == ReviewStatus.CLOSED:
        before_builder = _Builder(previous, much=much)
        before = (before_builder.build(), before_builder)
    else:
        previous = None
    competencies = _with_changes(competencies, builder, before)

    items = [item for c in competencies for item in c.items]
    view = johari.johari_view(
        {item: (item.self_score, item.others_mean) for item in items}, builder.rules
    )
    quadrants = tuple(
        JohariQuadrant(key, _(johari.LABELS[key]), tuple(view[key])) for key in johari.QUADRANTS
    )
    others = {item: item.others_mean for item in items}
    columns = tuple(
        group for group in COLUMN_ORDER if any(c.figure(group) is not None for c in competencies)
    )
    return Report(
        review=review,
        columns=columns,
        scale_min=builder.low,
        scale_max=builder.high,
        scale_labels=builder.labels,
        much=builder.rules.much,
        competencies=tuple(competencies),
        johari=quadrants,
        top=tuple(johari.top_behaviours(others, TOP_AND_BOTTOM)),
        bottom=tuple(johari.bottom_behaviours(others, TOP_AND_BOTTOM)),
        previous=previous,
    )


# --- who may read it, and the record of each read ---------------------------------------


def can_read_report(user: Any, review: Review) -> bool:
    """The subject, their management chain and program admins; executive viewers never
    (aggregates only), and raters only if they are one of those."""
    if policy.is_program_admin(user):
        return True
    viewer = policy.person_of(user)
    if viewer is None:
        return False
    if viewer.pk == review.subject_id:
        return True
    if Role.EXECUTIVE_VIEWER in policy.roles_of(user):
        return False
    return review.subject.is_managed_by(viewer)


def access_report(user: Any, pk: int) -> Review:
    """The review `pk` if `user` may read its report; anyone else gets "not found", so
    review ids cannot be probed."""
    review = (
        Review.objects.select_related("subject", "instrument", "previous__instrument")
        .filter(pk=pk)
        .first()
    )
    if review is None or not can_read_report(user, review):
        raise Http404("No such review.")
    return review


def record_read(user: Any, review: Review, *, via: str, ip: str | None = None) -> None:
    AuditLog.objects.record(
        actor=user,
        action=AuditAction.READ,
        target=review,
        subject_person_id=review.subject_id,
        summary=f"360 report ({via})",
        ip=ip,
    )


# --- the report as JSON (the API), with exactly the page's numbers ----------------------


def _figure_dict(figure: GroupFigure) -> dict[str, Any]:
    if figure.mean is None:
        return {"group": figure.group, "shown": False, "reason": figure.reason}
    return {"group": figure.group, "shown": True, "n": figure.n, "mean": round(figure.mean, 2)}


def _estimate_dict(estimate: Estimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    rounded = {
        name: (round(value, 2) if value is not None else None)
        for name, value in (
            ("value", estimate.value),
            ("low", estimate.low),
            ("high", estimate.high),
        )
    }
    return {"enough": estimate.enough, "n": estimate.n, **rounded, "text": estimate.format(2)}


def _rounded(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _item_dict(item: ItemResult) -> dict[str, Any]:
    return {
        "key": item.key,
        "text": item.text,
        "reverse": item.reverse,
        "figures": [_figure_dict(f) for f in item.figures],
        "gap": _rounded(item.gap),
        "johari": item.quadrant,
        "spread": (
            [{"point": p.point, "label": p.label, "count": p.count} for p in item.spread]
            if item.spread is not None
            else None
        ),
    }


def report_as_dict(report: Report) -> dict[str, Any]:
    review = report.review
    return {
        "review_id": review.pk,
        "subject": {"id": review.subject_id, "name": review.subject.full_name},
        "instrument": review.instrument.name,
        "closed_at": review.closed_at.isoformat() if review.closed_at else None,
        "scale": {
            "min": report.scale_min,
            "max": report.scale_max,
            "labels": {str(k): v for k, v in report.scale_labels.items()},
        },
        "much": round(report.much, 4),
        "columns": list(report.columns),
        "previous_review_id": report.previous.pk if report.previous else None,
        "competencies": [
            {
                "key": c.key,
                "name": c.name,
                "figures": [_figure_dict(f) for f in c.figures],
                "gap": _rounded(c.gap),
                "johari": c.quadrant,
                "all_others_interval": _estimate_dict(c.others_interval),
                "change": _estimate_dict(c.change),
                "direct_reports_change": _estimate_dict(c.direct_reports_change),
                "comments": [{"group": g.group, "comments": list(g.comments)} for g in c.comments],
                "items": [_item_dict(item) for item in c.items],
            }
            for c in report.competencies
        ],
        "johari": {q.key: [item.key for item in q.items] for q in report.johari},
        "top_behaviours": [item.key for item in report.top],
        "bottom_behaviours": [item.key for item in report.bottom],
    }
