"""The plan page's coaching panel: the engagement's coach, status, sessions held and
goals — for the participant and their manager — and never a word of the notes."""

import pytest
from django.urls import reverse

from tandem.coaching import services
from tandem.coaching.tests.factories import booked

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_the_engagement_without_content(client, org, engagement, coaching_plan):
    session = booked(engagement)
    services.session_hold(
        session=session,
        grow=services.Grow(will="PRIVATE-WILL"),
        next_steps=[services.NextStep("PRIVATE-STEP", "coachee", session.starts_at.date())],
        held_by=engagement.coach.user,
    )
    services.goal_add(engagement=engagement, title="Listen first", plan_goal=None, added_by=None)
    for user in (org.report.user, org.manager.user):
        client.force_login(user)
        page = client.get(reverse("programs:plan-detail", args=[coaching_plan.pk])).content.decode()
        assert 'id="coaching"' in page and engagement.coach.name in page
        assert "Listen first" in page and "1 of 8 sessions held" in page
        assert "PRIVATE-" not in page


def test_a_participant_without_a_coach_is_offered_one(client, org, coaching_plan, coach):
    client.force_login(org.report.user)
    page = client.get(reverse("programs:plan-detail", args=[coaching_plan.pk])).content.decode()
    assert reverse("coaching:find-a-coach") in page


def test_no_panel_for_a_plan_without_coaching(client, org):
    from tandem.tests.factories import enroll, running_program

    plan = enroll(running_program(kind="training"), org.outsider)
    client.force_login(org.outsider.user)
    page = client.get(reverse("programs:plan-detail", args=[plan.pk])).content.decode()
    assert 'id="coaching"' not in page
