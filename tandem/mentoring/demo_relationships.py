"""Demo relationships: what a published match looks like months later. The matching
half's demo calls `populate` with the relationships its publish proposed; this gives
them a history — most accepted, agreements, months of meetings (with private notes on
both sides), check-ins with varied satisfaction, introductions and sponsorship, one
relationship gone quiet (flagged inactive), one closed with both surveys, one ended
early without fault — and leaves a couple as open requests.

The history is written directly (backdated), not through the workflows, which date
everything "now" and email people."""

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from tandem.mentoring.models import (
    CheckIn,
    ClosingSurvey,
    Introduction,
    Meeting,
    MeetingAttendance,
    MeetingCadence,
    Relationship,
    RelationshipStatus,
)
from tandem.mentoring.relationships import inactivity_weeks

TOPICS = [
    "How decisions really get made here; who to talk to before the leadership meeting.",
    "Preparing for the promotion conversation: evidence, timing, what to ask for.",
    "Running a first team meeting without doing all the talking.",
    "Saying no to a senior stakeholder and keeping the relationship.",
    "Reading the P&L of the unit; which numbers the board watches.",
    "Building a network outside the department.",
]
NEXT_STEPS = [
    "Ask two peers for feedback on the last presentation.",
    "Draft the one-page case for the new role.",
    "Shadow the quarterly business review.",
    "Book coffee with the head of operations.",
]
MENTOR_NOTES = [
    "Confident on content, hesitant in the room. Practise the opening next time.",
    "Strong progress; the network is the gap now.",
    "Tired this month: keep the next session short and practical.",
]
MENTEE_NOTES = [
    "Good advice on stakeholders. Try it with the finance lead this week.",
    "I need to ask for the stretch project directly.",
    "Helpful to hear how she handled her first promotion.",
]
WHOM = [
    "Head of Strategy",
    "CFO's staff meeting",
    "Regional sales director",
    "Women in Leadership forum",
]
CADENCE_DAYS: dict[str, int] = {"weekly": 7, "fortnightly": 14, "monthly": 30}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _activate(relationship: Relationship, started: date, cadence: str) -> None:
    relationship.mentee_accepted_at = _at(started - timedelta(days=3))
    relationship.mentor_accepted_at = _at(started - timedelta(days=2))
    relationship.proposed_at = min(relationship.proposed_at, _at(started - timedelta(days=5)))
    relationship.agreed_at = relationship.activated_at = _at(started)
    relationship.status = RelationshipStatus.ACTIVE
    relationship.cadence = cadence
    relationship.expires_at = None
    relationship.save()


def _meetings(rng: Any, relationship: Relationship, started: date, until: date) -> int:
    step = CADENCE_DAYS.get(relationship.cadence, 14)
    day, held = started + timedelta(days=rng.randint(2, 6)), 0
    while day <= until:
        meeting = Meeting.objects.create(
            program=relationship.program,
            mentor=relationship.mentor,
            held_on=day,
            duration_minutes=rng.choice([30, 45, 60, 60, 90]),
            mode=rng.choice(["video", "in_person", "phone"]),
            topics=rng.choice(TOPICS),
            next_step=rng.choice(NEXT_STEPS),
            mentor_notes=rng.choice(MENTOR_NOTES) if rng.random() < 0.6 else "",
            logged_by=relationship.mentor.user,
        )
        MeetingAttendance.objects.create(
            meeting=meeting,
            relationship=relationship,
            mentee_notes=rng.choice(MENTEE_NOTES) if rng.random() < 0.5 else "",
        )
        held += 1
        day += timedelta(days=step + rng.randint(-2, 4))
    return held


def _check_ins(rng: Any, relationship: Relationship, today: date, mood: int) -> None:
    for due in relationship.check_in_dates(today):
        for side in ("mentee", "mentor"):
            answered = rng.random() < 0.85 or due > today - timedelta(days=7)
            satisfaction = max(1, min(5, mood + rng.choice([-1, 0, 0, 1])))
            CheckIn.objects.create(
                relationship=relationship,
                side=side,
                due_on=due,
                satisfaction=satisfaction if answered else None,
                goal_progress=max(1, min(5, satisfaction - rng.choice([0, 1])))
                if answered
                else None,
                frequency_ok=(satisfaction >= 3) if answered else None,
                comment="Going well; more time on the network would help." if answered else "",
                answered_at=_at(due + timedelta(days=rng.randint(0, 5))) if answered else None,
            )


def _introduce(rng: Any, relationship: Relationship, started: date, today: date) -> None:
    for kind in rng.sample(["introduction", "sponsorship", "event"], k=rng.randint(1, 2)):
        Introduction.objects.create(
            relationship=relationship,
            kind=kind,
            whom=rng.choice(WHOM),
            happened_on=started + timedelta(days=rng.randint(10, max(11, (today - started).days))),
            note="Followed up by email." if rng.random() < 0.5 else "",
            logged_by=relationship.mentor.user,
        )


def populate(context: Any, relationships: list[Relationship]) -> str:
    """Give the demo's freshly proposed relationships a history; a line for the report."""
    rng = context.rng
    today = timezone.localdate()
    ordered = sorted(relationships, key=lambda r: r.pk)
    if not ordered:
        return "no mentoring relationships"
    requests = ordered[-2:] if len(ordered) > 4 else []
    started = [r for r in ordered if r not in requests]
    counts = {"active": 0, "inactive": 0, "closed": 0, "exited": 0, "meetings": 0}
    for index, relationship in enumerate(started):
        weeks = inactivity_weeks(relationship.program)
        began = today - timedelta(days=rng.randint(100, 170))
        cadence = rng.choice(
            [MeetingCadence.FORTNIGHTLY, MeetingCadence.FORTNIGHTLY, MeetingCadence.MONTHLY]
        )
        _activate(relationship, began, cadence)
        if index == 1:  # gone quiet: the last meeting long before the inactivity period
            last = today - timedelta(weeks=weeks + 3)
            counts["meetings"] += _meetings(rng, relationship, began, last)
            _check_ins(rng, relationship, today, mood=2)
            counts["inactive"] += 1
            continue
        counts["meetings"] += _meetings(rng, relationship, began, today - timedelta(days=2))
        mood = 2 if index == 3 else rng.choice([3, 4, 4, 5])
        _check_ins(rng, relationship, today, mood=mood)
        _introduce(rng, relationship, began, today)
        if index == 2:  # closed with both surveys
            relationship.status = RelationshipStatus.CLOSED
            relationship.closed_at = _at(today - timedelta(days=3))
            relationship.closed_by = "mentee"
            relationship.outcome = "goals_met"
            relationship.save()
            for side in ("mentee", "mentor"):
                ClosingSurvey.objects.create(
                    relationship=relationship,
                    side=side,
                    satisfaction=5,
                    goals_met=4,
                    would_recommend=True,
                    what_changed="More confident speaking to senior leaders.",
                )
            counts["closed"] += 1
        elif index == 4:  # ended early, without fault
            relationship.status = RelationshipStatus.CLOSED
            relationship.closed_at = _at(today - timedelta(days=10))
            relationship.closed_by = "mentor"
            relationship.outcome = "exited"
            relationship.exit_reason = "role_change"
            relationship.save()
            counts["exited"] += 1
        else:
            counts["active"] += 1
    return (
        f"{len(ordered)} mentoring relationships ({counts['active']} active, "
        f"{counts['inactive']} inactive, {counts['closed']} closed, "
        f"{counts['exited']} ended early, "
        f"{len(requests)} open requests), {counts['meetings']} meetings"
    )
