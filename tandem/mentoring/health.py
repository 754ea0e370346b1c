"""A mentoring program's health, for its admins: match rate, time to match, meetings
per relationship, satisfaction, relationships at risk and mentor load. Metadata only:
counts, dates and ratings, never what is said.

Definitions:
- matched: a mentee who stated their intent and whose relationship has started
  (confirmed agreement), whether still active or closed since;
- time to match: days from the intent to the start, the median over matched mentees;
- satisfaction: the check-ins' answers (both sides); under 3 answers there is not
  enough data to show a mean;
- at risk: an active relationship with no meeting for the program's inactivity weeks,
  a latest satisfaction of 2 or less, or a check-in unanswered two weeks after it
  was due.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.lib import charts
from tandem.mentoring.models import (
    CheckIn,
    Mentee,
    Mentor,
    MentoringSettings,
    Relationship,
)
from tandem.mentoring.models.relationships import DEFAULT_INACTIVITY_WEEKS
from tandem.people.models import Person
from tandem.programs.models import Program

MIN_ANSWERS = 3
LOW_SATISFACTION = 2
CHECK_IN_GRACE = timedelta(days=14)

INACTIVE = "inactive"
LOW = "low_satisfaction"
OVERDUE = "overdue_check_in"
RISK_LABELS = {
    INACTIVE: _("No meeting for a while"),
    LOW: _("Low satisfaction"),
    OVERDUE: _("Check-in overdue"),
}


@dataclass(frozen=True)
class AtRisk:
    relationship: Relationship
    reasons: list[str]
    last_met_on: date | None

    @property
    def reason_labels(self) -> list[str]:
        return [str(RISK_LABELS[reason]) for reason in self.reasons]


@dataclass(frozen=True)
class MentorLoad:
    person: Person
    open: int
    capacity: int | None

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.open > self.capacity


@dataclass
class ProgramHealth:
    program: Program
    mentees_with_intent: int = 0
    mentees_matched: int = 0
    median_days_to_match: float | None = None
    by_status: dict[str, int] = field(default_factory=dict)
    meetings_per_relationship: float | None = None
    satisfaction_n: int = 0
    satisfaction_mean: float | None = None
    satisfaction_counts: dict[int, int] = field(default_factory=dict)
    at_risk: list[AtRisk] = field(default_factory=list)
    mentor_load: list[MentorLoad] = field(default_factory=list)
    inactivity_weeks: int = DEFAULT_INACTIVITY_WEEKS

    @property
    def match_rate(self) -> float | None:
        if not self.mentees_with_intent:
            return None
        return 100 * self.mentees_matched / self.mentees_with_intent

    @property
    def enough_satisfaction(self) -> bool:
        return self.satisfaction_n >= MIN_ANSWERS

    def satisfaction_chart(self) -> str | None:
        if not self.enough_satisfaction:
            return None
        labels = [f"{score} / 5" for score in range(5, 0, -1)]
        return charts.data_uri(
            charts.count_bars_svg(
                labels, [self.satisfaction_counts.get(s, 0) for s in range(5, 0, -1)]
            )
        )

    def load_chart(self) -> str | None:
        if not self.mentor_load:
            return None
        rows = self.mentor_load[:20]
        return charts.data_uri(
            charts.count_bars_svg(
                [row.person.full_name for row in rows], [row.open for row in rows]
            )
        )


def program_health(program: Program, *, today: date | None = None) -> ProgramHealth:
    """The figures for one program, in a fixed number of queries."""
    today = today or timezone.localdate()
    settings = MentoringSettings.objects.filter(program=program).first()
    health = ProgramHealth(
        program=program,
        inactivity_weeks=settings.inactivity_weeks if settings else DEFAULT_INACTIVITY_WEEKS,
    )
    relationships = Relationship.objects.filter(program=program)
    health.by_status = dict(
        relationships.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )

    # Match rate and time to match.
    intents = dict(
        Mentee.objects.filter(program=program, intent_stated_at__isnull=False).values_list(
            "person_id", "intent_stated_at"
        )
    )
    health.mentees_with_intent = len(intents)
    started = dict(
        relationships.filter(activated_at__isnull=False)
        .values("mentee_id")
        .annotate(first=Max("activated_at"))
        .values_list("mentee_id", "first")
    )
    days = [
        (started[person] - stated).total_seconds() / 86400
        for person, stated in intents.items()
        if person in started
    ]
    health.mentees_matched = len(days)
    health.median_days_to_match = statistics.median(days) if days else None

    # Meetings per started relationship.
    meeting_counts = list(
        relationships.filter(activated_at__isnull=False)
        .annotate(n=Count("attendances"))
        .values_list("n", flat=True)
    )
    if meeting_counts:
        health.meetings_per_relationship = sum(meeting_counts) / len(meeting_counts)

    # Satisfaction from the check-ins.
    answered = CheckIn.objects.filter(
        relationship__program=program, answered_at__isnull=False, satisfaction__isnull=False
    )
    scores = [score for score in answered.values_list("satisfaction", flat=True) if score]
    health.satisfaction_n = len(scores)
    health.satisfaction_counts = dict(Counter(scores))
    if health.enough_satisfaction:
        health.satisfaction_mean = sum(scores) / len(scores)

    # At risk.
    health.at_risk = _at_risk(program, health.inactivity_weeks, today)

    # Mentor load.
    open_by_mentor = dict(
        relationships.open()
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    rows = []
    for mentor in Mentor.objects.filter(program=program).select_related("person"):
        capacity = mentor.effective_capacity(settings) if settings else mentor.capacity
        rows.append(MentorLoad(mentor.person, open_by_mentor.pop(mentor.person_id, 0), capacity))
    for person in Person.objects.filter(pk__in=list(open_by_mentor)):
        rows.append(MentorLoad(person, open_by_mentor[person.pk], None))
    health.mentor_load = sorted(rows, key=lambda row: (-row.open, row.person.full_name))
    return health


def _at_risk(program: Program, weeks: int, today: date) -> list[AtRisk]:
    active = list(
        Relationship.objects.active()
        .filter(program=program)
        .select_related("mentee", "mentor")
        .annotate(last_met=Max("attendances__meeting__held_on"))
        .order_by("mentee__last_name", "pk")
    )
    inactive = set(
        Relationship.objects.inactive(weeks, today)
        .filter(program=program)
        .values_list("pk", flat=True)
    )
    latest: dict[int, tuple[date, int]] = {}
    overdue: set[int] = set()
    for relationship_id, due_on, satisfaction, answered_at in CheckIn.objects.filter(
        relationship__in=[r.pk for r in active]
    ).values_list("relationship_id", "due_on", "satisfaction", "answered_at"):
        if answered_at is None and due_on < today - CHECK_IN_GRACE:
            overdue.add(relationship_id)
        if answered_at is None or satisfaction is None:
            continue
        previous = latest.get(relationship_id)
        if previous is None or previous[0] < due_on:
            latest[relationship_id] = (due_on, satisfaction)
        elif previous[0] == due_on:  # both sides answered the same pulse: the lower counts
            latest[relationship_id] = (due_on, min(previous[1], satisfaction))
    found = []
    for relationship in active:
        reasons = []
        if relationship.pk in inactive:
            reasons.append(INACTIVE)
        if relationship.pk in latest and latest[relationship.pk][1] <= LOW_SATISFACTION:
            reasons.append(LOW)
        if relationship.pk in overdue:
            reasons.append(OVERDUE)
        if reasons:
            found.append(AtRisk(relationship, reasons, relationship.last_met))  # type: ignore[attr-defined]
    return found


EXPORT_COLUMNS = [
    "relationship_id",
    "mentee_employee_id",
    "mentee",
    "mentor_employee_id",
    "mentor",
    "format",
    "status",
    "cadence",
    "proposed_on",
    "started_on",
    "closed_on",
    "outcome",
    "meetings",
    "last_met_on",
    "mean_check_in_satisfaction",
    "check_in_answers",
    "at_risk",
]


def export_rows(program: Program, *, today: date | None = None) -> Any:
    """The CSV's rows: metadata only, by construction (no column holds content)."""
    today = today or timezone.localdate()
    health_weeks = (
        MentoringSettings.objects.filter(program=program)
        .values_list("inactivity_weeks", flat=True)
        .first()
        or DEFAULT_INACTIVITY_WEEKS
    )
    risks: dict[int, list[str]] = defaultdict(list)
    for item in _at_risk(program, health_weeks, today):
        risks[item.relationship.pk] = item.reasons
    relationships = (
        Relationship.objects.filter(program=program)
        .select_related("mentee", "mentor")
        .with_health()
        .order_by("pk")
    )
    for r in relationships:
        yield [
            r.pk,
            r.mentee.employee_id,
            r.mentee.full_name,
            r.mentor.employee_id,
            r.mentor.full_name,
            r.format,
            r.status,
            r.cadence,
            r.proposed_at.date().isoformat(),
            r.activated_at.date().isoformat() if r.activated_at else "",
            r.closed_at.date().isoformat() if r.closed_at else "",
            r.outcome,
            r.meeting_count,  # type: ignore[attr-defined]
            r.last_met_on.isoformat() if r.last_met_on else "",  # type: ignore[attr-defined]
            f"{r.mean_satisfaction:.2f}" if r.mean_satisfaction is not None else "",  # type: ignore[attr-defined]
            r.satisfaction_count,  # type: ignore[attr-defined]
            " ".join(risks.get(r.pk, [])),
        ]
