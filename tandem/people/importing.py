"""Importing the organization from the HRIS file (CSV or XLSX).

Rules:
- The whole file is checked before anything is written. Any problem rejects the file,
  and every problem is listed with its row (as a spreadsheet shows it: the header is
  row 1) and its column. Nothing is written, not even org units.
- People are matched on `employee_id`. A row that matches and says nothing new changes
  nothing, so re-importing a file is harmless. People missing from the file are left
  alone: an HRIS export may be partial; leavers are marked with an exit date.
- An optional column that is not in the file leaves that field as it is; a column that
  is there but empty clears it. `exit_date` and `exit_type` go together.
- Changes of level, title or unit go into the job history (effective today); a new
  exit date records an exit, a removed one a rehire.

Use `people_import()` for the whole workflow, or `read_and_validate()` then
`preview_import()` / `apply_import()`.
"""

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import PurePath
from typing import IO, Any, NamedTuple, TextIO, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from tandem.accounts.models import AuditAction, AuditLog
from tandem.lib.tabular import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    TableError,
    fold,
    match_columns,
    read_table,
)
from tandem.lib.uploads import check_upload
from tandem.people.models import (
    ChangeKind,
    ExitType,
    JobChange,
    Level,
    OrgUnit,
    Person,
    ReportingLine,
)

COLUMNS = (
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
)
REQUIRED = ("employee_id", "first_name", "last_name", "email", "level", "hire_date")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "employee_id": (
        "Employee ID",
        "Employee Number",
        "Employee No",
        "Employee #",
        "Emp ID",
        "Emp No",
        "Staff ID",
        "Staff Number",
        "Worker ID",
        "Person ID",
        "ID",
    ),
    "first_name": ("First Name", "Given Name", "Forename", "First"),
    "last_name": ("Last Name", "Surname", "Family Name", "Last"),
    "email": ("E-mail", "Email Address", "Work Email", "Work Email Address", "Business Email"),
    "title": ("Job Title", "Position", "Position Title"),
    "level": ("Leader Level", "Leadership Level", "Job Level", "Career Level"),
    "manager_employee_id": (
        "Manager ID",
        "Manager Employee ID",
        "Manager Employee Number",
        "Manager Emp ID",
        "Supervisor ID",
        "Supervisor Employee ID",
        "Line Manager ID",
        "Reports To",
        "Reports To ID",
    ),
    "org_unit": (
        "Org Unit",
        "Organization Unit",
        "Organisation Unit",
        "Org Unit Path",
        "Department",
        "Dept",
        "Team",
        "Unit",
        "Division",
    ),
    "location": ("Office", "Site", "Work Location"),
    "hire_date": ("Start Date", "Hire Date", "Date of Hire", "Date Hired", "Join Date"),
    "exit_date": (
        "Termination Date",
        "Term Date",
        "End Date",
        "Leaving Date",
        "Separation Date",
    ),
    "exit_type": ("Termination Type", "Term Type", "Separation Type", "Leaving Type"),
}

_LEVEL_SPELLINGS: dict[str, tuple[str, ...]] = {
    Level.INDIVIDUAL_CONTRIBUTOR: ("IC", "Individual Contributor", "Contributor"),
    Level.EMERGING: ("Emerging", "Emerging leader", "Emerging manager", "New leader"),
    Level.MID: ("Mid", "Mid-level", "Mid-level manager", "Middle manager", "Mid-level leader"),
    Level.SENIOR: ("Senior", "Senior executive", "Senior leader", "Executive"),
}
LEVELS_BY_KEY = {
    fold(spelling): level
    for level, spellings in _LEVEL_SPELLINGS.items()
    for spelling in (level, *spellings)
}
EXIT_TYPES_BY_KEY = {fold(value): value for value in ExitType.values}

