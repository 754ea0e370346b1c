"""The organization at scale: importing N people from an HRIS file, then the people
directory page and GET /api/v1/people on the resulting N-person database.

Targets (issue 2): import of 100,000 people under 60 s on SQLite; directory page and
API list under 150 ms median, with a query count that does not grow with page size.
"""

import io
import statistics
import time
from pathlib import Path
from typing import Any

from bench.people_csv import write_people_csv
from bench.report import print_table, write_result

REPEAT = 25


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _latency(client: Any, url: str, repeat: int = REPEAT) -> dict[str, Any]:
    from django.db import connection

    client.get(url)  # warm caches and the connection
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    # An execute wrapper, unlike connection.queries, survives the per-request
    # reset and reconnects.
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = sorted(_timed(lambda: client.get(url)) * 1000 for _ in range(repeat))
    return {
        "url": url,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
        "queries": len(queries),
    }


def run(*, size: int, work_dir: Path) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tandem.accounts.models import Role, User, UserRole
    from tandem.people.models import JobChange, Person

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    csv_path = write_people_csv(work_dir / "people.csv", size)

    quiet = io.StringIO()
    first = _timed(lambda: call_command("import_people", str(csv_path), stdout=quiet, stderr=quiet))
    people = Person.objects.count()
    history_before = JobChange.objects.count()
    again = _timed(lambda: call_command("import_people", str(csv_path), stdout=quiet, stderr=quiet))
    history_added_by_reimport = JobChange.objects.count() - history_before
    import_rows = [
        {
            "step": f"import {size:,} people (CSV)",
            "seconds": round(first, 1),
            "target": "< 60",
            "people": people,
        },
        {
            "step": "re-import the same file",
            "seconds": round(again, 1),
            "target": "-",
            "people": f"{history_added_by_reimport} history rows added",
        },
    ]
    print_table(f"Import ({size:,} people, SQLite)", import_rows)

    admin = User.objects.create_user("bench-admin", "bench-admin@example.com", "x")
    UserRole.objects.create(user=admin, role=Role.PROGRAM_ADMIN)
    root = Person.objects.filter(manager__isnull=True).order_by("pk").first()
    assert root is not None
    ceo = User.objects.create_user("bench-ceo", "bench-ceo@example.com", "x")
    Person.objects.filter(pk=root.pk).update(user=ceo)
    manager = Person.objects.filter(manager=root).order_by("pk").first()
    mid_user = User.objects.create_user("bench-mid", "bench-mid@example.com", "x")
    Person.objects.filter(pk=manager.pk).update(user=mid_user)  # type: ignore[union-attr]

    last_page = (people + 49) // 50
    pages: list[dict[str, Any]] = []
    for label, user, urls in [
        (
            "program admin",
            admin,
            [
                "/people/",
                "/people/?q=Silva",
                "/people/?level=mid",
                f"/people/?page={last_page // 2}",
                "/api/v1/people",
                "/api/v1/people?page_size=10",
                "/api/v1/people?page_size=200",
                "/api/v1/people?q=Novak&level=emerging",
                f"/api/v1/people?page={last_page // 2}",
            ],
        ),
        ("CEO (whole tree below)", ceo, ["/people/", "/api/v1/people"]),
        ("department head", mid_user, ["/people/", "/api/v1/people"]),
    ]:
        client = Client()
        client.force_login(user)
        for url in urls:
            pages.append({"viewer": label, **_latency(client, url)})
    print_table(f"Directory and API on {people:,} people (median of {REPEAT})", pages)

    api_sizes = [r for r in pages if r["url"].startswith("/api/v1/people?page_size=")]
    page_sizes = [r for r in pages if r["url"].startswith("/people/?per_page=")]
    result = {
        "size": size,
        "database": connection.vendor,
        "import_seconds": round(first, 2),
        "reimport_seconds": round(again, 2),
        "reimport_history_rows_added": history_added_by_reimport,
        "requests": pages,
        "api_query_count_constant_in_page_size": len({r["queries"] for r in api_sizes}) == 1,
        "page_query_count_constant_in_page_size": len({r["queries"] for r in page_sizes}) == 1,
    }
    path = write_result("people", result)
    print(f"\nwrote {path}")
    return result
