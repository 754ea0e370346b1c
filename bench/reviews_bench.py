"""360 report aggregates at scale: 10,000 subjects x 10 raters x 40 items (4 million
answers, a few percent "not observed"), all reviews closed.

Target (issue 4): computing every report aggregate of every review (item figures per
rater group and "all others" under the anonymity rules, spreads, competency figures,
the self column, the raters' own competency scores behind the intervals) in under
10 s, on SQLite and on PostgreSQL, in the database rather than row by row in Python.
Compared with a naive per-subject loop (each review's responses read and counted in
Python), measured on a sample of subjects and scaled up; both must give the same
figures on that sample.
"""

import random
import statistics
import time
from datetime import date, timedelta
from typing import Any

from tqdm import tqdm

from bench.report import print_table, write_result

NOT_OBSERVED_SHARE = 0.04
NAIVE_SAMPLE = 500
CHUNK = 1000


def _groups(rng: random.Random) -> list[str]:
    """Ten raters: a manager and nine others in varying mixes, so some groups fall
    below their minimum (and are dropped, or feed "all others")."""
    peers = rng.choice([2, 3, 3, 4, 5])
    reports = rng.choice([0, 2, 3, 3, 4])
    others = 9 - peers - reports
    return ["manager"] + ["peers"] * peers + ["direct_reports"] * reports + ["others"] * others


def _populate(subjects: int, seed: int = 360) -> tuple[list[Any], Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.assessments.models import (
        GROUP_CODES,
        Instrument,
        Response,
        Review,
        ReviewStatus,
        SelfAssessment,
    )
    from tandem.lib.instruments import scored_answers
    from tandem.people.models import Person, ReportingLine

    rng = random.Random(seed)
    instrument = Instrument.objects.get(key="leadership-360", version=1)
    self_instrument = Instrument.objects.filter(kind="self").order_by("-version").first()
    doc = instrument.document
    items = [
        (c["key"], i["key"], bool(i.get("reverse")))
        for c in doc["competencies"]
        for i in c["items"]
    ]
    low, high = doc["scale"]["min"], doc["scale"]["max"]
    owner = User.objects.create_user("bench-360", "bench-360@example.com", "x")
    now = timezone.now()

    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(
                employee_id=f"R{n:06d}",
                first_name="Subject",
                last_name=f"{n:05d}",
                email=f"subject{n}@example.com",
                hire_date=date(2020, 1, 1),
            )
            for n in range(subjects)
        )
        ReportingLine.objects.rebuild()
        reviews = Review.objects.bulk_create(
            Review(
                subject=person,
                instrument=instrument,
                status=ReviewStatus.CLOSED,
                closes_on=date.today() - timedelta(days=1),
                created_by=owner,
                closed_at=now,
            )
            for person in people
        )

    def rating(level: float, reverse: bool) -> int | str:
        if rng.random() < NOT_OBSERVED_SHARE:
            return "n/o"
        value = max(low, min(high, round(level + rng.gauss(0, 0.7))))
        return low + high - value if reverse else value

    answers_per_response = 0
    ratings_rows: list[tuple[Any, ...]] = []
    with transaction.atomic():
        for start in tqdm(range(0, len(reviews), CHUNK), desc="360 responses", unit="chunk"):
            responses = []
            selves = []
            for review in reviews[start : start + CHUNK]:
                profile = {c["key"]: rng.uniform(2.6, 4.4) for c in doc["competencies"]}
                for group in _groups(rng):
                    lift = 0.3 if group == "direct_reports" else 0.0
                    responses.append(
                        Response(
                            review=review,
                            group=group,
                            answers={
                                key: rating(profile[comp] + lift, rev) for comp, key, rev in items
                            },
                            submitted_at=now,
                        )
                    )
                selves.append(
                    SelfAssessment(
                        person_id=review.subject_id,
                        instrument=self_instrument,
                        review=review,
                        answers={key: rating(profile[comp] + 0.5, rev) for comp, key, rev in items},
                        submitted_at=now,
                    )
                )
            Response.objects.bulk_create(responses, batch_size=2000)
            SelfAssessment.objects.bulk_create(selves, batch_size=2000)
            for response in responses:
                code = GROUP_CODES[response.group]
                rows = scored_answers(doc, response.answers)
                answers_per_response += len(rows)
                ratings_rows += [
                    (
                        response.review_id,
                        response.pk,
                        code,
                        a.item_number,
                        a.competency_number,
                        a.value,
                        a.score,
                    )
                    for a in rows
                ]
        _insert_ratings(connection, ratings_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE assessments_rating")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return reviews, doc


def _insert_ratings(connection: Any, rows: list[tuple[Any, ...]]) -> None:
    """The Rating rows as `Rating.objects.record` writes them, in bulk: bulk_create of
    four million model instances would time the ORM instead of the database."""
    columns = 'review_id, response_id, "group", item, competency, value, score'
    table = "assessments_rating"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in tqdm(rows, desc="ratings (COPY)", unit="row", mininterval=0.5):
                    copy.write_row(row)
        else:
            step = 100_000
            for start in tqdm(range(0, len(rows), step), desc="ratings", unit="batch"):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608 (constants)
                    rows[start : start + step],
                )


