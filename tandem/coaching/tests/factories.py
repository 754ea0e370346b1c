"""Factories and workflow shortcuts for the coaching tests."""

import datetime

import factory
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.coaching import services
from tandem.coaching.models import Coach, Engagement, Session
from tandem.tests.factories import UserFactory


class CoachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coach
        skip_postgeneration_save = True

    user = factory.SubFactory(
        UserFactory,
        username=factory.Sequence(lambda n: f"coach{n}"),
        first_name="Carla",
        last_name=factory.Sequence(lambda n: f"Coach{n}"),
        roles=[Role.COACH],
    )
    kind = "external"
    bio = "Former operations director; coaches new leaders through their first years."
    certification = "icf_pcc"
    languages = factory.LazyFunction(lambda: ["en"])
    time_zone = "Europe/Lisbon"
    levels = factory.LazyFunction(lambda: ["emerging", "mid"])
    capacity = 3
    hourly_rate = 180
    currency = "EUR"

    @factory.post_generation
    def specialties(self, create, extracted, **kwargs):
        if extracted:
            self.specialties.set(extracted)


def paired(coach: Coach, coachee, *, by=None, **kwargs) -> Engagement:
    """Pair through the real workflow (as an admin unless `by` is given)."""
    by = by or UserFactory(username=f"pairing-admin-{coach.pk}-{coachee.pk}", is_superuser=True)
    return services.engagement_pair(coach=coach, coachee=coachee, paired_by=by, **kwargs)


def active(coach: Coach, coachee, **kwargs) -> Engagement:
    """Paired, and the agreement accepted by both."""
    engagement = paired(coach, coachee, **kwargs)
    services.agreement_accept(engagement=engagement, user=coach.user)
    return services.agreement_accept(engagement=engagement, user=coachee.user)


def booked(engagement: Engagement, *, starts_at=None, by=None, minutes: int = 60) -> Session:
    """A session booked through the workflow; by default an hour ago (so it can be closed)."""
    return services.session_schedule(
        engagement=engagement,
        starts_at=starts_at or timezone.now() - datetime.timedelta(hours=1),
        duration_minutes=minutes,
        location="Room 4",
        scheduled_by=by or engagement.coach.user,
    )
