"""A program's impact report at scale: a 100,000-person organization with three years
of history, twelve quarterly engagement pulses and one program of about 2,000
participants.

Target (issue 9): `tandem.insights.report.program_impact(program)` (comparison group,
team engagement before and after and pulse by pulse, retention curves and hazard
ratio, success criteria, ROI) under 3 s on SQLite. Reported: the median of 3 runs and
the peak memory of one more run under tracemalloc.

The data, built in a fresh SQLite database of its own (the other benchmarks' people
would otherwise join the comparison pool):
- org units four levels deep (company, 10 divisions, 100 departments, groups); a CEO,
  vice presidents, directors, group managers (10 teams each) and team leads of about 7
  individual contributors each;
- three years of history walked back from today per position: each holder's tenure
  is drawn from a 14 % yearly exit hazard (85 % of exits voluntary, so about 12 % a
  year), the position filled again a few weeks after each exit; some holders of leader
  positions were promoted into them (a promotion in their job history);
- 12 quarterly pulses, closed, about 75 % answering, scored by a model with a drift,
  team and person levels, noise and the program's effect on its participants' teams;
  closed through `pulses.pulse_close`, so the safe cells are the real ones;
- the program: ~2,000 team leads enrolled 15 months ago (those who left since are
  under-represented: the program keeps people), a plan and three goals each, success
  criteria on team engagement, retention and goal completion; cost lines, benefit
  lines, salary bands and ROI settings.
"""

import json
import math
import random
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy
from tqdm import tqdm

from bench.report import print_table, write_result

RUNS = 3
TARGET_SECONDS = 3.0
PARTICIPANTS = 2000
DIVISIONS = 10
DEPARTMENTS_PER_DIVISION = 10
TEAMS_PER_GROUP = 10
TEAM_CAPACITY = (5, 9)  # individual contributors a team is built for
HISTORY_YEARS = 3
EXIT_HAZARD = 0.14
VOLUNTARY_SHARE = 0.85
REFILL_DAYS = (14, 60)
PROMOTED_INTO = 0.4  # of leader positions' holders who started in the window
PULSES = 12
OPEN_DAYS = 14
RESPONSE_RATE = (0.65, 0.85)
PROGRAM_MONTHS_AGO = 15
PROGRAM_EFFECT = 5.0
EFFECT_RAMP_DAYS = 90
LEAVERS_KEPT = 0.6  # of participants who left since the start, the share enrolled
CHUNK = 20_000

IC, EMERGING, MID, SENIOR = "individual_contributor", "emerging", "mid", "senior"
BELOW = {EMERGING: IC, MID: EMERGING, SENIOR: MID}
TITLES = {IC: "Specialist", EMERGING: "Team Lead", MID: "Group Manager", SENIOR: "Vice President"}
ITEMS = ("expectations", "accomplishment", "growth", "manager_cares", "intent_to_stay")
ITEM_OFFSETS = numpy.array([0.15, 0.05, -0.1, -0.05, -0.15])


@dataclass
class _Position:
    pk: int
    level: str
    title: str
    unit: int
    manager: "_Position | None"
    holder: int = 0  # the current holder's person id


@dataclass
class _Person:
    pk: int
    position: _Position
    hired: date
    left: date | None = None
    exit_type: str = ""
    promoted_on: date | None = None  # into the position


@dataclass
class _Org:
    as_of: date
    units: list[tuple[int, str, int | None, str]] = field(default_factory=list)
    positions: list[_Position] = field(default_factory=list)
    people: list[_Person] = field(default_factory=list)


# --- the organization ----------------------------------------------------------------


