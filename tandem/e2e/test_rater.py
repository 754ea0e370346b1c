"""A rater answers a 360 through their emailed link, without an account: answers some
items, saves a draft, comes back to find it, finishes and submits, and the link then
says it was already used. And a 360 started for a program takes a rater after it
opened, once the manager approves."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tandem.assessments import services
from tandem.assessments.models import Instrument, RaterInvitation, Response, Review
from tandem.assessments.tests.reviews_setup import (
    closes_on,
    nominate_peers,
    opened,
    tokens_from_outbox,
)
from tandem.e2e.steps import sign_in, snapshot
from tandem.tests.factories import enroll, running_program

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


def test_a_360_starts_for_a_program_and_takes_a_rater_after_it_opened(page, org):
    """The manager starts a 360 for the report's program (its anonymity settings apply),
    the subject adds a rater once it is open, the manager approves, and the new rater's
    emailed link opens the form."""
    Instrument.load_built_in()
    program = running_program(name="Emerging Leaders", review_min_peers=4)
    enroll(program, org.report)

    sign_in(page, org.manager.user.username)
    page.goto(f"/assessments/reviews/new/?person={org.report.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a 360 for Rita Report")
    expect(page.get_by_label("Instrument")).to_have_value(str(services.default_instrument().pk))
    page.get_by_label("Program").select_option(label="Emerging Leaders (Invited)")
    page.get_by_label("Closes on").fill(closes_on().isoformat())
    snapshot(page, "review-start")
    page.get_by_role("button", name="Start the 360").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("360 of Rita Report")
    review = Review.objects.select_related("enrollment__program").get()
    assert review.enrollment is not None
    assert (review.enrollment.program, review.min_peers) == (program, 4)

    nominate_peers(review, org.report.user, 4)
    services.approve(review=review, approved_by=org.manager.user)

    page.context.clear_cookies()
    sign_in(page, org.report.user.username)
    page.goto(f"/assessments/reviews/{review.pk}/")
    expect(page.get_by_role("heading", name="Add a rater")).to_be_visible()
    page.get_by_label("Group").select_option(label="Others")
    page.get_by_label("Name").fill("Lee Late")
    page.get_by_label("Email").fill("Lee.Late@Example.org")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Lee Late was nominated.")).to_be_visible()
    expect(page.get_by_text("Added after opening")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, org.manager.user.username)
    page.goto(f"/assessments/reviews/{review.pk}/")
    mail.outbox.clear()
    page.get_by_role("button", name="Approve and invite Lee Late").click()
    expect(page.get_by_text("Lee Late was approved and invited by email.")).to_be_visible()
    snapshot(page, "review-late-rater")
    raw = tokens_from_outbox()["lee.late@example.org"]

    page.context.clear_cookies()
    page.goto(f"/assessments/rate/{raw}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback for Rita Report")
    expect(page.get_by_text("You were asked as: Others", exact=False)).to_be_visible()
