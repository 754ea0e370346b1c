"""A participant walks the whole development cycle in the browser: assess, set goals,
learn, apply, measure, and closes the cycle into cycle 2 with the unfinished goal."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tandem.e2e.steps import sign_in, snapshot
from tandem.programs import services
from tandem.tests.factories import ObjectiveFactory, enroll, running_program, self_assessed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def record_checkin(plan, org):
    """The apply step's check-in, recorded as the check-in pages would."""
    services.checkin_record(
        plan=plan,
        held_on=datetime.date.today(),
        attendees=[org.report, org.manager],
        progress="Handed the weekly report to Ana twice",
        blockers="",
        next_steps=[
            services.NextStep(
                "Review the report together",
                org.report,
                datetime.date.today() + datetime.timedelta(days=14),
            )
        ],
        recorded_by=org.manager.user,
    )


def test_a_participant_walks_the_cycle_and_starts_cycle_two(page, org):
    plan = enroll(running_program(name="Leading Teams"), org.report)
    self_assessed(org.report, enrollment=plan.enrollment)  # the assess step's self-assessment
    ObjectiveFactory(title="Grow the partner business")
    due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()

    sign_in(page, org.report.user.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My plan").click()
    page.wait_for_url(re.compile(rf"/programs/plans/{plan.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My development plan")
    stepper = page.get_by_role("navigation", name="Development cycle 1")
    expect(stepper.locator("[aria-current=step]")).to_contain_text("Assess")
    snapshot(page, "plan-assess")

    # Assess: record where things stand, then move on.
    measurements = page.locator("#measurements")
    measurements.get_by_text("Record a baseline").click()
    measurements.get_by_label("What was measured").fill("Delegation (360)")
    measurements.get_by_label("Value").fill("2.8")
    measurements.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded the baseline")
    page.get_by_role("button", name="Move on to Set goals").click()
    expect(page.get_by_role("status")).to_contain_text("Moved on to step 2 of 5: Set goals.")
    expect(page.locator(".plan-blockers")).to_contain_text("Set at least one goal")
    snapshot(page, "plan-set-goals")

    # Set goals: one goal, aligned to an objective.
    page.locator(".plan-now").get_by_role("link", name="Add a goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New goal")
    page.get_by_label("Goal", exact=True).fill("Delegate the weekly report")
    page.get_by_label("How it is measured").fill("The team runs it without me for 4 weeks")
    page.get_by_label("Organizational objective").select_option(label="Grow the partner business")
    page.get_by_label("Due date").fill(due)
    snapshot(page, "goal-form")
    page.get_by_role("button", name="Add goal").click()
    goal = page.locator("article.goal")
    expect(goal).to_contain_text("Delegate the weekly report")
    expect(goal).to_contain_text("Grow the partner business")
    page.get_by_role("button", name="Move on to Learn").click()
    expect(page.get_by_role("status")).to_contain_text("step 3 of 5: Learn")

    # Learn: a way to learn (the advisor is one click away).
    learning = page.locator("#learning")
    expect(learning.get_by_role("link", name="Ask the advisor")).to_have_attribute(
        "href", f"/programs/advisor/?plan={plan.pk}"
    )
    learning.get_by_label("How").select_option("coaching")
    learning.get_by_label("What").fill("Six coaching sessions on delegation")
    learning.get_by_role("button", name="Add").click()
    expect(page.locator("#learning")).to_contain_text("Six coaching sessions on delegation")
    page.get_by_role("button", name="Move on to Apply").click()
    expect(page.get_by_role("status")).to_contain_text("step 4 of 5: Apply")
    expect(page.locator(".plan-blockers")).to_contain_text("check-in")

    # Apply: a check-in with a next step, then on to measure.
    record_checkin(plan, org)
    page.reload()
    expect(page.locator(".plan-blockers")).to_have_count(0)
    page.get_by_role("button", name="Move on to Measure").click()
    expect(page.get_by_role("status")).to_contain_text("step 5 of 5: Measure")
    snapshot(page, "plan-measure")

    # Measure: the outcome and a result, next to its baseline.
    close = page.locator("#close")
    close.get_by_label("Outcome of this cycle").fill("Delegation is becoming a habit.")
    first = close.get_by_role("group", name="Result 1")
    expect(first.get_by_label("What was measured")).to_have_value("Delegation (360)")
    expect(first).to_contain_text("Baseline: 2.80")
    first.get_by_label("Value").fill("3.4")
    close.get_by_role("button", name="Close this cycle").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Cycle 1 is closed. Cycle 2 starts at the assess step"
    )
    expect(page.get_by_role("navigation", name="Development cycle 2")).to_be_visible()
    expect(page.locator(".plan-meta")).to_contain_text("Cycle 2")
    carried = page.locator("article.goal")
    expect(carried).to_contain_text("Delegate the weekly report")
    expect(carried).to_contain_text("carried from cycle 1")
    expect(page.locator("#measurements")).to_contain_text("3.40")
    previous = page.locator("#previous-cycles")
    previous.get_by_text("Cycle 1", exact=True).click()
    expect(previous).to_contain_text("Delegation is becoming a habit.")
    snapshot(page, "plan-cycle-two")