def _structure(size: int, rng: random.Random, as_of: date) -> _Org:
    """Units and positions: size positions, every one held on `as_of`."""
    org = _Org(as_of)

    def unit(name: str, parent: tuple[int, str, int | None, str] | None) -> int:
        pk = len(org.units) + 1
        path = f"{parent[3]}/{name}" if parent else name
        org.units.append((pk, name, parent[0] if parent else None, path))
        return pk

    def position(level: str, title: str, unit_pk: int, manager: _Position | None) -> _Position:
        made = _Position(len(org.positions) + 1, level, title, unit_pk, manager)
        org.positions.append(made)
        return made

    root = unit("Bench Corp", None)
    ceo = position(SENIOR, "Chief Executive Officer", root, None)
    fixed = 1 + DIVISIONS + DIVISIONS * DEPARTMENTS_PER_DIVISION
    per_team = 1 + sum(TEAM_CAPACITY) / 2 + 1 / TEAMS_PER_GROUP  # lead, ICs, manager share
    teams = max(1, round((size - fixed) / per_team))
    groups = max(1, math.ceil(teams / TEAMS_PER_GROUP))
    departments: list[tuple[_Position, tuple[int, str, int | None, str]]] = []
    for d in range(1, DIVISIONS + 1):
        division = org.units[unit(f"Division {d}", org.units[root - 1]) - 1]
        vp = position(SENIOR, TITLES[SENIOR], division[0], ceo)
        for e in range(1, DEPARTMENTS_PER_DIVISION + 1):
            department = org.units[unit(f"Department {d}.{e}", division) - 1]
            departments.append((position(MID, "Director", department[0], vp), department))
    leads: list[_Position] = []
    for g in range(groups):
        director, department = departments[g % len(departments)]
        group = org.units[unit(f"Group {g + 1}", department) - 1]
        manager = position(MID, TITLES[MID], group[0], director)
        for _t in range(min(TEAMS_PER_GROUP, teams - len(leads))):
            leads.append(position(EMERGING, TITLES[EMERGING], group[0], manager))
    contributors = size - len(org.positions)
    capacity = [rng.randint(*TEAM_CAPACITY) for _ in leads]
    for lead in rng.choices(leads, weights=capacity, k=max(0, contributors)):
        position(IC, TITLES[IC], lead.unit, lead)
    return org


def _history(org: _Org, rng: random.Random) -> None:
    """Each position's holders, walking back from `as_of` until before the window."""
    window = org.as_of - timedelta(days=365 * HISTORY_YEARS)
    founded = org.as_of - timedelta(days=365 * 20)
    for position in org.positions:
        end: date | None = None  # the next holder's start (None: holds it today)
        while True:
            left = None if end is None else end - timedelta(days=rng.randint(*REFILL_DAYS))
            tenure = timedelta(days=max(30, int(rng.expovariate(EXIT_HAZARD) * 365)))
            started = max(founded, (left or org.as_of) - tenure)
            person = _Person(len(org.people) + 1, position, started, left)
            if left is not None:
                person.exit_type = "voluntary" if rng.random() < VOLUNTARY_SHARE else "involuntary"
            if position.level in BELOW and started > window and rng.random() < PROMOTED_INTO:
                person.promoted_on = started
                person.hired = started - timedelta(days=rng.randint(365, 6 * 365))
            org.people.append(person)
            if end is None:
                position.holder = person.pk
            if started <= window or started <= founded:
                break
            end = started


def _insert(
    table: str, columns: tuple[str, ...], rows: Any, total: int, desc: str, *, bar: bool = True
) -> None:
    """INSERT the rows with one prepared statement, in chunks (bulk_create compiles its
    SQL again for every small batch on SQLite)."""
    from django.db import connection

    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with (
        connection.cursor() as cursor,
        tqdm(total=total, desc=desc, unit="row", disable=not bar) as progress,
    ):
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                progress.update(len(chunk))
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            progress.update(len(chunk))


def _write_organization(org: _Org) -> None:
    from django.db import connection
    from django.utils import timezone

    day = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    _insert(
        "people_orgunit",
        ("id", "name", "parent_id", "path"),
        iter(org.units),
        len(org.units),
        "org units",
    )

    def holder_of(position: _Position | None) -> int | None:
        return position.holder if position is not None else None

    _insert(
        "people_person",
        (
            "id",
            "employee_id",
            "first_name",
            "last_name",
            "email",
            "title",
            "level",
            "manager_id",
            "org_unit_id",
            "location",
            "hire_date",
            "exit_date",
            "exit_type",
        ),
        (
            (
                p.pk,
                f"B{p.pk:07d}",
                "Bench",
                f"Person {p.pk}",
                f"person{p.pk}@bench.example",
                p.position.title,
                p.position.level,
                holder_of(p.position.manager),
                p.position.unit,
                "",
                day(p.hired),
                day(p.left),
                p.exit_type,
            )
            for p in org.people
        ),
        len(org.people),
        "people",
    )

    def history() -> Any:
        for p in org.people:
            level, title = p.position.level, p.position.title
            first_level = BELOW[level] if p.promoted_on else level
            first_title = TITLES[first_level] if p.promoted_on else title
            unit = p.position.unit
            yield (p.pk, "hire", day(p.hired), first_title, first_level, "", "", unit, "", now)
            if p.promoted_on:
                yield (
                    p.pk,
                    "promotion",
                    day(p.promoted_on),
                    title,
                    level,
                    first_title,
                    first_level,
                    unit,
                    "",
                    now,
                )
            if p.left:
                yield (
                    p.pk,
                    "exit",
                    day(p.left),
                    title,
                    level,
                    "",
                    "",
                    p.position.unit,
                    p.exit_type,
                    now,
                )

    changes = len(org.people) + sum(1 for p in org.people if p.left or p.promoted_on)
    _insert(
        "people_jobchange",
        (
            "person_id",
            "kind",
            "effective_date",
            "title",
            "level",
            "previous_title",
            "previous_level",
            "org_unit_id",
            "exit_type",
            "recorded_at",
        ),
        history(),
        changes,
        "job history",
    )


