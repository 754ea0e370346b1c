"""Periodic background jobs. An app declares one in its `tasks.py`:

    @periodic(every=timedelta(hours=1))
    @task()
    def purge_login_attempts() -> int: ...

`tandem worker` runs the task worker and, beside it, a loop that enqueues each
periodic job when it is due. The last enqueue time is read from the task queue
itself, so several workers agree; periodic jobs must be idempotent all the same
(two workers may enqueue the same job in the same second).
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import close_old_connections
from django.utils import timezone

from tandem.lib.periodic import Schedule

logger = logging.getLogger(__name__)

_PERIODIC: dict[str, tuple[Schedule, Any]] = {}


def periodic(*, every: timedelta) -> Callable[[Any], Any]:
    def register(task: Any) -> Any:
        _PERIODIC[task.module_path] = (Schedule(task.module_path, every), task)
        return task

    return register


def registered() -> dict[str, tuple[Schedule, Any]]:
    return dict(_PERIODIC)


def enqueue_due(now: Any = None) -> list[str]:
    """Enqueue every periodic job that is due; returns their names."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    enqueued = []
    for name, (schedule, task) in _PERIODIC.items():
        last = (
            DBTaskResult.objects.filter(task_path=name)
            .order_by("-enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        if schedule.is_due(last_enqueued_at=last, now=now):
            task.enqueue()
            enqueued.append(name)
    return enqueued


def run_forever(stop: threading.Event, *, poll_seconds: float = 30) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            from tandem import taskrecovery

            # Jobs claimed by a worker on another host are recovered after the lease.
            for job_id in taskrecovery.requeue_abandoned():
                logger.warning("requeued job %s: its worker died while running it", job_id)
            for name in enqueue_due():
                logger.info("enqueued periodic job %s", name)
        except Exception:  # keep scheduling through a passing database error
            logger.exception("periodic scheduling failed; retrying")
        stop.wait(poll_seconds)
