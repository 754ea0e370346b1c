"""Property tests on the instrument import (`tandem import_instrument FILE...` and
`Instrument.import_document`): whatever the file or document holds, the import lists
its problems or stores it; it never crashes with another exception, and a refused
import writes nothing in any table. Every valid document is accepted."""

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tandem.assessments.models import Instrument
from tandem.lib import instruments as rules

pytestmark = pytest.mark.django_db

BUILT_IN = Path(rules.__file__).resolve().parent.parent / "assessments" / "instruments"
DOCUMENTS = {path.stem: json.loads(path.read_text()) for path in sorted(BUILT_IN.glob("*.json"))}

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", " ", "\x00", "x" * 300, "sa-1", "Self-awareness", "style", "self"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def row_counts() -> dict[str, int]:
    """The number of rows in every table Tandem's models (and its libraries') keep."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def paths_in(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths_in(value, (*prefix, index))
    return found


@st.composite
def mutated_documents(draw):
    """A built-in instrument with a few values replaced, removed or added, anywhere."""
    document = copy.deepcopy(DOCUMENTS[draw(st.sampled_from(sorted(DOCUMENTS)))])
    document["version"] = draw(st.integers(2, 10**6))  # not the stored version 1
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths_in(document)[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        change = draw(st.sampled_from(["replace", "remove", "add"]))
        if change == "replace":
            parent[path[-1]] = draw(JSON_VALUE)
        elif change == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(JSON_VALUE)
        else:
            parent.append(draw(JSON_VALUE))
    return document


@SETTINGS
@given(document=mutated_documents())
def test_a_document_is_stored_or_refused_with_its_problems_and_nothing_written(document):
    problems = rules.validate(document)
    assert all(isinstance(problem, str) and problem for problem in problems)
    before = row_counts()
    try:
        instrument, created = Instrument.import_document(document)
    except ValidationError as error:
        event("refused")
        assert error.messages
        assert row_counts() == before
        return
    event("stored")
    assert problems == [] and created
    assert instrument.document == document


@SETTINGS
@given(
    name=st.sampled_from(sorted(DOCUMENTS)),
    key=st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6}){0,2}", fullmatch=True),
    version=st.integers(1, 10**6),
    title=st.text(
        st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=80
    ).filter(str.strip),
)
def test_every_valid_document_is_accepted(name, key, version, title):
    document = copy.deepcopy(DOCUMENTS[name])
    document.update(key=f"x-{key}", version=version, name=title.strip())
    assert rules.validate(document) == []
    with transaction.atomic():  # each example on the same database: undo what it stored
        instrument, created = Instrument.import_document(document)
        assert created and (instrument.key, instrument.version) == (f"x-{key}", version)
        # The same document again changes nothing: importing is idempotent.
        assert Instrument.import_document(document) == (instrument, False)
        transaction.set_rollback(True)


@SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
        mutated_documents().map(lambda document: json.dumps(document).encode()),
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf{}",
                b'{"key": "a", "key": "b"}',
                b"[]",
                b"null",
                b'{"kind": "style"}',
                b"NaN",
                b'{"version": 1e400}',
            ]
        ),
    )
)
def test_the_command_lists_problems_or_imports_never_crashes(tmp_path, content):
    path = tmp_path / "instrument.json"
    path.write_bytes(content)
    before = row_counts()
    try:
        call_command("import_instrument", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        event("refused")
        assert row_counts() == before
    else:
        event("imported")


def test_a_file_nested_too_deeply_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    with pytest.raises(CommandError):
        call_command("import_instrument", str(path))
