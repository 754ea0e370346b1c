"""The access matrix: every page route in the URLconf and every operation in the
OpenAPI document, asked by every role (tandem/tests/access_world.py) about real
records, against the expectations in tandem/tests/access_matrix.py.

A cell is "allow" (2xx, or a redirect anywhere but the login page) or "deny"
(401/403/404/405, or the redirect to the login page). Reads (GET) are checked both
ways. Writes (POST/PUT/PATCH/DELETE) are checked on the deny side: every role the
rule leaves out is refused and the database's row counts do not move.

A route or operation without an entry fails the suite, and so does an entry whose
route is gone: the matrix cannot go stale."""

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tandem.api.urls import api
from tandem.tests.access_matrix import (
    API,
    API_PARAMS,
    API_PARAMS_BY_PREFIX,
    BAD_TOKEN,
    NAMES_SHOWN_TO_EVERYONE,
    PAGE_KWARGS,
    PAGES,
    SECRETS,
    Rule,
)
from tandem.tests.access_world import PARTICIPANT_SURNAME, ROLES, World, build_world

# Access rules are the same on both databases; the PostgreSQL leg's fuzzing covers
# what its stricter types could break. The matrix runs once, in the SQLite leg.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_leg]

# Rows that a refused request may rightly write: the audit of the attempt, the
# throttles' failure counters, sessions.
UNCOUNTED_TABLES = {
    "accounts_auditlog",
    "accounts_loginattempt",
    "accounts_tokenfailure",
    "django_session",
}
# Statuses by which a write is refused; 405 when the route has no such method.
REFUSED = {401, 403, 404, 405}


# --- the routes, read from the URLconf and the OpenAPI document ---------------------------


def _walk(patterns: Any, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, route, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), route


def api_operations() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) from the OpenAPI document."""
    found = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            found[operation["operationId"]] = (method.upper(), path)
    return found


def page_routes() -> dict[str, str]:
    """Named page routes: name -> route pattern. Not the Django admin (staff only, see
    below) nor the API's operations (read from the OpenAPI document instead); the API's
    own pages (the document, the docs) are pages."""
    operation_paths = {path for _, path in api_operations().values()}
    routes = {}
    for name, route in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        if "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in operation_paths:
            continue
        routes[name] = route
    return routes


# The admin's own sign-in and sign-out pages answer everyone.
ADMIN_PUBLIC = {"admin/login/", "admin/logout/"}


def admin_paths() -> list[str]:
    """Every route of the Django admin, with sample values for its parameters."""
    paths = set()
    for _, route in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") and "(?P<" not in route and route not in ADMIN_PUBLIC:
            paths.add("/" + re.sub(r"<(?:(\w+):)?\w+>", "1", route))
    return sorted(paths)


PAGE_ROUTES = page_routes()
API_OPERATIONS = api_operations()
ADMIN_PATHS = admin_paths()


# --- the world and the role's clients ------------------------------------------------------


class Matrix:
    def __init__(self, world: World) -> None:
        self.world = world
        self.pages: dict[str, Client] = {}
        self.apis: dict[str, Client] = {}
        for n, role in enumerate(ROLES):
            # One address per role: the token throttles count failures per address.
            address = f"10.0.0.{n + 1}"
            page = Client(REMOTE_ADDR=address)
            user = world.users[role]
            if user is not None:
                page.force_login(user)
            self.pages[role] = page
            if role in world.api_tokens:
                bearer = world.api_tokens[role]
            elif role == "rater":
                # A rater has no account: the link is all they hold; it opens no API.
                bearer = world.tokens["rater"]
            else:
                bearer = ""
            headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
            self.apis[role] = Client(REMOTE_ADDR=address, headers=headers)  # type: ignore[arg-type]
        self.cookies = {role: copy.deepcopy(client.cookies) for role, client in self.pages.items()}

    def restore_sessions(self) -> None:
        """Put back each role's session cookie: a request may have signed a role out."""
        for role, client in self.pages.items():
            client.cookies = copy.deepcopy(self.cookies[role])

    def value(self, key: str, role: str, rule: Rule) -> str:
        """The URL value for world key `key` as `role` would hold it."""
        if key.startswith("token:"):
            # "token:<which>@<holder>": only the holder has the real link.
            which, holder = key.removeprefix("token:").split("@")
            return self.world.tokens[which] if role == holder else BAD_TOKEN
        if key.startswith("="):
            return key[1:]
        return str(self.world.ids[key])


