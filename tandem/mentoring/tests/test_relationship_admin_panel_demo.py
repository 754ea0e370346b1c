"""The Django admin shows metadata only; the plan page's panel shows the relationship
without content (goals to the parties only); the demo gives proposed relationships a
history with one inactive, one closed and one ended early."""

import random
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.mentoring import demo_relationships
from tandem.mentoring import relationships as services
from tandem.mentoring.models import ClosingSurvey, Relationship
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403
from tandem.mentoring.tests.relationship_fixtures import propose
from tandem.tests.factories import PersonFactory, UserFactory, enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def met(active):
    services.meeting_log(
        relationship=active,
        user=active.mentor.user,
        record=services.MeetingRecord(
            timezone.localdate(), 30, "video", topics="SECRET-TOPIC", notes="SECRET-NOTE"
        ),
    )
    return active


def test_the_django_admin_shows_no_content(client, met):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name, args in [
        ("admin:mentoring_relationship_change", [met.pk]),
        ("admin:mentoring_meeting_changelist", []),
        ("admin:mentoring_meeting_change", [met.meetings.get().pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "SECRET" not in body and "management role" not in body


def test_the_plan_panel_shows_goals_to_the_mentee_only(client, met, org):
    plan = enroll(met.program, met.mentee)
    url = reverse("programs:plan-detail", args=[plan.pk])
    client.force_login(met.mentee.user)
    own = client.get(url).content.decode()
    assert 'id="mentoring"' in own and met.mentor.full_name in own and "management role" in own
    client.force_login(org.manager.user)
    managers = client.get(url).content.decode()
    assert 'id="mentoring"' in managers and "1 meeting held" in managers
    assert "management role" not in managers and "SECRET" not in managers


def test_the_demo_gives_relationships_a_history(mentoring_program, mentor):
    mentees = [PersonFactory(level="emerging") for _ in range(7)]
    proposed = [propose(mentoring_program, mentee, mentor) for mentee in mentees]
    context = SimpleNamespace(rng=random.Random(3))
    line = demo_relationships.populate(context, proposed)
    assert "7 mentoring relationships" in line
    statuses = list(Relationship.objects.values_list("status", flat=True))
    assert statuses.count("proposed") == 2 and statuses.count("closed") == 2
    assert Relationship.objects.inactive(6).count() == 1
    assert ClosingSurvey.objects.count() == 2
