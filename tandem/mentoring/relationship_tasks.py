"""The relationships half's periodic jobs: requests expire (and the next mentor is
offered), check-ins are created when due, inactive relationships are nudged. Each is
idempotent: a rerun or a second worker finds nothing left to do."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from tandem.mentoring import relationships
from tandem.scheduler import periodic


@periodic(every=timedelta(hours=1))
@task()
def expire_mentoring_requests() -> dict[str, Any]:
    return {"expired": relationships.relationships_expire(now=timezone.now())}


@periodic(every=timedelta(hours=24))
@task()
def create_mentoring_check_ins() -> dict[str, Any]:
    return {"created": relationships.check_ins_create_due(today=timezone.localdate())}


@periodic(every=timedelta(hours=24))
@task()
def nudge_inactive_mentoring() -> dict[str, Any]:
    return {"nudged": relationships.inactive_nudge(now=timezone.now())}
