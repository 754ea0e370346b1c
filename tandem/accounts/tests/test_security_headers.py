"""The Content Security Policy: every HTML page carries it (the pages, the admin, the
API docs, error pages), and no template could need more than it allows — no inline
script, no on*= handler, no hx-on or javascript: URL, so an injected one never runs."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tandem.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "tandem" / "templates"]
# Email bodies and PDFs are not pages a browser runs: their inline styles are fine,
# but they may not hold scripts either, so they are scanned too.
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""<[^>]*\s(on[a-z]+|hx-on[:\-][^\s=]*)\s*=""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(directory.rglob("*.html"))


def inline_scripts(html: str) -> list[str]:
    """Script tags that would run code written in the page (not a file, not JSON data)."""
    return [
        attrs
        for attrs in SCRIPT_TAG.findall(html)
        if "src=" not in attrs and 'type="application/json"' not in attrs
    ]


def test_the_policy_allows_only_our_own_scripts():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("template", list(templates()), ids=lambda p: str(p.name))
def test_no_template_has_inline_script_or_handlers(template):
    html = template.read_text()
    assert inline_scripts(html) == [], f"{template}: move the script into tandem/static/*.js"
    assert not HANDLER.search(html), f"{template}: an inline event handler; use tandem.js"
    assert not JAVASCRIPT_URL.search(html), f"{template}: a javascript: URL"


def test_the_scan_finds_what_it_forbids():
    assert inline_scripts("<script>alert(1)</script>") == [""]
    assert inline_scripts('<script src="/static/x.js" defer></script>') == []
    assert HANDLER.search('<button onclick="go()">')
    assert HANDLER.search('<button hx-on::after-request="go()">')
    assert not HANDLER.search('<button data-htmx-reveal hx-get="/x">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')


def plain_urls():
    """Every URL in the URLconf that takes no argument (the ones a GET can reach)."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
                yield "/" + route.lstrip("^").rstrip("$").replace("\\", "")

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_html_page_carries_the_policy(program_admin):
    admin = Client()
    program_admin.is_staff = program_admin.is_superuser = True
    program_admin.save()
    admin.force_login(program_admin)
    seen = 0
    for url in [*plain_urls(), "/no-such-page/", "/assessments/rate/unknown/"]:
        for client in (admin, Client()):
            response = client.get(url)
            if response.headers.get("Content-Type", "").startswith("text/html"):
                seen += 1
                assert response.headers.get("Content-Security-Policy") == (
                    CONTENT_SECURITY_POLICY
                ), url
    assert seen > 40  # the walk really reached the pages


def test_the_api_docs_run_under_the_same_policy(program_admin):
    """django-ninja's Swagger UI loads its scripts from files and its settings as JSON
    data, so it needs no exception to the policy."""
    client = Client()
    client.force_login(program_admin)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert inline_scripts(html) == []
    assert not HANDLER.search(html)


def test_json_and_files_carry_no_page_policy(program_admin):
    client = Client()
    client.force_login(program_admin)
    response = client.get("/api/v1/me")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Content-Security-Policy" not in response


def test_every_response_has_the_other_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
