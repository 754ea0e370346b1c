"""A program admin designs a program, is refused a launch without a success criterion,
defines one, launches, enrolls two people and follows their cycle step."""

import re

import pytest
from playwright.sync_api import expect

from tandem.e2e.steps import sign_in, snapshot
from tandem.programs import services
from tandem.programs.models import DevelopmentPlan, Program
from tandem.tests.factories import ProgramFactory, self_assessed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_creates_launches_and_enrolls_a_program(page, org, program_admin):
    sign_in(page, program_admin.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programs")
    expect(page.get_by_role("heading", name="No programs yet")).to_be_visible()
    snapshot(page, "programs-empty")

    page.get_by_role("link", name="New program").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New program")
    page.get_by_label("Name", exact=True).fill("Leading teams 2026")
    page.get_by_label("Kind").select_option("blended")
    page.get_by_label("Emerging leader").check()
    page.get_by_label("Mid-level manager").check()
    page.get_by_label("Start date").fill("2026-02-02")
    page.get_by_label("End date").fill("2026-11-27")
    page.get_by_label("Budget").fill("48000")
    snapshot(page, "program-form")
    page.get_by_role("button", name="Create program").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Leading teams 2026")
    expect(page.locator(".program-head")).to_contain_text("Draft")

    # Launching before success is defined is refused, with the reason.
    page.get_by_role("button", name="Launch").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("The program was not launched.")
    expect(refusal).to_contain_text("Define at least one success criterion")
    expect(page.locator(".program-head")).to_contain_text("Draft")
    snapshot(page, "program-launch-refused")

    # The criterion form is open while there is none; htmx swaps the card in place.
    criteria = page.locator("#criteria")
    criteria.get_by_label("Metric").select_option("goal_completion_rate")
    criteria.get_by_label("Baseline").fill("40")
    criteria.get_by_label("Target").fill("70")
    criteria.get_by_label("Unit").fill("%")
    criteria.get_by_label("Measure by").fill("2026-11-30")
    criteria.get_by_role("button", name="Add criterion").click()
    expect(criteria.get_by_role("row", name=re.compile("Goal completion rate"))).to_contain_text(
        "40 → 70 %"
    )
    expect(page.get_by_role("alert")).to_have_count(1)  # the old refusal; not reloaded

    page.get_by_role("button", name="Launch").click()
    expect(page.get_by_role("status")).to_contain_text("Launched Leading teams 2026")
    expect(page.locator(".program-head")).to_contain_text("Running")
    expect(page.get_by_role("button", name="Launch")).to_have_count(0)

    participants = page.locator("#participants")
    ids = f"{org.report.employee_id}\n{org.manager.employee_id}"
    participants.get_by_label("Employee ids").fill(ids)
    participants.get_by_role("button", name="Enroll").click()
    expect(page.get_by_role("status")).to_contain_text("Enrolled 2 people")
    table = page.locator("#participants table")
    expect(table.get_by_role("row", name=re.compile("Rita Report"))).to_contain_text("1 · Assess")
    expect(table.get_by_role("row", name=re.compile("Max Manager"))).to_contain_text("1 · Assess")
    expect(page.locator("#stages")).to_contain_text("Assess")

    # Rita moves on; the overview shows where each participant now is.
    plan = DevelopmentPlan.objects.get(person=org.report)
    self_assessed(org.report)  # the assess step's result
    services.plan_advance(plan=plan, advanced_by=org.report.user)
    page.reload()
    expect(table.get_by_role("row", name=re.compile("Rita Report"))).to_contain_text(
        "2 · Set goals"
    )
    expect(table.get_by_role("row", name=re.compile("Max Manager"))).to_contain_text("1 · Assess")
    snapshot(page, "program-overview")

    program = Program.objects.get()
    assert program.status == "running"
    assert program.enrollments.count() == 2

    table.get_by_role("link", name="Rita Report").click()
    expect(page).to_have_url(re.compile(rf"/programs/plans/{plan.pk}/$"))


def test_it_reports_bad_employee_ids_next_to_the_field(page, org, program_admin):
    program = ProgramFactory.create(name="Executive presence")
    sign_in(page, program_admin.username)
    page.goto(f"/programs/{program.pk}/")
    participants = page.locator("#participants")
    participants.get_by_label("Employee ids").fill(f"{org.report.employee_id}, NOPE-1")
    participants.get_by_role("button", name="Enroll").click()
    errors = page.locator("#id_employee_ids_error")
    expect(errors).to_contain_text("No one has the employee id “NOPE-1”.")
    expect(participants).to_contain_text("No one is enrolled yet")
    snapshot(page, "program-enroll-errors")
    assert not program.enrollments.exists()


def test_it_works_without_javascript(page_without_javascript, org, program_admin):
    page = page_without_javascript
    program = ProgramFactory.create(name="Coaching circle")
    sign_in(page, program_admin.username)
    page.goto(f"/programs/{program.pk}/")
    criteria = page.locator("#criteria")
    criteria.get_by_label("Metric").select_option("team_engagement")
    criteria.get_by_label("Baseline").fill("62")
    criteria.get_by_label("Target").fill("70")
    criteria.get_by_label("Measure by").fill("2026-12-01")
    criteria.get_by_role("button", name="Add criterion").click()
    expect(page).to_have_url(re.compile(r"#criteria$"))
    expect(page.get_by_role("status")).to_contain_text("Added the success criterion.")
    page.get_by_role("button", name="Launch").click()
    expect(page.locator(".program-head")).to_contain_text("Running")
    page.locator("#participants").get_by_label("Employee ids").fill(org.report.employee_id)
    page.locator("#participants").get_by_role("button", name="Enroll").click()
    expect(page.locator("#participants table")).to_contain_text("Rita Report")
