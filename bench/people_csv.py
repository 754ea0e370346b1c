"""A deterministic HRIS file of N people for the import benchmark: a management tree
with spans of about eight, four levels, units as paths and some leavers."""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

COLUMNS = [
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
_FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
]
_LAST = [
    "Silva",
    "Okafor",
    "Novak",
    "Tanaka",
    "Haddad",
    "Larsen",
    "Moreau",
    "Kowalski",
    "Nguyen",
    "Fischer",
    "Costa",
    "Ibrahim",
    "Rossi",
    "Kim",
    "Mendes",
    "Olsen",
]
_UNITS = [
    "Engineering/Platform",
    "Engineering/Product",
    "Sales/EMEA",
    "Sales/Americas",
    "Operations/Logistics",
    "Operations/Support",
    "Finance",
    "People",
    "Marketing",
]
_LEVEL_BY_DEPTH = ["senior", "senior", "mid", "emerging"]


def write_people_csv(path: Path, size: int, *, seed: int = 7) -> Path:
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        depth = {0: 0}
        for n in range(size):
            manager = None if n == 0 else (n - 1) // 8
            depth[n] = 0 if manager is None else depth[manager] + 1
            level = _LEVEL_BY_DEPTH[depth[n]] if depth[n] < 4 else "individual_contributor"
            if n and rng.random() < 0.3 and level != "senior":
                level = "individual_contributor"
            hire = start + timedelta(days=rng.randrange(0, 3650))
            leaver = n > 1000 and rng.random() < 0.05
            exit_on = min(hire + timedelta(days=rng.randrange(30, 900)), date(2026, 1, 1))
            exit_date = exit_on if leaver else None
            writer.writerow(
                [
                    f"B{n:07d}",
                    rng.choice(_FIRST),
                    rng.choice(_LAST),
                    f"person{n}@bench.example",
                    f"{level.replace('_', ' ').title()} {n % 13}",
                    level,
                    "" if manager is None else f"B{manager:07d}",
                    rng.choice(_UNITS),
                    rng.choice(["Lisbon", "Austin", "Pune", "Berlin"]),
                    hire.isoformat(),
                    exit_date.isoformat() if exit_date else "",
                    rng.choice(["voluntary", "involuntary"]) if leaver else "",
                ]
            )
    return path
