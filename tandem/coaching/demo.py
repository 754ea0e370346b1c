"""Demo data for coaching, registered with the demo organization in
CoachingConfig.ready() (after the programs' loader, whose participants it coaches).

- Coaches: the demo "coach" (an internal coach from People & Culture) and three
  external coaches with different specialties, languages, time zones and rates.
- Engagements: the demo "participant" with the internal coach and the demo "manager"
  with an external coach — both active for about two months, with three held sessions
  (GROW notes, takeaways, ratings, next steps: some done, one overdue), one session
  booked next week, and coaching goals linked to their plan's goals. Two more managers
  of the coaching program are coached (active, and one completed and evaluated), so
  the admins' engagement list shows its health.
- The demo participant's reflection journal: a dozen STOP-LOOK-CHOOSE entries over
  four months, pausing more often lately, two of them shared with the coach.

Notes, takeaways, next steps and journal text are written through the models, so they
are encrypted at rest like any other. Rows are written with the ORM (the services would
email everyone and refuse sessions dated in the past).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from tandem.accounts.models import Role, User, UserRole
from tandem.coaching.models import (
    ActionItem,
    Coach,
    Engagement,
    EngagementGoal,
    EngagementStatus,
    Evaluation,
    JournalEntry,
    PairedVia,
    Party,
    Session,
    SessionNotes,
    SessionStatus,
    Trigger,
)
from tandem.people.demo import EMAIL_DOMAIN, DemoContext
from tandem.people.models import Level, Person
from tandem.programs.models import Competency, DevelopmentPlan, Goal, PlanCycle

COACHING_PROGRAM = "Mid-Level Managers: Leading Teams"


@dataclass(frozen=True)
class _ExternalCoach:
    username: str
    first_name: str
    last_name: str
    bio: str
    certification: str
    languages: tuple[str, ...]
    time_zone: str
    levels: tuple[str, ...]
    specialties: tuple[str, ...]
    capacity: int
    rate: int


EXTERNAL_COACHES = (
    _ExternalCoach(
        "coach.santos",
        "Marta",
        "Santos",
        "Former plant director. Coaches managers through competing priorities and the "
        "step from running a team to leading one.",
        "icf_pcc",
        ("en", "pt"),
        "Europe/Lisbon",
        (Level.MID, Level.SENIOR),
        ("Decision-making", "Strategic thinking", "Accountability"),
        6,
        220,
    ),
    _ExternalCoach(
        "coach.okafor",
        "James",
        "Okafor",
        "Organizational psychologist. Works on self-awareness, listening and the "
        "automatic reactions that get in a leader's way.",
        "icf_mcc",
        ("en", "fr"),
        "Europe/London",
        (Level.EMERGING, Level.MID, Level.SENIOR),
        ("Self-awareness", "Communication and listening", "Inclusion"),
        5,
        260,
    ),
    _ExternalCoach(
        "coach.tanaka",
        "Aiko",
        "Tanaka",
        "Coaches new people leaders on delegation, feedback and coaching their own teams.",
        "icf_acc",
        ("en", "ja"),
        "Asia/Tokyo",
        (Level.INDIVIDUAL_CONTRIBUTOR, Level.EMERGING),
        ("Coaching others", "Accountability"),
        4,
        150,
    ),
)
DEMO_COACH_USERNAMES = tuple(c.username for c in EXTERNAL_COACHES)

# Three held sessions' notes: GROW, the coachee's takeaways and the next steps agreed.
SESSIONS = (
    {
        "goal": "Get clear on what a good first quarter as a team lead looks like.",
        "reality": "Still doing most of the hands-on work; the team waits for answers.",
        "options": "Delegate the weekly report; hold one-on-ones; ask before answering.",
        "will": "Delegate the weekly report to one person, with a check-in after two weeks.",
        "takeaways": "I answer questions faster than the team can think. Ask first.",
        "steps": (("Hand the weekly report over, with the why", Party.COACHEE, 10),),
        "rating": 4,
    },
    {
        "goal": "Handle pushback in the planning meeting without getting defensive.",
        "reality": "When challenged, reacts fast and argues the detail; others go quiet.",
        "options": "Pause and ask what they see; name the disagreement; take it offline.",
        "will": "In the next two meetings, ask one question before defending a plan.",
        "takeaways": "Stop, look, choose: the pause is a choice, not a weakness.",
        "steps": (
            ("Ask one question before defending a plan, twice", Party.COACHEE, 12),
            ("Share a short reading on listening under pressure", Party.COACH, 3),
        ),
        "rating": 5,
    },
    {
        "goal": "Turn one-on-ones into development conversations.",
        "reality": "One-on-ones are status updates; two reports asked about growth.",
        "options": "A growth question each time; a shared notes page; ask for feedback.",
        "will": "Open each one-on-one with 'what do you want to get better at?'.",
        "takeaways": "They want growth conversations; I was waiting for permission.",
        "steps": (("Use the growth question in every one-on-one this month", Party.COACHEE, 30),),
        "rating": 4,
    },
)

JOURNAL = (
    # days ago, trigger, paused, situation, reaction, options, choice, outcome, shared
    (
        118,
        Trigger.CRITICISM,
        False,
        "A peer criticised my plan in the leadership meeting.",
        "Argued every point.",
        "",
        "",
        "The meeting ran over; nothing was decided.",
        False,
    ),
    (
        104,
        Trigger.PRESSURE,
        False,
        "Deadline moved up by a week.",
        "Took the work on myself.",
        "",
        "",
        "Late nights; the team did not learn the task.",
        False,
    ),
    (
        95,
        Trigger.CONFLICT,
        False,
        "Two reports disagreed about priorities in front of me.",
        "Decided on the spot.",
        "",
        "",
        "One of them disengaged for days.",
        False,
    ),
    (
        83,
        Trigger.CRITICISM,
        True,
        "My manager questioned a hiring decision.",
        "Wanted to defend it at once.",
        "Ask what worried her; explain; revisit.",
        "Asked what worried her first.",
        "We agreed on a second interview.",
        True,
    ),
    (
        70,
        Trigger.INTERRUPTION,
        False,
        "Interrupted five times while preparing the review.",
        "Snapped at the last person.",
        "",
        "",
        "Apologised later.",
        False,
    ),
    (
        61,
        Trigger.PRESSURE,
        True,
        "Month-end with two people out.",
        "Urge to do it all myself.",
        "Ask for help; cut scope; move the deadline.",
        "Cut the scope with the team.",
        "Done on time, smaller, and the team owned it.",
        False,
    ),
    (
        49,
        Trigger.NOT_HEARD,
        True,
        "My proposal was ignored in the planning meeting.",
        "Felt like withdrawing.",
        "Stay quiet; push harder; ask what would convince them.",
        "Asked what would convince them.",
        "They asked for numbers; I bring them next week.",
        False,
    ),
    (
        38,
        Trigger.CRITICISM,
        True,
        "A report told me my feedback felt harsh.",
        "Wanted to explain my intent.",
        "Explain; listen; ask for an example.",
        "Asked for an example and listened.",
        "Useful: I start with the conclusion.",
        True,
    ),
    (
        26,
        Trigger.CONFLICT,
        True,
        "Disagreement with a peer about shared resources.",
        "Wanted to escalate.",
        "Escalate; trade; find the shared goal.",
        "Looked for the shared goal first.",
        "We split the work differently.",
        False,
    ),
    (
        15,
        Trigger.SETBACK,
        False,
        "A release slipped because of my estimate.",
        "Blamed the dependencies.",
        "",
        "",
        "Owned it in the retro a day later.",
        False,
    ),
    (
        8,
        Trigger.UNCERTAINTY,
        True,
        "Reorganization rumours in the team.",
        "Wanted to reassure without facts.",
        "Say nothing; reassure; say what I know.",
        "Said what I know and when I will know more.",
        "The team calmed down.",
        False,
    ),
    (
        3,
        Trigger.CRITICISM,
        True,
        "A customer complained about my team in front of others.",
        "Urge to defend the team on the spot.",
        "Defend; listen; follow up privately.",
        "Listened, then followed up privately.",
        "The customer thanked us.",
        False,
    ),
)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class _Builder:
    def __init__(self, context: DemoContext) -> None:
        self.context = context
        self.as_of = context.as_of
        self.admin = User.objects.filter(username="admin").first()
        self.competencies = {c.name: c for c in Competency.objects.all()}
        self.sessions = self.notes = self.steps = 0
        # Without keys nothing confidential can be written (see load_coaching).
        self.encrypts = bool(settings.TANDEM_ENCRYPTION_KEYS)

    def external_coach(self, spec: _ExternalCoach) -> Coach:
        user, _created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "email": f"{spec.username}@{EMAIL_DOMAIN}",
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "time_zone": spec.time_zone,
            },
        )
        UserRole.objects.get_or_create(user=user, role=Role.COACH)
        coach = Coach.objects.create(
            user=user,
            kind="external",
            bio=spec.bio,
            certification=spec.certification,
            languages=list(spec.languages),
            time_zone=spec.time_zone,
            levels=list(spec.levels),
            capacity=spec.capacity,
            hourly_rate=Decimal(spec.rate),
        )
        coach.specialties.set(
            [self.competencies[n] for n in spec.specialties if n in self.competencies]
        )
        return coach

    def internal_coach(self, person: Person) -> Coach | None:
        if person.user is None:
            return None
        coach = Coach.objects.create(
            user=person.user,
            kind="internal",
            bio="Leadership coach in People & Culture; works with new and mid-level leaders.",
            certification="icf_acc",
            languages=["en"],
            time_zone="Europe/Lisbon",
            levels=[Level.EMERGING, Level.MID],
            capacity=4,
            hourly_rate=Decimal(90),
        )
        names = (
            "Coaching others",
            "Self-awareness",
            "Accountability",
            "Communication and listening",
        )
        coach.specialties.set([self.competencies[n] for n in names if n in self.competencies])
        return coach

    def engagement(
        self,
        coach: Coach,
        coachee: Person,
        *,
        started_days_ago: int,
        held: int,
        upcoming: bool,
        completed: bool = False,
    ) -> Engagement:
        start = self.as_of - timedelta(days=started_days_ago)
        plan = DevelopmentPlan.objects.filter(person=coachee).order_by("-created_at", "-pk").first()
        manager = coachee.manager if coachee.manager and coachee.manager.is_active else None
        engagement = Engagement.objects.create(
            coach=coach,
            coachee=coachee,
            sponsor=manager,
            plan=plan,
            status=EngagementStatus.COMPLETED if completed else EngagementStatus.ACTIVE,
            planned_sessions=max(6, held + 2),
            starts_on=start,
            ends_on=start + timedelta(days=182),
            goal_setting_on=start + timedelta(days=7),
            coach_accepted_at=_at(start, 10),
            coachee_accepted_at=_at(start + timedelta(days=1), 11),
            paired_via=PairedVia.ADMIN,
            paired_by=self.admin,
            ended_at=_at(self.as_of - timedelta(days=5)) if completed else None,
            ended_by_party=Party.COACH if completed else "",
        )
        Engagement.objects.filter(pk=engagement.pk).update(created_at=_at(start, 8))
        self.goals(engagement, plan)
        for number in range(held):
            self.held_session(engagement, number, start + timedelta(days=14 + 18 * number))
        if upcoming and not completed:
            Session.objects.create(
                engagement=engagement,
                starts_at=_at(self.as_of + timedelta(days=6), 14),
                duration_minutes=60,
                location="https://meet.example.com/coaching",
                scheduled_by=coach.user,
            )
            self.sessions += 1
        if completed:
            self.evaluate(engagement)
        return engagement

    def goals(self, engagement: Engagement, plan: DevelopmentPlan | None) -> None:
        plan_goals: list[Goal] = []
        if plan is not None:
            cycle = PlanCycle.objects.filter(plan=plan, closed_on__isnull=True).first()
            if cycle is not None:
                plan_goals = list(cycle.goals.order_by("due_date", "pk")[:2])
        for index, goal in enumerate(plan_goals):
            EngagementGoal.objects.create(
                engagement=engagement,
                title=f"Coaching towards: {goal.title}",
                plan_goal=goal,
                progress=[40, 20][index],
            )
        if not plan_goals:
            EngagementGoal.objects.create(
                engagement=engagement,
                title="Pause before reacting when challenged",
                progress=30,
            )

    def held_session(self, engagement: Engagement, number: int, day: date) -> None:
        spec: dict[str, Any] = SESSIONS[number % len(SESSIONS)]
        starts_at = _at(day, 9 + number % 3)
        session = Session.objects.create(
            engagement=engagement,
            starts_at=starts_at,
            duration_minutes=60,
            location="https://meet.example.com/coaching",
            status=SessionStatus.HELD,
            scheduled_by=engagement.coach.user,
            closed_at=starts_at + timedelta(hours=2),
            rating=spec["rating"],
            rated_at=starts_at + timedelta(hours=20),
        )
        self.sessions += 1
        if not self.encrypts:
            return
        SessionNotes.objects.create(
            session=session,
            goal=spec["goal"],
            reality=spec["reality"],
            options=spec["options"],
            will=spec["will"],
            takeaways=spec["takeaways"],
        )
        for title, owner, days in spec["steps"]:
            due = day + timedelta(days=days)
            # Earlier steps are done; the latest session's are open, one overdue.
            done = due - timedelta(days=1) if due < self.as_of - timedelta(days=20) else None
            ActionItem.objects.create(
                engagement=engagement,
                session=session,
                title=title,
                owner=owner,
                due_date=due,
                done_on=done,
            )
            self.steps += 1
        self.notes += 1

    def evaluate(self, engagement: Engagement) -> None:
        coachee_user = engagement.coachee.user or self.admin
        if coachee_user is not None:
            Evaluation.objects.create(
                engagement=engagement,
                party=Party.COACHEE,
                author=coachee_user,
                goals_rating=4,
                value_rating=5,
            )
        sponsor = engagement.sponsor
        if sponsor is not None and sponsor.user is not None:
            Evaluation.objects.create(
                engagement=engagement,
                party=Party.SPONSOR,
                author=sponsor.user,
                goals_rating=4,
                value_rating=4,
            )

    def journal(self, author: Person) -> int:
        if not self.encrypts:
            return 0
        for days, trigger, paused, situation, reaction, options, choice, outcome, shared in JOURNAL:
            JournalEntry.objects.create(
                author=author,
                occurred_on=self.as_of - timedelta(days=days),
                trigger=trigger,
                paused=paused,
                situation=situation,
                reaction=reaction,
                options=options,
                choice=choice,
                outcome=outcome,
                shared_with_coach=shared,
            )
        return len(JOURNAL)


def load_coaching(context: DemoContext) -> str:
    """Write the demo coaches, engagements, sessions and journal; a line for the report."""
    builder = _Builder(context)
    people: dict[str, Any] = {
        person.user.username: person
        for person in Person.objects.filter(
            user__username__in=[login.username for login in context.logins]
        ).select_related("user", "manager")
        if person.user is not None
    }
    externals = [builder.external_coach(spec) for spec in EXTERNAL_COACHES]
    internal = builder.internal_coach(people["coach"]) if "coach" in people else None
    engagements = 0
    participant, manager = people.get("participant"), people.get("manager")
    journal = 0
    if participant is not None and internal is not None:
        builder.engagement(internal, participant, started_days_ago=62, held=3, upcoming=True)
        journal = builder.journal(participant)
        engagements += 1
    if manager is not None:
        builder.engagement(externals[0], manager, started_days_ago=70, held=3, upcoming=True)
        engagements += 1
    others = list(
        Person.objects.filter(enrollments__program__name=COACHING_PROGRAM)
        .exclude(pk__in=[p.pk for p in people.values()])
        .select_related("manager", "user")
        .order_by("employee_id")[:3]
    )
    for index, person in enumerate(others):
        builder.engagement(
            externals[1 + index % 2],
            person,
            started_days_ago=120 + 30 * index,
            held=2 + index,
            upcoming=index == 0,
            completed=index == 2,
        )
        engagements += 1
    line = (
        f"Coaching: {len(externals) + (1 if internal else 0)} coaches, {engagements} "
        f"engagements, {builder.sessions} sessions ({builder.notes} with encrypted notes), "
        f"{builder.steps} next steps, {journal} journal entries."
    )
    if not builder.encrypts:
        line += " Set TANDEM_ENCRYPTION_KEYS to load the notes, next steps and journal."
    return line


def delete_coaching() -> None:
    """Before the organization is reset: every coaching row, and the external coaches'
    logins the demo made."""
    JournalEntry.objects.all().delete()
    Engagement.objects.all().delete()  # sessions, notes, next steps, goals, evaluations
    Coach.objects.all().delete()
    User.objects.filter(username__in=DEMO_COACH_USERNAMES).delete()
