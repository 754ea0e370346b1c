"""The five-step cycle end to end: each gate, and closing step 5 opening cycle 2
"at a higher level" with unfinished goals and the latest measurements."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.programs import services
from tandem.programs.models import (
    Goal,
    GoalStatus,
    LearningActivity,
    Measurement,
    Modality,
    ProgramStatus,
    Stage,
)
from tandem.tests.factories import (
    ObjectiveFactory,
    ProgramFactory,
    SuccessCriterionFactory,
    enroll,
    running_program,
    self_assessed,
)


@pytest.fixture
def plan(org):
    return enroll(running_program(), org.report)


def add_goal(cycle, title="Delegate the weekly report", status=GoalStatus.IN_PROGRESS):
    return Goal.objects.create(
        cycle=cycle,
        title=title,
        measure="Team runs it without me for 4 weeks",
        objective=ObjectiveFactory(),
        due_date=datetime.date(2026, 6, 30),
        status=status,
    )


def test_it_refuses_to_launch_a_program_without_success_criteria(program_admin):
    program = ProgramFactory()
    with pytest.raises(ValidationError) as refused:
        services.program_launch(program=program, launched_by=program_admin)
    assert "success criterion" in " ".join(refused.value.messages)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_it_launches_a_program_with_a_criterion(program_admin):
    program = SuccessCriterionFactory().program
    services.program_launch(program=program, launched_by=program_admin)
    program.refresh_from_db()
    assert program.status == ProgramStatus.RUNNING
    assert program.launched_at is not None


def test_it_opens_the_plan_at_assess_with_the_level_template(plan):
    cycle = plan.current_cycle()
    assert (cycle.number, cycle.stage) == (1, Stage.ASSESS)
    assert plan.template.level == "emerging"
    assert "Moving from individual contributor to people leader" in plan.focus_areas


def test_it_moves_through_all_five_steps_and_opens_cycle_two(plan, org):
    user = org.report.user
    self_assessed(org.report)  # the assess step's result (its gate is the assessments app's)
    services.plan_advance(plan=plan, advanced_by=user)  # assess -> set goals
    cycle = plan.current_cycle()
    with pytest.raises(ValidationError, match="at least one goal"):
        services.plan_advance(plan=plan, advanced_by=user)
    open_goal = add_goal(cycle)
    add_goal(cycle, "Give weekly feedback", status=GoalStatus.ACHIEVED)
    Measurement.objects.create(
        cycle=cycle, kind="baseline", label="Coaching others (360)", value=Decimal("2.8")
    )
    services.plan_advance(plan=plan, advanced_by=user)  # -> learn
    with pytest.raises(ValidationError, match="way to learn"):
        services.plan_advance(plan=plan, advanced_by=user)
    LearningActivity.objects.create(
        cycle=cycle, modality=Modality.COACHING, description="6 sessions"
    )
    services.plan_advance(plan=plan, advanced_by=user)  # -> apply
    with pytest.raises(ValidationError, match="check-in"):
        services.plan_advance(plan=plan, advanced_by=user)
    services.checkin_record(
        plan=plan,
        held_on=datetime.date(2026, 3, 2),
        attendees=[org.report, org.manager],
        progress="Delegated the report twice",
        blockers="",
        next_steps=[
            services.NextStep("Review the report together", org.report, datetime.date(2026, 3, 16))
        ],
        recorded_by=user,
    )
    services.plan_advance(plan=plan, advanced_by=user)  # -> measure
    assert plan.current_cycle().stage == Stage.MEASURE
    with pytest.raises(ValidationError, match="outcome"):
        services.plan_advance(plan=plan, advanced_by=user)

    second = services.cycle_close(
        plan=plan,
        outcome="Delegation is a habit; feedback needs work",
        results=[services.Result("Coaching others (360)", Decimal("3.4"), source="360")],
        closed_by=user,
    )

    cycle.refresh_from_db()
    assert cycle.closed_on is not None
    assert (second.number, second.stage) == (2, Stage.ASSESS)
    carried = second.goals.get()
    assert carried.title == open_goal.title and carried.carried_from == open_goal
    open_goal.refresh_from_db()
    assert open_goal.status == GoalStatus.CARRIED_FORWARD
    baseline = second.measurements.get()
    assert (baseline.kind, baseline.label, baseline.value) == (
        "baseline",
        "Coaching others (360)",
        Decimal("3.40"),
    )
    assert plan.enrollment.status == "active"


def test_it_refuses_a_checkin_without_a_next_step_and_writes_nothing(plan, org):
    with pytest.raises(ValidationError) as refused:
        services.checkin_record(
            plan=plan,
            held_on=datetime.date(2026, 3, 2),
            attendees=[org.report],
            progress="Talked",
            blockers="",
            next_steps=[],
            recorded_by=org.report.user,
        )
    assert "next_steps" in refused.value.message_dict
    assert not plan.checkins.exists()


def test_it_refuses_a_second_enrollment_of_the_same_person(plan, org):
    with pytest.raises(ValidationError, match="already enrolled"):
        enroll(plan.program, org.report)
