"""Every page works on a phone (375 px wide) without sideways scrolling."""

import datetime

import pytest
from playwright.sync_api import expect

from tandem.accounts.models import ApiToken
from tandem.e2e.steps import sign_in, snapshot
from tandem.people.models import ChangeKind, JobChange

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_fits(page, name):
    snapshot(page, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"


def test_it_fits_every_page_on_a_phone(phone_page, org, program_admin):
    page = phone_page
    page.goto("/accounts/login/")
    assert_fits(page, "phone-login")
    JobChange.objects.create(
        person=org.manager,
        kind=ChangeKind.PROMOTION,
        effective_date=datetime.date(2023, 4, 1),
        title="Team lead",
        level="mid",
        previous_level="emerging",
    )
    ApiToken.issue(user=program_admin, name="HRIS sync")
    sign_in(page, program_admin.username)
    assert_fits(page, "phone-home")
    for path, name in [
        ("/people/", "phone-directory"),
        ("/people/org-chart/", "phone-org-chart"),
        (f"/people/{org.manager.pk}/", "phone-person"),
        (f"/people/{org.manager.pk}/edit/", "phone-person-edit"),
        ("/accounts/tokens/", "phone-tokens"),
        ("/people/999999/", "phone-404"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(page, name)


def test_it_opens_the_account_menu_from_the_keyboard(page, org):
    sign_in(page, org.manager.user.username)
    menu = page.locator(".usermenu > summary")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".usermenu-panel").get_by_role("link", name="API tokens")).to_be_visible()
    snapshot(page, "account-menu")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Tandem")
