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
returns one rater's answers. The figures come from sums the database adds up
(tandem.assessments.aggregates, which applies the rules above); only the comments are
read from the responses, and only those of groups that show or feed "all others".
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog, Role
from tandem.assessments import aggregates
from tandem.assessments.models import RaterGroup, Response, Review, ReviewStatus
from tandem.lib import anonymity, johari
from tandem.lib.anonymity import ALL_OTHERS, ANONYMOUS_GROUPS, DIRECT_REPORTS, MANAGER, SELF
from tandem.lib.stats import Estimate, Summary, summary_change_ci, summary_mean_ci

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


def _group_figures(
    plan: anonymity.ReportGroups, means: Mapping[str, float], sizes: Mapping[str, int]
) -> tuple[GroupFigure, ...]:
    """A figure for every column the plan knows of (and always "all others"): the mean
    where it shows, the reason where it does not."""
    figures = []
    for group in COLUMN_ORDER:
        if group != ALL_OTHERS and group not in plan.counts:
            continue
        if group in means:
            figures.append(GroupFigure(group, sizes[group], means[group]))
        else:
            reason = plan.reason(group) or anonymity.NOT_ENOUGH_RESPONSES
            figures.append(GroupFigure(group, 0, None, reason))
    return tuple(figures)


class _Builder:
    """The report's figures from the database aggregates (tandem.assessments.aggregates)
    and its comments from the submitted responses."""

    def __init__(self, review: Review, *, much: float | None, direct_reports: bool) -> None:
        self.review = review
        self.document = review.instrument.document
        scale = self.document["scale"]
        self.low, self.high = int(scale["min"]), int(scale["max"])
        self.labels = {int(point): text for point, text in scale["labels"].items()}
        self.rules = johari.JohariRules(self.low, self.high, much=much)
        self.thresholds = thresholds_of(review)
        self._comments: list[tuple[str, Any]] | None = None
        (self.figures,) = aggregates.build(
            [review], self.document, thresholds_of, direct_reports=direct_reports
        )

    def item(self, figures: aggregates.ItemFigures, text: str) -> ItemResult:
        spread = None
        counts = figures.spread
        if counts is not None:
            spread = tuple(
                SpreadPoint(point, self.labels[point], count)
                for point, count in zip(range(self.low, self.high + 1), counts, strict=True)
            )
        means = figures.means
        quadrant = johari.classify(means.get(SELF), means.get(ALL_OTHERS), self.rules)
        return ItemResult(
            figures.key,
            text,
            figures.reverse,
            figures.competency,
            _group_figures(figures.plan, means, figures.sizes),
            spread,
            quadrant,
        )

    def competency(
        self, competency: Mapping[str, Any], figures: aggregates.CompetencyFigures
    ) -> CompetencyResult:
        texts = {item["key"]: item["text"] for item in competency["items"]}
        items = tuple(self.item(i, texts[i.key]) for i in figures.items)
        columns = []
        for group in COLUMN_ORDER:
            present = [f for i in items if (f := i.figure(group)) is not None]
            if not present:
                continue
            if group in figures.means:
                columns.append(GroupFigure(group, figures.sizes[group], figures.means[group]))
            else:
                reasons = {f.reason for f in present}
                reason = reasons.pop() if len(reasons) == 1 else anonymity.NOT_ENOUGH_RESPONSES
                columns.append(GroupFigure(group, 0, None, reason))
        interval = summary_mean_ci(figures.others) if figures.others else Estimate.insufficient(0)
        quadrant = johari.classify(
            figures.means.get(SELF), figures.means.get(ALL_OTHERS), self.rules
        )
        return CompetencyResult(
            competency["key"],
            competency["name"],
            tuple(columns),
            items,
            interval,
            quadrant,
            self.comments(competency["key"], figures),
        )

    def comments(
        self, competency_key: str, figures: aggregates.CompetencyFigures
    ) -> tuple[CommentGroup, ...]:
        plan = anonymity.plan_report_groups(figures.raters, self.thresholds)
        feeding = plan.shown | plan.all_others_from
        pools: dict[str, list[str]] = {}
        for group, comments in self.responses_comments():
            if group not in feeding:
                continue  # a hidden group's comments are never used
            text = (comments or {}).get(competency_key)
            if not isinstance(text, str) or not text.strip():
                continue
            pool = group if group in plan.shown else ALL_OTHERS
            pools.setdefault(pool, []).append(text.strip())
        seed = f"review-{self.review.pk}"
        return tuple(
            CommentGroup(group, tuple(anonymity.shuffled(pools[group], seed)))
            for group in COLUMN_ORDER
            if pools.get(group)
        )

    def responses_comments(self) -> list[tuple[str, Any]]:
        """Every submitted rater's (group, comments), read once per report."""
        if self._comments is None:
            self._comments = list(
                Response.objects.filter(review=self.review, submitted_at__isnull=False)
                .exclude(group=SELF)
                .values_list("group", "comments")
            )
        return self._comments

    def build(self) -> list[CompetencyResult]:
        return [
            self.competency(c, figures)
            for c, figures in zip(
                self.document["competencies"], self.figures.competencies, strict=True
            )
        ]


def _with_changes(
    current: list[CompetencyResult],
    builder: _Builder,
    previous: _Builder | None,
) -> list[CompetencyResult]:
    """The change per competency since the previous review: over the raters' own
    scores behind "all others" (and behind the direct reports), Welch's interval."""
    if previous is None:
        return current
    changed = []
    for competency in current:
        now = builder.figures.competency(competency.key)
        before = previous.figures.competency(competency.key)
        change = direct_change = None
        if now is not None and before is not None:
            change = _change(before.others, now.others)
            if competency.mean(DIRECT_REPORTS) is not None and DIRECT_REPORTS in before.means:
                direct_change = _change(before.direct_reports, now.direct_reports)
        changed.append(replace(competency, change=change, direct_reports_change=direct_change))
    return changed


def _change(before: Summary | None, after: Summary | None) -> Estimate:
    if before is None or after is None:
        return Estimate.insufficient((before.n if before else 0) + (after.n if after else 0))
    return summary_change_ci(before, after)


def build_report(review: Review, *, much: float | None = None) -> Report:
    """The report of a closed review. `much` is the Johari gap that counts as large
    (default: a third of the scale's range). Raises ReportNotReady before it closes."""
    if review.status != ReviewStatus.CLOSED:
        raise ReportNotReady(_("The report is ready once the review has closed."))
    previous = review.previous
    if previous is not None and previous.status != ReviewStatus.CLOSED:
        previous = None
    builder = _Builder(review, much=much, direct_reports=previous is not None)
    competencies = builder.build()
    before = _Builder(previous, much=much, direct_reports=True) if previous else None
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
