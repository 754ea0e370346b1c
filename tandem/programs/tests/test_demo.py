"""The demo organization's programs: two running programs with participants at every
step of the cycle, built through the real workflows and dated from the as-of date."""

import hashlib
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase

from tandem.accounts.models import User
from tandem.people.demo import load_demo
from tandem.people.models import Person
from tandem.programs import demo
from tandem.programs.models import (
    ActionItem,
    CheckIn,
    CostLine,
    DevelopmentPlan,
    Enrollment,
    Goal,
    LearningActivity,
    Measurement,
    Metric,
    Milestone,
    PlanCycle,
    Program,
    ProgramStatus,
    Stage,
    SuccessCriterion,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 30)
ELA = "Emerging Leaders Accelerator"
MLM = "Mid-Level Managers: Leading Teams"


@pytest.fixture
def loaded():
    return load_demo(size=400, seed=1, as_of=AS_OF)


def plans(program_name):
    return DevelopmentPlan.objects.filter(enrollment__program__name=program_name)


def open_cycles():
    return PlanCycle.objects.filter(closed_on__isnull=True)


def fingerprint() -> str:
    """The programs' data, with people named by employee id rather than by pk."""
    parts = [
        Program.objects.order_by("name").values_list(
            "name", "kind", "target_levels", "start_date", "end_date", "status", "budget"
        ),
        Enrollment.objects.order_by("program__name", "person__employee_id").values_list(
            "program__name", "person__employee_id", "status", "cohort__name", "enrolled_at"
        ),
        PlanCycle.objects.order_by(
            "plan__person__employee_id", "plan__enrollment__program__name", "number"
        ).values_list(
            "plan__person__employee_id", "number", "stage", "started_on", "closed_on", "outcome"
        ),
        Goal.objects.order_by(
            "cycle__plan__person__employee_id", "cycle__number", "title"
        ).values_list(
            "cycle__plan__person__employee_id",
            "title",
            "objective__title",
            "due_date",
            "status",
            "progress",
        ),
        Milestone.objects.order_by(
            "goal__cycle__plan__person__employee_id", "goal__title", "title"
        ).values_list("goal__title", "title", "due_date", "done_on"),
        CheckIn.objects.order_by("plan__person__employee_id", "held_on").values_list(
            "plan__person__employee_id", "held_on", "progress", "blockers"
        ),
        ActionItem.objects.order_by("plan__person__employee_id", "due_date", "title").values_list(
            "plan__person__employee_id", "title", "owner__employee_id", "due_date", "done_on"
        ),
        Measurement.objects.order_by(
            "cycle__plan__person__employee_id", "cycle__number", "kind", "label"
        ).values_list("cycle__plan__person__employee_id", "kind", "label", "value", "measured_on"),
        LearningActivity.objects.order_by(
            "cycle__plan__person__employee_id", "modality"
        ).values_list("cycle__plan__person__employee_id", "modality"),
    ]
    # Sorted here, not only by the database: rows that tie on the ORDER BY come back in
    # whatever order PostgreSQL finds them, which changes after a reset.
    text = repr([sorted(map(repr, part)) for part in parts])
    return hashlib.sha256(text.encode()).hexdigest()


