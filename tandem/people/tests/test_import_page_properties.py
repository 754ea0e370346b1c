"""Property tests on the HRIS upload page (/people/import/) and on XLSX files, beside
test_import_properties.py (which fuzzes the CSV rows): whatever is uploaded, the page
answers 200 or 400 with the problems, never a 500; a refused upload writes nothing in
any table; a valid organization, in CSV or XLSX, is accepted whole."""

import csv
import datetime
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tandem.people.importing import people_import
from tandem.people.models import Level, Person
from tandem.people.tests.test_import_properties import CELL, HEADER, VALID, mutated_files

pytestmark = pytest.mark.django_db
URL = "/people/import/"

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def row_counts() -> dict[str, int]:
    """The number of rows in every table Tandem's models (and its libraries') keep."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Cells as a spreadsheet holds them: numbers, dates, booleans, formulas, text.
XLSX_CELL = st.one_of(
    # openpyxl refuses control characters in a cell: no workbook can hold them.
    CELL.filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text) and not text.startswith("=")),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(datetime.date(1900, 3, 1), datetime.date(2100, 1, 1)),
    st.datetimes(datetime.datetime(1900, 3, 1), datetime.datetime(2100, 1, 1)),
    st.sampled_from(["=1+1", "=A1", "=HYPERLINK(1)"]),
)


@st.composite
def mutated_workbooks(draw):
    rows = [list(HEADER), *[list(cells) for cells in VALID]]
    for _ in range(draw(st.integers(0, 4))):
        target = draw(st.integers(0, len(rows) - 1))
        rows[target][draw(st.integers(0, len(HEADER) - 1))] = draw(XLSX_CELL)
    if draw(st.booleans()):
        rows.append(draw(st.lists(XLSX_CELL, max_size=14)))
    return xlsx(rows)


@st.composite
def organizations(draw):
    """A valid HRIS file's rows: unique ids and emails, every manager earlier in the file."""
    size = draw(st.integers(1, 8))
    names = st.text(
        st.characters(whitelist_categories=["L"], max_codepoint=0x2FF), min_size=1, max_size=20
    )
    rows = []
    for n in range(size):
        manager = "" if n == 0 else f"P{draw(st.integers(0, n - 1))}"
        rows.append(
            {
                "employee_id": f"P{n}",
                "first_name": draw(names),
                "last_name": draw(names),
                "email": f"p{n}@corp.example",
                "level": draw(st.sampled_from(Level.values)),
                "manager_employee_id": manager,
                "hire_date": draw(
                    st.dates(datetime.date(1990, 1, 1), datetime.date(2025, 12, 31))
                ).isoformat(),
            }
        )
    return rows


@pytest.fixture
def admin_client(client, program_admin):
    client.force_login(program_admin)
    return client


@SETTINGS
@given(
    content=st.one_of(mutated_files(), mutated_workbooks(), st.binary(max_size=200), st.just(b"")),
    name=st.sampled_from(["people.csv", "people.xlsx", "people.CSV", "people.txt", "people", ""]),
    dry_run=st.booleans(),
)
def test_the_page_never_crashes_and_a_refused_upload_writes_nothing(
    admin_client, content, name, dry_run
):
    data = {"file": SimpleUploadedFile(name or "x", content), "dry_run": "on" if dry_run else ""}
    if not name:
        data["file"] = ""  # no file chosen at all
    with transaction.atomic():
        before = row_counts()
        response = admin_client.post(URL, data)
        event(f"answered {response.status_code}")
        assert response.status_code in (200, 400)
        if response.status_code == 400 or dry_run:
            assert row_counts() == before
        transaction.set_rollback(True)


@SETTINGS
@given(content=mutated_workbooks(), dry_run=st.booleans())
def test_a_workbook_is_imported_whole_or_refused_with_nothing_written(content, dry_run):
    with transaction.atomic():
        before = row_counts()
        result = people_import(
            source=content, filename="people.xlsx", dry_run=dry_run, imported_by=None
        )
        event("problems" if result.problems else "accepted")
        if result.problems or dry_run:
            assert all(problem.message for problem in result.problems)
            assert row_counts() == before
        transaction.set_rollback(True)


@SETTINGS
@given(rows=organizations(), as_xlsx=st.booleans())
def test_every_valid_organization_is_accepted_whole(admin_client, rows, as_xlsx):
    header = list(rows[0])
    if as_xlsx:
        content, name = xlsx([header, *[list(row.values()) for row in rows]]), "people.xlsx"
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        content, name = out.getvalue().encode(), "people.csv"
    with transaction.atomic():
        response = admin_client.post(URL, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, response.context.get("problems")
        people = Person.objects.in_bulk(
            [row["employee_id"] for row in rows], field_name="employee_id"
        )
        assert len(people) == len(rows)
        for row in rows:
            person = people[row["employee_id"]]
            assert (person.first_name, person.level) == (row["first_name"], row["level"])
            manager = person.manager.employee_id if person.manager else ""
            assert manager == row["manager_employee_id"]
        transaction.set_rollback(True)
