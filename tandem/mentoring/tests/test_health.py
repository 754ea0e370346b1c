"""Program health: figures from metadata, "not enough data" under 3 answers, at-risk
relationships, mentor load; admins only."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tandem.mentoring import health
from tandem.mentoring import relationships as services
from tandem.mentoring.models import CheckIn
from tandem.mentoring.tests import factories
from tandem.mentoring.tests.relationship_fixtures import activate, propose

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def running(org):
    """Two mentees with intent; one started on 2 March (a meeting, one low check-in),
    one still waiting."""
    program = factories.mentoring_program(name="Health program")
    with time_machine.travel(START - datetime.timedelta(days=10), tick=False):
        factories.make_mentee(program, org.report)
        factories.make_mentee(program, org.outsider)
    mentor = factories.make_mentor(program, factories.person("senior"), capacity=2)
    with time_machine.travel(START, tick=False):
        relationship = activate(propose(program, org.report, mentor.person))
        services.meeting_log(
            relationship=relationship,
            user=mentor.person.user,
            record=services.MeetingRecord(START.date(), 60, "video", notes="SECRET-NOTE"),
        )
    CheckIn.objects.create(
        relationship=relationship,
        side="mentee",
        due_on=datetime.date(2026, 4, 1),
        satisfaction=2,
        answered_at=START + datetime.timedelta(days=30),
        comment="SECRET-COMMENT",
    )
    return program, relationship


def test_the_figures(running):
    program, relationship = running
    figures = health.program_health(program, today=datetime.date(2026, 4, 20))
    assert figures.mentees_with_intent == 2 and figures.mentees_matched == 1
    assert figures.match_rate == 50 and figures.median_days_to_match == 10
    assert figures.meetings_per_relationship == 1
    assert figures.satisfaction_n == 1 and figures.satisfaction_mean is None  # not enough
    [risk] = figures.at_risk
    assert risk.relationship == relationship and set(risk.reasons) == {
        "inactive",
        "low_satisfaction",
    }
    assert [(row.open, row.capacity) for row in figures.mentor_load] == [(1, 2)]


def test_the_page_and_export_for_admins_only(client, running, program_admin, org):
    program, _relationship = running
    client.force_login(org.outsider.user)
    assert client.get(reverse("mentoring:health", args=[program.pk])).status_code == 404
    assert client.get(reverse("mentoring:health-export", args=[program.pk])).status_code == 404
    client.force_login(program_admin)
    page = client.get(reverse("mentoring:health", args=[program.pk])).content.decode()
    assert "Not enough data" in page and "50%" in page
    export = client.get(reverse("mentoring:health-export", args=[program.pk])).content.decode()
    assert export.splitlines()[0].startswith("relationship_id,")
    for body in (page, export):
        assert "SECRET" not in body
