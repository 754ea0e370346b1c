"""The pulses' periodic job: close the open pulses whose closing date has passed, then,
when PulseSettings says pulses go out by themselves and the last organization-wide one
opened `every_months` ago (or there is none), create and open the next.

Idempotent: a closed pulse is not closed again, and the next pulse is decided under a
lock on the settings row, so a second run (or a second worker) finds nothing due. The
scheduler runs it hourly; a worker that was down catches up on its next run."""

import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from tandem.insights import pulses
from tandem.programs.services import Refused
from tandem.scheduler import periodic

logger = logging.getLogger(__name__)


@periodic(every=timedelta(hours=1))
@task()
def run_pulse_schedule() -> dict[str, Any]:
    today = timezone.now().date()  # UTC, like the links' expiry
    closed = 0
    for pulse in pulses.pulses_due_to_close(today).order_by("pk"):
        try:
            pulses.pulse_close(pulse=pulse, closed_by=None)
        except Refused:  # closed meanwhile, by hand or by another worker
            continue
        closed += 1
    try:
        opened = pulses.pulse_schedule_next(today=today)
    except Refused as error:  # e.g. nobody active yet: nothing is written, try again later
        logger.warning("the scheduled pulse did not open: %s", " ".join(error.messages))
        opened = None
    return {"closed": closed, "opened": opened.name if opened is not None else None}
