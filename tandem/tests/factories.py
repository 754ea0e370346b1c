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


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.Program"

    name = factory.Sequence(lambda n: f"Leadership program {n}")
    kind = "blended"
    target_levels = ["emerging", "mid"]
    start_date = datetime.date(2026, 1, 5)
    end_date = datetime.date(2026, 12, 18)
    owner = factory.SubFactory(UserFactory)
    budget = 50000
    checkin_every_days = 14


class SuccessCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.SuccessCriterion"

    program = factory.SubFactory(ProgramFactory)
    metric = "goal_completion_rate"
    baseline = 40
    target = 70
    unit = "%"
    measure_by = datetime.date(2026, 12, 1)


def running_program(**kwargs):
    """A launched program with one success criterion."""
    from tandem.programs.models import ProgramStatus

    program = ProgramFactory(status=ProgramStatus.RUNNING, **kwargs)
    SuccessCriterionFactory(program=program)
    return program


def enroll(program, person, by=None):
    """Enroll `person` through the real workflow; returns their plan."""
    from tandem.programs.services import enrollment_create

    return enrollment_create(program=program, person=person, enrolled_by=by).plan


def self_assessed(person, *, enrollment=None, rating: int = 3):
    """A submitted self-assessment of `person` (every item rated `rating`): the assess
    step's result, without which a plan cannot leave "assess"."""
    from tandem.assessments import self_service
    from tandem.assessments.models import Instrument

    Instrument.load_built_in()  # loaded by a migration, but a transactional test may flush it
    assessment = self_service.self_assessment_start(person=person, enrollment=enrollment)
    answers = dict.fromkeys(self_service.self_instrument().item_keys(), rating)
    self_service.self_assessment_submit(assessment=assessment, answers=answers)
    return assessment