BATCH_SIZE = 2000
# Below this many rows an import takes a moment, and a progress bar is only noise.
PROGRESS_MIN_ROWS = 1000
# The page lists at most this many problems; the command lists them all.
PAGE_PROBLEM_LIMIT = 1000


def _max_length(model: type[Person] | type[OrgUnit], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


_MAX_LENGTH = {
    name: _max_length(Person, name)
    for name in ("employee_id", "first_name", "last_name", "email", "title", "location")
}
_MAX_LENGTH["email"] = 254  # the longest address mail servers accept
_UNIT_NAME_MAX = _max_length(OrgUnit, "name")
_UNIT_PATH_MAX = _max_length(OrgUnit, "path")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file was rejected. `row` is the spreadsheet row (the header is
    row 1), None for the file as a whole; `column` is "" when no single column is at
    fault."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Row %(row)s") % {"row": self.row} if self.row else _("File")
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ImportRejected(Exception):
    """The file, or the database it would change, has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


@dataclass(slots=True)
class ImportRow:
    """One person as the file describes them. Fields that failed to parse are empty."""

    row: int
    employee_id: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    title: str = ""
    level: str = ""
    manager_employee_id: str = ""
    org_unit: str = ""  # "Operations/Logistics", parts stripped
    location: str = ""
    hire_date: date | None = None
    exit_date: date | None = None
    exit_type: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class ImportPlan:
    """A file read and checked against the database as it was at the time. Apply it
    with `apply_import()`, which checks the database again inside its transaction."""

    filename: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    columns: frozenset[str] = frozenset()
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


@dataclass
class ImportSummary:
    """What an import changed, or (with `dry_run`) would change."""

    filename: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: int = 0
    promotions: int = 0
    demotions: int = 0
    title_changes: int = 0
    transfers: int = 0
    terminated: int = 0
    rehired: int = 0
    org_units_created: int = 0
    history_recorded: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            _("Created: %(n)d") % {"n": self.created},
            _("Updated: %(n)d") % {"n": self.updated},
            _("Unchanged: %(n)d") % {"n": self.unchanged},
            _("Promotions: %(n)d") % {"n": self.promotions},
            _("Moves to a lower level: %(n)d") % {"n": self.demotions},
            _("Title changes: %(n)d") % {"n": self.title_changes},
            _("Transfers: %(n)d") % {"n": self.transfers},
            _("Terminated (exits recorded): %(n)d") % {"n": self.terminated},
            _("Rehired: %(n)d") % {"n": self.rehired},
            _("Org units created: %(n)d") % {"n": self.org_units_created},
            _("Not in the file, left unchanged: %(n)d") % {"n": self.not_in_file},
        ]
        if self.ignored_columns:
            lines.append(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(self.ignored_columns)}
            )
        return lines

    def audit_text(self) -> str:
        return (
            f"Imported {self.filename}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.promotions} promotions, "
            f"{self.terminated} exits, {self.org_units_created} org units created, "
            f"{self.not_in_file} not in the file"
        )


@dataclass
class ImportResult:
    """The outcome of `people_import()`: problems (nothing written) or a summary."""

    problems: list[Problem]
    summary: ImportSummary | None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def file_problems(self) -> list[Problem]:
        """Problems with the file as a whole (unreadable, empty, wrong type)."""
        return [problem for problem in self.problems if problem.row is None]

    @property
    def row_problems(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.row is not None]


# ---------------------------------------------------------------------------------------
# Reading and checking the file on its own


def read_and_validate(
    source: bytes | IO[bytes], filename: str, *, progress: TextIO | None = None
) -> ImportPlan:
    """Read the file and check it, row by row and against the database. Never writes.
    Problems are in `plan.problems`; the file is fit to import when there are none."""
    data = source if isinstance(source, bytes) else source.read()
    plan = ImportPlan(filename=PurePath(filename or "").name)
    try:
        table = read_table(data, filename)
    except TableError as error:
        plan.problems.append(Problem(None, "", str(error)))
        return plan

    match = match_columns(table.header, HEADER_ALIASES)
    header_row = table.header_row
    for column, headers in match.conflicts:
        plan.problems.append(
            Problem(
                header_row,
                column,
                _("The headers %(headers)s all mean %(column)s; keep only one of them.")
                % {"headers": ", ".join(f"“{h}”" for h in headers), "column": column},
            )
        )
    missing = [column for column in REQUIRED if column not in match.indexes]
    if missing:
        plan.problems.append(
            Problem(
                header_row,
                "",
                _("Missing required columns: %(missing)s. The header row needs: %(needed)s.")
                % {"missing": ", ".join(missing), "needed": ", ".join(REQUIRED)},
            )
        )
    columns = set(match.indexes)
    if columns & {"exit_date", "exit_type"}:
        columns |= {"exit_date", "exit_type"}
    plan.columns = frozenset(columns)
    plan.ignored_columns = match.unknown

    for number, cells in _progress(table.rows, progress, _("Checking rows")):
        plan.rows.append(_parse_row(number, cells, match.indexes, len(table.header), plan.problems))

    if "employee_id" in match.indexes:
        plan.problems.extend(_check_against(plan.rows, plan.columns, _load_snapshot()))
    order = {column: index for index, column in enumerate(COLUMNS)}
    plan.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, -1)))
    return plan


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if "T" in text or " " in text:
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            return None
    return None


def _parse_row(
    number: int,
    cells: list[str],
    indexes: dict[str, int],
    width: int,
    problems: list[Problem],
) -> ImportRow:
    row = ImportRow(row=number)
    failed: set[str] = set()

    def fail(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))
        failed.add(column)

    if len(cells) > width and any(cells[width:]):
        fail(
            "",
            _(
                "The row has %(cells)d cells but the header has %(width)d columns; "
                "a value may contain an unquoted comma."
            )
            % {"cells": len(cells), "width": width},
        )
    values: dict[str, str] = {}
    for column, index in indexes.items():
        value = cells[index] if index < len(cells) else ""
        if value and _CONTROL_CHARACTERS.search(value):
            fail(column, _("The value contains a control character (a tab, line break or NUL)."))
            value = ""
        values[column] = value

    for column in REQUIRED:
        if column in values and not values[column] and column not in failed:
            fail(column, _("%(column)s is empty; every row needs one.") % {"column": column})

    for column, limit in _MAX_LENGTH.items():
        value = values.get(column, "")
        if len(value) > limit:
            fail(
                column,
                _("The value is %(length)d characters long; at most %(limit)d fit.")
                % {"length": len(value), "limit": limit},
            )
            values[column] = ""

    row.employee_id = values.get("employee_id", "")
    row.first_name = values.get("first_name", "")
    row.last_name = values.get("last_name", "")
    row.title = values.get("title", "")
    row.location = values.get("location", "")

    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
            row.email = email
        except ValidationError:
            fail("email", _("“%(value)s” is not a valid email address.") % {"value": email})

    level = values.get("level", "")
    if level:
        row.level = LEVELS_BY_KEY.get(fold(level), "")
        if not row.level:
            fail(
                "level",
                _("“%(value)s” is not a level; use one of %(levels)s.")
                % {"value": level, "levels": ", ".join(Level.values)},
            )

    manager = values.get("manager_employee_id", "")
    if manager and manager == row.employee_id:
        fail("manager_employee_id", _("A person cannot be their own manager."))
    else:
        row.manager_employee_id = manager

    unit = values.get("org_unit", "")
    if unit:
        parts = [part.strip() for part in unit.split("/") if part.strip()]
        path = "/".join(parts)
        if not parts:
            fail("org_unit", _("“%(value)s” names no unit.") % {"value": unit})
        elif any(len(part) > _UNIT_NAME_MAX for part in parts) or len(path) > _UNIT_PATH_MAX:
            fail(
                "org_unit",
                _("Unit names are at most %(name)d characters, paths at most %(path)d.")
                % {"name": _UNIT_NAME_MAX, "path": _UNIT_PATH_MAX},
            )
        else:
            row.org_unit = path

    for column in ("hire_date", "exit_date"):
        text = values.get(column, "")
        if not text:
            continue
        parsed = _parse_date(text)
        if parsed is None:
            fail(
                column,
                _("“%(value)s” is not a date; write dates as YYYY-MM-DD (ISO 8601).")
                % {"value": text},
            )
        elif column == "hire_date":
            row.hire_date = parsed
        else:
            row.exit_date = parsed

    exit_type = values.get("exit_type", "")
    if exit_type:
        row.exit_type = EXIT_TYPES_BY_KEY.get(fold(exit_type), "")
        if not row.exit_type:
            fail(
                "exit_type",
                _("“%(value)s” is not an exit type; use voluntary or involuntary.")
                % {"value": exit_type},
            )
    exit_text = values.get("exit_date", "")
    if exit_type and not exit_text and "exit_date" not in failed:
        fail("exit_date", _("exit_type is set but exit_date is empty; give both or neither."))
    if exit_text and not exit_type and "exit_type" not in failed:
        fail(
            "exit_type", _("exit_date is set but exit_type is empty; say voluntary or involuntary.")
        )
    if row.hire_date and row.exit_date and row.exit_date < row.hire_date:
        fail(
            "exit_date",
            _("The exit date %(exit)s is before the hire date %(hire)s.")
            % {"exit": row.exit_date.isoformat(), "hire": row.hire_date.isoformat()},
        )
    return row


# ---------------------------------------------------------------------------------------
# Checking the file against the database


class _Existing(NamedTuple):
    pk: int
    employee_id: str
    first_name: str
    last_name: str
    email: str
    title: str
    level: str
    manager_id: int | None
    org_unit_id: int | None
    location: str
    hire_date: date
    exit_date: date | None
    exit_type: str
    user_id: int | None


@dataclass
class _Snapshot:
    people: dict[str, _Existing]
    employee_id_by_pk: dict[int, str]
    employee_id_by_email: dict[str, str]
    # casefolded path -> (pk, path as stored)
    units: dict[str, tuple[int, str]]
    unit_key_by_pk: dict[int, str]

    def manager_of(self, person: _Existing) -> str:
        if person.manager_id is None:
            return ""
        return self.employee_id_by_pk.get(person.manager_id, "")


def _load_snapshot() -> _Snapshot:
    people: dict[str, _Existing] = {}
    for values in (
        Person.objects.order_by().values_list(*_Existing._fields).iterator(chunk_size=BATCH_SIZE)
    ):
        person = _Existing(*values)
        people[person.employee_id] = person
    units: dict[str, tuple[int, str]] = {}
    unit_key_by_pk: dict[int, str] = {}
    for pk, path in OrgUnit.objects.order_by("pk").values_list("pk", "path"):
        key = path.casefold()
        units.setdefault(key, (pk, path))
        unit_key_by_pk[pk] = key
    return _Snapshot(
        people=people,
        employee_id_by_pk={p.pk: p.employee_id for p in people.values()},
        employee_id_by_email={p.email.casefold(): p.employee_id for p in people.values()},
        units=units,
        unit_key_by_pk=unit_key_by_pk,
    )


def _check_against(
    rows: list[ImportRow], columns: frozenset[str], snapshot: _Snapshot
) -> list[Problem]:
    """Problems that need the whole file or the database: duplicates, emails taken,
    unknown managers, loops in the reporting line, exits before hires."""
    problems: list[Problem] = []
    first_row: dict[str, ImportRow] = {}
    for row in rows:
        if not row.employee_id:
            continue
        earlier = first_row.get(row.employee_id)
        if earlier is not None:
            problems.append(
                Problem(
                    row.row,
                    "employee_id",
                    _("Employee id “%(id)s” is also on row %(other)d; each person appears once.")
                    % {"id": row.employee_id, "other": earlier.row},
                )
            )
            continue
        first_row[row.employee_id] = row

    # A row whose id is repeated still has its other cells checked: every problem
    # is listed at once, not one per attempt.
    email_rows: dict[str, ImportRow] = {}
    for row in rows:
        if not row.email:
            continue
        key = row.email.casefold()
        other = email_rows.get(key)
        if other is not None:
            problems.append(
                Problem(
                    row.row,
                    "email",
                    _("The email %(email)s is also on row %(other)d (employee %(id)s).")
                    % {"email": row.email, "other": other.row, "id": other.employee_id},
                )
            )
            continue
        email_rows[key] = row
        owner_id = snapshot.employee_id_by_email.get(key)
        if owner_id is not None and owner_id != row.employee_id:
            owner = snapshot.people[owner_id]
            problems.append(
                Problem(
                    row.row,
                    "email",
                    _(
                        "The email %(email)s already belongs to %(name)s (employee %(id)s) "
                        "in Tandem."
                    )
                    % {
                        "email": row.email,
                        "name": f"{owner.first_name} {owner.last_name}",
                        "id": owner_id,
                    },
                )
            )

    has_manager_column = "manager_employee_id" in columns
    if has_manager_column:
        for row in rows:
            manager = row.manager_employee_id
            if manager and manager not in first_row and manager not in snapshot.people:
                problems.append(
                    Problem(
                        row.row,
                        "manager_employee_id",
                        _(
                            "The manager “%(id)s” is not in the file and not in Tandem; "
                            "use the manager's employee id."
                        )
                        % {"id": manager},
                    )
                )

    problems.extend(_loops(first_row, snapshot, has_manager_column=has_manager_column))

    if "exit_date" not in columns:
        for row in first_row.values():
            existing = snapshot.people.get(row.employee_id)
            if (
                existing
                and existing.exit_date
                and row.hire_date
                and row.hire_date > existing.exit_date
            ):
                problems.append(
                    Problem(
                        row.row,
                        "hire_date",
                        _(
                            "The hire date %(hire)s is after the exit date %(exit)s on record; "
                            "add exit_date and exit_type columns to change the exit."
                        )
                        % {
                            "hire": row.hire_date.isoformat(),
                            "exit": existing.exit_date.isoformat(),
                        },
                    )
                )
    return problems


def _loops(
    rows: dict[str, ImportRow], snapshot: _Snapshot, *, has_manager_column: bool
) -> list[Problem]:
    """Each loop in the reporting line of the file merged with the database, once."""

    def manager_of(employee_id: str) -> str:
        row = rows.get(employee_id)
        if row is not None and has_manager_column:
            manager = row.manager_employee_id
        else:
            existing = snapshot.people.get(employee_id)
            manager = snapshot.manager_of(existing) if existing else ""
        if manager == employee_id or (manager not in rows and manager not in snapshot.people):
            return ""  # reported elsewhere (self-management, unknown manager)
        return manager

    def label(employee_id: str) -> str:
        row = rows.get(employee_id)
        if row is not None:
            return _("%(id)s %(name)s (row %(row)d)") % {
                "id": employee_id,
                "name": row.full_name,
                "row": row.row,
            }
        existing = snapshot.people[employee_id]
        return f"{employee_id} {existing.first_name} {existing.last_name}"

    problems: list[Problem] = []
    done: set[str] = set()
    for start in rows:
        if start in done:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        node = start
        while node and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = manager_of(node)
        if node and node in position:
            loop = path[position[node] :]
            in_file = [rows[n] for n in loop if n in rows]
            if in_file:
                names = " → ".join(label(n) for n in [*loop, loop[0]])
                problems.append(
                    Problem(
                        min(row.row for row in in_file),
                        "manager_employee_id",
                        _("The reporting line loops: %(names)s.") % {"names": names},
                    )
                )
        done.update(path)
    return problems


# ---------------------------------------------------------------------------------------
# Working out and writing the changes


_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "title",
    "level",
    "location",
    "hire_date",
    "exit_date",
    "exit_type",
)


@dataclass
class _Changes:
    new_people: list[Person] = field(default_factory=list)
    # A new person's manager who is new too, linked once both exist.
    new_managers: dict[str, str] = field(default_factory=dict)
    updated: list[Person] = field(default_factory=list)
    updated_fields: set[str] = field(default_factory=set)
    # An updated person's manager who is new, linked once they exist.
    updated_managers: dict[str, str] = field(default_factory=dict)
    history: list[JobChange] = field(default_factory=list)
    summary: ImportSummary = field(default_factory=ImportSummary)


def _units_needed(rows: list[ImportRow], snapshot: _Snapshot) -> list[tuple[str, str]]:
    """(key, path) of each unit the file names that does not exist yet, parents first."""
    needed: dict[str, str] = {}
    for row in rows:
        if not row.org_unit or row.org_unit.casefold() in snapshot.units:
            continue
        parts = row.org_unit.split("/")
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            key = path.casefold()
            if key not in snapshot.units:
                needed.setdefault(key, path)
    return sorted(needed.items(), key=lambda item: item[0].count("/"))


def _create_units(needed: list[tuple[str, str]], snapshot: _Snapshot) -> None:
    """Create the units (parents first) in one statement per depth, and add them to the
    snapshot. A new unit under an existing one takes the existing unit's spelling."""
    by_depth: dict[int, list[tuple[str, str]]] = {}
    for key, path in needed:
        by_depth.setdefault(key.count("/"), []).append((key, path))
    for depth in sorted(by_depth):
        units: list[OrgUnit] = []
        for key, path in by_depth[depth]:
            parent_key, _sep, _name = key.rpartition("/")
            name = path.rpartition("/")[2]
            parent = snapshot.units[parent_key] if parent_key else None
            units.append(
                OrgUnit(
                    name=name,
                    parent_id=parent[0] if parent else None,
                    path=f"{parent[1]}/{name}" if parent else name,
                )
            )
        OrgUnit.objects.bulk_create(units, batch_size=BATCH_SIZE)
        created = dict(
            OrgUnit.objects.filter(path__in=[u.path for u in units]).values_list("path", "pk")
        )
        for unit in units:
            pk = created[unit.path]
            snapshot.units[unit.path.casefold()] = (pk, unit.path)
            snapshot.unit_key_by_pk[pk] = unit.path.casefold()


