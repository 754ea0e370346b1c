"""An engagement pulse in the browser: the admin creates and opens it, a person answers
through the emailed link without signing in (and the link then says it was used), the
others answer, the admin closes it and reads the results: the whole organization and
a team of six show, the CEO's three direct reports are "not enough data"."""

import pytest
from playwright.sync_api import expect

from tandem.accounts.models import Role
from tandem.e2e.steps import sign_in, snapshot
from tandem.insights import pulse_items, pulses
from tandem.insights.models import PulseResponse
from tandem.insights.tests.test_pulses_setup import answers, pulse_org, tokens_from_outbox
from tandem.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_pulse_is_opened_answered_by_link_closed_and_read(page, org):
    people = pulse_org(org)
    UserFactory(username="hr", roles=[Role.PROGRAM_ADMIN])

    sign_in(page, "hr")
    page.goto("/impact/pulses/")
    page.get_by_role("link", name="New pulse").click()
    page.get_by_label("Name").fill("Spring pulse")
    page.get_by_role("button", name="Create pulse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring pulse")
    pulse_url = page.url
    page.get_by_role("button", name="Open and send the links").click()
    expect(page.get_by_text("17 people were sent their link")).to_be_visible()

    links = tokens_from_outbox()
    rita = links.pop(org.report.email)
    page.context.clear_cookies()
    page.goto(f"/impact/pulses/answer/{rita}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring pulse")
    expect(page.get_by_text("Your answers are anonymous", exact=False)).to_be_visible()
    for item in pulse_items.asked_items():
        page.get_by_role("group", name=str(item.text)).get_by_label("Agree", exact=True).check()
    question = pulse_items.enps_question(pulses.organization_name())
    page.get_by_role("group", name=question).get_by_label("9", exact=True).check()
    snapshot(page, "pulse-answer")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    assert PulseResponse.objects.get().enps == 9
    page.goto(f"/impact/pulses/answer/{rita}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")

    for token in links.values():
        pulses.pulse_answer(raw_token=token, answers=answers(level=3, enps=7))

    sign_in(page, "hr")
    page.goto(pulse_url)
    expect(page.get_by_text("Results show once the pulse is closed")).to_be_visible()
    page.get_by_role("button", name="Close the pulse").click()
    expect(page.get_by_text("The pulse is closed")).to_be_visible()
    expect(page.locator('[data-figure="n"]')).to_have_text("17")
    expect(page.locator('[data-figure="index"]')).to_contain_text("n=17")
    ceo = page.get_by_role("row", name=f"Team of {people.org.ceo.full_name}")
    expect(ceo).to_contain_text("not enough data")
    snapshot(page, "pulse-results")
    page.get_by_role("link", name=f"Team of {people.org.manager.full_name}").click()
    expect(page.locator('[data-figure="n"]')).to_have_text("6")
    expect(page.get_by_text(f"Team of {people.org.manager.full_name}").first).to_be_visible()

    page.goto("/impact/pulses/")
    expect(page.get_by_role("row", name="Spring pulse").first).to_contain_text("100%")
    snapshot(page, "pulse-list")

    # Rita's manager reads their own team only.
    page.context.clear_cookies()
    sign_in(page, org.manager.user.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pulses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My team's pulses")
    expect(page.get_by_role("row", name="Spring pulse")).to_contain_text("n=6")
    expect(page.get_by_text("Team of")).to_have_count(0)
    snapshot(page, "pulse-my-team")
