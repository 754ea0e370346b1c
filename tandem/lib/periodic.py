"""When a periodic job is due. Pure: the caller says when it last ran."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Schedule:
    name: str
    every: timedelta

    def is_due(self, *, last_enqueued_at: datetime | None, now: datetime) -> bool:
        return last_enqueued_at is None or now - last_enqueued_at >= self.every