def _plan_changes(
    plan: ImportPlan, snapshot: _Snapshot, unit_ids: dict[str, int], *, today: date
) -> _Changes:
    """The people to create and update and the history to record, as unsaved objects.
    `unit_ids` maps each unit key the file names to a unit id (negative placeholders
    stand for units a dry run would create)."""
    changes = _Changes()
    summary = changes.summary
    columns = plan.columns
    given = [name for name in _FIELDS if name in columns]
    has_manager = "manager_employee_id" in columns
    has_unit = "org_unit" in columns
    matched = 0
    for row in plan.rows:
        unit_id = unit_ids[row.org_unit.casefold()] if row.org_unit else None
        before = snapshot.people.get(row.employee_id)
        if before is None:
            assert row.hire_date is not None  # a checked plan has one on every row
            person = Person(
                employee_id=row.employee_id,
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                title=row.title,
                level=row.level,
                location=row.location,
                hire_date=row.hire_date,
                exit_date=row.exit_date,
                exit_type=row.exit_type,
                org_unit_id=unit_id,
            )
            manager = row.manager_employee_id
            existing_manager = snapshot.people.get(manager) if manager else None
            if existing_manager is not None:
                person.manager_id = existing_manager.pk
            elif manager:
                changes.new_managers[row.employee_id] = manager
            changes.new_people.append(person)
            changes.history.extend(person.history_since(None, effective=today))
            continue

        matched += 1
        changed = {name for name in given if getattr(row, name) != getattr(before, name)}
        if has_manager and row.manager_employee_id != snapshot.manager_of(before):
            changed.add("manager")
        if has_unit and unit_id != before.org_unit_id:
            changed.add("org_unit")
        if not changed:
            summary.unchanged += 1
            continue
        old = _person_from(before)
        person = _person_from(before)
        for name in given:
            setattr(person, name, getattr(row, name))
        if has_unit:
            person.org_unit_id = unit_id
        if "manager" in changed:
            manager = row.manager_employee_id
            existing_manager = snapshot.people.get(manager) if manager else None
            person.manager_id = existing_manager.pk if existing_manager else None
            if manager and existing_manager is None:
                changes.updated_managers[row.employee_id] = manager
        changes.updated.append(person)
        changes.updated_fields |= changed
        changes.history.extend(person.history_since(old, effective=today))

    summary.filename = plan.filename
    summary.rows = len(plan.rows)
    summary.created = len(changes.new_people)
    summary.updated = len(changes.updated)
    summary.not_in_file = len(snapshot.people) - matched
    summary.ignored_columns = plan.ignored_columns
    summary.history_recorded = len(changes.history)
    counters: dict[str, str] = {
        ChangeKind.PROMOTION: "promotions",
        ChangeKind.DEMOTION: "demotions",
        ChangeKind.TITLE_CHANGE: "title_changes",
        ChangeKind.TRANSFER: "transfers",
        ChangeKind.EXIT: "terminated",
        ChangeKind.REHIRE: "rehired",
    }
    for entry in changes.history:
        counter = counters.get(entry.kind)
        if counter:
            setattr(summary, counter, getattr(summary, counter) + 1)
    return changes


