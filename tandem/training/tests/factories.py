"""Factories of the course half (shared with the reinforcement half's fixtures)."""

import datetime

import factory
from django.utils import timezone

from tandem.training.models import (
    Course,
    CourseSession,
    LearningObjective,
    Question,
    Seat,
    SeatStatus,
)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    description = "Giving feedback that lands."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningObjective

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    objective = factory.SubFactory(ObjectiveFactory)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    options = ["Right", "Wrong", "Also wrong"]
    correct = 1


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    duration_minutes = 120
    time_zone = "Europe/Paris"
    venue = "Room 4"
    capacity = 2
    facilitator_name = "Fay Facilitator"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory("tandem.tests.factories.PersonFactory")
    status = SeatStatus.ENROLLED


def learners(n: int) -> list:
    """`n` people with logins, outside the shared org's lines."""
    from tandem.tests.factories import PersonFactory, make_user_for

    people = [PersonFactory(manager=None) for _ in range(n)]
    for person in people:
        make_user_for(person)
    return people


def started(session: CourseSession, *, hours: int = 3) -> CourseSession:
    """Move the session into the past (it has started), as attendance needs."""
    session.starts_at = timezone.now() - datetime.timedelta(hours=hours)
    session.save(update_fields=["starts_at"])
    return session
