import re

import pytest
from playwright.sync_api import expect

from tandem.e2e.steps import sign_in, snapshot
from tandem.tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_finds_a_person_and_opens_their_page(page, org):
    sign_in(page, org.ceo.user.username)
    snapshot(page, "home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.wait_for_url(re.compile(r"/people/$"))  # waits for "load": htmx is ready
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("4 people")
    snapshot(page, "directory")

    # Typing searches as you go: htmx swaps the results and keeps the URL shareable.
    page.get_by_label("Search", exact=True).fill("rita")
    expect(results).to_contain_text("1 person")
    expect(results.get_by_role("link", name="Max Manager")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/people/\?q=rita"))
    snapshot(page, "directory-search")

    results.get_by_role("link", name="Rita Report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita Report")
    chain = page.get_by_role("navigation", name="Management chain")
    expect(chain).to_contain_text("Cora Chief")
    expect(chain.get_by_role("link", name="Max Manager")).to_be_visible()
    snapshot(page, "person")


def test_it_filters_by_level_with_a_select(page, org, program_admin):
    sign_in(page, program_admin.username)
    page.goto("/people/")
    page.get_by_label("Level").select_option("senior")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("2 people")
    expect(results.get_by_role("link", name="Eve Exec")).to_be_visible()
    expect(page).to_have_url(re.compile(r"level=senior"))


def test_it_pages_through_results_in_place(page, program_admin):
    PersonFactory.create_batch(55, last_name="Many")
    sign_in(page, program_admin.username)
    page.goto("/people/")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("page 1 of 2")
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 2").click()
    expect(results).to_contain_text("page 2 of 2")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.get_by_role("search")).to_be_visible()  # only the results were swapped


def test_it_searches_without_javascript(page_without_javascript, org):
    page = page_without_javascript
    sign_in(page, org.manager.user.username)
    page.goto("/people/")
    page.get_by_label("Search", exact=True).fill("rita")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=rita"))
    expect(page.locator("#directory-results")).to_contain_text("1 person")
    page.get_by_role("link", name="Rita Report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita Report")