def _person_from(existing: _Existing) -> Person:
    return Person(**existing._asdict())


def preview_import(plan: ImportPlan) -> ImportSummary:
    """What `apply_import(plan)` would change, against the database as it is now.
    Writes nothing."""
    if not plan.is_valid:
        raise ImportRejected(plan.problems)
    snapshot = _load_snapshot()
    needed = _units_needed(plan.rows, snapshot)
    unit_ids = {key: pk for key, (pk, _path) in snapshot.units.items()}
    unit_ids.update({key: -n for n, (key, _path) in enumerate(needed, start=1)})
    changes = _plan_changes(plan, snapshot, unit_ids, today=timezone.localdate())
    changes.summary.org_units_created = len(needed)
    changes.summary.dry_run = True
    return changes.summary


def apply_import(
    plan: ImportPlan, *, imported_by: Any, progress: TextIO | None = None
) -> ImportSummary:
    """Write a checked plan in one transaction: units, people, managers, history and
    one audit entry. The database is checked again inside the transaction (it may
    have changed since the plan was made); on any problem nothing is written and
    ImportRejected is raised."""
    if not plan.is_valid:
        raise ImportRejected(plan.problems)
    with transaction.atomic():
        snapshot = _load_snapshot()
        problems = _check_against(plan.rows, plan.columns, snapshot)
        if problems:
            raise ImportRejected(problems)
        needed = _units_needed(plan.rows, snapshot)
        _create_units(needed, snapshot)
        unit_ids = {key: pk for key, (pk, _path) in snapshot.units.items()}
        changes = _plan_changes(plan, snapshot, unit_ids, today=timezone.localdate())
        changes.summary.org_units_created = len(needed)
        total = len(changes.new_people) + len(changes.updated) + len(changes.history)
        with _bar(total, progress, _("Writing")) as bar:
            _write(changes, snapshot, bar)
        AuditLog.objects.record(
            actor=imported_by,
            action=AuditAction.IMPORT,
            target_type=Person._meta.label_lower,
            summary=changes.summary.audit_text(),
        )
    return changes.summary