@pytest.fixture(scope="module")
def matrix(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Matrix]:
    """The world, built once for the module inside a transaction rolled back at the end;
    each test runs in a savepoint of it, so what one request writes no other sees."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield Matrix(build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _signed_in_again(request: Any) -> Iterator[None]:
    yield
    if "matrix" in request.fixturenames:
        request.getfixturevalue("matrix").restore_sessions()


def page_url(matrix: Matrix, name: str, role: str) -> str:
    rule = PAGES[name]
    route = PAGE_ROUTES[name]

    def fill(match: re.Match[str]) -> str:
        kwarg = match.group(2)
        key = rule.kwargs.get(kwarg) or PAGE_KWARGS.get(kwarg)
        assert key, f"{name}: no world record for <{kwarg}>; name one in access_matrix.py"
        return matrix.value(key, role, rule)

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def api_url(matrix: Matrix, operation: str, role: str) -> str:
    rule = API[operation]
    _, path = API_OPERATIONS[operation]

    def fill(match: re.Match[str]) -> str:
        param = match.group(1)
        by_prefix = [
            names[param]
            for prefix, names in sorted(API_PARAMS_BY_PREFIX.items())
            if path.startswith(prefix) and param in names
        ]
        key = rule.kwargs.get(param) or (by_prefix[-1] if by_prefix else API_PARAMS.get(param))
        assert key, f"{operation}: no world record for {{{param}}}; name one in access_matrix.py"
        return matrix.value(key, role, rule)

    return re.sub(r"\{(\w+)\}", fill, path)


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        to_login = (
            "/accounts/login/" in response["Location"] or "/admin/login/" in (response["Location"])
        )
        return "deny" if to_login else "allow"
    if 200 <= status < 300:
        return "allow"
    if status in REFUSED:
        return "deny"
    return f"error {status}"


def row_counts() -> tuple[int, ...]:
    """Rows in every table of the project, in one query."""
    tables = sorted(set(connection.introspection.table_names()) - UNCOUNTED_TABLES)
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue, quoted: nothing from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        sql = "SELECT " + counts
        cursor.execute(sql)
        return tuple(cursor.fetchone())


# --- the matrix can't go stale ----------------------------------------------------------------


def test_every_page_route_has_an_entry_and_every_entry_a_route():
    missing = sorted(set(PAGE_ROUTES) - set(PAGES))
    gone = sorted(set(PAGES) - set(PAGE_ROUTES))
    assert not missing, f"page routes with no entry in access_matrix.PAGES: {missing}"
    assert not gone, f"entries in access_matrix.PAGES for routes that are gone: {gone}"


def test_every_api_operation_has_an_entry_and_every_entry_an_operation():
    missing = sorted(set(API_OPERATIONS) - set(API))
    gone = sorted(set(API) - set(API_OPERATIONS))
    assert not missing, f"API operations with no entry in access_matrix.API: {missing}"
    assert not gone, f"entries in access_matrix.API for operations that are gone: {gone}"


def test_every_rule_names_only_known_roles_and_records(matrix):
    known = set(ROLES)
    for name, rule in {**PAGES, **API}.items():
        assert rule.read <= known and (rule.write or frozenset()) <= known, name
        for key in rule.kwargs.values():
            if not key.startswith(("token:", "=")):
                assert key in matrix.world.ids, (name, key)


# --- reads: both ways -------------------------------------------------------------------------


def _check_reads(matrix: Matrix, name: str, rule: Rule, url_for: Any, clients: Any) -> None:
    wrong = []
    for role in ROLES:
        url = url_for(role)
        response = clients[role].get(url)
        expected = "allow" if role in rule.read else "deny"
        got = "allow" if response.status_code in rule.reached else outcome(response)
        if got != expected:
            wrong.append(f"{role}: expected {expected}, got {got} ({response.status_code} {url})")
        if got == "allow":
            wrong.extend(f"{role}: {leak}" for leak in _secrets_shown(name, role, response))
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n in PAGES if n in PAGE_ROUTES))
def test_page_reads(matrix, name):
    _check_reads(matrix, name, PAGES[name], lambda role: page_url(matrix, name, role), matrix.pages)


READS = sorted(op for op, (method, _) in API_OPERATIONS.items() if method == "GET" and op in API)


@pytest.mark.parametrize("operation", READS)
def test_api_reads(matrix, operation):
    _check_reads(
        matrix,
        operation,
        API[operation],
        lambda role: api_url(matrix, operation, role),
        matrix.apis,
    )


def _secrets_shown(name: str, role: str, response: Any) -> list[str]:
    """The planted confidential markers in a response that `role` may not see."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    leaks = []
    for marker, readers in SECRETS.items():
        if role in readers or (marker == PARTICIPANT_SURNAME and name in NAMES_SHOWN_TO_EVERYONE):
            continue
        if marker.encode() in body:
            leaks.append(f"LEAK: the response shows {marker!r}")
    return leaks


# --- the Django admin: for staff only, and no role of the product is staff --------------


