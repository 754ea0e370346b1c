"""The reinforcement half's periodic jobs: the daily digest of due bursts, flagging
learners who stay low, retiring cards whose reinforcement period is over. Flags and
retiring are idempotent; the digest runs once a day (the scheduler enqueues it every
24 hours) and sends one email per learner with bursts due."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from tandem.scheduler import periodic
from tandem.training import reinforcement
from tandem.training.reinforcement_digest import digests_build, digests_send


@periodic(every=timedelta(hours=24))
@task()
def send_burst_digests() -> dict[str, Any]:
    digests = digests_build(timezone.now())
    return {"learners": len(digests), "sent": digests_send(digests)}


@periodic(every=timedelta(hours=24))
@task()
def raise_learner_flags() -> dict[str, Any]:
    return {"raised": len(reinforcement.flags_raise(timezone.now()))}


@periodic(every=timedelta(hours=24))
@task()
def retire_cards() -> dict[str, Any]:
    return {"retired": reinforcement.cards_retire(timezone.now())}
