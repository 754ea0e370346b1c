"""The database aggregates give exactly the figures a plain count of every answer in
Python gives, on reviews drawn at random (group sizes around the minimums, "not
observed" answers, reverse-keyed items, with and without a self-assessment)."""

import random
import statistics
from typing import Any

import pytest

from tandem.assessments import aggregates
from tandem.assessments.models import Instrument, Rating, Response, Review
from tandem.assessments.report import build_report, thresholds_of
from tandem.assessments.tests.report_data import (
    SCALE,
    add_response,
    add_self,
    make_review,
)
from tandem.lib import anonymity
from tandem.lib.anonymity import ALL_OTHERS, DIRECT_REPORTS, SELF
from tandem.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ITEMS = {"i1": ("listening", False), "i2": ("listening", True), "j1": ("deciding", False)}
ITEMS["j2"] = ("deciding", False)


def _random_answers(rng: random.Random) -> dict[str, int | str]:
    return {
        key: "n/o" if rng.random() < 0.2 else rng.randint(SCALE["min"], SCALE["max"])
        for key in ITEMS
    }


def _random_review(rng: random.Random) -> Review:
    review = make_review(PersonFactory(), show_manager=rng.random() < 0.5)
    for group, most in (("manager", 1), ("peers", 5), ("direct_reports", 5), ("others", 4)):
        for _ in range(rng.randint(0, most)):
            add_response(review, group, _random_answers(rng))
    if rng.random() < 0.7:
        add_self(review, _random_answers(rng))
    return review


