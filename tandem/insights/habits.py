"""A manager's coaching habits, and the cascade: do coached managers' teams fare better?

Each figure is defined once here, for a set of managers over a period (by default the
last 90 days up to today, both included); one manager's figures are the set of one.

- 1:1s held vs planned: the completed meetings of the manager's series dated in the
  period, against the planned dates (`OneOnOneSeries.dates_between`) of their active
  series in the period. Shown as "held / planned".
- 1:1s with next steps: the completed meetings in the period with at least one next
  step, against the same planned dates. A meeting is completed only with a next step,
  so this equals held / planned unless data came in another way (an import, the
  Django admin); it is shown so that such a gap shows.
- Feedback per direct report per month: the feedback the manager gave their direct
  reports (active at the period's end) in the period / the number of those reports /
  the period's length in months (days / 30.4375).
- The team's answers to the two habit statements in the latest closed pulse: shown only
  when the team's responses make up whole safe cells (the rule of
  `pulses.team_figures`: every response has own_team_cell and there are at least 5),
  as the share agreeing (4 or 5) with its Wilson interval; else "not enough data".

A manager's team: one row per direct report active at the period's end, with their 1:1
series (the active one, else the latest ended one), its last completed meeting, its next
planned date, its open next steps and how many are past due (at the period's end), and
the feedback the manager gave them in the period. Counts and dates only: never a note,
never what feedback said, never feedback someone else gave.

The cascade compares managers who have been coached (a coaching engagement as coachee
that was agreed: active, completed or ended) with the others: their teams' engagement
index per closed pulse (the mean over shown teams, from `metrics.MINIMUM_TEAMS`
teams) and the means of the habit figures per group. Nothing in it names a manager.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.coaching.models import Engagement, EngagementStatus
from tandem.conversations import oneonones
from tandem.conversations.models import (
    Feedback,
    Meeting,
    MeetingStatus,
    NextStep,
    OneOnOneSeries,
)
from tandem.insights import metrics, pulse_items, pulses
from tandem.insights.models import Pulse, PulseResponse, PulseStatus
from tandem.lib import stats
from tandem.people.models import Person

PERIOD_DAYS = 90
DAYS_PER_MONTH = 365.25 / 12
AGREE = (4, 5)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def last(cls, days: int = PERIOD_DAYS, *, end: date | None = None) -> "Period":
        end = end or timezone.localdate()
        return cls(end - timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> float:
        return self.days / DAYS_PER_MONTH


@dataclass(frozen=True)
class HabitItem:
    """The team's answers to one habit statement: the share agreeing, or not enough."""

    key: str
    text: str
    agreeing: stats.Estimate


@dataclass(frozen=True)
class Habits:
    """One manager's figures over `period`."""

    manager_id: int
    period: Period
    planned: int
    held: int
    with_next_steps: int
    reports: int
    feedback_given: int
    pulse: Pulse | None = None
    items: tuple[HabitItem, ...] = ()

    @property
    def held_share(self) -> float | None:
        return self.held / self.planned if self.planned else None

    @property
    def next_steps_share(self) -> float | None:
        return self.with_next_steps / self.planned if self.planned else None

    @property
    def feedback_per_report_month(self) -> float | None:
        if not self.reports:
            return None
        return self.feedback_given / self.reports / self.period.months


def direct_reports(manager_ids: Sequence[int], on: date) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = Person.objects.active(on).filter(manager_id__in=manager_ids)
    for pk, manager_id in rows.values_list("pk", "manager_id"):
        found[manager_id].add(pk)
    return found


