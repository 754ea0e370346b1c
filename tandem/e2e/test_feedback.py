"""Everyday feedback in the browser: a report gives a peer feedback as situation,
behaviour and impact (after the form points out what is missing), asks the peer for
feedback on a goal of their development plan, and the peer answers the request."""

import datetime
from typing import cast

import pytest
from django.core import mail
from playwright.sync_api import expect

from tandem.conversations.models import Feedback
from tandem.e2e.steps import sign_in, snapshot
from tandem.people.models import Objective, Person
from tandem.programs.models import Goal
from tandem.tests.factories import PersonFactory, enroll, make_user_for, running_program

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_feedback(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback")


def give_feedback_and_ask_on_a_goal(page, org):
    """Rita gives her peer Cleo feedback and asks her for feedback on a goal of her plan;
    returns Cleo's login. Used by the one-on-ones walk too."""
    peer = cast(
        Person, PersonFactory(first_name="Cleo", last_name="Colleague", manager=org.manager)
    )
    peer_login = make_user_for(peer)
    plan = enroll(running_program(), org.report)
    Goal.objects.create(
        cycle=plan.cycles.get(),
        title="Delegate more",
        measure="Reports rate delegation 4+",
        objective=Objective.objects.create(title="Grow leaders"),
        due_date=datetime.date(2026, 12, 1),
    )

    # Rita gives Cleo feedback; the form says what is missing first.
    sign_in(page, org.report.user.username)
    open_feedback(page)
    page.get_by_role("link", name="Give feedback").first.click()
    page.get_by_label("To", exact=True).select_option(label="Cleo Colleague (Analyst)")
    page.get_by_label("Kind").select_option(label="Positive")
    page.get_by_label("Situation").fill("Monday's planning meeting")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#id_behaviour_error")).to_contain_text("Complete situation")
    assert not Feedback.objects.exists()
    page.get_by_label("Behaviour").fill("You summarised every option before we voted")
    page.get_by_label("Impact").fill("We decided in ten minutes")
    page.get_by_label("Let their manager see it").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Feedback sent.")
    expect(page.locator("#given")).to_contain_text("You summarised every option")
    snapshot(page, "feedback-given")

    # Rita asks Cleo for feedback on a goal of her plan.
    page.get_by_role("link", name="Requests").click()
    page.get_by_role("link", name="Ask for feedback").click()
    page.get_by_label("Ask", exact=True).select_option(label="Cleo Colleague (Analyst)")
    page.get_by_label("What would you like feedback on?").fill("How did I delegate the launch?")
    page.get_by_label("On a goal of my plan").select_option(label="Delegate more")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("Request sent.")
    expect(page.locator("#my-requests")).to_contain_text("Delegate more")
    expect(page.locator("#my-requests")).to_contain_text("waiting")
    assert [message.to for message in mail.outbox] == [[peer.email]]
    return peer_login


def test_give_feedback_to_a_peer_and_ask_for_it_on_a_goal(page, org):
    peer_login = give_feedback_and_ask_on_a_goal(page, org)

    # Cleo answers it; Rita sees the answer in what she received.
    page.context.clear_cookies()
    sign_in(page, peer_login.username)
    open_feedback(page)
    expect(page.locator("#received")).to_contain_text("You summarised every option")
    page.get_by_role("link", name="Requests").click()
    expect(page.locator("#asked-of-me")).to_contain_text("How did I delegate the launch?")
    page.get_by_role("link", name="Answer Rita Report").click()
    page.get_by_label("Kind").select_option(label="Developmental")
    page.get_by_label("Or in your own words").fill("Hand over the decision, not just the tasks.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Feedback sent.")
    snapshot(page, "feedback-answered")

    page.context.clear_cookies()
    sign_in(page, org.report.user.username)
    open_feedback(page)
    expect(page.locator("#received")).to_contain_text("Hand over the decision")
    page.get_by_role("link", name="Requests").click()
    expect(page.locator("#my-requests")).to_contain_text("answered")