def _reference(review: Review) -> dict[str, Any]:
    """Every figure counted answer by answer, in Python."""
    low, high = SCALE["min"], SCALE["max"]

    def score(key: str, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return low + high - value if ITEMS[key][1] else value

    raters = list(Response.objects.filter(review=review).values_list("group", "answers"))
    own = getattr(review, "self_assessment", None)
    present = {g for g, answers in raters if any(score(k, v) for k, v in answers.items())}
    thresholds = thresholds_of(review)
    items: dict[str, Any] = {}
    for key in ITEMS:
        scores = {
            g: [s for gg, a in raters if gg == g and (s := score(key, a.get(key)))] for g in present
        }
        raw = {
            g: [a[key] for gg, a in raters if gg == g and score(key, a.get(key))] for g in present
        }
        counts = {g: len(v) for g, v in scores.items()}
        self_score = score(key, own.answers.get(key)) if own else None
        if own:
            counts[SELF] = 1 if self_score is not None else 0
        plan = anonymity.plan_report_groups(counts, thresholds)
        means = {g: statistics.fmean(scores[g]) for g in plan.shown if g in scores}
        if SELF in plan.shown:
            means[SELF] = float(self_score)  # type: ignore[arg-type]
        spread = None
        if ALL_OTHERS in plan.shown:
            pooled = [s for g in plan.all_others_from for s in scores[g]]
            means[ALL_OTHERS] = statistics.fmean(pooled)
            given = [v for g in plan.all_others_from for v in raw[g]]
            spread = tuple(given.count(p) for p in range(low, high + 1))
        items[key] = {"means": means, "spread": spread, "plan": plan}
    competencies: dict[str, Any] = {}
    for competency in ("listening", "deciding"):
        keys = [k for k, (c, _r) in ITEMS.items() if c == competency]
        groups = {g for k in keys for g in items[k]["means"]}
        means = {
            g: statistics.fmean(items[k]["means"][g] for k in keys if g in items[k]["means"])
            for g in groups
        }
        shown = [k for k in keys if ALL_OTHERS in items[k]["means"]]
        feeding = {items[k]["plan"].all_others_from for k in shown}
        others = None
        if len(feeding) == 1:
            (from_groups,) = feeding
            own_scores = []
            for group, answers in raters:
                values = [s for k in shown if (s := score(k, answers.get(k)))]
                if group in from_groups and values:
                    own_scores.append(statistics.fmean(values))
            others = (len(own_scores), statistics.fmean(own_scores)) if own_scores else None
        reported = [k for k in keys if DIRECT_REPORTS in items[k]["means"]]
        report_scores = [
            statistics.fmean(values)
            for group, answers in raters
            if group == DIRECT_REPORTS
            and (values := [s for k in reported if (s := score(k, answers.get(k)))])
        ]
        direct = (len(report_scores), statistics.fmean(report_scores)) if report_scores else None
        competencies[competency] = {"means": means, "others": others, "direct": direct}
    return {"items": items, "competencies": competencies}


def test_aggregates_match_a_count_of_every_answer() -> None:
    rng = random.Random(20261121)
    reviews = [_random_review(rng) for _ in range(40)]
    document = reviews[0].instrument.document
    built = aggregates.build(reviews, document, thresholds_of, direct_reports=True)
    figures = {f.review_id: f for f in built}
    for review in reviews:
        expected = _reference(review)
        for competency in figures[review.pk].competencies:
            wanted = expected["competencies"][competency.key]
            assert competency.means == pytest.approx(wanted["means"]), review.pk
            others = competency.others
            got = (others.n, others.mean) if others is not None and others.n else None
            assert got == pytest.approx(wanted["others"]), review.pk
            direct = competency.direct_reports
            got = (direct.n, direct.mean) if direct is not None and direct.n else None
            assert got == pytest.approx(wanted["direct"]), review.pk
            for item in competency.items:
                assert item.means == pytest.approx(expected["items"][item.key]["means"])
                assert item.spread == expected["items"][item.key]["spread"]


def test_one_query_per_step_whatever_the_number_of_reviews(
    django_assert_max_num_queries: Any,
) -> None:
    rng = random.Random(7)
    reviews = [make_review(PersonFactory()) for _ in range(12)]
    for review in reviews:
        for group in (
            "peers",
            "peers",
            "peers",
            "direct_reports",
            "direct_reports",
            "direct_reports",
        ):
            add_response(review, group, {k: rng.randint(1, 5) for k in ITEMS})
    document = reviews[0].instrument.document
    with django_assert_max_num_queries(3):
        list(aggregates.build(reviews, document, thresholds_of))


def test_the_spread_is_counted_again_when_it_does_not_fit_its_packing() -> None:
    """On an 11-point scale each point gets 5 bits (31 raters); 40 "others" who all
    choose 7 must still read as 40, not overflow into the next point."""
    review = make_review(PersonFactory())
    document = dict(review.instrument.document)
    document.update(
        key="wide-360",
        scale={"min": 0, "max": 10, "labels": {str(p): str(p) for p in range(11)}},
    )
    wide = Instrument.import_document(document)[0]
    Review.objects.filter(pk=review.pk).update(instrument=wide)
    review.refresh_from_db()
    for _ in range(40):
        add_response(review, "others", {k: 7 for k in ITEMS})
    spread = build_report(review).competencies[0].items[0].spread
    assert spread is not None
    assert [point.count for point in spread] == [0] * 7 + [40] + [0] * 3


def test_a_submitted_response_is_stored_as_one_rating_row_per_rated_item() -> None:
    review = make_review(PersonFactory())
    response = add_response(review, "peers", {"i1": 4, "i2": 4, "j1": "n/o", "j2": 2})
    rows = set(Rating.objects.filter(response=response).values_list("item", "value", "score"))
    # items by their place in the instrument: i1, i2 (reverse-keyed), j1, j2
    assert rows == {(0, 4, 4), (1, 4, 2), (3, 2, 2)}


def test_build_many_gives_what_build_gives_chunk_by_chunk() -> None:
    rng = random.Random(11)
    reviews = [_random_review(rng) for _ in range(7)]
    document = reviews[0].instrument.document
    whole = aggregates.build(reviews, document, thresholds_of)
    chunked = list(aggregates.build_many(reviews, document, thresholds_of, chunk=3))
    assert [f.review_id for f in chunked] == [r.pk for r in reviews]
    assert [[c.means for c in f.competencies] for f in chunked] == [
        [c.means for c in f.competencies] for f in whole
    ]
