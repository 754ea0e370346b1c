"""Trends of a reflection journal, for its author only: how often they paused before
reacting, month by month, and which triggers recur. Counted in the database from the
entries' dates, pause flags and trigger kinds: no entry's text is read."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from tandem.coaching.models import JournalEntry, Trigger
from tandem.lib import charts
from tandem.people.models import Person

MONTHS = 6


@dataclass(frozen=True)
class MonthCount:
    month: date
    entries: int
    paused: int


@dataclass(frozen=True)
class TriggerCount:
    trigger: str
    label: str
    count: int
    paused: int


@dataclass(frozen=True)
class Trends:
    months: list[MonthCount]
    triggers: list[TriggerCount]
    total: int
    paused: int

    @property
    def pause_share(self) -> int | None:
        """Percent of moments the author paused in, or None without entries."""
        return round(100 * self.paused / self.total) if self.total else None

    @property
    def recurring(self) -> list[TriggerCount]:
        return [t for t in self.triggers if t.count >= 2]

    def pause_chart(self) -> str:
        return charts.data_uri(
            charts.pause_trend_svg(
                [m.month.strftime("%b %Y") for m in self.months],
                [m.entries for m in self.months],
                [m.paused for m in self.months],
            )
        )

    def trigger_chart(self) -> str:
        return charts.data_uri(
            charts.count_bars_svg(
                [t.label for t in self.triggers], [t.count for t in self.triggers]
            )
        )


def _month_starts(today: date, count: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(starts))


def trends_of(author: Person, today: date) -> Trends:
    """The author's trends over the last six months (two queries)."""
    months = _month_starts(today, MONTHS)
    entries = JournalEntry.objects.filter(author=author, occurred_on__gte=months[0])
    paused = Count("pk", filter=Q(paused=True))
    by_month = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row
        for row in entries.annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(n=Count("pk"), paused=paused)
        .order_by()
    }
    labels = dict(Trigger.choices)
    by_trigger = (
        entries.values("trigger").annotate(n=Count("pk"), paused=paused).order_by("-n", "trigger")
    )
    month_counts = [
        MonthCount(start, by_month[start]["n"], by_month[start]["paused"])
        if start in by_month
        else MonthCount(start, 0, 0)
        for start in months
    ]
    return Trends(
        months=month_counts,
        triggers=[
            TriggerCount(
                row["trigger"],
                str(labels.get(row["trigger"], row["trigger"])),
                row["n"],
                row["paused"],
            )
            for row in by_trigger
        ],
        total=sum(m.entries for m in month_counts),
        paused=sum(m.paused for m in month_counts),
    )