def test_the_admin_site_lets_no_role_in(matrix):
    for role in ROLES:
        response = matrix.pages[role].get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_every_admin_route_refuses_the_program_admin(matrix, path):
    """The program admin is the most privileged role of the product, yet not staff:
    Django's admin shows coaching notes' metadata and raw records, so it stays shut."""
    response = matrix.pages["admin"].get(path)
    assert response.status_code in (302, 404), (path, response.status_code)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"], path


# --- writes: every role left out is refused, and nothing is written ---------------------------


def _check_refused_writes(
    matrix: Matrix, name: str, rule: Rule, method: str, url_for: Any, clients: Any, body: Any
) -> None:
    allowed = rule.write if rule.write is not None else rule.read
    wrong = []
    before = row_counts()
    tried = []
    for role in ROLES:
        if role in allowed:
            continue
        url = url_for(role)
        tried.append(role)
        send = getattr(clients[role], method.lower())
        response = (
            send(url, body, content_type="application/json") if body is not None else (send(url))
        )
        if outcome(response) != "deny":
            wrong.append(f"{role}: not refused ({response.status_code} {url})")
    # One count for the whole row of roles keeps the matrix fast; a failure names them.
    if tried and row_counts() != before:
        wrong.append(f"rows written by a refused {method} (roles tried: {', '.join(tried)})")
    assert not wrong, f"{name} ({method}):\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n in PAGES if n in PAGE_ROUTES))
def test_page_writes_are_refused_to_everyone_else(matrix, name):
    _check_refused_writes(
        matrix,
        name,
        PAGES[name],
        "POST",
        lambda role: page_url(matrix, name, role),
        matrix.pages,
        None,
    )


WRITES = sorted(op for op, (method, _) in API_OPERATIONS.items() if method != "GET" and op in API)


@pytest.mark.parametrize("operation", WRITES)
def test_api_writes_are_refused_to_everyone_else(matrix, operation):
    method, _ = API_OPERATIONS[operation]
    _check_refused_writes(
        matrix,
        operation,
        API[operation],
        method,
        lambda role: api_url(matrix, operation, role),
        matrix.apis,
        API[operation].body if API[operation].body is not None else example_body(operation),
    )


# --- request bodies: valid in shape, so a refusal comes from the access check -------------

SCHEMA = api.get_openapi_schema()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = SCHEMA["components"]["schemas"][name]
    return schema


# Values for string patterns the schemas use (dates and times as text, colours).
PATTERN_SAMPLES = {
    r"^\d{4}-\d{2}-\d{2}$": "2030-01-07",
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$": "2030-01-07T10:00",
    r"^#[0-9a-fA-F]{6}$": "#336699",
}


def example_value(schema: dict[str, Any], name: str = "") -> Any:
    """The smallest value the schema accepts (required fields, minimum lengths)."""
    schema = _resolve(schema)
    if "const" in schema:
        return schema["const"]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o).get("type") != "null"]
            return example_value(options[0], name) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {field: example_value(schema["properties"][field], field) for field in required}
    if kind == "array":
        return [
            example_value(schema.get("items", {}), name) for _ in range(schema.get("minItems", 0))
        ]
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if name.endswith("time_zone"):
        return "UTC"
    if schema.get("pattern") in PATTERN_SAMPLES:
        return PATTERN_SAMPLES[schema["pattern"]]
    fmt = schema.get("format")
    if fmt == "date":
        return "2030-01-07"
    if fmt == "date-time":
        return "2030-01-07T10:00:00Z"
    if fmt == "email":
        return "someone@example.org"
    return "x" * max(1, schema.get("minLength", 1))


def example_body(operation: str) -> Any:
    method, path = API_OPERATIONS[operation]
    spec = SCHEMA["paths"][path][method.lower()]
    content = spec.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return example_value(content["application/json"]["schema"])


# --- the planted markers are really there: a leak check that never finds them proves nothing


@pytest.mark.parametrize(
    ("role", "name", "marker"),
    [
        ("participant", "coaching:session-detail", "COACHING-SECRET"),
        ("participant", "get_coaching_session_notes", "COACHING-SECRET"),
        ("participant", "coaching:journal-detail", "JOURNAL-SECRET"),
        ("participant", "mentoring:meeting-notes", "MENTEE-SECRET"),
        ("manager", "get_oneonone_private_note", "MANAGER-SECRET"),
        ("participant", "get_oneonone_private_note", "REPORT-SECRET"),
        ("manager", "people:person-detail", PARTICIPANT_SURNAME),
    ],
)
def test_the_planted_markers_show_to_whom_they_belong(matrix, role, name, marker):
    if name in PAGES:
        response = matrix.pages[role].get(page_url(matrix, name, role))
    else:
        response = matrix.apis[role].get(api_url(matrix, name, role))
    assert response.status_code == 200, (name, response.status_code)
    assert marker.encode() in response.content, (name, marker)