def naive_figures(review: Any, doc: Any, thresholds: Any) -> dict[str, Any]:
    """The per-subject loop the aggregates replace: read the review's responses and
    count every answer in Python. Item and competency means, and the raters' own
    scores behind "all others", for comparing with the database's figures."""
    from tandem.assessments.models import Response, SelfAssessment
    from tandem.lib import anonymity
    from tandem.lib.anonymity import ALL_OTHERS, SELF

    low, high = doc["scale"]["min"], doc["scale"]["max"]
    raters = [
        (group, answers)
        for group, answers in Response.objects.filter(
            review=review, submitted_at__isnull=False
        ).values_list("group", "answers")
    ]
    own = (
        SelfAssessment.objects.filter(review=review, submitted_at__isnull=False)
        .values_list("answers", flat=True)
        .first()
    )

    def rated(answers: Any, key: str) -> int | None:
        value = answers.get(key)
        return value if isinstance(value, int) and low <= value <= high else None

    present = {
        group for group, answers in raters if any(rated(answers, k) is not None for k in answers)
    }
    competencies: dict[str, Any] = {}
    for competency in doc["competencies"]:
        item_means: dict[str, dict[str, float]] = {}
        others_items: list[str] = []
        others_from: set[frozenset[str]] = set()
        for item in competency["items"]:
            key, reverse = item["key"], bool(item.get("reverse"))

            def score(value: int, reverse: bool = reverse) -> int:
                return low + high - value if reverse else value

            by_group: dict[str, list[int]] = {group: [] for group in present}
            for group, answers in raters:
                value = rated(answers, key)
                if value is not None:
                    by_group[group].append(score(value))
            counts = {group: len(values) for group, values in by_group.items()}
            self_score = None
            if own is not None:
                value = rated(own, key)
                self_score = score(value) if value is not None else None
                counts[SELF] = 0 if self_score is None else 1
            plan = anonymity.plan_report_groups(counts, thresholds)
            means = {g: statistics.fmean(by_group[g]) for g in plan.shown if g in by_group}
            if SELF in plan.shown and self_score is not None:
                means[SELF] = float(self_score)
            if ALL_OTHERS in plan.shown:
                pooled = [v for g in plan.all_others_from for v in by_group[g]]
                means[ALL_OTHERS] = statistics.fmean(pooled)
                others_items.append(key)
                others_from.add(plan.all_others_from)
            item_means[key] = means
        groups = {g for means in item_means.values() for g in means}
        competency_means = {
            g: statistics.fmean(m[g] for m in item_means.values() if g in m) for g in groups
        }
        rater_scores = []
        if len(others_from) == 1:
            (feeding,) = others_from
            for group, answers in raters:
                if group not in feeding:
                    continue
                values = [
                    value
                    for item in competency["items"]
                    if item["key"] in others_items
                    and (value := score_of(answers, item, low, high)) is not None
                ]
                if values:
                    rater_scores.append(statistics.fmean(values))
        competencies[competency["key"]] = {
            "items": item_means,
            "means": competency_means,
            "others_n": len(rater_scores),
            "others_mean": statistics.fmean(rater_scores) if rater_scores else None,
        }
    return competencies


