"""One-on-ones in the browser: a manager and a report each add an agenda item, the
manager opens the coaching guide, tries to complete the meeting without a next step
(refused) and then completes it with one; then the report gives feedback to a peer and
asks for feedback on a goal of her plan (issue 10's walk, in one go)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.conversations import oneonones
from tandem.conversations.models import Meeting, MeetingStatus
from tandem.e2e.steps import sign_in, snapshot
from tandem.e2e.test_feedback import give_feedback_and_ask_on_a_goal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def open_meeting(page, other_name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="1:1s").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My 1:1s")
    page.get_by_role("link", name=other_name).click()
    page.get_by_role("button", name="Open the next meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1:1 of")


def add_topic(page, topic):
    page.get_by_label("Topic").fill(topic)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#agenda")).to_contain_text(topic)


def test_both_add_to_the_agenda_and_the_manager_completes_with_a_next_step(page, org):
    oneonones.series_start(
        manager=org.manager,
        report=org.report,
        cadence="weekly",
        first_on=timezone.localdate(),
        starts_at=datetime.time(10, 0),
        duration_minutes=30,
        time_zone="UTC",
    )

    sign_in(page, org.manager.user.username)
    open_meeting(page, org.report.full_name)
    add_topic(page, "Team offsite planning")

    switch_to(page, org.report.user.username)
    open_meeting(page, org.manager.full_name)
    add_topic(page, "My career path")
    expect(page.locator("#agenda")).to_contain_text("Team offsite planning")

    switch_to(page, org.manager.user.username)
    open_meeting(page, org.report.full_name)
    expect(page.locator("#agenda")).to_contain_text("My career path")
    page.get_by_text("Career conversation").click()
    expect(page.locator("#guide-career")).to_contain_text("Where would you like to be")
    expect(page.locator("#listen-first")).to_contain_text("Listen before you answer")
    snapshot(page, "oneonone-meeting")

    page.get_by_role("button", name="Complete the meeting").click()
    expect(page.locator("#next-steps-errors")).to_contain_text("at least one next step")
    assert Meeting.objects.get().status == MeetingStatus.PLANNED

    page.locator("#id_steps-0-title").fill("Draft the offsite agenda")
    page.locator("#id_steps-0-owner").select_option("report")
    page.locator("#id_steps-0-due_date").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Complete the meeting").click()
    expect(page.locator("#meeting-status")).to_have_text("Completed")
    expect(page.locator("#next-steps")).to_contain_text("Draft the offsite agenda")
    assert Meeting.objects.get().status == MeetingStatus.COMPLETED

    # The report, after the 1:1: feedback to a peer, and a request on a goal.
    page.context.clear_cookies()
    give_feedback_and_ask_on_a_goal(page, org)
