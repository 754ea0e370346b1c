"""Helpers of the SIGKILL tests (test_faults.py), run inside the processes those tests
start and kill: a background job that writes in steps and can be held half-way, and
the setup commands. (The recovery of a killed worker's jobs is tandem.taskrecovery.)

    python -m tandem.tests.faults_jobs setup            an admin login
    python -m tandem.tests.faults_jobs enqueue STEPS    the stepwise job

Holding: when the file named by FAULTS_HOLD (an environment variable) exists, the
job and the web server's people import stop after their first write, inside their
transaction, write their process id to FAULTS_HOLD + ".held" and wait to be killed.
"""

import os
import sys
import time
from pathlib import Path

from django.db import transaction
from django_tasks import task

STEP_UNIT_PREFIX = "Fault step "


def hold_here() -> None:
    """Stop for good if the test armed the hold (see the module docstring)."""
    armed = os.environ.get("FAULTS_HOLD")
    if not armed or not Path(armed).exists():
        return
    Path(armed).unlink()  # held once: the retry after the kill runs through
    Path(armed + ".held").write_text(str(os.getpid()))
    while True:
        time.sleep(60)


@task()
def write_in_steps(steps: int) -> int:
    """One org unit per step, all in one transaction: a job that is all or nothing."""
    from tandem.people.models import OrgUnit

    with transaction.atomic():
        for step in range(steps):
            OrgUnit.objects.create(name=f"{STEP_UNIT_PREFIX}{step}")
            if step == 0:
                hold_here()
    return steps


def _setup() -> None:
    from tandem.accounts.models import Role, User, UserRole

    admin = User.objects.create_user("fault-admin", "fault-admin@example.com", "fault-password")
    UserRole.objects.create(user=admin, role=Role.PROGRAM_ADMIN)


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "setup":
        _setup()
    elif command == "enqueue":
        # Imported by name: run as __main__, this module's task would have the wrong path.
        from tandem.tests.faults_jobs import write_in_steps as job

        print(job.enqueue(int(argv[1])).id)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
