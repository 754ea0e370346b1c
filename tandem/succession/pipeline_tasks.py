"""The pipeline half's periodic job: a monthly snapshot of the pipeline's figures, so
the dashboard's trends move. The scheduler runs it daily; it stores a snapshot only
when none was taken yet this month, so a worker that was down catches up the next
day and a second run the same day changes nothing."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from tandem.scheduler import periodic
from tandem.succession import pipeline


@periodic(every=timedelta(hours=24))
@task()
def take_monthly_pipeline_snapshot() -> dict[str, Any]:
    today = timezone.localdate()
    if not pipeline.snapshot_due(today):
        return {"taken": False}
    pipeline.snapshot_take(today)
    return {"taken": True, "on": today.isoformat()}