# --- pulses ------------------------------------------------------------------------


def _pulse_days(as_of: date) -> list[date]:
    from tandem.insights.pulses import add_months

    last = as_of.replace(day=1)
    while last + timedelta(days=OPEN_DAYS) >= as_of:
        last = add_months(last, -1)
    return [add_months(last, -3 * back) for back in range(PULSES - 1, -1, -1)]


def _write_pulses(org: _Org, participants: set[int], start: date, seed: int) -> int:
    """12 closed pulses; returns the number of responses."""
    from django.db import connection, transaction

    from tandem.assessments.tokens import expiry_for
    from tandem.insights import pulses
    from tandem.insights.models import Pulse, PulseStatus

    generator = numpy.random.default_rng(seed)
    rng = random.Random(seed)
    people = org.people
    count = len(people)
    person_level = generator.normal(0, 5, count + 1)
    enps_lean = generator.normal(0, 1.5, count + 1)
    team_level = generator.normal(0, 3, len(org.positions) + 1)
    team_rate = generator.uniform(*RESPONSE_RATE, len(org.positions) + 1)
    hired = numpy.array([p.hired.toordinal() for p in people])
    left = numpy.array([p.left.toordinal() if p.left else 10**7 for p in people])
    pks = numpy.array([p.pk for p in people])
    lead_position = numpy.array(
        [p.position.manager.pk if p.position.manager else 0 for p in people]
    )
    lead_person = numpy.array(
        [p.position.manager.holder if p.position.manager else 0 for p in people]
    )
    treated = numpy.isin(lead_person, numpy.fromiter(participants, dtype=numpy.int64))
    units = [p.position.unit for p in people]
    levels = [p.position.level for p in people]
    responses = 0
    drift = 0.0
    for day in tqdm(_pulse_days(org.as_of), desc="pulses", unit="pulse"):
        drift += rng.gauss(0.3, 1.0)
        pulse = Pulse.objects.create(
            name=pulses.next_pulse_name(day, 3),
            opens_on=day,
            closes_on=day + timedelta(days=OPEN_DAYS),
            status=PulseStatus.OPEN,
        )
        asked = numpy.flatnonzero((hired <= day.toordinal()) & (left > day.toordinal()))
        answered = generator.random(len(asked)) < team_rate[lead_position[asked]]
        ramp = min(1.0, max(0.0, (day - start).days / EFFECT_RAMP_DAYS))
        latent = (
            66
            + drift
            + team_level[lead_position[asked]]
            + person_level[pks[asked]]
            + PROGRAM_EFFECT * ramp * treated[asked]
            + generator.normal(0, 6, len(asked))
        )
        items = numpy.clip(
            numpy.rint(
                1
                + 4 * latent[:, None] / 100
                + ITEM_OFFSETS[None, :]
                + generator.normal(0, 0.55, (len(asked), len(ITEMS)))
            ),
            1,
            5,
        ).astype(int)
        index = (items.mean(axis=1) - 1) / 4 * 100
        enps = numpy.clip(
            numpy.rint(
                7.9
                + (latent - 66) / 16
                + enps_lean[pks[asked]]
                + generator.normal(0, 0.9, len(asked))
            ),
            0,
            10,
        ).astype(int)
        expires = connection.ops.adapt_datetimefield_value(expiry_for(pulse.closes_on))
        # One transaction a pulse: in autocommit, SQLite would commit every row.
        with transaction.atomic():
            _insert(
                "insights_pulseinvitation",
                ("pulse_id", "person_id", "token_hash", "expires_at", "used"),
                (
                    (pulse.pk, int(pks[i]), f"{rng.getrandbits(256):064x}", expires, bool(used))
                    for i, used in zip(asked, answered, strict=True)
                ),
                len(asked),
                "links",
                bar=False,
            )
            chosen = numpy.flatnonzero(answered)
            order = list(chosen)
            rng.shuffle(order)  # response ids must not follow the links' order
            _insert(
                "insights_pulseresponse",
                (
                    "pulse_id",
                    "team_lead_id",
                    "org_unit_id",
                    "level",
                    "answers",
                    "index",
                    "enps",
                    "own_team_cell",
                ),
                (
                    (
                        pulse.pk,
                        int(lead_person[asked[j]]) or None,
                        units[asked[j]],
                        levels[asked[j]],
                        json.dumps(dict(zip(ITEMS, items[j].tolist(), strict=True))),
                        float(index[j]),
                        int(enps[j]),
                        False,  # set when the pulse closes
                    )
                    for j in order
                ),
                len(order),
                "answers",
                bar=False,
            )
            Pulse.objects.filter(pk=pulse.pk).update(invited=len(asked))
        pulses.pulse_close(pulse=pulse)
        responses += len(order)
    return responses


