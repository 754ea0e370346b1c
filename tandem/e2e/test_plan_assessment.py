"""A participant's plan shows what their 360 found: a blind spot as a suggested goal
area, one click from a goal on that competency."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tandem.assessments.tests.plan_data import competency_model, johari_review
from tandem.e2e.steps import sign_in, snapshot
from tandem.programs.models import PlanCycle, Stage
from tandem.tests.factories import ObjectiveFactory, enroll, running_program

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_blind_spot_becomes_a_goal_in_two_clicks(page, org):
    competency_model()  # a transactional test before this one may have flushed it
    plan = enroll(running_program(name="Leading Teams"), org.report)
    johari_review(org.report)  # coaching others: self 5, all others 2
    PlanCycle.objects.filter(plan=plan).update(stage=Stage.SET_GOALS)
    ObjectiveFactory(title="Grow the partner business")
    due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()

    sign_in(page, org.report.user.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My plan").click()
    page.wait_for_url(re.compile(rf"/programs/plans/{plan.pk}/$"))
    panel = page.locator("#assessment")
    expect(panel.get_by_role("heading", name="Suggested goal areas")).to_be_visible()
    suggested = panel.get_by_role("list", name="Suggested goal areas")
    expect(suggested.get_by_role("listitem")).to_have_count(2)
    expect(suggested.get_by_role("listitem").first).to_contain_text("Coaching others")
    expect(suggested.get_by_role("listitem").first).to_contain_text("Blind spot")
    strengths = panel.get_by_role("list", name="Strengths to build on")
    expect(strengths).to_contain_text("Inclusion")
    expect(page.locator("#self-view")).to_contain_text("Self-assessment of")
    snapshot(page, "plan-assessment")

    panel.get_by_role("link", name="Set a goal on Coaching others").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New goal")
    competency = page.get_by_label("Competency")
    expect(competency.locator("option:checked")).to_have_text("Coaching others")
    page.get_by_label("Goal", exact=True).fill("Ask before telling in every one-on-one")
    page.get_by_label("How it is measured").fill("Direct reports rate coaching others 3.5 or more")
    page.get_by_label("Organizational objective").select_option(label="Grow the partner business")
    page.get_by_label("Due date").fill(due)
    snapshot(page, "goal-from-blind-spot")
    page.get_by_role("button", name="Add goal").click()

    goal = page.locator("article.goal")
    expect(goal).to_contain_text("Ask before telling in every one-on-one")
    expect(goal).to_contain_text("Coaching others")
