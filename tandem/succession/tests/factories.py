"""Factories of the succession app's talent-review half (the pipeline half keeps its
own in pipeline_fixtures.py)."""

import datetime

import factory

from tandem.succession.models import Placement, ReviewStatus, TalentReview


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentReview

    name = factory.Sequence(lambda n: f"Talent review {n}")
    held_on = datetime.date(2026, 3, 2)
    status = ReviewStatus.RATING


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    review = factory.SubFactory(ReviewFactory)
    person = factory.SubFactory("tandem.tests.factories.PersonFactory")
    performance = "moderate"
    potential = "moderate"


def place(review: TalentReview, person: object, box: int, **kwargs: object) -> Placement:
    """A placement of `person` landing in `box` as their manager rated them."""
    from tandem.lib import ninebox

    performance, potential = ninebox.ratings_of(box)
    return PlacementFactory(
        review=review, person=person, performance=performance, potential=potential, **kwargs
    )
