"""Succession in the browser: an admin opens a talent review, the manager rates their
report, the admin calibrates and closes it, and the report lands in the 9-box; then the
admin puts them on the slate of a critical role as ready now. A peer sees none of it."""

import pytest
from playwright.sync_api import expect

from tandem.accounts.models import Role
from tandem.e2e.steps import sign_in, snapshot
from tandem.succession.models import CriticalRole, Placement
from tandem.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def test_a_talent_review_into_the_nine_box_and_a_successor_slate(page, org):
    UserFactory(username="hr", roles=[Role.PROGRAM_ADMIN])
    rita = org.report.full_name
    role = CriticalRole.objects.create(
        title="Head of Platform", level=org.manager.level, incumbent=org.manager
    )

    # The admin opens a talent review for the whole organization.
    sign_in(page, "hr")
    page.goto("/succession/reviews/")
    page.get_by_role("link", name="New talent review").click()
    page.get_by_label("Name").fill("Talent review 2026")
    page.get_by_role("button", name="Create the review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Talent review 2026")
    review_url = page.url

    # Rita's manager rates her: high performance, high potential.
    switch_to(page, org.manager.user.username)
    page.goto(review_url)
    page.get_by_role("link", name="Rate your people").first.click()
    page.get_by_role("group", name=f"Performance of {rita}").get_by_label("High").check()
    page.get_by_role("group", name=f"Potential of {rita}").get_by_label("Moderate").check()
    page.get_by_role("button", name=f"Save {org.report.first_name}").click()
    expect(page.get_by_text("Saved.").first).to_be_visible()

    # The admin calibrates (both ratings, the potential up) with a note, and closes.
    switch_to(page, "hr")
    page.goto(review_url)
    page.get_by_role("button", name="Start calibration").click()
    form = page.get_by_role("form", name=f"Calibrate {rita}")
    form.get_by_label("Calibrated performance").select_option(label="High")
    form.get_by_label("Calibrated potential").select_option(label="High")
    form.get_by_label("Calibration note").fill("Led the platform migration across teams.")
    form.get_by_role("button", name="Save calibration").click()
    expect(page.get_by_text(f"Calibration saved for {rita}.")).to_be_visible()
    page.get_by_role("button", name="Close the review").first.click()
    expect(page.get_by_text("Closed on")).to_be_visible()
    placement = Placement.objects.get(person=org.report)
    assert (placement.final_performance, placement.final_potential, placement.box) == (
        "high",
        "high",
        9,
    )

    # The 9-box puts her in the top-right box.
    page.get_by_role("link", name="Open the 9-box").click()
    top_right = page.locator("section, div").filter(has=page.locator("#box-9")).last
    expect(top_right).to_contain_text(rita)
    expect(page.locator("#box-9")).to_contain_text("Future leader")
    snapshot(page, "succession-ninebox")

    # She joins the slate of the critical role as ready now.
    page.goto(f"/succession/roles/{role.pk}/")
    page.get_by_label("Candidate").select_option(label=rita)
    page.get_by_label("Readiness").select_option(label="Ready now")
    page.get_by_role("button", name="Add to the slate").click()
    expect(page.get_by_text(f"{rita} added to the slate.")).to_be_visible()
    expect(page.get_by_label("Ready now", exact=True)).to_contain_text(rita)
    snapshot(page, "succession-slate")

    # A peer of Rita's (not in her management chain) sees neither.
    switch_to(page, org.outsider.user.username)
    for url in (f"/succession/people/{org.report.pk}/placements/", f"/succession/roles/{role.pk}/"):
        assert page.goto(url).status == 404