def habits_of(manager_ids: Sequence[int], period: Period) -> dict[int, Habits]:
    """The 1:1 and feedback figures of each manager (no pulse items; a few queries
    whatever the number of managers)."""
    planned: Counter[int] = Counter()
    for series in OneOnOneSeries.objects.active().filter(manager_id__in=manager_ids):
        planned[series.manager_id] += len(series.dates_between(period.start, period.end))
    completed = (
        Meeting.objects.filter(
            series__manager_id__in=manager_ids,
            status=MeetingStatus.COMPLETED,
            on__gte=period.start,
            on__lte=period.end,
        )
        .order_by()
        .values("series__manager_id")
        .annotate(
            held=Count("pk", distinct=True),
            stepped=Count("pk", filter=Q(next_steps__isnull=False), distinct=True),
        )
    )
    held = {row["series__manager_id"]: (row["held"], row["stepped"]) for row in completed}
    reports = direct_reports(manager_ids, period.end)
    given: Counter[int] = Counter()
    feedback = Feedback.objects.filter(
        giver_id__in=manager_ids,
        created_at__date__gte=period.start,
        created_at__date__lte=period.end,
    ).values_list("giver_id", "recipient_id")
    for giver, recipient in feedback:
        if recipient in reports.get(giver, ()):
            given[giver] += 1
    return {
        pk: Habits(
            manager_id=pk,
            period=period,
            planned=planned[pk],
            held=held.get(pk, (0, 0))[0],
            with_next_steps=held.get(pk, (0, 0))[1],
            reports=len(reports.get(pk, ())),
            feedback_given=given[pk],
        )
        for pk in manager_ids
    }


def latest_closed_pulse() -> Pulse | None:
    return Pulse.objects.filter(status=PulseStatus.CLOSED).order_by("-closes_on", "-pk").first()


def team_habit_items(pulse: Pulse | None, manager_id: int) -> tuple[HabitItem, ...]:
    """The team's answers to each habit statement in `pulse`, shown only when the
    team's responses are whole safe cells (see the module)."""
    rows = (
        list(
            PulseResponse.objects.filter(pulse=pulse, team_lead_id=manager_id).values_list(
                "answers", "own_team_cell"
            )
        )
        if pulse is not None
        else []
    )
    shown = len(rows) >= pulses.MINIMUM and all(own for _answers, own in rows)
    found = []
    for item in pulse_items.habit_items():
        values = [answers[item.key] for answers, _own in rows if item.key in answers]
        if shown and len(values) >= pulses.MINIMUM:
            agree = sum(1 for value in values if value in AGREE)
            estimate = stats.proportion_ci(agree, len(values), minimum=pulses.MINIMUM)
        else:
            estimate = stats.Estimate.insufficient(len(values) if shown else 0)
        found.append(HabitItem(item.key, str(item.text), estimate))
    return tuple(found)


def manager_habits(manager: Person, period: Period | None = None) -> Habits:
    """Everything the "My coaching habits" page shows for `manager`."""
    period = period or Period.last()
    figures = habits_of([manager.pk], period)[manager.pk]
    pulse = latest_closed_pulse()
    return Habits(
        **{**figures.__dict__, "pulse": pulse, "items": team_habit_items(pulse, manager.pk)}
    )


def is_manager(person: Person | None) -> bool:
    return person is not None and Person.objects.active().filter(manager=person).exists()


# A manager's team ---------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    """One direct report's line on their manager's page (see the module)."""

    person_id: int
    name: str
    series: OneOnOneSeries | None
    last_held: date | None
    next_on: date | None
    open_next_steps: int
    overdue_next_steps: int
    feedback_given: int

    @property
    def series_id(self) -> int | None:
        return self.series.pk if self.series is not None else None

    @property
    def cadence(self) -> str | None:
        return self.series.cadence if self.series is not None else None


