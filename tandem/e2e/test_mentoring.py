"""Mentoring in the browser: an admin runs the match, reads a pair's explanation, locks
it and publishes; the mentee and the mentor accept the request, confirm the agreement,
and a meeting is logged. The admin then sees when they met, never what was said."""

import pytest
from playwright.sync_api import expect

from tandem.accounts.models import Role
from tandem.e2e.steps import sign_in, snapshot
from tandem.mentoring.models import Relationship
from tandem.mentoring.tests import factories
from tandem.tests.factories import OrgUnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def test_match_publish_accept_agree_and_log_a_meeting(page, org):
    UserFactory(username="hr", roles=[Role.PROGRAM_ADMIN])
    program = factories.mentoring_program(name="Mentoring Circle")
    factories.make_mentee(program, org.report, goals=("Lead my first team",))
    mona = factories.person(
        "senior", first_name="Mona", last_name="Mentor", org_unit=OrgUnitFactory(name="Finance")
    )
    factories.make_mentor(program, mona, capacity=2)
    assert mona.user is not None and org.report.user is not None
    mentee = org.report.full_name

    # The admin runs the match, reads why Rita is matched with Mona, locks and publishes.
    sign_in(page, "hr")
    page.goto(f"/mentoring/programs/{program.pk}/match/")
    page.get_by_role("button", name="Run the match").click()
    pair = page.locator(".proposal", has_text=f"{mentee} with Mona Mentor")
    expect(pair).to_be_visible()
    pair.get_by_text(f"Why this match for {mentee}").click()
    expect(pair.locator("details")).to_have_attribute("open", "")
    page.get_by_role("button", name=f"Lock {mentee}").click()
    expect(page.locator(".proposal", has_text=mentee)).to_contain_text("Locked")
    page.get_by_role("button", name="Publish the match").click()
    expect(page.get_by_text("the pairs are now relationship requests")).to_be_visible()
    snapshot(page, "mentoring-published")

    # The mentee and the mentor accept; the mentor confirms the agreement.
    for username, other in (
        (org.report.user.username, "Mona Mentor"),
        (mona.user.username, mentee),
    ):
        switch_to(page, username)
        page.goto("/mentoring/relationships/")
        page.get_by_role("link", name=other).click()
        page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("You have both accepted")
    page.get_by_role("link", name="Confirm the agreement").click()
    expect(page.get_by_label("Goals")).to_have_value("Lead my first team")
    page.get_by_label("Monthly").check()
    page.get_by_role("button", name="Confirm the agreement").click()
    expect(page.locator(".profile-title")).to_contain_text("Active")

    # The mentor logs a meeting, with private notes.
    page.get_by_role("link", name="Log a meeting").first.click()
    page.get_by_label("Topics").fill("How decisions get made before the leadership meeting")
    page.get_by_label("Next step").fill("Book coffee with the finance lead")
    page.get_by_label("My private notes").fill("Confident on content, hesitant in the room")
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting logged")
    expect(page.locator("#meetings")).to_contain_text("hesitant in the room")
    snapshot(page, "mentoring-meeting")

    # The admin sees that they met, not what was said.
    relationship = Relationship.objects.get()
    switch_to(page, "hr")
    page.goto(f"/mentoring/relationships/{relationship.pk}/")
    expect(page.locator("#meeting-count")).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text("hesitant")
    expect(page.locator("main")).not_to_contain_text("leadership meeting")
