"""Factories for tests and benchmarks. Each builds a valid record with no arguments."""

import datetime

import factory

from tandem.accounts.models import User, UserRole
from tandem.people.models import Level, Objective, OrgUnit, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("parent", "name")

    name = factory.Sequence(lambda n: f"Unit {n}")
    parent = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda p: f"{p.employee_id.lower()}@example.com")
    title = "Analyst"
    level = Level.INDIVIDUAL_CONTRIBUTOR
    org_unit = factory.SubFactory(OrgUnitFactory, name="Operations")
    location = "Lisbon"
    hire_date = datetime.date(2020, 1, 6)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    title = factory.Sequence(lambda n: f"Objective {n}")


def make_user_for(person: Person, roles: list[str] | None = None) -> User:
    """A login for `person`, linked to their record."""
    user = UserFactory(
        username=person.employee_id.lower(),
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        roles=roles or [],
    )
    person.user = user
    person.save(update_fields=["user"])
    return user
