import datetime

import pytest
from playwright.sync_api import expect

from tandem.e2e.steps import sign_in, snapshot
from tandem.people.models import Objective
from tandem.programs import services
from tandem.programs.models import Goal, LearningActivity
from tandem.tests.factories import enroll, running_program, self_assessed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_recommends_and_adds_the_advice_to_a_plan(page, org):
    plan = enroll(running_program(name="Emerging Leaders"), org.report)
    self_assessed(org.report)  # the assess step's result
    services.plan_advance(plan=plan, advanced_by=org.report.user)
    Goal.objects.create(
        cycle=plan.current_cycle(),
        title="Delegate the weekly report",
        measure="The team runs it without me for 4 weeks",
        objective=Objective.objects.create(title="Build a bench of ready-now leaders"),
        due_date=datetime.date(2026, 6, 30),
    )
    services.plan_advance(plan=plan, advanced_by=org.report.user)  # -> learn

    sign_in(page, org.report.user.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Advisor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training, mentoring or coaching?")
    page.goto(f"/programs/advisor/?plan={plan.pk}")
    expect(page.get_by_label("Leader's level")).to_have_value("emerging")
    page.get_by_label("What is the need?").select_option("skill_or_knowledge")
    page.get_by_label("How customized must it be?").select_option("medium")
    page.get_by_label("Time the leader has for development").select_option("some")
    page.get_by_label("Budget per person").fill("2500")
    page.get_by_label("How many people share this need?").fill("12")
    page.get_by_label("Will practice and feedback follow?").select_option("no")
    page.get_by_role("button", name="Recommend").click()

    result = page.locator("#advice")
    expect(result.get_by_role("heading", level=2)).to_have_text(
        "Training followed by reinforcement and coaching"
    )
    expect(result.locator('li[data-input="people_sharing_need"]')).to_contain_text(
        "12 people share this need"
    )
    snapshot(page, "advisor")

    result.get_by_role("button", name="Add to my plan").click()
    expect(page.get_by_role("status").first).to_contain_text("Added 3 learning activities")
    assert sorted(LearningActivity.objects.values_list("modality", flat=True)) == [
        "coaching",
        "reinforcement",
        "training",
    ]