def score_of(answers: Any, item: Any, low: int, high: int) -> int | None:
    value = answers.get(item["key"])
    if not isinstance(value, int) or not low <= value <= high:
        return None
    return low + high - value if item.get("reverse") else value


def _as_naive(figures: Any) -> dict[str, Any]:
    """The database's figures in the naive loop's shape."""
    return {
        c.key: {
            "items": {i.key: dict(i.means) for i in c.items},
            "means": dict(c.means),
            "others_n": c.others.n if c.others else 0,
            "others_mean": c.others.mean if c.others and c.others.n else None,
        }
        for c in figures.competencies
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) < 1e-9
    return bool(a == b)


def run(*, subjects: int = 10_000) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from tandem.assessments import aggregates
    from tandem.assessments.models import Rating, Review
    from tandem.assessments.report import build_report, thresholds_of

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _populate(subjects)
    setup = time.perf_counter() - started
    answers = Rating.objects.count()

    reviews = list(Review.objects.select_related("instrument").order_by("pk"))
    doc = reviews[0].instrument.document

    def batch() -> list[Any]:
        figures = aggregates.build_many(reviews, doc, thresholds_of, chunk=CHUNK)
        return list(tqdm(figures, total=len(reviews), desc="aggregates", unit="review"))

    timings = []
    figures: list[Any] = []
    for _ in range(3):
        begin = time.perf_counter()
        figures = batch()
        timings.append(time.perf_counter() - begin)
    batch_seconds = statistics.median(timings)

    sample = random.Random(1).sample(range(len(reviews)), min(NAIVE_SAMPLE, len(reviews)))
    begin = time.perf_counter()
    naive = {
        i: naive_figures(reviews[i], doc, thresholds_of(reviews[i]))
        for i in tqdm(sample, desc="naive loop (sample)", unit="subject")
    }
    naive_sample = time.perf_counter() - begin
    naive_seconds = naive_sample * len(reviews) / len(sample)
    mismatches = [i for i in sample if not _same(naive[i], _as_naive(figures[i]))]

    report_times = []
    for review in reviews[:50]:
        begin = time.perf_counter()
        build_report(review)
        report_times.append(time.perf_counter() - begin)

    rows: list[dict[str, object]] = [
        {
            "step": f"all aggregates, {len(reviews):,} reviews (median of 3)",
            "seconds": round(batch_seconds, 2),
            "target": "< 10",
        },
        {
            "step": f"naive per-subject loop (measured on {len(sample)}, scaled)",
            "seconds": round(naive_seconds, 1),
            "target": "-",
        },
        {
            "step": "ratio naive / database",
            "seconds": f"{naive_seconds / batch_seconds:.0f}x",
            "target": "-",
        },
        {
            "step": "one full report (build_report, median of 50)",
            "seconds": round(statistics.median(report_times), 3),
            "target": "-",
        },
    ]
    print_table(
        f"360 aggregates on {connection.vendor}: {subjects:,} subjects, {answers:,} answers "
        f"(setup {setup:.0f} s); figures equal on the sample: {not mismatches}",
        rows,
    )
    result = {
        "database": connection.vendor,
        "subjects": subjects,
        "answers": answers,
        "setup_seconds": round(setup, 1),
        "batch_seconds": round(batch_seconds, 3),
        "batch_runs": [round(t, 3) for t in timings],
        "naive_seconds_scaled": round(naive_seconds, 1),
        "naive_sample": len(sample),
        "ratio": round(naive_seconds / batch_seconds, 1),
        "report_median_seconds": round(statistics.median(report_times), 4),
        "sample_figures_equal": not mismatches,
        "mismatched_reviews": [reviews[i].pk for i in mismatches[:10]],
    }
    path = write_result(f"reviews-{connection.vendor}", result)
    print(f"\nwrote {path}")
    return result
