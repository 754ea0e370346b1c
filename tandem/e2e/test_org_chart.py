import pytest
from playwright.sync_api import expect

from tandem.e2e.steps import sign_in, snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_opens_branches_of_the_org_chart_on_demand(page, org, program_admin):
    sign_in(page, program_admin.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Org chart").click()
    page.wait_for_url("**/people/org-chart/")  # waits for "load": htmx is ready
    expect(page.get_by_role("heading", level=1)).to_have_text("Org chart")
    tree = page.locator(".org-tree")
    # The top of the tree comes with its first level open...
    expect(tree.get_by_role("link", name="Max Manager")).to_be_visible()
    # ...deeper levels load when opened.
    expect(tree.get_by_role("link", name="Rita Report")).to_have_count(0)
    tree.locator("details:not([open]) > summary", has_text="1 direct report").click()
    expect(tree.get_by_role("link", name="Rita Report")).to_be_visible()
    snapshot(page, "org-chart")

    tree.get_by_role("link", name="Rita Report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita Report")


def test_it_offers_the_person_page_when_javascript_is_off(page_without_javascript, org):
    page = page_without_javascript
    sign_in(page, org.ceo.user.username)
    page.goto("/people/org-chart/")
    page.locator("details:not([open]) > summary", has_text="1 direct report").click()
    page.get_by_role("link", name="See Max Manager\u2019s direct reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Max Manager")
    expect(page.locator("#reports").get_by_role("link", name="Rita Report")).to_be_visible()
