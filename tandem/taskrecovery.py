"""Recovery of background jobs whose worker died.

django-tasks-db claims a job by setting it RUNNING with the worker's id, and nothing
ever looks at it again: a worker killed mid-job would leave it RUNNING for good.
`tandem worker` calls `requeue_abandoned` as it starts, and its scheduler thread calls it
while it runs. Worker ids name their host and process (`worker_id`), so a job claimed by
a process of this host that no longer exists is put back in the queue; a job claimed
elsewhere is put back once it has run longer than the lease (the worker that holds it is
then presumed dead). Jobs must therefore be idempotent or all-or-nothing.
"""

import os
import socket
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

# A job that has killed its worker this many times fails instead of running again.
MAX_CLAIMS = 3


class WorkerDied(RuntimeError):
    """The job's worker died while running it, too many times to try again."""


def worker_id() -> str:
    """host:pid:random, at most 64 characters (django-tasks-db's limit)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{os.urandom(4).hex()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(claimed_by: str, started_at: Any, now: Any, lease: timedelta) -> bool:
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname()[:40] and pid.isdigit():
        return not _alive(int(pid))
    return started_at is None or now - started_at > lease


def requeue_abandoned(*, lease: timedelta | None = None) -> list[str]:
    """Put the RUNNING jobs of dead workers back in the queue (or fail them after
    MAX_CLAIMS tries); returns the ids put back. Jobs must be idempotent or all-or-nothing,
    since they run again from the start."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    lease = lease or timedelta(seconds=settings.TANDEM_TASK_LEASE_SECONDS)
    now = timezone.now()
    requeued = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        for job in running:
            claimed_by = job.worker_ids[-1] if job.worker_ids else ""
            if not _abandoned(claimed_by, job.started_at, now, lease):
                continue
            if len(job.worker_ids) >= MAX_CLAIMS:
                job.set_failed(WorkerDied(f"its worker died {len(job.worker_ids)} times"))
            else:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
                requeued.append(str(job.pk))
    return requeued
