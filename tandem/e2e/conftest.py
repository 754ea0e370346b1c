"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's
`live_server`.

Where chromium is missing these tests skip with a message, except with CI=true: there
browser tests are mandatory and a missing browser fails the run (DESIGN.md, `make test`).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("TANDEM_CHROMIUM", "/usr/lib/chromium/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. Browser tests are mandatory with CI=true.", pytrace=False)
    pytest.skip(f"{reason}: skipping the browser tests (`make browser` installs chromium).")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then
    # refuses ORM calls from the test itself. Allowed only while the browser runs, so
    # the other tests in this process keep Django's guard.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


def _open_page(browser, live_server, **context_options) -> Iterator:
    """A page in a fresh browser context. Every request must go to the live server
    (nothing may load from elsewhere), every stylesheet and script must load, and no
    page may raise a JavaScript error or break the Content Security Policy (a blocked
    script is not a JavaScript error, so the console is watched for it)."""
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    ours = urlsplit(live_server.url).netloc
    foreign: list[str] = []
    errors: list[str] = []
    broken: list[str] = []

    def only_our_server(route) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_our_server)
    violations: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}")
            if response.status >= 400
            and response.request.resource_type in {"stylesheet", "script", "image", "font"}
            else None
        ),
    )
    yield page
    context.close()
    assert broken == [], f"assets that did not load: {broken}"
    assert foreign == [], f"pages asked for resources elsewhere: {foreign}"
    assert errors == [], f"JavaScript errors: {errors}"
    assert violations == [], f"Content Security Policy violations: {violations}"


@pytest.fixture
def page(browser, live_server) -> Iterator:
    yield from _open_page(browser, live_server, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    yield from _open_page(
        browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True
    )


@pytest.fixture
def page_without_javascript(browser, live_server) -> Iterator:
    yield from _open_page(
        browser, live_server, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
