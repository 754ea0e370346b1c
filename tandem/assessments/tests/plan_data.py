"""Test data for the plan's assessment panel: closed 360s on the built-in leadership
instrument (its competency names are the organization's competency model, so the
suggestions link to real competencies), rated by whole competency.

`johari_review` is built so that, on a 1-5 scale (a large gap is 4/3 or more):

    competency            self   all others   reading
    Coaching others        5        2         blind spot
    Decision-making        2        2         agreed development area
    Inclusion              2        4         hidden strength
    Accountability         4        4         agreed strength
    every other one        3        3         consistent

Three peers and three direct reports rate each competency at its level -1, +0 and +1
(so every group's mean is the level), the manager at the level.
"""

import datetime
from typing import Any

from django.utils import timezone

from tandem.assessments.models import Instrument, Review, ReviewStatus, SelfAssessment
from tandem.assessments.tests.report_data import add_response
from tandem.people.models import Person
from tandem.programs.models import Competency
from tandem.tests.factories import UserFactory

COACHING = "coaching-others"
DECIDING = "decision-making"
INCLUSION = "inclusion"
ACCOUNTABILITY = "accountability"

OTHERS = {COACHING: 2, DECIDING: 2, INCLUSION: 4, ACCOUNTABILITY: 4}
SELF = {COACHING: 5, DECIDING: 2, INCLUSION: 2, ACCOUNTABILITY: 4}
OFFSETS = (-1, 0, 1)


def leadership_360() -> Instrument:
    Instrument.load_built_in()  # a transactional test elsewhere may have flushed them
    return Instrument.objects.filter(key="leadership-360").order_by("-version").get()


def competency_model() -> None:
    """The organization's competencies, named like the instrument's. Seeded by a
    migration, but a transactional test elsewhere may have flushed them."""
    for competency in leadership_360().document["competencies"]:
        Competency.objects.get_or_create(name=competency["name"])


def leadership_self() -> Instrument:
    Instrument.load_built_in()
    return Instrument.objects.filter(key="leadership-self").order_by("-version").get()


def rated(instrument: Instrument, levels: dict[str, int], offset: int = 0) -> dict[str, Any]:
    """Answers scoring each competency at its level (3 unless given) plus `offset`;
    reverse-keyed items are answered the other way round, so they score the same."""
    low, high = instrument.document["scale"]["min"], instrument.document["scale"]["max"]
    answers = {}
    for competency in instrument.document["competencies"]:
        score = levels.get(competency["key"], 3) + offset
        for item in competency["items"]:
            answers[item["key"]] = low + high - score if item["reverse"] else score
    return answers


def closed_review(
    subject: Person,
    *,
    others: dict[str, int] = OTHERS,
    self_levels: dict[str, int] | None = SELF,
    previous: Review | None = None,
    closed_days_ago: int = 1,
) -> Review:
    instrument = leadership_360()
    closed_at = timezone.now() - datetime.timedelta(days=closed_days_ago)
    review = Review.objects.create(
        subject=subject,
        instrument=instrument,
        status=ReviewStatus.CLOSED,
        closes_on=closed_at.date(),
        previous=previous,
        created_by=UserFactory(),
        closed_at=closed_at,
    )
    for group in ("peers", "direct_reports"):
        for offset in OFFSETS:
            add_response(review, group, rated(instrument, others, offset))
    add_response(review, "manager", rated(instrument, others))
    if self_levels is not None:
        SelfAssessment.objects.create(
            person=subject,
            instrument=leadership_self(),
            review=review,
            answers=rated(instrument, self_levels),
            submitted_at=closed_at - datetime.timedelta(days=7),
        )
    return review


def johari_review(subject: Person, **kwargs: Any) -> Review:
    return closed_review(subject, **kwargs)