class TestTheLoadedPrograms(TestCase):
    """Read-only checks of one loaded demo (loaded once for the class)."""

    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo(size=400, seed=1, as_of=AS_OF)

    def test_it_loads_two_running_programs(self):
        programs = {p.name: p for p in Program.objects.exclude(kind="mentoring")}
        assert set(programs) == {ELA, MLM}
        assert all(p.status == ProgramStatus.RUNNING for p in programs.values())
        assert (programs[ELA].kind, programs[ELA].target_levels) == ("blended", ["emerging"])
        assert (programs[MLM].kind, programs[MLM].target_levels) == ("coaching", ["mid"])
        for program in programs.values():
            assert program.start_date < AS_OF < program.end_date
            assert program.owner.username == "admin"
            assert program.cohorts.count() == 1
            assert CostLine.objects.filter(program=program).count() >= 4
            assert 0 < program.total_cost() <= program.budget
        assert programs[ELA].cohorts.get().name == "Spring 2025"
        assert any("Programs: 2 running programs" in line for line in self.summary.extras)

    def test_it_defines_success_criteria_up_front(self):
        coaching = SuccessCriterion.objects.get(
            program__name=ELA, metric=Metric.COMPETENCY_360_CHANGE
        )
        assert (coaching.competency.name, coaching.baseline, coaching.target) == (
            "Coaching others",
            Decimal("3.1"),
            Decimal("3.6"),
        )
        turnover = SuccessCriterion.objects.get(
            program__name=MLM, metric=Metric.TEAM_VOLUNTARY_TURNOVER
        )
        assert (turnover.baseline, turnover.target, turnover.direction) == (14, 10, "decrease")
        assert SuccessCriterion.objects.filter(
            metric=Metric.GOAL_COMPLETION_RATE, target=70
        ).exists()

    def test_it_enrolls_active_participants_of_the_right_level(self):
        for name, level in [(ELA, "emerging"), (MLM, "mid")]:
            enrollments = Enrollment.objects.filter(program__name=name).select_related("person")
            assert 10 <= enrollments.count() <= 20
            for enrollment in enrollments:
                person = enrollment.person
                # Later demo loaders (impact) let a few participants leave or be promoted.
                assert (
                    person.level == level
                    or person.job_history.promotions().filter(previous_level=level).exists()
                )
                if person.is_active:
                    assert enrollment.status == "active"
                else:
                    assert enrollment.status == "withdrawn"
                assert enrollment.cohort is not None

    def test_it_enrolls_the_demo_participant_and_the_managers_reports(self):
        participant = Person.objects.get(user__username="participant")
        manager = Person.objects.get(user__username="manager")
        assert plans(ELA).filter(person=participant).exists()
        assert plans(MLM).filter(person=manager).exists()
        reports = set(manager.reports.active(AS_OF).filter(level="emerging"))
        assert len(reports) >= 2
        assert reports <= set(Person.objects.filter(plans__enrollment__program__name=ELA))
        for username in ("admin", "coach", "mentor", "executive"):
            assert not DevelopmentPlan.objects.filter(person__user__username=username).exists()

    def test_it_spreads_plans_over_the_five_steps(self):
        stages = Counter(open_cycles().values_list("stage", flat=True))
        assert set(stages) == set(Stage.values)
        assert (
            open_cycles().filter(plan__enrollment__program__name=ELA, stage=Stage.APPLY).count()
            >= 3
        )
        participant = DevelopmentPlan.objects.get(
            person__user__username="participant", enrollment__program__name=ELA
        )
        assert participant.current_cycle().stage == Stage.APPLY

    def test_it_has_plans_in_cycle_two_carrying_goals_and_baselines(self):
        second = list(open_cycles().filter(number=2).select_related("plan"))
        assert len(second) >= 2
        for cycle in second:
            first = cycle.plan.cycles.get(number=1)
            assert first.closed_on is not None and first.outcome
            assert first.closed_on == cycle.started_on <= AS_OF
            assert cycle.goals.filter(carried_from__cycle=first).exists()
            results = dict(first.measurements.filter(kind="result").values_list("label", "value"))
            baselines = dict(
                cycle.measurements.filter(kind="baseline").values_list("label", "value")
            )
            assert results and baselines == results

    def test_it_aligns_goals_to_objectives_with_milestones(self):
        goals = Goal.objects.filter(cycle__closed_on__isnull=True).select_related("objective")
        assert goals.count() >= 30
        assert all(goal.objective_id for goal in goals)
        assert Milestone.objects.filter(done_on__isnull=False).exists()
        assert Milestone.objects.filter(done_on__isnull=True, due_date__lt=AS_OF).exists()
        progressed = goals.filter(progress__gt=0)
        assert progressed.count() > goals.count() / 2
        assert goals.filter(status="achieved").exists()

    def test_it_adds_the_advisors_modalities_at_the_learn_step(self):
        ela = set(
            LearningActivity.objects.filter(cycle__plan__enrollment__program__name=ELA).values_list(
                "modality", flat=True
            )
        )
        assert ela == {"training", "reinforcement", "coaching"}
        past_learning = open_cycles().filter(stage__in=[Stage.APPLY, Stage.MEASURE])
        for cycle in past_learning:
            assert cycle.activities.exists()

    def test_every_checkin_ends_in_a_next_step_with_an_owner(self):
        checkins = CheckIn.objects.all()
        assert checkins.count() >= 30
        assert not checkins.filter(next_steps__isnull=True).exists()
        assert all(item.owner_id for item in ActionItem.objects.all())
        assert not checkins.filter(held_on__gt=AS_OF).exists()
        for cycle in open_cycles().filter(stage__in=[Stage.APPLY, Stage.MEASURE]):
            assert cycle.checkins.exists()

    def test_it_leaves_some_next_steps_and_checkins_overdue(self):
        overdue = ActionItem.objects.overdue(AS_OF)
        assert 0 < overdue.count() < ActionItem.objects.count() / 2
        assert ActionItem.objects.filter(done_on__isnull=False).exists()
        assert overdue.filter(plan__person__user__username="participant").exists()
        due = [plan.next_checkin_due() for plan in DevelopmentPlan.objects.all()]
        late = [day for day in due if day < AS_OF]
        assert 0 < len(late) < len(due) / 2


def test_it_gives_the_same_programs_for_the_same_seed():
    load_demo(size=200, seed=7, as_of=AS_OF)
    first = fingerprint()
    load_demo(size=200, seed=7, as_of=AS_OF, reset=True)
    assert fingerprint() == first
    load_demo(size=200, seed=8, as_of=AS_OF, reset=True)
    assert fingerprint() != first


def test_it_resets_with_programs_present(loaded):
    assert Program.objects.exclude(kind="mentoring").count() == 2
    summary = load_demo(size=150, seed=3, as_of=AS_OF, reset=True)
    assert summary.loaded
    assert Program.objects.exclude(kind="mentoring").count() == 2
    assert User.objects.filter(username="admin").count() == 1
    assert not Enrollment.objects.exclude(person__in=Person.objects.all()).exists()


def test_the_command_resets_with_programs_present(loaded):
    out = StringIO()
    call_command("demo", size=120, seed=2, as_of=AS_OF, reset=True, verbosity=0, stdout=out)
    assert "Loaded the demo organization" in out.getvalue()
    assert "Programs: 2 running programs" in out.getvalue()
    assert Program.objects.exclude(kind="mentoring").count() == 2


def test_it_does_not_grow_with_the_organization():
    load_demo(size=400, seed=1, as_of=AS_OF)
    small = (Enrollment.objects.count(), CheckIn.objects.count())
    load_demo(size=1500, seed=1, as_of=AS_OF, reset=True)
    large = (Enrollment.objects.count(), CheckIn.objects.count())
    assert large[0] == small[0]
    assert large[1] < 2 * small[1]


def test_it_copes_with_the_smallest_organization():
    load_demo(size=40, seed=1, as_of=AS_OF)
    assert Program.objects.exclude(kind="mentoring").count() == 2
    assert (
        not Enrollment.objects.exclude(program__kind="mentoring")
        .exclude(person__level__in=["emerging", "mid"])
        .exists()
    )


def test_it_registers_with_the_demo_organization():
    from tandem.people import demo as people_demo

    assert (demo.load_programs, demo.delete_programs) in people_demo._LOADERS
