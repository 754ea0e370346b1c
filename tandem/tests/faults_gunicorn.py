"""gunicorn settings of the SIGKILL tests (test_faults.py): each worker holds the
people import after its first batch of people is written (inside the import's
transaction) when the test arms the hold, so the test can kill it mid-write."""

from typing import Any

workers = 2
timeout = 300


def _hold_after_people_insert(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    result = execute(sql, params, many, context)
    if sql.lstrip().upper().startswith('INSERT INTO "PEOPLE_PERSON"'):
        from tandem.tests.faults_jobs import hold_here

        hold_here()
    return result


def post_worker_init(worker: Any) -> None:
    from django.db import connection

    connection.execute_wrappers.append(_hold_after_people_insert)
