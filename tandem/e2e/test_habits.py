"""The manager's team page in the browser: Max opens "My team and coaching habits" from
the menu, reads Rita's line (her 1:1, its open next steps, the feedback he gave her) and
Paula's ("No 1:1 yet"), follows the links to the series and to start a 1:1. Rita, who
manages nobody, gets a 404."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.conversations.models import Meeting, MeetingStatus, NextStep, OneOnOneSeries
from tandem.e2e.steps import sign_in, snapshot
from tandem.insights.tests.test_habits import give
from tandem.tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_their_team_and_follows_the_links(page, org):
    today = timezone.localdate()
    PersonFactory(first_name="Paula", last_name="Park", manager=org.manager)
    series = OneOnOneSeries.objects.create(
        manager=org.manager, report=org.report, first_on=today - datetime.timedelta(days=14)
    )
    held = Meeting.objects.create(series=series, on=series.first_on, status=MeetingStatus.COMPLETED)
    NextStep.objects.create(
        meeting=held,
        title="Draft the plan",
        owner=org.report,
        due_date=today - datetime.timedelta(days=1),
    )
    give(org.manager, org.report, today - datetime.timedelta(days=2))

    sign_in(page, org.manager.user.username)
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="My team and coaching habits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My team and coaching habits")
    team = page.get_by_role("region", name="Your team")
    rita = team.get_by_role("row").filter(has_text="Rita Report")
    expect(rita.locator('[data-figure="next-steps-open"]')).to_contain_text("1 overdue")
    expect(rita.locator('[data-figure="feedback-given"]')).to_have_text("1")
    expect(rita).not_to_contain_text("Draft the plan")
    paula = team.get_by_role("row").filter(has_text="Paula Park")
    expect(paula).to_contain_text("No 1:1 yet")
    snapshot(page, "habits-team")

    rita.get_by_role("link", name="Every two weeks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Max Manager and Rita Report")
    page.go_back()
    team.get_by_role("link", name="Start a 1:1 with Paula Park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a 1:1")

    page.context.clear_cookies()
    sign_in(page, org.report.user.username)
    assert page.goto("/impact/habits/").status == 404
