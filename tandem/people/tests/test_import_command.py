"""`tandem import-people FILE [--dry-run]`."""

import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import AuditLog
from tandem.people.management.commands.import_people import Command
from tandem.people.models import JobChange, OrgUnit, Person

GOOD = (
    "employee_id,first_name,last_name,email,level,manager_employee_id,org_unit,hire_date\n"
    "C1,Ana,Silva,ana@corp.example,senior,,Sales/EMEA,2020-01-06\n"
    "C2,Ben,Okafor,ben@corp.example,Mid-level manager,C1,Sales/EMEA,2021-03-01\n"
)
BAD = (
    "employee_id,first_name,last_name,email,level,manager_employee_id,org_unit,hire_date\n"
    "C1,Ana,Silva,ana@corp.example,boss,,Sales/EMEA,2020-01-06\n"
    "C2,Ben,Okafor,not-an-email,mid,C9,Sales/EMEA,01/03/2021\n"
)


def counts():
    return [m.objects.count() for m in (Person, OrgUnit, JobChange, AuditLog)]


@pytest.fixture
def write(tmp_path):
    def write(text, name="people.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_it_imports_a_file_and_prints_a_summary(db, write, capsys):
    call_command("import_people", write(GOOD))
    out = capsys.readouterr().out
    assert "Imported people.csv." in out
    assert "Created: 2" in out
    assert "Org units created: 2" in out
    assert Person.objects.get(employee_id="C2").manager.employee_id == "C1"


def test_it_reports_unchanged_people_on_a_second_run(db, write, capsys):
    path = write(GOOD)
    call_command("import_people", path)
    call_command("import_people", path)
    out = capsys.readouterr().out.split("Imported people.csv.")[-1]
    assert "Created: 0" in out
    assert "Updated: 0" in out
    assert "Unchanged: 2" in out


def test_it_previews_without_writing_on_a_dry_run(db, write, capsys):
    call_command("import_people", write(GOOD), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out
    assert "nothing was written" in out
    assert "Created: 2" in out
    assert counts() == [0, 0, 0, 0]


def test_it_lists_every_problem_and_fails(db, write, capsys):
    with pytest.raises(CommandError, match="4 problem"):
        call_command("import_people", write(BAD))
    err = capsys.readouterr().err
    assert "Row 2, level: “boss” is not a level" in err
    assert "Row 3, email:" in err
    assert "Row 3, manager_employee_id:" in err
    assert "Row 3, hire_date:" in err
    assert counts() == [0, 0, 0, 0]


def test_it_exits_non_zero_on_problems(db, write, capsys, monkeypatch):
    # run_from_argv closes the connections on its way out; the test still needs its own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["tandem", "import_people", write(BAD)])
    assert exited.value.code != 0
    assert "nothing was imported" in capsys.readouterr().err
    assert counts() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("content", "name", "text"),
    [
        ("", "people.csv", "empty"),
        ("employee_id,first_name\n", "people.csv", "no rows"),
        ("a,b\n1,2\n", "people.json", "not a CSV or XLSX"),
        ("a,b\n1,2\n", "people.xlsx", "not an Excel workbook"),
    ],
)
def test_it_fails_clearly_on_an_unreadable_file(db, write, capsys, content, name, text):
    with pytest.raises(CommandError):
        call_command("import_people", write(content, name))
    assert text in capsys.readouterr().err
    assert counts() == [0, 0, 0, 0]


def test_it_fails_clearly_on_undecodable_bytes(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(b"employee_id,first_name\nE1,Jos\xe9\n")
    with pytest.raises(CommandError):
        call_command("import_people", str(path))
    assert "not UTF-8" in capsys.readouterr().err


def test_it_fails_clearly_on_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_people", str(tmp_path / "nope.csv"))
