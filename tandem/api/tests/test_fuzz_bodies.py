"""Bodies no schema describes, sent to every operation that takes one: JSON nested past
Python's recursion limit, bytes that are not UTF-8, a NUL character (PostgreSQL refuses
it in text), a body far larger than any form. Each gets a 4xx with a JSON `detail`, never
a 500; schemathesis (test_fuzz.py) only sends bodies its schemas allow."""

import re

import pytest

from tandem.api.testing import token_client
from tandem.api.urls import api

pytestmark = pytest.mark.fuzz

HOSTILE_BODIES = {
    "nested too deeply": b"[" * 100_000 + b"]" * 100_000,
    "not UTF-8": b'{"name": "\xff\xfe"}',
    "a NUL character": b'{"name": "a\\u0000b", "title": "\\u0000"}',
    "a bare string": b'"just text"',
    "larger than any form": b'{"name": "' + b"x" * 3_000_000 + b'"}',
}


def operations_with_a_body() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"post", "put", "patch"} and "requestBody" in operation
    )


@pytest.mark.parametrize("body", sorted(HOSTILE_BODIES))
def test_it_refuses_a_hostile_body_with_a_4xx_on_every_operation(db, program_admin, body):
    client = token_client(program_admin)
    answers = {}
    for method, path in operations_with_a_body():
        response = client.generic(
            method, path, HOSTILE_BODIES[body], content_type="application/json"
        )
        answers[f"{method} {path}"] = response.status_code
        if response.status_code < 500:
            assert 400 <= response.status_code < 500, (method, path, response.status_code)
            assert "detail" in response.json(), (method, path)
    assert {op: code for op, code in answers.items() if code >= 500} == {}
