"""What a person does in the browser, shared by the browser tests.

Set TANDEM_E2E_SCREENSHOTS=/some/dir to save a screenshot of each page a test checks
(for looking at the pages while working on them; screenshots are never committed).
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # imported lazily, so a missing Playwright skips rather than errors
    from playwright.sync_api import Page

PASSWORD = "correct horse battery staple"  # noqa: S105  (what UserFactory sets)


def sign_in(page: "Page", username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would, and land on the home page."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def snapshot(page: "Page", name: str) -> None:
    """Save a full-page screenshot when TANDEM_E2E_SCREENSHOTS names a directory."""
    directory = os.environ.get("TANDEM_E2E_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
