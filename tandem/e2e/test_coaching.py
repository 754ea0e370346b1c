"""Coaching in the browser: an admin pairs a coachee with a coach, both accept the
agreement, the coach books and holds a session with GROW notes and a next step, and
the coachee rates it. The admin then sees the session's metadata, never its notes."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.accounts.models import Role
from tandem.coaching.models import Engagement, SessionStatus
from tandem.coaching.tests.factories import CoachFactory
from tandem.e2e.steps import sign_in, snapshot
from tandem.tests.factories import UserFactory, enroll, running_program

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def open_coaching(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coaching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coaching")


def test_pair_agree_hold_a_session_and_rate_it(page, org):
    UserFactory(username="hr", roles=[Role.PROGRAM_ADMIN])
    CoachFactory(user__username="carla", user__first_name="Carla", user__last_name="Coach")
    enroll(running_program(name="Leading with Coaching", kind="coaching"), org.report)

    # The admin pairs Rita with Carla.
    sign_in(page, "hr")
    open_coaching(page)
    page.get_by_role("link", name="Pair a coachee").click()
    page.get_by_label("Coachee's employee id").fill(org.report.employee_id)
    page.get_by_label("Coach", exact=True).select_option(label="Carla Coach (3 of 3 places free)")
    page.get_by_role("button", name="Pair").click()
    expect(page.get_by_role("status")).to_contain_text("are paired")
    expect(page.locator(".profile-title")).to_contain_text("Awaiting the agreement")
    snapshot(page, "coaching-paired")

    # Both accept the agreement.
    for username in (org.report.user.username, "carla"):
        switch_to(page, username)
        open_coaching(page)
        if username == "carla":
            page.locator("#my-coachees").get_by_role("link", name=org.report.full_name).click()
        else:
            page.get_by_role("link", name="Open the engagement").click()
        page.get_by_label("I have read the agreement and accept it").check()
        page.get_by_role("button", name="Accept the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("accepted by both")
    expect(page.locator(".profile-title")).to_contain_text("Active")

    # The coach books a session that has just taken place and records it as held.
    page.get_by_role("link", name="Book a session").click()
    started = timezone.now() - datetime.timedelta(hours=1)
    page.get_by_label("Starts at").fill(started.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("Room 4")
    page.get_by_role("button", name="Book it").click()
    expect(page.get_by_role("status")).to_contain_text("Session booked")
    page.get_by_role("link", name="Record as held").click()
    page.get_by_label("Goal").fill("Run the planning meeting without getting defensive")
    page.get_by_label("Reality").fill("Argues the detail when challenged; the team goes quiet")
    page.get_by_label("Options").fill("Pause; ask what they see; take it offline")
    page.get_by_label("Will").fill("Ask one question before defending a plan")
    # Without a next step the session is not recorded.
    page.get_by_role("button", name="Record as held").click()
    expect(page.locator("#next-steps-errors")).to_contain_text("Close every conversation")
    step = page.get_by_role("group", name="Next step 1")
    step.get_by_label("Next step").fill("Ask one question first, twice this week")
    step.get_by_label("Owner").select_option("coachee")
    step.get_by_label("Due date").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Record as held").click()
    expect(page.get_by_role("status")).to_contain_text("recorded as held")
    expect(page.locator("#notes")).to_contain_text("Ask one question before defending a plan")
    expect(page.locator("#next-steps")).to_contain_text("Ask one question first, twice this week")
    snapshot(page, "coaching-session-held")
    session_url = page.url

    # The coachee rates it and adds a takeaway.
    switch_to(page, org.report.user.username)
    page.goto(session_url)
    expect(page.locator("#notes")).to_contain_text("Ask one question before defending a plan")
    page.get_by_role("link", name="Rate this session").click()
    page.get_by_role("radio", name="5").check()
    page.get_by_label("Your takeaways").fill("The pause is a choice, not a weakness.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#session-rating")).to_have_text("5/5")
    expect(page.locator("#takeaways")).to_contain_text("The pause is a choice")

    engagement = Engagement.objects.get(coachee=org.report)
    session = engagement.sessions.get()
    assert session.status == SessionStatus.HELD and session.rating == 5

    # The admin sees that it was held and rated, and nothing that was said.
    switch_to(page, "hr")
    page.goto(session_url)
    expect(page.locator("#session-rating")).to_have_text("5/5")
    expect(page.locator("#notes-withheld")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Ask one question")
    expect(page.locator("body")).not_to_contain_text("The pause is a choice")
    page.goto("/coaching/engagements/")
    expect(page.locator("#engagements")).to_contain_text("1 / 8")
    snapshot(page, "coaching-admin-engagements")
    assert engagement.coach.user.username == "carla"
