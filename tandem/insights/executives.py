"""Executive participation: how many senior executives take part in developing others.

Who counts: the people active (hired, not yet gone) at `Level.SENIOR` on the day a
period is counted on — the last day of a quarter, or today for the quarter under way.
A person's level on a day is their level now, or the level before their first job
change after that day.

What counts, within the period (an activity overlapping it counts):
- sponsoring: they own a program that is not a draft (its owner is their login), or
  they sponsor a coaching engagement that got past the agreement;
- mentoring: an active or closed mentoring relationship as the mentor that was active
  (activated, not yet closed) at some point of the period;
- being coached: a coaching engagement as the coachee that got past the agreement;
- one-on-ones: at least `REGULAR_ONE_ON_ONES` completed meetings of series they manage;
- talent reviews: a placement they rated as the manager in a review held in the period;
- any of these.

Each share is a `stats.Estimate` in percent with its n (the senior executives) and its
Wilson interval, or "not enough data" under `MINIMUM` executives. Aggregates only:
nothing here returns who took part.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.coaching.models import Engagement, EngagementStatus
from tandem.conversations.models import Meeting, MeetingStatus
from tandem.lib import stats
from tandem.mentoring.models import Relationship, RelationshipStatus
from tandem.people.models import JobChange, Level, Person
from tandem.programs.models import Program, ProgramStatus
from tandem.succession.models import Placement

MINIMUM = 5  # senior executives a share needs
QUARTERS_BACK = 8  # two years of full quarters before the one under way
REGULAR_ONE_ON_ONES = 2  # completed meetings in a quarter
SPONSORING = "sponsoring"
MENTORING = "mentoring"
COACHED = "coached"
ONE_ON_ONES = "one_on_ones"
TALENT_REVIEWS = "talent_reviews"
ANY = "any"
ACTIVITIES = [
    (SPONSORING, _("Sponsoring a program")),
    (MENTORING, _("Mentoring")),
    (COACHED, _("Being coached")),
    (ONE_ON_ONES, _("Holding regular one-on-ones")),
    (TALENT_REVIEWS, _("Joining talent reviews")),
    (ANY, _("Any of these")),
]
# Engagements that got past the agreement.
STARTED_ENGAGEMENTS = [
    EngagementStatus.ACTIVE,
    EngagementStatus.COMPLETED,
    EngagementStatus.ENDED,
]


@dataclass(frozen=True)
class Period:
    """A quarter from `start` to `end` (both included), counted on `counted_on`: its
    last day, or today for the quarter under way (then `end` is today)."""

    label: str
    start: date
    end: date
    current: bool = False

    @property
    def counted_on(self) -> date:
        return self.end


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    estimate: stats.Estimate  # in percent


@dataclass(frozen=True)
class PeriodShares:
    period: Period
    executives: int
    shares: list[Share]

    def share(self, key: str) -> Share:
        return next(share for share in self.shares if share.key == key)


@dataclass(frozen=True)
class Participation:
    """The quarter under way (`current`) and every quarter, oldest first, the
    current one last."""

    quarters: list[PeriodShares]

    @property
    def current(self) -> PeriodShares:
        return self.quarters[-1]


# --- periods -------------------------------------------------------------------------------


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def periods(today: date) -> list[Period]:
    """The `QUARTERS_BACK` full quarters before today's, oldest first, then today's
    quarter up to today."""
    current = quarter_start(today)
    found = [Period(quarter_label(current), current, today, current=True)]
    start = current
    for _index in range(QUARTERS_BACK):
        end = start - timedelta(days=1)
        start = quarter_start(end)
        found.append(Period(quarter_label(start), start, end))
    return found[::-1]


# --- who counts ----------------------------------------------------------------------------


def senior_executives(days: Iterable[date]) -> dict[date, set[int]]:
    """For each day, the ids of the people active at the senior level on it."""
    days = sorted(set(days))
    if not days:
        return {}
    first = days[0]
    changed = JobChange.objects.filter(effective_date__gt=first).exclude(previous_level="")
    candidates = Person.objects.filter(
        Q(level=Level.SENIOR)
        | Q(pk__in=changed.filter(previous_level=Level.SENIOR).values("person_id"))
    ).filter(Q(exit_date__isnull=True) | Q(exit_date__gt=first))
    people = {
        pk: (level, hired, left)
        for pk, level, hired, left in candidates.values_list(
            "pk", "level", "hire_date", "exit_date"
        )
    }
    changes: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for person, effective, previous in changed.filter(person_id__in=list(people)).values_list(
        "person_id", "effective_date", "previous_level"
    ):
        changes[person].append((effective, previous))
    for person_changes in changes.values():
        person_changes.sort()
    found: dict[date, set[int]] = {}
    for day in days:
        seniors = set()
        for pk, (level, hired, left) in people.items():
            if hired > day or (left is not None and left <= day):
                continue
            later = [previous for effective, previous in changes.get(pk, []) if effective > day]
            if (later[0] if later else level) == Level.SENIOR:
                seniors.add(pk)
        found[day] = seniors
    return found


# --- what they took part in ----------------------------------------------------------------


Spans = dict[int, list[tuple[date, date | None]]]  # person -> (from, to or open)


def _spans(rows: Iterable[tuple[int | None, date | None, date | None]]) -> Spans:
    spans: Spans = defaultdict(list)
    for person, start, end in rows:
        if person is not None and start is not None:
            spans[person].append((start, end))
    return spans


def _active_in(spans: Spans, period: Period) -> set[int]:
    return {
        person
        for person, found in spans.items()
        if any(start <= period.end and (end is None or end >= period.start) for start, end in found)
    }


def _engagements(field: str, first: date) -> Spans:
    return _spans(
        Engagement.objects.filter(status__in=STARTED_ENGAGEMENTS, ends_on__gte=first).values_list(
            field, "starts_on", "ends_on"
        )
    )


def _sponsoring(first: date) -> Spans:
    owners = _spans(
        Program.objects.exclude(status=ProgramStatus.DRAFT)
        .filter(end_date__gte=first, owner__person__isnull=False)
        .values_list("owner__person", "start_date", "end_date")
    )
    for person, found in _engagements("sponsor_id", first).items():
        owners[person].extend(found)
    return owners


def _mentoring(first: date) -> Spans:
    relationships = Relationship.objects.filter(
        status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.CLOSED],
        activated_at__isnull=False,
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=first))
    return _spans(
        (mentor, timezone.localdate(activated), timezone.localdate(closed) if closed else None)
        for mentor, activated, closed in relationships.values_list(
            "mentor_id", "activated_at", "closed_at"
        )
    )


def _counts_by_period(
    rows: Iterable[tuple[int | None, date]], spans: list[Period]
) -> list[dict[int, int]]:
    counts: list[dict[int, int]] = [defaultdict(int) for _period in spans]
    for person, day in rows:
        if person is None:
            continue
        for index, period in enumerate(spans):
            if period.start <= day <= period.end:
                counts[index][person] += 1
    return counts


def activity_by_period(quarters: list[Period]) -> list[dict[str, set[int]]]:
    """For each period, the ids of the people active in each activity (anyone, not
    only executives: the caller intersects)."""
    first = quarters[0].start
    last = quarters[-1].end
    sponsoring = _sponsoring(first)
    mentoring = _mentoring(first)
    coached = _engagements("coachee_id", first)
    meetings = _counts_by_period(
        Meeting.objects.filter(
            status=MeetingStatus.COMPLETED, on__gte=first, on__lte=last
        ).values_list("series__manager_id", "on"),
        quarters,
    )
    reviews = _counts_by_period(
        Placement.objects.filter(
            review__held_on__gte=first, review__held_on__lte=last, rated_by__isnull=False
        ).values_list("rated_by_id", "review__held_on"),
        quarters,
    )
    found = []
    for index, period in enumerate(quarters):
        active = {
            SPONSORING: _active_in(sponsoring, period),
            MENTORING: _active_in(mentoring, period),
            COACHED: _active_in(coached, period),
            ONE_ON_ONES: {p for p, n in meetings[index].items() if n >= REGULAR_ONE_ON_ONES},
            TALENT_REVIEWS: set(reviews[index]),
        }
        active[ANY] = set().union(*active.values())
        found.append(active)
    return found


# --- the shares ----------------------------------------------------------------------------


def share_estimate(active: int, n: int) -> stats.Estimate:
    """`active` of `n` in percent with its Wilson interval; under MINIMUM, not enough."""
    if n < MINIMUM:
        return stats.Estimate.insufficient(n)
    share = stats.proportion_ci(active, n, minimum=MINIMUM)
    assert share.value is not None and share.low is not None and share.high is not None
    return stats.Estimate(n, share.value * 100, share.low * 100, share.high * 100, True)


def shares_of(executives: set[int], active: dict[str, set[int]]) -> list[Share]:
    return [
        Share(key, str(label), share_estimate(len(active[key] & executives), len(executives)))
        for key, label in ACTIVITIES
    ]


def participation(today: date | None = None) -> Participation:
    """The shares of every quarter of the last two years and of the one under way."""
    quarters = periods(today or timezone.localdate())
    executives = senior_executives(period.counted_on for period in quarters)
    activity = activity_by_period(quarters)
    return Participation(
        [
            PeriodShares(
                period,
                len(executives[period.counted_on]),
                shares_of(executives[period.counted_on], active),
            )
            for period, active in zip(quarters, activity, strict=True)
        ]
    )