def _write(changes: _Changes, snapshot: _Snapshot, bar: Any) -> None:
    pk_by_employee_id = {p.employee_id: p.pk for p in snapshot.people.values()}
    # New people are created in waves, managers before their reports, so each
    # person is written once with their manager already known.
    pending = changes.new_people
    while pending:
        wave = [p for p in pending if p.employee_id not in changes.new_managers]
        later = [p for p in pending if p.employee_id in changes.new_managers]
        for batch in _batches(wave):
            Person.objects.bulk_create(batch)
            if batch[0].pk is None:  # a database that cannot return ids from a bulk insert
                ids = dict(
                    Person.objects.filter(employee_id__in=[p.employee_id for p in batch])
                    .order_by()
                    .values_list("employee_id", "pk")
                )
                for person in batch:
                    person.pk = ids[person.employee_id]
            bar.update(len(batch))
        for person in wave:
            pk_by_employee_id[person.employee_id] = person.pk
        for person in later:
            manager_pk = pk_by_employee_id.get(changes.new_managers[person.employee_id])
            if manager_pk is not None:
                person.manager_id = manager_pk
                del changes.new_managers[person.employee_id]
        if later and len(later) == len(pending):
            raise RuntimeError("unresolvable managers in a checked import")  # pragma: no cover
        pending = later

    for person in changes.updated:
        manager = changes.updated_managers.get(person.employee_id)
        if manager:
            person.manager_id = pk_by_employee_id[manager]
    fields = sorted(changes.updated_fields)
    for batch in _batches(changes.updated):
        Person.objects.bulk_update(batch, fields)
        bar.update(len(batch))
    for history_batch in _batches(changes.history):
        JobChange.objects.bulk_create(history_batch)
        bar.update(len(history_batch))
    if changes.new_people or "manager" in changes.updated_fields:
        ReportingLine.objects.rebuild()  # bulk writes bypass Person.save()


