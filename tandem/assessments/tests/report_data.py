"""Test data for the 360 report tests: a small instrument and reviews built directly
with the ORM (the workflow services are tested on their own)."""

import datetime
from typing import Any

from django.utils import timezone

from tandem.assessments.models import (
    Instrument,
    Nomination,
    NominationStatus,
    Rating,
    Response,
    Review,
    ReviewStatus,
    SelfAssessment,
)
from tandem.people.models import Person
from tandem.tests.factories import UserFactory

SCALE = {
    "min": 1,
    "max": 5,
    "labels": {
        "1": "Rarely",
        "2": "Sometimes",
        "3": "Fairly often",
        "4": "Usually",
        "5": "Almost always",
    },
    "not_observed": True,
}
COMPETENCIES = [
    ("listening", "Listening", [("i1", False), ("i2", True)]),
    ("deciding", "Deciding", [("j1", False), ("j2", False)]),
]
TEXTS = {
    "i1": "Checks what someone meant before answering.",
    "i2": "Talks over people in meetings.",
    "j1": "Decides in time with the facts at hand.",
    "j2": "Explains the reasons for a decision.",
}


def _document(kind: str, key: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": f"Small {kind}",
        "kind": kind,
        "version": 1,
        "description": "A small instrument for tests.",
        "instructions": "Rate each statement.",
        "scale": SCALE,
        "competencies": [
            {
                "key": c_key,
                "name": name,
                "description": f"{name} for tests.",
                "items": [{"key": k, "text": TEXTS[k], "reverse": reverse} for k, reverse in items],
            }
            for c_key, name, items in COMPETENCIES
        ],
    }


def small_360() -> Instrument:
    return Instrument.import_document(_document("360", "small-360"))[0]


def small_self() -> Instrument:
    return Instrument.import_document(_document("self", "small-self"))[0]


def make_review(
    subject: Person,
    *,
    status: str = ReviewStatus.CLOSED,
    show_manager: bool = False,
    previous: Review | None = None,
    closed_at: datetime.datetime | None = None,
) -> Review:
    return Review.objects.create(
        subject=subject,
        instrument=small_360(),
        status=status,
        closes_on=datetime.date(2026, 6, 1),
        show_manager=show_manager,
        previous=previous,
        created_by=UserFactory(),
        closed_at=(closed_at or timezone.now()) if status == ReviewStatus.CLOSED else None,
    )


def add_response(
    review: Review,
    group: str,
    answers: dict[str, int | str],
    comments: dict[str, str] | None = None,
    *,
    person: Person | None = None,
) -> Response:
    number = Nomination.objects.filter(review=review).count() + 1
    Nomination.objects.create(
        review=review,
        group=group,
        person=person,
        name=f"Rater {number}",
        email=f"rater{number}-{review.pk}@example.com",
        status=NominationStatus.APPROVED,
    )
    response = Response.objects.create(
        review=review,
        group=group,
        answers=answers,
        comments=comments or {},
        submitted_at=timezone.now(),
    )
    Rating.objects.record([response])
    return response


def add_self(review: Review, answers: dict[str, int | str]) -> SelfAssessment:
    return SelfAssessment.objects.create(
        person=review.subject,
        instrument=small_self(),
        review=review,
        answers=answers,
        submitted_at=timezone.now(),
    )


def answers(i1: int | str, i2: int | str, j1: int | str, j2: int | str) -> dict[str, int | str]:
    return {"i1": i1, "i2": i2, "j1": j1, "j2": j2}


def hand_worked_review(subject: Person, **kwargs: Any) -> Review:
    """3 peers, 3 direct reports, the manager (shown) and self; one peer did not
    observe j2, so j2 has only 2 peer answers (see test_report.py for the sums)."""
    review = make_review(subject, show_manager=True, **kwargs)
    add_response(review, "peers", answers(4, 2, 5, 3), {"listening": "Listens well."})
    add_response(review, "peers", answers(5, 1, 4, "n/o"), {"deciding": "Decides fast."})
    add_response(review, "peers", answers(3, 3, 3, 4))
    add_response(review, "direct_reports", answers(2, 4, 2, 2), {"listening": "Interrupts."})
    add_response(review, "direct_reports", answers(3, 3, 1, 1))
    add_response(review, "direct_reports", answers(4, 2, 3, 3))
    add_response(review, "manager", answers(5, 1, 4, 4), {"listening": "Manager view."})
    add_self(review, answers(5, 1, 3, 2))
    return review


# The anonymity review: 4 peers (every score 4), 2 direct reports (every score 1, so
# pooling them would make "all others" 3.00), the manager (every score 2, not shown),
# self 4 on everything.
HIDDEN_COMMENT = "Direct report remark that must stay hidden"
MANAGER_COMMENT = "Manager remark that must stay hidden"


def anonymity_review(subject: Person, **kwargs: Any) -> Review:
    review = make_review(subject, **kwargs)
    for number in range(4):
        add_response(review, "peers", answers(4, 2, 4, 4), {"listening": f"Peer remark {number}."})
    for _ in range(2):
        add_response(
            review,
            "direct_reports",
            answers(1, 5, 1, 1),
            {"listening": HIDDEN_COMMENT, "deciding": HIDDEN_COMMENT},
        )
    add_response(review, "manager", answers(2, 4, 2, 2), {"listening": MANAGER_COMMENT})
    add_self(review, answers(4, 2, 4, 4))
    return review
