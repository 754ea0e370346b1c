"""Demo one-on-ones and everyday feedback, registered in demo_hooks.register().

For every manager of the demo organization: a fortnightly series with each direct
report since about four months before the demo date, its past planned dates mostly
held (completed with agenda items, shared notes and a next step; a manager keeps
55-80 % of them, the demo manager 90 %) and the next one planned with an open agenda
item; private notes for the demo manager; feedback both ways (managers to their
reports, now and then reports to their manager) and a few requests, one of them on a
goal of the demo participant's plan.

Coached managers hold more regular 1:1s and give more feedback: this app may not know
who is coached (it is a sibling of coaching), so the insights demo, which may, calls
`favour` with their ids after this loader ran.

Deterministic (the loader's seeded generator) and idempotent: a second load first
removes what the first wrote.
"""

import random
from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from tandem.conversations.models import (
    AgendaItem,
    Cadence,
    Feedback,
    FeedbackKind,
    FeedbackRequest,
    Meeting,
    MeetingStatus,
    NextStep,
    OneOnOneSeries,
    PrivateNote,
)
from tandem.people.demo import DemoContext
from tandem.people.models import Person
from tandem.programs.models import Goal

WINDOW_DAYS = 120
DEMO_MANAGER_RATE = 0.9
RATE = (0.55, 0.8)
FAVOURED_RATE = 0.95
FAVOURED_FEEDBACK = 3  # at least this many per report in the window