def team_of(manager: Person, period: Period | None = None) -> list[TeamMember]:
    """`manager`'s direct reports active at the period's end, by name. Five queries,
    plus one per active series for its next planned date."""
    period = period or Period.last()
    today = period.end
    reports = list(
        Person.objects.active(today)
        .filter(manager=manager)
        .order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name")
    )
    ids = [person.pk for person in reports]
    chosen: dict[int, OneOnOneSeries] = {}
    # Active first, then the most recently started: the first one seen per report wins.
    for found in OneOnOneSeries.objects.filter(manager=manager, report_id__in=ids).order_by(
        "-active", "-first_on", "-pk"
    ):
        chosen.setdefault(found.report_id, found)
    series_ids = [found.pk for found in chosen.values()]
    last_held = dict(
        Meeting.objects.filter(series_id__in=series_ids, status=MeetingStatus.COMPLETED)
        .order_by()
        .values("series_id")
        .annotate(last=Max("on"))
        .values_list("series_id", "last")
    )
    steps = {
        row["meeting__series_id"]: (row["open"], row["overdue"])
        for row in NextStep.objects.filter(meeting__series_id__in=series_ids, done_on__isnull=True)
        .order_by()
        .values("meeting__series_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    }
    given = dict(
        Feedback.objects.filter(
            giver=manager,
            recipient_id__in=ids,
            created_at__date__gte=period.start,
            created_at__date__lte=period.end,
        )
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    team = []
    for person in reports:
        series = chosen.get(person.pk)
        open_steps, overdue = steps.get(series.pk, (0, 0)) if series is not None else (0, 0)
        team.append(
            TeamMember(
                person_id=person.pk,
                name=person.full_name,
                series=series,
                last_held=last_held.get(series.pk) if series is not None else None,
                next_on=(
                    oneonones.next_planned_date(series, today=today)
                    if series is not None and series.active
                    else None
                ),
                open_next_steps=open_steps,
                overdue_next_steps=overdue,
                feedback_given=given.get(person.pk, 0),
            )
        )
    return team


# The cascade ------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A group's means: teams' engagement per pulse, then the habit figures."""

    name: str
    managers: int
    engagement: tuple[stats.Estimate, ...]
    held_share: stats.Estimate
    feedback_per_report_month: stats.Estimate


@dataclass(frozen=True)
class Cascade:
    period: Period
    pulses: tuple[Pulse, ...]
    coached: Group
    others: Group

    @property
    def labels(self) -> list[str]:
        return [pulse.name for pulse in self.pulses]


def coached_ids() -> set[int]:
    return set(
        Engagement.objects.filter(
            status__in=[
                EngagementStatus.ACTIVE,
                EngagementStatus.COMPLETED,
                EngagementStatus.ENDED,
            ]
        ).values_list("coachee_id", flat=True)
    )


def _mean(values: list[float]) -> stats.Estimate:
    return metrics.over_teams(values)


def cascade(period: Period | None = None) -> Cascade:
    """Coached managers against the others (see the module): for the impact dashboard
    and the habits pages."""
    period = period or Period.last()
    managers = sorted(_all_managers(period.end))
    coached = coached_ids()
    closed = tuple(Pulse.objects.filter(status=PulseStatus.CLOSED).order_by("opens_on", "pk"))
    figures = pulses.team_figures_by_pulse(closed, managers)
    habits = habits_of(managers, period)

    def group(name: str, members: list[int]) -> Group:
        engagement = tuple(
            _mean([figures[p.pk][m].index_mean for m in members if m in figures[p.pk]])
            for p in closed
        )
        shares = [h.held_share for m in members if (h := habits[m]).held_share is not None]
        rates = [rate for m in members if (rate := habits[m].feedback_per_report_month) is not None]
        return Group(name, len(members), engagement, _mean(shares), _mean(rates))

    return Cascade(
        period,
        closed,
        group(_("Coached managers"), [m for m in managers if m in coached]),
        group(_("Other managers"), [m for m in managers if m not in coached]),
    )


def _all_managers(on: date) -> set[int]:
    return set(
        Person.objects.active(on)
        .exclude(manager=None)
        .values_list("manager_id", flat=True)
        .distinct()
    )


def cascade_chart(result: Cascade) -> str:
    from tandem.lib.impact_charts import trend_svg

    return trend_svg(
        result.labels,
        {
            result.coached.name: result.coached.engagement,
            result.others.name: result.others.engagement,
        },
        _("Team engagement index"),
    )
