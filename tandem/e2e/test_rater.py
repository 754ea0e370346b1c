"""A rater answers a 360 through their emailed link, without an account: answers some
items, saves a draft, comes back to find it, finishes and submits, and the link then
says it was already used."""

import pytest
from playwright.sync_api import expect

from tandem.assessments.models import Instrument, RaterInvitation, Response
from tandem.assessments.tests.reviews_setup import opened
from tandem.e2e.steps import snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_rater_answers_through_the_link_without_signing_in(page, org):
    Instrument.load_built_in()  # a transactional test before this one may have flushed them
    review, raw = opened(org)
    link = f"/assessments/rate/{raw['peers0@example.org']}/"
    competencies = review.instrument.document["competencies"]

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback for Rita Report")
    expect(page.get_by_text("Your answers are anonymous", exact=False).first).to_be_visible()
    first = page.get_by_role("group", name=competencies[0]["items"][0]["text"])
    first.get_by_label("4 · Usually").check()
    page.get_by_label(f"Comment on {competencies[0]['name']}").fill("Listens well in 1:1s.")
    snapshot(page, "rater-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    assert Response.objects.get().submitted_at is None

    page.goto(link)  # coming back later
    first = page.get_by_role("group", name=competencies[0]["items"][0]["text"])
    expect(first.get_by_label("4 · Usually")).to_be_checked()
    expect(page.get_by_label(f"Comment on {competencies[0]['name']}")).to_have_value(
        "Listens well in 1:1s."
    )

    for competency in competencies:
        for item in competency["items"]:
            group = page.get_by_role("group", name=item["text"])
            group.get_by_label(
                "Not observed" if item["key"] == "sa-2" else "3 · Fairly often"
            ).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert RaterInvitation.objects.get(nomination__email="peers0@example.org").submitted_at

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
