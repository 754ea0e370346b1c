"""When a periodic job is due. Pure: the caller says when it last ran."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Schedule:
    name: str
    every: timedelta

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ValueError(f"{self.name}: the interval must be positive, not {self.every}")

    def is_due(self, *, last_enqueued_at: datetime | None, now: datetime) -> bool:
        """Due when it never ran, or when a full interval has passed since it was last
        enqueued. A last run in the future (a clock that stepped back) is not due."""
        return last_enqueued_at is None or now - last_enqueued_at >= self.every