# ---------------------------------------------------------------------------------------
# The whole workflow, for the command and the page


def people_import(
    *,
    source: bytes | IO[bytes],
    filename: str,
    dry_run: bool,
    imported_by: Any,
    progress: TextIO | None = None,
) -> ImportResult:
    """Check the file and, unless `dry_run`, apply it. Returns every problem (and
    writes nothing) or the summary of what changed (or would change)."""
    plan = read_and_validate(source, filename, progress=progress)
    if not plan.is_valid:
        return ImportResult(problems=plan.problems, summary=None)
    try:
        if dry_run:
            return ImportResult(problems=[], summary=preview_import(plan))
        return ImportResult(
            problems=[], summary=apply_import(plan, imported_by=imported_by, progress=progress)
        )
    except ImportRejected as rejected:
        return ImportResult(problems=rejected.problems, summary=None)


class ImportPeopleForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HRIS file"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel workbook (.xlsx), one row per person, with a header row."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(CSV_SUFFIXES + XLSX_SUFFIXES)}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check the file and preview the changes, save nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Size, name and content are checked before any parsing (tandem.lib.uploads).
        check_upload(upload, kinds=("csv", "xlsx"), max_bytes=settings.TANDEM_MAX_IMPORT_BYTES)
        return upload


# ---------------------------------------------------------------------------------------

_T = TypeVar("_T")


def _batches(items: list[_T]) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield batch


def _bar(total: int, stream: TextIO | None, label: str) -> Any:
    return tqdm(
        total=total,
        desc=label,
        unit="rows",
        file=stream or sys.stderr,
        disable=stream is None or total < PROGRESS_MIN_ROWS,
        leave=False,
    )


def _progress(items: list[_T], stream: TextIO | None, label: str) -> Iterable[_T]:
    if stream is None or len(items) < PROGRESS_MIN_ROWS:
        return items
    return tqdm(items, desc=label, unit="rows", file=stream, leave=False, mininterval=0.25)
