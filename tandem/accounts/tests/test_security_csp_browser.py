"""The Content Security Policy in a real browser (chromium enforces it): the pages, the
admin and the API docs work under it without a single violation, the check-in form's
htmx button still appears and works (it used an inline hx-on handler before), and an
inline script slipped into a page does not run."""

from collections.abc import Iterator

import pytest

from tandem.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _unavailable
from tandem.e2e.steps import sign_in
from tandem.tests.factories import enroll, running_program

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIOLATION = "Content Security Policy"


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A page whose console messages are kept, to find policy violations."""
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_messages_seen = []
    page.on("console", lambda message: page.console_messages_seen.append(message.text))
    yield page
    context.close()


def violations(page) -> list[str]:
    return [text for text in page.console_messages_seen if VIOLATION in text]


def test_pages_admin_and_api_docs_run_without_violations(browser_page, program_admin):
    from playwright.sync_api import expect

    program_admin.is_staff = program_admin.is_superuser = True
    program_admin.save()
    page = browser_page
    sign_in(page, program_admin.username)
    for path in ["/", "/accounts/tokens/", "/accounts/audit/", "/people/", "/admin/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.goto("/api/v1/docs")
    # Swagger UI draws the operations only if its scripts ran under the policy.
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations(page) == []


def test_the_check_in_forms_htmx_button_appears_and_adds_a_row(browser_page, org):
    from playwright.sync_api import expect

    plan = enroll(running_program(name="Leading Teams"), org.report)
    page = browser_page
    sign_in(page, org.manager.user.username)
    page.goto(f"/programs/plans/{plan.pk}/check-ins/new/")
    add = page.get_by_role("button", name="Add another next step")
    expect(add).to_be_visible()
    rows = page.locator("#next-steps-rows > *")
    before = rows.count()
    add.click()
    expect(rows).to_have_count(before + 1)
    assert violations(page) == []


def test_an_injected_inline_script_does_not_run(browser_page, live_server):
    """As if a stored value escaped into a page: chromium refuses to run it."""
    page = browser_page

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</body>", "<script>window.injectedRan = true</script></body>"
        )
        route.fulfill(response=response, body=body)

    page.route("**/accounts/login/", inject)
    page.goto("/accounts/login/")
    assert page.evaluate("window.injectedRan === undefined")
    assert violations(page), "chromium should report the blocked script"