TOPICS = (
    "Priorities for the next two weeks",
    "How the release went",
    "Workload and focus",
    "Career goals",
    "Feedback from the customer review",
    "Stretch assignment",
    "Blockers on the project",
    "Learning plan progress",
)
STEPS = (
    "Draft the project plan and share it",
    "Book a session with the product team",
    "Write up the retrospective notes",
    "Pick one course from the learning plan",
    "Prepare the stakeholder update",
    "Ask two peers for feedback",
)
NOTES = (
    "Went through the priorities; agreed to drop the low-value reporting.",
    "Talked about the stretch assignment and what support is needed.",
    "Reviewed progress on the development goals; on track.",
    "Discussed workload; moved one deadline by a week.",
)
SBI = (
    (
        "In Tuesday's planning meeting",
        "you summarized the open questions before we decided",
        "we left with a clear plan and no follow-up meeting",
    ),
    (
        "During the customer call",
        "you explained the delay plainly and offered two options",
        "the customer chose quickly and thanked us for the honesty",
    ),
    (
        "In the design review",
        "you interrupted others twice before they finished",
        "two people stopped contributing ideas",
    ),
)
PRIVATE = (
    "Seems stretched: check in on workload next time.",
    "Ready for more ownership; think about the Q3 project.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_current_timezone())


def delete_conversations() -> None:
    """Before the organization is reset (and before a second load): every series (with
    its meetings, agenda, notes and next steps), feedback and request."""
    Feedback.objects.all().delete()
    FeedbackRequest.objects.all().delete()
    OneOnOneSeries.objects.all().delete()


def _pairs(as_of: date) -> list[tuple[int, int]]:
    """(manager, report) of every active report, in a stable order."""
    return list(
        Person.objects.active(as_of)
        .exclude(manager=None)
        .filter(manager__exit_date=None)
        .order_by("manager_id", "employee_id", "pk")
        .values_list("manager_id", "pk")
    )


def _hold(series: list[OneOnOneSeries], days: dict[int, list[date]], rng: random.Random) -> int:
    """Complete a meeting on each listed day of each series: agenda, notes, a step."""
    meetings = Meeting.objects.bulk_create(
        Meeting(
            series=one,
            on=day,
            status=MeetingStatus.COMPLETED,
            shared_notes=rng.choice(NOTES),
            completed_at=_at(day, 11),
        )
        for one in series
        for day in days.get(one.pk, [])
    )
    by_pk = {one.pk: one for one in series}
    agenda, steps = [], []
    for meeting in meetings:
        one = by_pk[meeting.series_id]
        for author in rng.sample([one.manager_id, one.report_id], k=rng.randint(1, 2)):
            agenda.append(
                AgendaItem(
                    meeting=meeting,
                    author_id=author,
                    text=rng.choice(TOPICS),
                    done=True,
                    created_at=_at(meeting.on, 9),
                )
            )
        due = meeting.on + timedelta(days=14)
        steps.append(
            NextStep(
                meeting=meeting,
                title=rng.choice(STEPS),
                owner_id=rng.choice([one.report_id, one.report_id, one.manager_id]),
                due_date=due,
                done_on=due - timedelta(days=rng.randint(0, 5)) if rng.random() < 0.7 else None,
                created_at=_at(meeting.on, 11),
            )
        )
    AgendaItem.objects.bulk_create(agenda)
    NextStep.objects.bulk_create(steps)
    return len(meetings)


def _give(giver: int, recipient: int, day: date, rng: random.Random) -> Feedback:
    situation, behaviour, impact = rng.choice(SBI)
    return Feedback(
        giver_id=giver,
        recipient_id=recipient,
        kind=FeedbackKind.DEVELOPMENTAL if "interrupted" in behaviour else FeedbackKind.POSITIVE,
        situation=situation,
        behaviour=behaviour,
        impact=impact,
        share_with_manager=rng.random() < 0.3,
        created_at=_at(day, 15),
    )


def load(context: DemoContext) -> str:
    """Write the series, meetings, feedback and requests; a line for the report."""
    delete_conversations()
    rng, as_of = context.rng, context.as_of
    start = as_of - timedelta(days=WINDOW_DAYS)
    logins = {
        person.user.username: person
        for person in Person.objects.filter(
            user__username__in=["manager", "participant"]
        ).select_related("user")
        if person.user is not None
    }
    demo_manager = logins.get("manager")
    pairs = _pairs(as_of)
    series = OneOnOneSeries.objects.bulk_create(
        OneOnOneSeries(
            manager_id=manager,
            report_id=report,
            cadence=Cadence.FORTNIGHTLY,
            first_on=start + timedelta(days=rng.randint(0, 13)),
            starts_at=time(rng.choice([9, 10, 11, 14, 15])),
            created_at=_at(start - timedelta(days=3)),
        )
        for manager, report in pairs
    )
    rates = {manager: rng.uniform(*RATE) for manager, _report in pairs}
    if demo_manager is not None:
        rates[demo_manager.pk] = DEMO_MANAGER_RATE
    held_days: dict[int, list[date]] = {}
    upcoming = []
    for one in series:
        dates = one.dates_between(start, as_of + timedelta(days=14))
        held_days[one.pk] = [
            day for day in dates if day < as_of and rng.random() < rates[one.manager_id]
        ]
        upcoming.append(Meeting(series=one, on=next(d for d in dates if d >= as_of)))
    held = _hold(series, held_days, rng)
    Meeting.objects.bulk_create(upcoming)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, author_id=meeting.series.report_id, text=rng.choice(TOPICS))
        for meeting in upcoming
    )
    feedback = []
    for manager, report in pairs:
        for _ in range(rng.choice([0, 1, 1, 2])):
            feedback.append(_give(manager, report, start + timedelta(rng.randint(0, 119)), rng))
        if rng.random() < 0.3:
            feedback.append(_give(report, manager, start + timedelta(rng.randint(0, 119)), rng))
    Feedback.objects.bulk_create(feedback)
    notes = _private_notes(demo_manager)
    requests = _requests(logins, as_of, rng)
    return (
        f"Conversations: {len(series)} one-on-one series, {held} meetings held, "
        f"{len(feedback)} pieces of feedback, {requests} feedback requests, {notes} "
        "private notes."
    )


