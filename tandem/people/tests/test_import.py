"""The HRIS import: checking the file (every problem, nothing written) and applying it."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.importing import (
    ImportRejected,
    apply_import,
    people_import,
    preview_import,
    read_and_validate,
)
from tandem.people.models import ChangeKind, JobChange, OrgUnit, Person
from tandem.tests.factories import OrgUnitFactory, PersonFactory

HEADER = [
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "title",
    "level",
    "manager_employee_id",
    "org_unit",
    "location",
    "hire_date",
    "exit_date",
    "exit_type",
]


def row(employee_id, **fields):
    values = {
        "employee_id": employee_id,
        "first_name": "First" + employee_id,
        "last_name": "Last" + employee_id,
        "email": f"{employee_id.lower()}@corp.example",
        "title": "Analyst",
        "level": "individual_contributor",
        "manager_employee_id": "",
        "org_unit": "Operations",
        "location": "Lisbon",
        "hire_date": "2020-01-06",
        "exit_date": "",
        "exit_type": "",
    }
    values.update(fields)
    return values


def csv_bytes(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return out.getvalue().encode()


def base_rows():
    return [
        row("T1", first_name="Ada", last_name="Top", level="senior", title="CEO", org_unit="Exec"),
        row(
            "T2",
            first_name="Bo",
            last_name="Mid",
            level="mid",
            title="Head of Logistics",
            manager_employee_id="T1",
            org_unit="Operations/Logistics",
        ),
        row(
            "T3",
            first_name="Cy",
            last_name="Lead",
            level="emerging",
            title="Team lead",
            manager_employee_id="T2",
            org_unit="Operations/Logistics",
        ),
        row("T4", first_name="Di", manager_employee_id="T3", org_unit="Operations/Logistics"),
        row("T5", first_name="Ed", manager_employee_id="T3", org_unit="Operations/Logistics"),
    ]


def counts():
    return {
        "people": Person.objects.count(),
        "units": OrgUnit.objects.count(),
        "history": JobChange.objects.count(),
        "audit": AuditLog.objects.count(),
    }


def run(data, name="people.csv", *, dry_run=False, by=None):
    return people_import(source=data, filename=name, dry_run=dry_run, imported_by=by)


def assert_rejected(data, *, row, column, text, name="people.csv"):
    """The import fails naming `row`, `column` and `text`, and writes nothing."""
    before = counts()
    result = run(data, name)
    assert result.summary is None
    matching = [
        p for p in result.problems if p.row == row and p.column == column and text in p.message
    ]
    assert matching, [str(p) for p in result.problems]
    assert str(matching[0]).startswith(f"Row {row}, {column}: " if column else f"Row {row}: ")
    assert counts() == before
    return result


# --- problems in the file: each one named, nothing written ---------------------------------


def test_it_lists_missing_required_columns_once(db):
    data = csv_bytes([row("T1")], header=["employee_id", "first_name", "title"])
    result = assert_rejected(data, row=1, column="", text="last_name, email, level, hire_date")
    assert sum("Missing required columns" in p.message for p in result.problems) == 1


def test_it_rejects_an_empty_required_value(db):
    rows = base_rows()
    rows[1]["last_name"] = ""
    assert_rejected(csv_bytes(rows), row=3, column="last_name", text="last_name is empty")


def test_it_rejects_a_bad_email(db):
    rows = base_rows()
    rows[2]["email"] = "cy at corp"
    assert_rejected(csv_bytes(rows), row=4, column="email", text="not a valid email")


def test_it_rejects_a_duplicate_employee_id(db):
    rows = [*base_rows(), row("T2", email="other@corp.example")]
    assert_rejected(csv_bytes(rows), row=7, column="employee_id", text="also on row 3")


def test_it_still_checks_the_other_cells_of_a_row_with_a_repeated_id(db):
    rows = [*base_rows(), row("T5", email="t1@corp.example", manager_employee_id="NOBODY")]
    result = assert_rejected(csv_bytes(rows), row=7, column="employee_id", text="also on row 6")
    columns = {p.column for p in result.problems if p.row == 7}
    assert columns == {"employee_id", "email", "manager_employee_id"}


def test_it_rejects_a_duplicate_email_in_the_file(db):
    rows = base_rows()
    rows[4]["email"] = "T4@CORP.example"
    assert_rejected(csv_bytes(rows), row=6, column="email", text="also on row 5 (employee T4)")


def test_it_rejects_an_email_of_another_person_in_the_database(org):
    rows = base_rows()
    rows[0]["email"] = org.manager.email
    assert_rejected(
        csv_bytes(rows),
        row=2,
        column="email",
        text=f"already belongs to Max Manager (employee {org.manager.employee_id})",
    )


def test_it_accepts_the_same_email_for_the_same_employee(org):
    rows = [row(org.manager.employee_id, email=org.manager.email.upper(), level="mid")]
    result = run(csv_bytes(rows, header=[c for c in HEADER if c != "manager_employee_id"]))
    assert result.ok, result.problems


def test_it_rejects_an_unknown_manager(db):
    rows = base_rows()
    rows[3]["manager_employee_id"] = "NOBODY"
    assert_rejected(
        csv_bytes(rows), row=5, column="manager_employee_id", text="“NOBODY” is not in the file"
    )


def test_it_accepts_a_manager_who_is_only_in_the_database(org):
    rows = [row("N1", manager_employee_id=org.manager.employee_id)]
    result = run(csv_bytes(rows))
    assert result.ok, result.problems
    assert Person.objects.get(employee_id="N1").manager == org.manager


def test_it_rejects_a_loop_in_the_file_naming_the_people(db):
    rows = base_rows()
    rows[0]["manager_employee_id"] = "T3"  # T1 -> T3 -> T2 -> T1
    result = assert_rejected(
        csv_bytes(rows), row=2, column="manager_employee_id", text="reporting line loops"
    )
    message = next(p.message for p in result.problems if "loops" in p.message)
    for name in ("T1 Ada Top (row 2)", "T2 Bo Mid (row 3)", "T3 Cy Lead (row 4)"):
        assert name in message
    assert sum("loops" in p.message for p in result.problems) == 1


def test_it_rejects_a_loop_through_the_database(org):
    ceo = org.ceo
    rows = [
        row(
            ceo.employee_id,
            first_name=ceo.first_name,
            last_name=ceo.last_name,
            email=ceo.email,
            level="senior",
            manager_employee_id=org.report.employee_id,
        )
    ]
    result = assert_rejected(
        csv_bytes(rows), row=2, column="manager_employee_id", text="reporting line loops"
    )
    assert "Rita Report" in result.problems[0].message
    assert "Max Manager" in result.problems[0].message


def test_it_rejects_self_management(db):
    rows = base_rows()
    rows[2]["manager_employee_id"] = "T3"
    assert_rejected(csv_bytes(rows), row=4, column="manager_employee_id", text="their own manager")


@pytest.mark.parametrize("value", ["06/01/2020", "2020-13-01", "yesterday", "2020-02-30"])
def test_it_rejects_a_bad_date(db, value):
    rows = base_rows()
    rows[1]["hire_date"] = value
    assert_rejected(csv_bytes(rows), row=3, column="hire_date", text="YYYY-MM-DD")


def test_it_rejects_an_unknown_level(db):
    rows = base_rows()
    rows[1]["level"] = "Boss"
    assert_rejected(csv_bytes(rows), row=3, column="level", text="“Boss” is not a level")


def test_it_rejects_an_exit_type_without_an_exit_date(db):
    rows = base_rows()
    rows[4]["exit_type"] = "voluntary"
    assert_rejected(csv_bytes(rows), row=6, column="exit_date", text="exit_date is empty")


def test_it_rejects_an_exit_date_without_an_exit_type(db):
    rows = base_rows()
    rows[4]["exit_date"] = "2024-05-01"
    assert_rejected(csv_bytes(rows), row=6, column="exit_type", text="exit_type is empty")


def test_it_rejects_an_unknown_exit_type(db):
    rows = base_rows()
    rows[4].update(exit_date="2024-05-01", exit_type="retired")
    assert_rejected(csv_bytes(rows), row=6, column="exit_type", text="not an exit type")


def test_it_rejects_an_exit_before_the_hire(db):
    rows = base_rows()
    rows[4].update(exit_date="2019-05-01", exit_type="voluntary")
    assert_rejected(csv_bytes(rows), row=6, column="exit_date", text="before the hire date")


def test_it_rejects_a_hire_after_the_exit_on_record_when_the_file_has_no_exit_columns(db):
    PersonFactory(employee_id="X1", hire_date="2018-01-01", exit_date="2019-01-01")
    data = csv_bytes([row("X1", email="x1@corp.example")], header=HEADER[:10])
    assert_rejected(data, row=2, column="hire_date", text="after the exit date")


def test_it_rejects_overlong_values(db):
    rows = base_rows()
    rows[0]["title"] = "x" * 201
    assert_rejected(csv_bytes(rows), row=2, column="title", text="at most 200")


def test_it_rejects_a_row_with_more_cells_than_the_header(db):
    data = csv_bytes(base_rows()) + b"T9,A,B,t9@corp.example,,mid,,,,2020-01-01,,,extra\n"
    assert_rejected(data, row=7, column="", text="13 cells but the header has 12 columns")


def test_it_lists_every_problem_of_the_file_and_writes_nothing(db):
    OrgUnitFactory(name="Existing")
    rows = base_rows()
    rows[0]["email"] = "bad"
    rows[1]["level"] = "Boss"
    rows[2]["hire_date"] = "soon"
    rows[3]["manager_employee_id"] = "NOBODY"
    rows[4]["org_unit"] = "Brand/New"
    before = counts()
    result = run(csv_bytes(rows))
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "email"),
        (3, "level"),
        (4, "hire_date"),
        (5, "manager_employee_id"),
    ]
    assert counts() == before  # not even the new units


@pytest.mark.parametrize(
    ("data", "name", "text"),
    [
        (b"", "people.csv", "empty"),
        (b"employee_id,first_name\n", "people.csv", "no rows"),
        (b"hello", "people.txt", "not a CSV or XLSX"),
        (b"employee_id,first_name\n\xff\xfe,A\n", "people.csv", "not UTF-8"),
        (b"employee_id,first_name\nE1,A\n", "people.xlsx", "not an Excel workbook"),
    ],
)
def test_it_rejects_an_unreadable_file(db, data, name, text):
    before = counts()
    result = run(data, name)
    assert result.summary is None
    assert len(result.problems) == 1
    assert result.problems[0].row is None
    assert text in result.problems[0].message
    assert str(result.problems[0]).startswith("File: ")
    assert counts() == before


# --- applying a clean file --------------------------------------------------------------


def test_it_imports_a_clean_file(program_admin):
    result = run(csv_bytes(base_rows()), by=program_admin)
    assert result.ok, result.problems
    summary = result.summary
    assert (summary.created, summary.updated, summary.unchanged) == (5, 0, 0)
    assert summary.org_units_created == 3
    t4 = Person.objects.select_related("manager", "org_unit").get(employee_id="T4")
    assert t4.manager.employee_id == "T3"
    assert t4.org_unit.path == "Operations/Logistics"
    assert t4.org_unit.parent.path == "Operations"
    assert t4.hire_date == datetime.date(2020, 1, 6)
    assert Person.objects.get(employee_id="T1").manager is None
    assert set(OrgUnit.objects.values_list("path", flat=True)) == {
        "Exec",
        "Operations",
        "Operations/Logistics",
    }
    assert set(JobChange.objects.values_list("kind", flat=True)) == {ChangeKind.HIRE}
    assert JobChange.objects.count() == 5
    entry = AuditLog.objects.get()
    assert entry.action == AuditAction.IMPORT
    assert entry.actor == program_admin
    assert "5 created" in entry.summary


def test_it_creates_managers_listed_after_their_reports(db):
    rows = list(reversed(base_rows()))
    assert run(csv_bytes(rows)).ok
    chain = Person.objects.get(employee_id="T5").management_chain()
    assert [p.employee_id for p in chain] == ["T3", "T2", "T1"]


def test_it_records_an_exit_for_someone_who_arrives_with_one(db):
    rows = base_rows()
    rows[4].update(exit_date="2024-05-01", exit_type="Involuntary")
    summary = run(csv_bytes(rows)).summary
    assert summary.terminated == 1
    exit_entry = JobChange.objects.exits().get()
    assert exit_entry.person.employee_id == "T5"
    assert exit_entry.exit_type == "involuntary"
    assert exit_entry.effective_date == datetime.date(2024, 5, 1)


def test_it_changes_nothing_when_the_same_file_is_imported_again(db):
    data = csv_bytes(base_rows())
    run(data)
    history = JobChange.objects.count()
    summary = run(data).summary
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5)
    assert JobChange.objects.count() == history
    assert AuditLog.objects.count() == 2  # one entry per import


def test_it_records_promotions_title_changes_transfers_and_terminations(db):
    run(csv_bytes(base_rows()))
    before_ids = set(JobChange.objects.values_list("pk", flat=True))
    rows = base_rows()
    rows[1]["level"] = "senior"  # T2 promoted
    rows[2]["title"] = "Senior team lead"  # T3 new title, same level
    rows[3]["org_unit"] = "Operations/Support"  # T4 transferred
    rows[4].update(exit_date="2025-02-28", exit_type="voluntary")  # T5 leaves
    summary = run(csv_bytes(rows)).summary
    assert (summary.created, summary.updated, summary.unchanged) == (0, 4, 1)
    assert (summary.promotions, summary.title_changes, summary.transfers) == (1, 1, 1)
    assert summary.terminated == 1
    assert summary.org_units_created == 1
    new = JobChange.objects.exclude(pk__in=before_ids).select_related("person")
    today = timezone.localdate()
    assert sorted((c.person.employee_id, c.kind, c.effective_date) for c in new) == [
        ("T2", ChangeKind.PROMOTION, today),
        ("T3", ChangeKind.TITLE_CHANGE, today),
        ("T4", ChangeKind.TRANSFER, today),
        ("T5", ChangeKind.EXIT, datetime.date(2025, 2, 28)),
    ]
    promotion = new.get(kind=ChangeKind.PROMOTION)
    assert (promotion.previous_level, promotion.level) == ("mid", "senior")
    assert Person.objects.get(employee_id="T4").org_unit.path == "Operations/Support"
    t5 = Person.objects.get(employee_id="T5")
    assert (t5.exit_date, t5.exit_type) == (datetime.date(2025, 2, 28), "voluntary")


def test_it_records_a_rehire_when_the_exit_date_is_removed(db):
    rows = base_rows()
    rows[4].update(exit_date="2024-05-01", exit_type="voluntary")
    run(csv_bytes(rows))
    summary = run(csv_bytes(base_rows())).summary
    assert summary.rehired == 1
    assert JobChange.objects.filter(kind=ChangeKind.REHIRE, person__employee_id="T5").exists()
    assert Person.objects.get(employee_id="T5").exit_date is None


def test_it_links_an_existing_person_to_a_new_manager(db):
    run(csv_bytes(base_rows()))
    rows = base_rows()
    rows[4]["manager_employee_id"] = "T6"
    rows.append(row("T6", manager_employee_id="T2", level="emerging"))
    summary = run(csv_bytes(rows)).summary
    assert (summary.created, summary.updated) == (1, 1)
    assert Person.objects.get(employee_id="T5").manager.employee_id == "T6"
    # A new manager alone is not a job change.
    assert not JobChange.objects.filter(person__employee_id="T5").exclude(kind="hire").exists()


def test_it_leaves_people_who_are_not_in_the_file_alone(org):
    summary = run(csv_bytes(base_rows())).summary
    assert summary.not_in_file == 5
    org.report.refresh_from_db()
    assert org.report.manager == org.manager
    assert org.report.exit_date is None


def test_it_leaves_fields_of_missing_optional_columns_as_they_are(db):
    run(csv_bytes(base_rows()))
    header = ["employee_id", "first_name", "last_name", "email", "level", "hire_date"]
    summary = run(csv_bytes(base_rows(), header=header)).summary
    assert (summary.updated, summary.unchanged) == (0, 5)
    t4 = Person.objects.get(employee_id="T4")
    assert (t4.title, t4.location, t4.manager.employee_id) == ("Analyst", "Lisbon", "T3")


def test_it_clears_a_field_whose_column_is_present_but_empty(db):
    run(csv_bytes(base_rows()))
    rows = base_rows()
    rows[3]["manager_employee_id"] = ""
    rows[3]["location"] = ""
    assert run(csv_bytes(rows)).summary.updated == 1
    t4 = Person.objects.get(employee_id="T4")
    assert (t4.manager, t4.location) == (None, "")


def test_it_matches_existing_units_ignoring_case_and_spaces(db):
    operations = OrgUnitFactory(name="Operations")
    rows = [row("U1", org_unit=" operations / Night Shift ")]
    summary = run(csv_bytes(rows)).summary
    assert summary.org_units_created == 1
    unit = Person.objects.get(employee_id="U1").org_unit
    assert (unit.path, unit.parent) == ("Operations/Night Shift", operations)


def test_it_reads_a_csv_with_a_byte_order_mark(db):
    data = b"\xef\xbb\xbf" + csv_bytes(base_rows())
    result = run(data)
    assert result.ok, result.problems
    assert Person.objects.filter(employee_id="T1").exists()


def test_it_accepts_common_header_spellings(db):
    header = [
        "Employee Number",
        "Given name",
        "Surname",
        "E-mail",
        "Job Title",
        "Level",
        "Supervisor ID",
        "Department",
        "Office",
        "Start Date",
        "Termination Date",
        "Termination Type",
    ]
    rows = base_rows()
    rows[4].update(exit_date="2024-01-31", exit_type="voluntary")
    data = csv_bytes([{h: r[c] for h, c in zip(header, HEADER, strict=True)} for r in rows], header)
    result = run(data)
    assert result.ok, result.problems
    t5 = Person.objects.get(employee_id="T5")
    assert (t5.first_name, t5.email, t5.manager.employee_id) == ("Ed", "t5@corp.example", "T3")
    assert (t5.org_unit.path, t5.exit_type) == ("Operations/Logistics", "voluntary")


@pytest.mark.parametrize(
    ("alias", "level"),
    [
        ("IC", "individual_contributor"),
        ("Individual Contributor", "individual_contributor"),
        ("Emerging leader", "emerging"),
        ("Mid-level manager", "mid"),
        ("MID", "mid"),
        ("Senior executive", "senior"),
        ("senior", "senior"),
    ],
)
def test_it_accepts_spellings_of_levels(db, alias, level):
    assert run(csv_bytes([row("L1", level=alias)])).ok
    assert Person.objects.get(employee_id="L1").level == level


def test_it_imports_an_xlsx_workbook(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "First Name", "Last Name", "Work Email", "Level", "Hire Date"])
    sheet.append([1001, "Ana", "Silva", "ana@corp.example", "Senior executive", None])
    sheet["F2"] = datetime.datetime(2021, 4, 1)
    sheet.append([1002, "Ben", "Okafor", "ben@corp.example", "IC", "2022-02-14"])
    out = io.BytesIO()
    workbook.save(out)
    result = run(out.getvalue(), "people.xlsx")
    assert result.ok, result.problems
    ana = Person.objects.get(employee_id="1001")
    assert (ana.level, ana.hire_date) == ("senior", datetime.date(2021, 4, 1))
    assert Person.objects.get(employee_id="1002").hire_date == datetime.date(2022, 2, 14)


def test_it_reports_xlsx_problems_with_spreadsheet_row_numbers(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["employee_id", "first_name", "last_name", "email", "level", "hire_date"])
    sheet.append(["E1", "Ana", "Silva", "ana@corp.example", "senior", "2021-04-01"])
    sheet.append([])
    sheet.append(["E2", "Ben", "Okafor", "not-an-email", "senior", "2021-04-01"])
    out = io.BytesIO()
    workbook.save(out)
    assert_rejected(out.getvalue(), row=4, column="email", text="not a valid", name="p.xlsx")


def test_it_reports_ignored_columns(db):
    header = [*HEADER, "Favourite colour"]
    summary = run(csv_bytes(base_rows(), header=header)).summary
    assert summary.ignored_columns == ["Favourite colour"]


# --- dry run, plans and transactions ----------------------------------------------------


def test_it_writes_nothing_on_a_dry_run(db):
    run(csv_bytes(base_rows()))
    rows = base_rows()
    rows[1]["level"] = "senior"
    rows[4].update(exit_date="2025-02-28", exit_type="voluntary")
    rows.append(row("T6", org_unit="Brand/New"))
    before = counts()
    summary = run(csv_bytes(rows), dry_run=True).summary
    assert summary.dry_run
    assert (summary.created, summary.updated, summary.unchanged) == (1, 2, 3)
    assert (summary.promotions, summary.terminated, summary.org_units_created) == (1, 1, 2)
    assert counts() == before


def test_it_checks_the_database_again_when_applying_a_plan(db):
    plan = read_and_validate(csv_bytes(base_rows()), "people.csv")
    assert plan.is_valid
    PersonFactory(employee_id="Z9", email="t3@corp.example")  # arrives in the meantime
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        apply_import(plan, imported_by=None)
    assert rejected.value.problems[0].row == 4
    assert counts() == before


def test_it_refuses_to_apply_or_preview_a_plan_with_problems(db):
    plan = read_and_validate(b"employee_id\nE1\n", "people.csv")
    with pytest.raises(ImportRejected):
        apply_import(plan, imported_by=None)
    with pytest.raises(ImportRejected):
        preview_import(plan)


def test_it_writes_nothing_when_writing_fails_halfway(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(JobChange.objects, "bulk_create", fail)
    before = counts()
    with pytest.raises(RuntimeError):
        run(csv_bytes(base_rows()))
    assert counts() == before


def test_it_uses_a_fixed_number_of_queries_whatever_the_size(db, django_assert_max_num_queries):
    rows = [row("Q0", level="senior")] + [
        row(f"Q{n}", manager_employee_id=f"Q{(n - 1) // 4}", org_unit=f"Unit {n % 7}/Team {n % 3}")
        for n in range(1, 300)
    ]
    with django_assert_max_num_queries(60):
        assert run(csv_bytes(rows)).ok
    assert Person.objects.count() == 300


def test_it_shows_a_progress_bar_for_a_large_file(db):
    rows = [row(f"P{n}") for n in range(1200)]
    stream = io.StringIO()
    plan = read_and_validate(csv_bytes(rows), "people.csv", progress=stream)
    assert "Checking rows" in stream.getvalue()
    stream = io.StringIO()
    apply_import(plan, imported_by=None, progress=stream)
    assert "Writing" in stream.getvalue()
    assert Person.objects.count() == 1200
