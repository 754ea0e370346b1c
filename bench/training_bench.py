"""The day's due bursts and digests at scale: 100,000 learners x 10 objectives
(1,000,000 cards), about a third of them due.

Target (issue 7): computing every learner's due bursts and building their digest
emails in under 30 s on SQLite (`training.reinforcement_digest`: one indexed query,
grouped in Python, messages filled into skeletons rendered once). Reported: the due
computation alone, due + digest building, and sending a sample through Django's
in-memory backend in batches; each the median of 3 runs.
"""

import random
import statistics
import time
from datetime import date, datetime, timedelta
from typing import Any

from tqdm import tqdm

from bench.report import print_table, write_result

COURSES = 10
OBJECTIVES = 10
SEATS_PER_SESSION = 500
SEND_SAMPLE = 1000
RUNS = 3


def _populate(learners: int, now: datetime, seed: int = 7) -> None:
    from django.db import connection, transaction

    from tandem.people.models import Person
    from tandem.training.models import Course, CourseSession, LearningObjective, Question, Seat

    rng = random.Random(seed)
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic():
        people = Person.objects.bulk_create(
            (
                Person(
                    employee_id=f"L{n:06d}",
                    first_name=f"Learner{n}",
                    last_name="Bench",
                    email=f"learner{n}@example.com",
                    level="emerging",
                    hire_date=date(2020, 1, 1),
                )
                for n in range(learners)
            ),
            batch_size=5000,
        )
        courses = [Course.objects.create(title=f"Course {c}") for c in range(COURSES)]
        objectives = {
            course.pk: [
                LearningObjective.objects.create(course=course, title=f"Objective {o} of {course}")
                for o in range(OBJECTIVES)
            ]
            for course in courses
        }
        # Something to ask per objective: the digest announces only those (see
        # reinforcement_digest.due_rows).
        Question.objects.bulk_create(
            Question(objective=objective, prompt="Which?", options=["A", "B"], correct=1)
            for group in objectives.values()
            for objective in group
        )
        sessions = CourseSession.objects.bulk_create(
            CourseSession(
                course=courses[s % COURSES],
                starts_at=now - timedelta(days=30 + s % 60),
                capacity=SEATS_PER_SESSION,
                status="held",
            )
            for s in range(-(-learners // SEATS_PER_SESSION))
        )
    stamp = adapt(now - timedelta(days=40))
    seat_rows = [
        (sessions[n // SEATS_PER_SESSION].pk, person.pk, "enrolled", "program", stamp, stamp, True)
        for n, person in enumerate(people)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO training_seat (session_id, person_id, status, source, requested_at, "
            "status_changed_at, attended) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            seat_rows,
        )
    seats = list(Seat.objects.values_list("pk", "session__course_id").order_by("pk"))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in tqdm(range(0, len(seats), 10_000), desc="cards", unit="10k seats"):
            rows = []
            for seat_id, course_id in seats[start : start + 10_000]:
                for objective in objectives[course_id]:
                    due = now + timedelta(hours=rng.uniform(-20 * 24, 40 * 24))
                    rows.append(
                        (
                            seat_id,
                            objective.pk,
                            2,
                            None,
                            rng.uniform(2, 40),
                            5.0,
                            adapt(due),
                            stamp,
                            1,
                            0,
                            False,
                            stamp,
                        )
                    )
            cursor.executemany(
                "INSERT INTO training_card (seat_id, objective_id, state, step, stability, "
                "difficulty, due, last_review, reviews, lapses, retired, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE training_card")


def _median(run: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run(*, learners: int = 100_000) -> dict[str, Any]:
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from tandem.training.models import Card
    from tandem.training.reinforcement_digest import digests_build, digests_send, due_learners

    call_command("migrate", verbosity=0)
    now = timezone.now()
    started = time.perf_counter()
    _populate(learners, now)
    setup = time.perf_counter() - started
    cards = Card.objects.count()
    due_cards = Card.objects.due(now).count()

    learners_with_due = Card.objects.due(now).values("seat__person_id").distinct().count()
    due_seconds, due = _median(lambda: due_learners(now))
    assert len(due) == learners_with_due, (len(due), learners_with_due)
    build_seconds, digests = _median(lambda: digests_build(now))
    sample = digests[:SEND_SAMPLE]
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        send_seconds, sent = _median(lambda: digests_send(sample))
    target = 30.0
    rows = [
        {
            "step": "due bursts (all learners)",
            "seconds": round(due_seconds, 2),
            "learners": len(due),
        },
        {
            "step": "due + digests built",
            "seconds": round(build_seconds, 2),
            "learners": len(digests),
        },
        {
            "step": f"send {len(sample)} (locmem, batches)",
            "seconds": round(send_seconds, 2),
            "learners": sent,
        },
    ]
    print_table(
        f"Training digests: {learners:,} learners x {OBJECTIVES} objectives = {cards:,} cards, "
        f"{due_cards:,} due ({connection.vendor}); median of {RUNS}, target {target:.0f} s",
        rows,
    )
    payload = {
        "database": connection.vendor,
        "learners": learners,
        "cards": cards,
        "due_cards": due_cards,
        "learners_due": len(due),
        "setup_seconds": round(setup, 1),
        "due_seconds": round(due_seconds, 3),
        "digest_seconds": round(build_seconds, 3),
        "send_sample": len(sample),
        "send_sample_seconds": round(send_seconds, 3),
        "target_seconds": target,
        "within_target": build_seconds < target,
    }
    path = write_result("training", payload)
    print(f"written {path}")
    return payload