def _private_notes(manager: Person | None) -> int:
    """The demo manager's own notes on a few meetings (encrypted: only with a key)."""
    if manager is None or not settings.TANDEM_ENCRYPTION_KEYS:
        return 0
    meetings = Meeting.objects.filter(
        series__manager=manager, status=MeetingStatus.COMPLETED
    ).order_by("-on", "pk")[:4]
    notes = [
        PrivateNote(meeting=meeting, author=manager, body=PRIVATE[number % len(PRIVATE)])
        for number, meeting in enumerate(meetings)
    ]
    PrivateNote.objects.bulk_create(notes)
    return len(notes)


def _requests(logins: dict[str, Person], as_of: date, rng: random.Random) -> int:
    """The participant asks their manager on a goal of their plan (answered) and a
    peer (open); the demo manager asks a report for upward feedback (open)."""
    participant, manager = logins.get("participant"), logins.get("manager")
    made = 0
    if participant is not None and participant.manager_id is not None:
        goal = Goal.objects.filter(cycle__plan__person=participant).order_by("pk").first()
        request = FeedbackRequest.objects.create(
            requester=participant,
            asked_id=participant.manager_id,
            goal=goal,
            message="How did my stakeholder update land? It is part of my plan's goal.",
            created_at=_at(as_of - timedelta(days=12)),
        )
        answer = _give(participant.manager_id, participant.pk, as_of - timedelta(days=9), rng)
        answer.request = request
        answer.save()
        peer = (
            Person.objects.active(as_of)
            .filter(manager_id=participant.manager_id)
            .exclude(pk=participant.pk)
            .order_by("employee_id")
            .first()
        )
        if peer is not None:
            FeedbackRequest.objects.create(
                requester=participant,
                asked=peer,
                message="Anything I could do better in our joint planning meetings?",
                created_at=_at(as_of - timedelta(days=4)),
            )
            made += 1
        made += 1
    if manager is not None:
        reports = Person.objects.active(as_of).filter(manager=manager).order_by("employee_id")
        if participant is not None:
            reports = reports.exclude(pk=participant.pk)
        first = reports.first()
        if first is not None:
            FeedbackRequest.objects.create(
                requester=manager,
                asked=first,
                message="What should I keep doing, and stop doing, in our one-on-ones?",
                created_at=_at(as_of - timedelta(days=6)),
            )
            made += 1
    return made


def favour(manager_ids: Collection[int], as_of: date, rng: random.Random) -> int:
    """Make these managers (the coached ones: the insights demo knows who) hold nearly
    every planned 1:1 in the window and give each report at least
    FAVOURED_FEEDBACK pieces of feedback. Idempotent: only what is missing is added.
    Returns how many meetings and feedback were added."""
    start = as_of - timedelta(days=WINDOW_DAYS)
    series = list(OneOnOneSeries.objects.active().filter(manager_id__in=manager_ids))
    taken: dict[int, set[date]] = {}
    for series_id, day in Meeting.objects.filter(series__in=series).values_list("series_id", "on"):
        taken.setdefault(series_id, set()).add(day)
    days = {
        one.pk: [
            day
            for day in one.dates_between(start, as_of - timedelta(days=1))
            if day not in taken.get(one.pk, set()) and rng.random() < FAVOURED_RATE
        ]
        for one in series
    }
    added = _hold(series, days, rng)
    given: dict[tuple[int, int], int] = {}
    for pair in Feedback.objects.filter(
        giver_id__in=manager_ids, created_at__date__gte=start
    ).values_list("giver_id", "recipient_id"):
        given[pair] = given.get(pair, 0) + 1
    feedback = [
        _give(one.manager_id, one.report_id, start + timedelta(rng.randint(0, 119)), rng)
        for one in series
        for _ in range(FAVOURED_FEEDBACK - given.get((one.manager_id, one.report_id), 0))
    ]
    Feedback.objects.bulk_create(feedback)
    return added + len(feedback)