# --- the program -------------------------------------------------------------------


def _write_program(org: _Org, rng: random.Random, start: date) -> tuple[Any, set[int]]:
    from django.contrib.auth import get_user_model

    from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
    from tandem.people.models import Objective
    from tandem.programs.models import (
        CostCategory,
        CostLine,
        DevelopmentPlan,
        Enrollment,
        EnrollmentStatus,
        Goal,
        GoalStatus,
        Metric,
        PlanCycle,
        Program,
        ProgramKind,
        ProgramStatus,
        Stage,
        SuccessCriterion,
    )

    owner = get_user_model().objects.create_user("bench-impact", "bench-impact@example.com", "x")
    program = Program.objects.create(
        name="Bench Leaders Program",
        kind=ProgramKind.BLENDED,
        target_levels=[EMERGING],
        start_date=start,
        end_date=start + timedelta(days=540),
        owner=owner,
        budget=Decimal("1500000"),
        status=ProgramStatus.RUNNING,
        launched_at=datetime.combine(start, datetime.min.time(), tzinfo=UTC),
    )
    # Team leads on the start day; those who left since are enrolled less often.
    leads = [
        p
        for p in org.people
        if p.position.level == EMERGING and p.hired <= start and (p.left is None or p.left > start)
    ]
    weights = [LEAVERS_KEPT if p.left else 1.0 for p in leads]
    chosen: dict[int, _Person] = {}
    while len(chosen) < min(PARTICIPANTS, len(leads)):
        for person in rng.choices(leads, weights=weights, k=PARTICIPANTS):
            if len(chosen) < PARTICIPANTS:
                chosen.setdefault(person.pk, person)
    at = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            program=program,
            person_id=pk,
            status=EnrollmentStatus.WITHDRAWN if person.left else EnrollmentStatus.ACTIVE,
            enrolled_at=at,
            status_changed_at=at,
        )
        for pk, person in sorted(chosen.items())
    )
    plans = DevelopmentPlan.objects.bulk_create(
        DevelopmentPlan(enrollment=e, person_id=e.person_id, created_at=at) for e in enrollments
    )
    cycles = PlanCycle.objects.bulk_create(
        PlanCycle(plan=plan, number=1, stage=Stage.APPLY, started_on=start) for plan in plans
    )
    objective = Objective.objects.create(title="Grow our leaders from within")
    statuses = [GoalStatus.ACHIEVED, GoalStatus.IN_PROGRESS, GoalStatus.DROPPED]

    def goal(cycle: PlanCycle, n: int) -> Goal:
        status = rng.choices(statuses, weights=(0.55, 0.35, 0.1))[0]
        return Goal(
            cycle=cycle,
            title=f"Development goal {n}",
            measure="Agreed with my manager",
            objective=objective,
            due_date=start + timedelta(days=120 * n),
            status=status,
            progress=100 if status == GoalStatus.ACHIEVED else rng.randint(0, 90),
        )

    Goal.objects.bulk_create(
        (goal(cycle, n) for cycle in cycles for n in (1, 2, 3)), batch_size=2000
    )
    measure_by = start + timedelta(days=365)
    for metric, baseline, target, unit in (
        (Metric.TEAM_ENGAGEMENT, "66", "70", "points"),
        (Metric.PARTICIPANT_RETENTION, "88", "92", "%"),
        (Metric.GOAL_COMPLETION_RATE, "45", "60", "%"),
    ):
        SuccessCriterion.objects.create(
            program=program,
            metric=metric,
            baseline=Decimal(baseline),
            target=Decimal(target),
            unit=unit,
            measure_by=measure_by,
        )
    for category, description, amount in (
        (CostCategory.FACILITATION, "Workshop series, 80 cohorts", 640_000),
        (CostCategory.COACHING, "Group coaching", 900_000),
        (CostCategory.MATERIALS, "360 reviews and materials", 120_000),
        (CostCategory.PARTICIPANT_TIME, "Participants' time in workshops", 1_020_000),
        (CostCategory.PLATFORM_ADMIN, "Program administration", 150_000),
    ):
        CostLine.objects.create(
            program=program,
            category=category,
            description=description,
            amount=Decimal(amount),
            incurred_on=start,
        )
    for description, value, attribution, confidence in (
        ("Faster ramp-up of new team members", 2_400_000, 40, 70),
        ("Fewer escalations", 600_000, 50, 60),
    ):
        BenefitLine.objects.create(
            program=program,
            description=description,
            value=Decimal(value),
            attribution_percent=Decimal(attribution),
            confidence_percent=Decimal(confidence),
            estimator="Bench",
            basis="Generated",
        )
    Intangible.objects.create(program=program, description="A shared language for feedback")
    ImpactSettings.objects.create(
        program=program,
        loaded_hourly_cost=Decimal("85"),
        replacement_cost_percent=Decimal("50"),
        benefit_months=12,
    )
    for level, midpoint in ((IC, 52_000), (EMERGING, 68_000), (MID, 88_000), (SENIOR, 135_000)):
        SalaryBand.objects.create(level=level, annual_midpoint=Decimal(midpoint))
    return program, set(chosen)


