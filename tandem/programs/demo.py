"""Demo data for programs: two running programs with participants at every step of the
development cycle, registered with the demo organization in ProgramsConfig.ready().

- "Emerging Leaders Accelerator" (blended, emerging leaders) and "Mid-Level Managers:
  Leading Teams" (coaching, mid-level managers), each with success criteria defined
  up front, cost lines and a cohort.
- Participants of the right level, chosen with the demo's seed. The demo "participant"
  and the demo "manager"'s other emerging reports are in the first program; the demo
  "manager" is in the second. Their plans are spread over the five steps, and a few
  plans of the longer-running program are already in cycle 2.
- Plans are built through the real workflows (`services`: enroll, advance, check-in,
  close a cycle; the advisor for the "learn" step), then dated relative to the as-of
  date, so the data is what the pages would have produced. A step's work that belongs
  to a higher app (the self-assessment of "assess") is done by what that app
  registered with `register_stage_work`. Goals are aligned to the
  demo objectives, with milestones and progress; check-ins end in next steps, and
  some next steps and check-ins are overdue on the as-of date.

The amount of data does not depend on the size of the organization.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from tandem.accounts.models import User
from tandem.lib import advisor as rules
from tandem.people.demo import DemoContext
from tandem.people.models import Level, Objective, Person
from tandem.programs import services
from tandem.programs.advisor import plan_add_advice
from tandem.programs.models import (
    ActionItem,
    CheckIn,
    Cohort,
    Competency,
    CostCategory,
    CostLine,
    DevelopmentPlan,
    Enrollment,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    Measurement,
    Metric,
    Milestone,
    PlanCycle,
    Program,
    ProgramKind,
    Stage,
    SuccessCriterion,
)

ASSESS, SET_GOALS, LEARN, APPLY, MEASURE = (
    Stage.ASSESS,
    Stage.SET_GOALS,
    Stage.LEARN,
    Stage.APPLY,
    Stage.MEASURE,
)
STAGES = list(Stage)

# A higher app's part of a step, done for the demo before the plan leaves that step (for
# example the assessments app's self-assessment, without which a plan cannot leave
# "assess"). Called with the plan and the day the work is done.
StageWork = Callable[[DevelopmentPlan, date], None]
_STAGE_WORK: dict[str, list[StageWork]] = {stage: [] for stage in Stage.values}


def register_stage_work(stage: str, work: StageWork) -> None:
    """From a higher app's AppConfig.ready(): do `work` in the demo before a plan leaves
    `stage`, so the checks that app registered for the stage (programs.cycle) pass."""
    if work not in _STAGE_WORK[stage]:
        _STAGE_WORK[stage].append(work)


@dataclass(frozen=True)
class _Criterion:
    metric: str
    baseline: str
    target: str
    unit: str
    competency: str = ""
    note: str = ""


@dataclass(frozen=True)
class _Goal:
    title: str
    measure: str
    competency: str
    milestones: tuple[str, ...]


@dataclass(frozen=True)
class _Measure:
    label: str
    competency: str
    source: str
    low: float
    high: float
    gain: tuple[float, float]  # what a cycle adds


@dataclass(frozen=True)
class _ProgramSpec:
    name: str
    description: str
    kind: str
    level: str
    started_days_ago: int
    length_days: int
    budget: int
    checkin_every_days: int
    participants: int
    criteria: tuple[_Criterion, ...]
    costs: tuple[tuple[str, str, int], ...]
    # (cycle, stage) of each participant's plan, the demo users' first.
    positions: tuple[tuple[int, Stage], ...]
    advisor: rules.Situation
    leadership_objective: str  # the company objective a second goal is aligned to
    goals: tuple[_Goal, ...]
    measures: tuple[_Measure, ...]
    next_steps: tuple[str, ...]
    progress_notes: tuple[str, ...]
    outcomes: tuple[str, ...]


BLOCKERS = (
    "",
    "",
    "Quarter-end crunch left little time for one-on-ones.",
    "Two people on leave; the team was stretched.",
    "Unclear who owns the hand-over with another team.",
)

EMERGING_LEADERS = _ProgramSpec(
    name="Emerging Leaders Accelerator",
    description=(
        "For new team leads moving from individual contributor to people leader: "
        "foundational self-awareness, delegation and giving feedback. A workshop series "
        "followed by reinforcement bursts and four coaching sessions each, with "
        "check-ins every two weeks."
    ),
    kind=ProgramKind.BLENDED,
    level=Level.EMERGING,
    started_days_ago=120,
    length_days=300,
    budget=70_000,
    checkin_every_days=14,
    participants=14,
    criteria=(
        _Criterion(
            Metric.COMPETENCY_360_CHANGE,
            "3.1",
            "3.6",
            "points",
            "Coaching others",
            "Average rating by direct reports, on a scale of 1 to 5.",
        ),
        _Criterion(Metric.GOAL_COMPLETION_RATE, "45", "70", "%"),
        _Criterion(Metric.INTERNAL_PROMOTION_RATE, "8", "15", "%"),
    ),
    costs=(
        (CostCategory.FACILITATION, "Workshop series: design and facilitation", 18_000),
        (CostCategory.COACHING, "Four coaching sessions per participant", 25_200),
        (CostCategory.MATERIALS, "360 reviews and style profiles", 4_200),
        (CostCategory.VENUE_TRAVEL, "Workshop venue and travel", 6_500),
        (CostCategory.PARTICIPANT_TIME, "Participants' time in workshops", 12_000),
        (CostCategory.PLATFORM_ADMIN, "Program administration", 2_000),
    ),
    positions=(
        (1, APPLY),
        (1, ASSESS),
        (1, SET_GOALS),
        (1, LEARN),
        (1, APPLY),
        (1, MEASURE),
        (1, SET_GOALS),
        (1, LEARN),
        (1, APPLY),
        (1, MEASURE),
        (1, LEARN),
        (1, APPLY),
        (1, MEASURE),
        (1, APPLY),
    ),
    advisor=rules.Situation(
        level="emerging",
        need="self_awareness",
        customization="medium",
        time_available="some",
        budget_per_person=4500,  # workshops and four coaching sessions
        people_sharing_need=14,
        practice_and_feedback=True,
    ),
    leadership_objective="Build a bench of ready-now leaders",
    goals=(
        _Goal(
            "Delegate one recurring task with a clear outcome and check-in",
            "The team runs the task for four weeks without me stepping in",
            "Accountability",
            ("Choose the task and agree the outcome", "Hand it over", "Review it together"),
        ),
        _Goal(
            "Hold a development conversation with each direct report",
            "Every direct report has an agreed development goal",
            "Coaching others",
            ("Prepare questions, not answers", "First conversations held", "All held"),
        ),
        _Goal(
            "Give specific, timely feedback every week",
            "Direct reports rate my feedback 4 or more in the pulse",
            "Communication and listening",
            ("Note one observation a day", "Ask how my feedback lands"),
        ),
        _Goal(
            "Pause before reacting in tense meetings",
            "Peers notice the change in the 360 comments",
            "Self-awareness",
            ("Spot my triggers with my coach", "Try the pause in three meetings"),
        ),
    ),
    measures=(_Measure("Coaching others (360)", "Coaching others", "360", 2.7, 3.4, (0.2, 0.6)),),
    next_steps=(
        "Hand over the weekly status report and agree what good looks like",
        "Ask two team members for feedback on my last one-on-ones",
        "Prepare a development conversation with one direct report",
        "Try the pause-and-choose step in the Monday meeting",
        "Share what I learned in the feedback workshop with my manager",
        "Book the next coaching session",
        "Write down one piece of feedback I held back, and give it",
    ),
    progress_notes=(
        "Delegated the weekly report for the first time; the team handled it.",
        "Held development conversations with two of four direct reports.",
        "Noticed I interrupt in stand-ups; held back twice this week.",
        "Gave feedback the same day twice; it landed better than expected.",
        "Coaching session on delegation: I hold on to tasks to feel useful.",
    ),
    outcomes=(
        "Delegation is becoming a habit; feedback under pressure still needs work.",
        "Development conversations held with every report; next: follow-through.",
    ),
)

MID_MANAGERS = _ProgramSpec(
    name="Mid-Level Managers: Leading Teams",
    description=(
        "Six-month coaching engagements for mid-level managers on team dynamics, "
        "communication and competing priorities, with check-ins every three weeks. "
        "Success is measured in their teams: engagement and voluntary turnover."
    ),
    kind=ProgramKind.COACHING,
    level=Level.MID,
    started_days_ago=240,
    length_days=365,
    budget=110_000,
    checkin_every_days=21,
    participants=12,
    criteria=(
        _Criterion(
            Metric.TEAM_VOLUNTARY_TURNOVER,
            "14",
            "10",
            "%",
            note="Participants' teams, over the twelve months after the start.",
        ),
        _Criterion(Metric.TEAM_ENGAGEMENT, "68", "75", "points"),
        _Criterion(
            Metric.COMPETENCY_360_CHANGE,
            "3.2",
            "3.7",
            "points",
            "Communication and listening",
        ),
    ),
    costs=(
        (CostCategory.COACHING, "Six-month coaching engagement per manager", 72_000),
        (CostCategory.FACILITATION, "Kick-off and closing sessions", 6_000),
        (CostCategory.MATERIALS, "360 reviews and team engagement pulses", 3_600),
        (CostCategory.PARTICIPANT_TIME, "Managers' time in coaching", 18_000),
        (CostCategory.PLATFORM_ADMIN, "Program administration", 2_000),
    ),
    positions=(
        (1, APPLY),
        (2, ASSESS),
        (1, SET_GOALS),
        (1, LEARN),
        (2, SET_GOALS),
        (1, APPLY),
        (1, MEASURE),
        (2, LEARN),
        (1, APPLY),
        (1, LEARN),
        (1, MEASURE),
        (1, APPLY),
    ),
    advisor=rules.Situation(
        level="mid",
        need="self_awareness",
        customization="high",
        time_available="some",
        budget_per_person=7000,
        people_sharing_need=12,
        practice_and_feedback=True,
    ),
    leadership_objective="Raise engagement in mid-level teams",
    goals=(
        _Goal(
            "Run one-on-ones that end with clear next steps",
            "Every one-on-one for a month ends with written next steps",
            "Accountability",
            ("Agree the format with the team", "Four weeks of notes", "Ask the team"),
        ),
        _Goal(
            "Agree priorities with peers for the coming quarter",
            "Top three priorities agreed and shared with both teams",
            "Decision-making",
            ("List the conflicts", "Workshop with peers", "Shared with the teams"),
        ),
        _Goal(
            "Ask before telling in every one-on-one",
            "Direct reports say they are asked for their view (360)",
            "Coaching others",
            ("Record three one-on-ones with my coach", "Try the question-first rule"),
        ),
        _Goal(
            "Bring conflict in the team into the open within a week",
            "No conflict raised in the pulse goes unaddressed for a month",
            "Communication and listening",
            ("Name the open conflicts", "Hold the first conversation"),
        ),
    ),
    measures=(
        _Measure(
            "Communication and listening (360)",
            "Communication and listening",
            "360",
            2.9,
            3.5,
            (0.2, 0.5),
        ),
        _Measure("Team engagement", "", "pulse", 60, 74, (2, 7)),
    ),
    next_steps=(
        "Agree the quarter's top three priorities with peers",
        "End every one-on-one this week with written next steps",
        "Raise the hand-over conflict with both team leads",
        "Ask the team how decisions land with them",
        "Book the next coaching session",
        "Review the team's engagement comments with my manager",
        "Try a question-first one-on-one with each team lead",
    ),
    progress_notes=(
        "Two team leads now run their own stand-ups; I join once a week.",
        "Agreed priorities with the Sales managers; one conflict left open.",
        "Coaching session: I decide fast to avoid discomfort in the room.",
        "One-on-ones ended with next steps three weeks running.",
        "Engagement comments show the team wants clearer priorities.",
    ),
    outcomes=(
        "One-on-ones are a reliable rhythm; priorities with peers still slip.",
        "The team raises conflicts earlier; my own reactions are the next focus.",
    ),
)

PROGRAMS = (EMERGING_LEADERS, MID_MANAGERS)


def _season(day: date) -> str:
    return ("Winter", "Spring", "Summer", "Autumn")[(day.month % 12) // 3]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


class _Builder:
    def __init__(self, context: DemoContext) -> None:
        self.as_of = context.as_of
        self.rng = context.rng
        self.admin = User.objects.get(username="admin")
        cast = Person.objects.filter(
            user__username__in=[login.username for login in context.logins]
        ).select_related("user", "org_unit", "manager")
        self.demo_people = {p.user.username: p for p in cast if p.user is not None}
        self.competencies = {c.name: c for c in Competency.objects.all()}
        # pk breaks ties between equal titles; the database would break them arbitrarily.
        objectives = list(Objective.objects.select_related("org_unit").order_by("title", "pk"))
        self.company_objectives = [o for o in objectives if o.parent_id is None]
        self.by_department: dict[str, list[Objective]] = {}
        for objective in objectives:
            if objective.org_unit is not None:
                department = objective.org_unit.path.split("/")[0]
                self.by_department.setdefault(department, []).append(objective)
        self.counts = {"participants": 0, "cycle_2": 0, "checkins": 0}

    def days_ago(self, days: int) -> date:
        return self.as_of - timedelta(days=days)

    # --- programs ----------------------------------------------------------------------

    def program(self, spec: _ProgramSpec) -> Program:
        start = self.days_ago(spec.started_days_ago)
        program = Program.objects.create(
            name=spec.name,
            description=spec.description,
            kind=spec.kind,
            target_levels=[spec.level],
            start_date=start,
            end_date=start + timedelta(days=spec.length_days),
            owner=self.admin,
            budget=Decimal(spec.budget),
            checkin_every_days=spec.checkin_every_days,
        )
        for criterion in spec.criteria:
            SuccessCriterion.objects.create(
                program=program,
                metric=criterion.metric,
                competency=self.competencies.get(criterion.competency),
                baseline=Decimal(criterion.baseline),
                target=Decimal(criterion.target),
                unit=criterion.unit,
                measure_by=program.end_date,
                note=criterion.note,
            )
        for category, description, amount in spec.costs:
            CostLine.objects.create(
                program=program,
                category=category,
                description=description,
                amount=Decimal(amount),
                incurred_on=start,
            )
        program = services.program_launch(program=program, launched_by=self.admin)
        Program.objects.filter(pk=program.pk).update(launched_at=_moment(start))
        return program

    def participants(self, spec: _ProgramSpec, first: Sequence[Person]) -> list[Person]:
        """`first` (the demo users who belong here), then others of the program's level
        drawn with the seed. People who play another demo role are left out."""
        cast = {p.pk for p in self.demo_people.values()}
        chosen = [p for p in first if p.level == spec.level and p.is_active]
        taken = {p.pk for p in chosen}
        candidates = (
            Person.objects.active(self.as_of)
            .filter(level=spec.level)
            .exclude(pk__in=cast | taken)
            .order_by("employee_id")
            .values_list("pk", flat=True)
        )
        others = list(candidates)
        wanted = max(0, spec.participants - len(chosen))
        drawn = self.rng.sample(others, min(wanted, len(others)))
        people = Person.objects.select_related("org_unit", "manager", "user").in_bulk(drawn)
        return chosen + [people[pk] for pk in drawn]

    # --- one participant ------------------------------------------------------------

    def enroll(
        self,
        spec: _ProgramSpec,
        program: Program,
        cohort: Cohort,
        person: Person,
        position: tuple[int, Stage],
        *,
        lagging: bool,
        showcase: bool,
        advice: rules.Advice,
    ) -> None:
        cycles, stage = position
        if cycles == 1 and stage == ASSESS:
            enrolled_on = self.days_ago(self.rng.randint(2, 9))  # joined the cohort late
        else:
            enrolled_on = program.start_date + timedelta(days=self.rng.randint(0, 6))
        enrollment = services.enrollment_create(
            program=program, person=person, enrolled_by=self.admin, cohort=cohort
        )
        services.enrollment_set_status(
            enrollment=enrollment, status=EnrollmentStatus.ACTIVE, changed_by=self.admin
        )
        Enrollment.objects.filter(pk=enrollment.pk).update(
            enrolled_at=_moment(enrolled_on), status_changed_at=_moment(enrolled_on)
        )
        plan = enrollment.plan
        DevelopmentPlan.objects.filter(pk=plan.pk).update(created_at=_moment(enrolled_on))
        cycle = plan.current_cycle()
        PlanCycle.objects.filter(pk=cycle.pk).update(started_on=enrolled_on)
        for measure in spec.measures:
            Measurement.objects.create(
                cycle=cycle,
                kind=Measurement.Kind.BASELINE,
                label=measure.label,
                competency=self.competencies.get(measure.competency),
                value=self._value(self.rng.uniform(measure.low, measure.high)),
                source=measure.source,
                measured_on=enrolled_on + timedelta(days=7),
            )
        self.counts["participants"] += 1

        cycle_start = enrolled_on
        closes_on = self.days_ago(self.rng.randint(8, 40))
        for number in range(1, cycles + 1):
            final = number == cycles
            target = stage if final else MEASURE
            cycle_end = self.as_of if final else closes_on
            reached = self._walk(
                spec,
                plan,
                person,
                target,
                (cycle_start, cycle_end),
                advice=advice,
                lagging=lagging,
                showcase=showcase,
            )
            if final or reached != MEASURE:
                break
            self._close(spec, plan, closes_on)
            cycle_start = closes_on
            self.counts["cycle_2"] += 1

    def _walk(
        self,
        spec: _ProgramSpec,
        plan: DevelopmentPlan,
        person: Person,
        target: Stage,
        dates: tuple[date, date],
        *,
        advice: rules.Advice,
        lagging: bool,
        showcase: bool,
    ) -> Stage:
        """Move the open cycle from "assess" towards `target`, doing each step's work on
        the way. `dates` are when the cycle started and when it ends (the as-of date for
        the open cycle). Stops early where a check another app registered refuses."""
        start, end = dates
        cycle = plan.current_cycle()
        while True:
            stage = cycle.stage
            if stage == SET_GOALS:
                self._goals(spec, cycle, person, start, end)
            elif stage == LEARN:
                plan_add_advice(plan=plan, advice=advice, added_by=self.admin)
            # Check-ins while applying (a cycle cannot leave "apply" without one), and
            # for a plan that stops earlier, the ones held so far.
            if stage == APPLY or (stage == target and stage in (SET_GOALS, LEARN)):
                self._checkins(spec, plan, person, start, end, lagging=lagging, showcase=showcase)
            if stage == target:
                break
            for work in _STAGE_WORK[stage]:
                work(plan, min(start + timedelta(days=3), end))
            try:
                cycle = services.plan_advance(plan=plan, advanced_by=self.admin)
            except services.Refused:
                break
        self._progress(cycle)
        return Stage(cycle.stage)

    def _goals(
        self,
        spec: _ProgramSpec,
        cycle: PlanCycle,
        person: Person,
        start: date,
        end: date,
    ) -> None:
        carried = cycle.goals.count()
        department = person.org_unit.path.split("/")[0] if person.org_unit else ""
        aligned = self.by_department.get(department) or self.company_objectives
        leadership = next(
            (o for o in self.company_objectives if o.title == spec.leadership_objective),
            self.company_objectives[0],
        )
        titles = set(cycle.goals.values_list("title", flat=True))
        choices = [g for g in spec.goals if g.title not in titles]
        for index, goal_spec in enumerate(self.rng.sample(choices, max(0, 2 - carried) or 1)):
            if end == self.as_of:
                due = end + timedelta(days=self.rng.randint(30, 120))
            else:  # a cycle that closed before the as-of date
                due = end - timedelta(days=self.rng.randint(0, 10))
            goal = Goal.objects.create(
                cycle=cycle,
                title=goal_spec.title,
                measure=goal_spec.measure,
                objective=self.rng.choice(aligned) if index == 0 else leadership,
                competency=self.competencies.get(goal_spec.competency),
                due_date=due,
            )
            span = (due - start).days
            Milestone.objects.bulk_create(
                Milestone(
                    goal=goal,
                    title=title,
                    due_date=start
                    + timedelta(days=span * (i + 1) // (len(goal_spec.milestones) + 1)),
                )
                for i, title in enumerate(goal_spec.milestones)
            )

    def _checkins(
        self,
        spec: _ProgramSpec,
        plan: DevelopmentPlan,
        person: Person,
        start: date,
        end: date,
        *,
        lagging: bool,
        showcase: bool,
    ) -> None:
        """Two or three check-ins at the program's cadence, the last one recent unless
        the plan is lagging (then its check-in is overdue on the as-of date). Most next
        steps get done; some stay open past their date, and in a `showcase` plan (a demo
        user's) the first one always does, so the demo shows an overdue next step."""
        current = end == self.as_of
        lagging = lagging and current
        every = spec.checkin_every_days
        if current:
            gap = every + self.rng.randint(4, 20) if lagging else self.rng.randint(1, every - 2)
        else:
            gap = self.rng.randint(2, 6)
        last = end - timedelta(days=gap)
        dates = [last - timedelta(days=every * k) for k in range(self.rng.randint(2, 3))]
        dates = sorted(d for d in dates if d > start) or [max(start + timedelta(days=1), last)]
        manager = person.manager if person.manager and person.manager.is_active else None
        attendees = [person, *([manager] if manager else [])]
        recorder = self._user_of(person) or self._user_of(manager) or self.admin
        for held_on in dates:
            steps = [
                services.NextStep(
                    title,
                    manager if manager and self.rng.random() < 0.25 else person,
                    held_on + timedelta(days=self.rng.choice([7, 10, 14])),
                )
                for title in self.rng.sample(spec.next_steps, self.rng.randint(1, 2))
            ]
            checkin = services.checkin_record(
                plan=plan,
                held_on=held_on,
                attendees=attendees,
                progress=self.rng.choice(spec.progress_notes),
                blockers=self.rng.choice(BLOCKERS),
                next_steps=steps,
                recorded_by=recorder,
            )
            CheckIn.objects.filter(pk=checkin.pk).update(created_at=_moment(held_on))
            self.counts["checkins"] += 1
            keep_first_open = showcase and current and held_on == dates[0]
            for n, item in enumerate(checkin.next_steps.order_by("pk")):
                if item.due_date >= self.as_of or (keep_first_open and n == 0):
                    continue
                if not current or self.rng.random() < 0.7:
                    item.complete(on=item.due_date - timedelta(days=self.rng.randint(0, 3)))

    def _progress(self, cycle: PlanCycle) -> None:
        """Goal progress and milestones that fit how far the cycle has come."""
        index = STAGES.index(Stage(cycle.stage))
        low, high = [(0, 0), (0, 10), (10, 30), (30, 70), (60, 95)][index]
        goals = list(cycle.goals.order_by("pk"))
        for i, goal in enumerate(goals):
            if goal.carried_from_id and index <= 1:
                continue  # keeps what it had reached in the last cycle
            if index == STAGES.index(MEASURE) and i == 0:
                goal.status, goal.progress = GoalStatus.ACHIEVED, 100
            else:
                goal.progress = self.rng.randint(low, high)
                goal.status = GoalStatus.IN_PROGRESS if goal.progress else GoalStatus.NOT_STARTED
            goal.save(update_fields=["status", "progress"])
            for milestone in goal.milestones.order_by("due_date", "pk"):
                # A milestone past its date is usually done; now and then one slips.
                if milestone.due_date < self.as_of and (
                    goal.status == GoalStatus.ACHIEVED or self.rng.random() < 0.8
                ):
                    milestone.done_on = milestone.due_date - timedelta(days=self.rng.randint(0, 3))
                    milestone.save(update_fields=["done_on"])

    def _close(self, spec: _ProgramSpec, plan: DevelopmentPlan, closed_on: date) -> None:
        cycle = plan.current_cycle()
        results = [
            services.Result(
                label=m.label,
                value=self._value(float(m.value) + self.rng.uniform(*self._gain(spec, m.label))),
                competency_id=m.competency_id,
                source=m.source,
            )
            for m in cycle.measurements.filter(kind=Measurement.Kind.BASELINE).order_by("pk")
        ]
        following = services.cycle_close(
            plan=plan, outcome=self.rng.choice(spec.outcomes), results=results, closed_by=self.admin
        )
        PlanCycle.objects.filter(pk=cycle.pk).update(closed_on=closed_on)
        PlanCycle.objects.filter(pk=following.pk).update(started_on=closed_on)
        Measurement.objects.filter(cycle=cycle, kind=Measurement.Kind.RESULT).update(
            measured_on=closed_on
        )
        Measurement.objects.filter(cycle=following).update(measured_on=closed_on)
        for goal in following.goals.all():
            goal.due_date = self.as_of + timedelta(days=self.rng.randint(30, 90))
            goal.save(update_fields=["due_date"])

    # --- small things ---------------------------------------------------------------

    @staticmethod
    def _value(number: float) -> Decimal:
        return Decimal(f"{number:.2f}")

    @staticmethod
    def _gain(spec: _ProgramSpec, label: str) -> tuple[float, float]:
        return next(m.gain for m in spec.measures if m.label == label)

    @staticmethod
    def _user_of(person: Person | None) -> Any:
        return person.user if person is not None and person.user_id else None


def load_programs(context: DemoContext) -> str:
    """Write the demo programs; returns a line for the demo's report."""
    builder = _Builder(context)
    participant = builder.demo_people.get("participant")
    manager = builder.demo_people.get("manager")
    team = (
        list(
            manager.reports.active(context.as_of)
            .filter(level=Level.EMERGING)
            .order_by("employee_id")
        )
        if manager
        else []
    )
    firsts: dict[str, list[Person]] = {
        EMERGING_LEADERS.name: [
            *([participant] if participant else []),
            *[p for p in team if p != participant],
        ],
        MID_MANAGERS.name: [manager] if manager else [],
    }
    for spec in PROGRAMS:
        program = builder.program(spec)
        cohort = Cohort.objects.create(
            program=program,
            name=f"{_season(program.start_date)} {program.start_date.year}",
            start_date=program.start_date,
        )
        people = builder.participants(spec, firsts[spec.name])
        advice = rules.advise(spec.advisor)
        for index, person in enumerate(people):
            builder.enroll(
                spec,
                program,
                cohort,
                person,
                spec.positions[index % len(spec.positions)],
                lagging=index % 4 == 3,
                showcase=person in firsts[spec.name][:1],
                advice=advice,
            )
    counts = builder.counts
    overdue = ActionItem.objects.filter(
        plan__enrollment__program__in=Program.objects.running()
    ).overdue(context.as_of)
    return (
        f"Programs: {len(PROGRAMS)} running programs, {counts['participants']} participants "
        f"({counts['cycle_2']} in cycle 2), {counts['checkins']} check-ins, "
        f"{overdue.count()} overdue next steps."
    )


def delete_programs() -> None:
    """Before the organization is reset: programs go first, with everything in them
    (enrollments, plans, goals, check-ins, next steps). Their owners and the people
    who recorded check-ins are users the reset deletes, and those are protected."""
    Program.objects.all().delete()
