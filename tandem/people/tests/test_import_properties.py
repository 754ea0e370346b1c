"""Property tests: whatever the file holds, the import returns problems or a summary,
never crashes, and never writes part of a file."""

import csv
import io

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tandem.accounts.models import AuditLog
from tandem.people.importing import people_import, read_and_validate
from tandem.people.models import JobChange, OrgUnit, Person

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
VALID = [
    ["H1", "Ana", "Silva", "ana@corp.example", "CEO", "senior", "", "Exec", "Lisbon", "2019-01-02"],
    ["H2", "Ben", "Okafor", "ben@corp.example", "VP", "mid", "H1", "Ops/Log", "Pune", "2020-02-03"],
    ["H3", "Chen", "Novak", "chen@corp.example", "Lead", "emerging", "H2", "Ops", "", "2021-03-04"],
    ["H4", "Dara", "Kim", "dara@corp.example", "", "IC", "H3", "Ops/Log", "", "2022-04-05"],
]
VALID = [[*cells, "", ""] for cells in VALID]

# Values that are sometimes right and sometimes subtly wrong for some column.
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "H1",
        "H2",
        "H4",
        "H9",
        "h1",
        "ana@corp.example",
        "ANA@corp.example",
        "not-an-email",
        "senior",
        "Mid-level manager",
        "boss",
        "voluntary",
        "Involuntary",
        "fired",
        "2018-01-01",
        "2030-12-31",
        "2020-02-30",
        "31/12/2020",
        "Ops/Log/Night",
        "/",
        "a,b",
        '"quoted"',
        "line\nbreak",
        "tab\there",
        "nul\x00byte",
        "x" * 130,
        "x" * 600,
        "Zoë 🚀",
        "=cmd|' /C calc'!A0",
    ]
)
CELL = st.one_of(TRICKY, st.text(max_size=20))


def counts():
    return [m.objects.count() for m in (Person, OrgUnit, JobChange, AuditLog)]


def to_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@st.composite
def mutated_files(draw):
    """A valid file with a few changes: odd values, values copied from another row
    (duplicates), managers pointed elsewhere (loops), a column dropped, a row repeated."""
    header = list(HEADER)
    rows = [list(cells) for cells in VALID]
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(HEADER) - 1))
        rows[target][column] = draw(
            st.one_of(
                CELL,
                st.sampled_from([cells[column] for cells in VALID]),
                st.sampled_from(["H1", "H2", "H3", "H4", "H5", ""]),
            )
        )
    if draw(st.integers(0, 4)) == 0:
        drop = draw(st.integers(0, len(header) - 1))
        del header[drop]
        rows = [cells[:drop] + cells[drop + 1 :] for cells in rows]
    if draw(st.integers(0, 4)) == 0:
        rows.append(draw(st.lists(CELL, min_size=0, max_size=14)))
    if draw(st.integers(0, 4)) == 0:
        rows.insert(0, list(rows[-1]))
    return to_csv(header, rows)


SETTINGS = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=mutated_files(), dry_run=st.booleans())
def test_it_never_crashes_or_writes_part_of_a_mutated_file(db, data, dry_run):
    before = counts()
    result = people_import(source=data, filename="people.csv", dry_run=dry_run, imported_by=None)
    event("problems" if result.problems else ("dry run" if dry_run else "written"))
    if result.problems or dry_run:
        assert counts() == before
        assert all(problem.message for problem in result.problems)
        return
    # Written: the database now holds every row of the file exactly as given.
    plan = read_and_validate(data, "people.csv")
    people = Person.objects.in_bulk([r.employee_id for r in plan.rows], field_name="employee_id")
    for r in plan.rows:
        person = people[r.employee_id]
        assert (person.email, person.level, person.hire_date) == (r.email, r.level, r.hire_date)
    assert counts()[3] == before[3] + 1


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from(["csv", "xlsx", "txt"]))
def test_it_never_crashes_on_random_bytes(db, data, suffix):
    before = counts()
    result = people_import(source=data, filename=f"f.{suffix}", dry_run=False, imported_by=None)
    if result.problems:
        assert counts() == before


@SETTINGS
@given(text=st.text(max_size=400))
def test_it_never_crashes_on_random_text(db, text):
    before = counts()
    result = people_import(
        source=text.encode("utf-8", "surrogatepass"),
        filename="people.csv",
        dry_run=False,
        imported_by=None,
    )
    if result.problems:
        assert counts() == before
