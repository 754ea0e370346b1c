from datetime import timedelta

from django_tasks import task

from tandem.privacy.retention import retention_apply
from tandem.scheduler import periodic


@periodic(every=timedelta(hours=24))
@task()
def apply_retention() -> dict[str, int]:
    """Delete what the retention settings say is kept no longer (idempotent)."""
    return retention_apply().removed