# --- running ------------------------------------------------------------------------


def _fresh_sqlite(path: Path) -> str:
    """Point the default connection at a new SQLite file and migrate it; returns the
    previous file's name, to point back to afterwards."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    previous = str(connection.settings_dict["NAME"])
    connection.settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0)
    return previous


def _populate(size: int, as_of: date, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from tandem.people.models import ReportingLine

    rng = random.Random(seed)
    org = _structure(size, rng, as_of)
    _history(org, rng)
    start = as_of - timedelta(days=round(PROGRAM_MONTHS_AGO * 30.44))
    with transaction.atomic():
        _write_organization(org)
    with transaction.atomic():
        ReportingLine.objects.rebuild()
    with transaction.atomic():
        program, participants = _write_program(org, rng, start)
    responses = _write_pulses(org, participants, start, seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "program": program,
        "people": len(org.people),
        "active": sum(1 for p in org.people if p.left is None),
        "voluntary_exits": sum(1 for p in org.people if p.exit_type == "voluntary"),
        "org_units": len(org.units),
        "participants": len(participants),
        "responses": responses,
    }


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(*, size: int = 100_000, work_dir: Path, seed: int = 9) -> dict[str, Any]:
    from django.db import connection

    from tandem.insights import report

    if connection.vendor != "sqlite":
        print("\nImpact report: SQLite only (it builds a database of its own); skipped.")
        return {}
    previous = _fresh_sqlite(work_dir / "impact-bench.sqlite3")
    try:
        as_of = date.today()
        started = time.perf_counter()
        facts = _populate(size, as_of, seed)
        setup = time.perf_counter() - started
        program = facts.pop("program")

        def compute() -> Any:
            return report.program_impact(program, on=as_of)

        try:
            impact = compute()  # a first run warms the caches (lifelines, pandas)
        except NotImplementedError:
            print("\nImpact report: program_impact is not written yet; nothing timed.")
            return {}
        times = [_timed(compute) for _ in range(RUNS)]
        tracemalloc.start()
        compute()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous
    median = statistics.median(times)
    team = next((e for e in impact.effects if e.key == "team_engagement"), None)
    rows = [
        {
            "step": "program_impact (median)",
            "seconds": round(median, 2),
            "runs": ", ".join(f"{t:.2f}" for t in times),
            "peak_mib": round(peak / 2**20, 1),
        }
    ]
    print_table(
        f"Program impact: {facts['active']:,} people today ({facts['people']:,} in 3 years), "
        f"{facts['participants']:,} participants, {PULSES} pulses, "
        f"{facts['responses']:,} answers (SQLite); median of {RUNS}, target "
        f"{TARGET_SECONDS:.0f} s",
        rows,
    )
    payload = {
        "database": "sqlite",
        **facts,
        "comparison": impact.comparison,
        "setup_seconds": round(setup, 1),
        "seconds": [round(t, 3) for t in times],
        "median_seconds": round(median, 3),
        "peak_memory_mib": round(peak / 2**20, 1),
        "team_engagement_effect": str(team.estimate) if team else None,
        "hazard_ratio": str(impact.retention.hazard_ratio),
        "target_seconds": TARGET_SECONDS,
        "within_target": median < TARGET_SECONDS,
    }
    path = write_result("impact", payload)
    print(f"written {path}")
    return payload
