"""The plan pages: my plan, the plan page with the five-step cycle, goals, milestones,
learning, baselines, comments and closing a cycle. Who may see them, what each stage
gate says, and that a refused step writes nothing."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import (
    Goal,
    GoalStatus,
    LearningActivity,
    Measurement,
    Milestone,
    Modality,
    PlanComment,
    PlanCycle,
    Stage,
)
from tandem.tests.factories import (
    ObjectiveFactory,
    PersonFactory,
    enroll,
    make_user_for,
    running_program,
    self_assessed,
)

DUE = datetime.date.today() + datetime.timedelta(days=60)


@pytest.fixture
def plan(org):
    return enroll(running_program(), org.report)


@pytest.fixture
def objective(db):
    return ObjectiveFactory(title="Grow the partner business")


def url(name, *args):
    return reverse(f"programs:{name}", args=args)


def plan_url(plan):
    return url("plan-detail", plan.pk)


def at_stage(plan, stage):
    PlanCycle.objects.filter(plan=plan, closed_on__isnull=True).update(stage=stage)
    return plan.current_cycle()


def add_goal(cycle, objective, title="Delegate the weekly report", **kwargs):
    values = {
        "measure": "The team runs it without me for 4 weeks",
        "due_date": DUE,
        "status": GoalStatus.IN_PROGRESS,
        **kwargs,
    }
    return Goal.objects.create(cycle=cycle, title=title, objective=objective, **values)


def goal_data(objective, **changes):
    return {
        "title": "Delegate the weekly report",
        "measure": "The team runs it without me for 4 weeks",
        "objective": objective.pk,
        "competency": "",
        "due_date": DUE.isoformat(),
        **changes,
    }


def record_checkin(plan, org):
    services.checkin_record(
        plan=plan,
        held_on=datetime.date.today(),
        attendees=[org.report, org.manager],
        progress="Delegated the report twice",
        blockers="",
        next_steps=[services.NextStep("Review it together", org.report, DUE)],
        recorded_by=org.manager.user,
    )


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def counts(plan):
    return (
        Goal.objects.filter(cycle__plan=plan).count(),
        PlanCycle.objects.filter(plan=plan).count(),
        Measurement.objects.filter(cycle__plan=plan).count(),
        LearningActivity.objects.filter(cycle__plan=plan).count(),
        PlanComment.objects.filter(plan=plan).count(),
        Milestone.objects.filter(goal__cycle__plan=plan).count(),
    )


def every_plan_url(plan, goal, milestone):
    """(method, url) of every plan page, for the access tests."""
    return [
        ("get", plan_url(plan)),
        ("post", url("plan-advance", plan.pk)),
        ("post", url("cycle-close", plan.pk)),
        ("get", url("goal-create", plan.pk)),
        ("post", url("goal-create", plan.pk)),
        ("get", url("goal-edit", plan.pk, goal.pk)),
        ("post", url("goal-edit", plan.pk, goal.pk)),
        ("post", url("milestone-create", plan.pk, goal.pk)),
        ("post", url("milestone-done", plan.pk, milestone.pk)),
        ("post", url("activity-create", plan.pk)),
        ("post", url("baseline-create", plan.pk)),
        ("post", url("comment-create", plan.pk)),
    ]


# Who may see a plan --------------------------------------------------------------------


class TestAccess:
    @pytest.fixture
    def targets(self, plan, objective):
        goal = add_goal(at_stage(plan, Stage.SET_GOALS), objective)
        milestone = Milestone.objects.create(goal=goal, title="Write it down", due_date=DUE)
        return every_plan_url(plan, goal, milestone)

    def test_it_sends_anonymous_visitors_to_the_login_page(self, client, plan, targets):
        for method, target in [*targets, ("get", url("my-plans"))]:
            response = getattr(client, method)(target)
            assert response.status_code == 302, target
            assert response["Location"].startswith("/accounts/login/"), target

    @pytest.mark.parametrize("who", ["outsider", "executive", "peer"])
    def test_it_answers_not_found_to_anyone_outside_the_line(self, client, org, plan, targets, who):
        if who == "peer":  # another participant with the same manager
            peer = PersonFactory(first_name="Pia", last_name="Peer", manager=org.manager)
            make_user_for(peer)
            enroll(plan.program, peer)
            user = peer.user
        else:
            user = getattr(org, who).user
        client.force_login(user)
        before = counts(plan)
        for method, target in targets:
            response = getattr(client, method)(target, {"comment-body": "Hello", "done": "true"})
            assert response.status_code == 404, (who, method, target)
        assert counts(plan) == before

    @pytest.mark.parametrize("who", ["report", "manager", "ceo"])
    def test_it_shows_the_plan_to_the_participant_and_their_management_chain(
        self, client, org, plan, who
    ):
        client.force_login(getattr(org, who).user)
        assert client.get(plan_url(plan)).status_code == 200

    def test_it_shows_the_plan_to_a_program_admin(self, client, plan, program_admin):
        client.force_login(program_admin)
        response = client.get(plan_url(plan))
        assert response.status_code == 200
        assert "Rita Report\u2019s development plan" in text(response)


# My plan --------------------------------------------------------------------------------


class TestMyPlan:
    def test_it_goes_straight_to_the_only_plan(self, client, org, plan):
        client.force_login(org.report.user)
        response = client.get(url("my-plans"))
        assert response.status_code == 302
        assert response["Location"] == plan_url(plan)

    def test_it_lists_several_plans_with_their_step(self, client, org, plan):
        other = enroll(running_program(name="Coaching circle"), org.report)
        at_stage(other, Stage.LEARN)
        client.force_login(org.report.user)
        response = client.get(url("my-plans"))
        assert response.status_code == 200
        page = text(response)
        assert "Coaching circle" in page and plan.program.name in page
        assert "Cycle 1 · step 3 of 5: Learn" in page
        assert "Cycle 1 · step 1 of 5: Assess" in page

    def test_it_lists_only_the_viewers_own_plans(self, client, org, plan):
        client.force_login(org.manager.user)  # sees Rita's plan, but it is not theirs
        response = client.get(url("my-plans"))
        assert response.status_code == 200
        assert "You have no development plan yet" in text(response)

    def test_it_explains_what_to_do_without_a_plan(self, client, org):
        client.force_login(org.outsider.user)
        page = text(client.get(url("my-plans")))
        assert "You have no development plan yet" in page
        assert "enrolls you in a development program" in page

    def test_it_explains_an_account_without_a_person(self, client, program_admin):
        client.force_login(program_admin)
        assert "not linked to a person" in text(client.get(url("my-plans")))


# The plan page ---------------------------------------------------------------------------


class TestPlanPage:
    def test_it_shows_where_the_participant_is_and_what_is_next(self, client, org, plan):
        client.force_login(org.report.user)
        page = text(client.get(plan_url(plan)))
        assert "My development plan" in page
        assert '<li class="step is-current" aria-current="step">' in page
        assert "Step 1 of 5: <strong>Assess</strong>" in page
        assert "What is next: Set goals" in page
        assert "Move on to Set goals" in page
        # the focus areas of the emerging-leader template
        assert "Moving from individual contributor to people leader" in page
        assert "Goals come after the assessment" in page

    def test_it_names_the_participant_for_their_manager(self, client, org, plan):
        client.force_login(org.manager.user)
        page = text(client.get(plan_url(plan)))
        assert "Rita Report\u2019s development plan" in page
        assert "Where Rita is" in page

    def test_it_shows_what_blocks_moving_on_before_the_click(self, client, org, plan):
        at_stage(plan, Stage.SET_GOALS)
        client.force_login(org.report.user)
        page = text(client.get(plan_url(plan)))
        assert "Before moving on to Learn:" in page
        assert "Set at least one goal, aligned to an organizational objective." in page
        assert f'href="{url("goal-create", plan.pk)}">Add a goal' in page

    def test_it_links_the_learn_step_to_the_advisor(self, client, org, plan):
        at_stage(plan, Stage.LEARN)
        client.force_login(org.report.user)
        page = text(client.get(plan_url(plan)))
        assert f'href="{url("advisor")}?plan={plan.pk}"' in page
        assert "Choose at least one way to learn" in page

    def test_it_shows_goals_with_objective_progress_and_milestones(
        self, client, org, plan, objective
    ):
        goal = add_goal(at_stage(plan, Stage.LEARN), objective, progress=40)
        Milestone.objects.create(goal=goal, title="Write the checklist", due_date=DUE)
        client.force_login(org.report.user)
        page = text(client.get(plan_url(plan)))
        assert "Delegate the weekly report" in page
        assert "Grow the partner business" in page
        assert f'<progress id="goal-{goal.pk}-progress" max="100" value="40">' in page
        assert "Write the checklist" in page
        assert "In progress" in page

    def test_it_flags_an_overdue_goal(self, client, org, plan, objective):
        cycle = at_stage(plan, Stage.APPLY)
        add_goal(cycle, objective, due_date=datetime.date.today() - datetime.timedelta(days=1))
        client.force_login(org.report.user)
        assert "Overdue" in text(client.get(plan_url(plan)))

    def test_it_includes_the_checkins_panel(self, client, org, plan):
        client.force_login(org.report.user)
        assert "Check-ins and next steps" in text(client.get(plan_url(plan)))

    def test_its_queries_do_not_grow_with_goals_and_cycles(
        self, client, org, plan, objective, django_assert_max_num_queries
    ):
        client.force_login(org.report.user)
        cycle = at_stage(plan, Stage.SET_GOALS)
        add_goal(cycle, objective)
        client.get(plan_url(plan))  # warm the session and caches
        with CaptureQueriesContext(connection) as few:
            assert client.get(plan_url(plan)).status_code == 200
        for n in range(6):
            goal = add_goal(cycle, ObjectiveFactory(), title=f"Goal {n}")
            Milestone.objects.create(goal=goal, title=f"Step {n}", due_date=DUE)
            PlanComment.objects.create(plan=plan, author=org.manager.user, body=f"Note {n}")
            LearningActivity.objects.create(cycle=cycle, modality="training", description="x")
        with CaptureQueriesContext(connection) as many:
            assert client.get(plan_url(plan)).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# Moving through the cycle -----------------------------------------------------------------


class TestAdvance:
    def test_it_moves_to_the_next_step_and_says_so(self, client, org, plan):
        self_assessed(org.report)  # the assess step's result
        client.force_login(org.report.user)
        response = client.post(url("plan-advance", plan.pk), follow=True)
        assert response.redirect_chain == [(plan_url(plan), 302)]
        assert plan.current_cycle().stage == Stage.SET_GOALS
        assert "Moved on to step 2 of 5: Set goals." in text(response)

    @pytest.mark.parametrize(
        ("stage", "message"),
        [
            (Stage.SET_GOALS, "Set at least one goal, aligned to an organizational objective."),
            (Stage.LEARN, "Choose at least one way to learn: training, mentoring or coaching."),
            (Stage.APPLY, "Hold at least one accountability check-in while applying."),
            (Stage.MEASURE, "Close the cycle with its outcome to finish the measure step."),
        ],
    )
    def test_each_gate_refuses_with_its_message_and_writes_nothing(
        self, client, org, plan, stage, message
    ):
        at_stage(plan, stage)
        client.force_login(org.report.user)
        before = counts(plan)
        response = client.post(url("plan-advance", plan.pk))
        assert response.status_code == 400
        page = text(response)
        assert 'role="alert"' in page and "Not yet:" in page
        assert message in page
        assert plan.current_cycle().stage == stage
        assert counts(plan) == before

    def test_the_manager_can_move_the_plan_on(self, client, org, plan):
        self_assessed(org.report)
        client.force_login(org.manager.user)
        assert client.post(url("plan-advance", plan.pk)).status_code == 302
        assert plan.current_cycle().stage == Stage.SET_GOALS

    def test_it_only_accepts_posts(self, client, org, plan):
        client.force_login(org.report.user)
        assert client.get(url("plan-advance", plan.pk)).status_code == 405
        assert plan.current_cycle().stage == Stage.ASSESS


class TestTheWholeCycle:
    def test_a_participant_moves_through_all_five_steps_and_opens_cycle_two(
        self, client, org, plan, objective
    ):
        self_assessed(org.report)  # the assess step's result
        client.force_login(org.report.user)
        advance = url("plan-advance", plan.pk)
        client.post(
            url("baseline-create", plan.pk),
            {
                "baseline-label": "Delegation (360)",
                "baseline-value": "2.8",
                "baseline-source": "360",
            },
        )
        assert client.post(advance).status_code == 302  # assess -> set goals

        response = client.post(url("goal-create", plan.pk), goal_data(objective))
        carried = Goal.objects.get(cycle__plan=plan)
        assert response["Location"] == f"{plan_url(plan)}#goal-{carried.pk}"
        client.post(url("goal-create", plan.pk), goal_data(objective, title="Give weekly feedback"))
        done = Goal.objects.get(title="Give weekly feedback")
        edit = goal_data(objective, title=done.title, status="achieved", progress="60")
        client.post(url("goal-edit", plan.pk, done.pk), edit)
        assert client.post(advance).status_code == 302  # -> learn

        client.post(
            url("activity-create", plan.pk),
            {"activity-modality": "coaching", "activity-description": "Six coaching sessions"},
        )
        assert client.post(advance).status_code == 302  # -> apply
        record_checkin(plan, org)
        assert client.post(advance).status_code == 302  # -> measure

        page = text(client.get(plan_url(plan)))
        assert "Close cycle 1" in page
        assert 'value="Delegation (360)"' in page  # a result row for each baseline
        response = client.post(
            url("cycle-close", plan.pk),
            {
                "close-outcome": "Delegation is a habit; feedback needs work",
                "results-TOTAL_FORMS": "3",
                "results-INITIAL_FORMS": "1",
                "results-0-label": "Delegation (360)",
                "results-0-value": "3.4",
                "results-1-label": "",
                "results-1-value": "",
                "results-2-label": "",
                "results-2-value": "",
            },
            follow=True,
        )
        page = text(response)
        assert "Cycle 1 is closed. Cycle 2 starts at the assess step" in page
        assert "1 unfinished goal(s) carried forward" in page
        assert "carried from cycle 1" in page
        assert "Cycle 2, since" in page
        assert "Previous cycles" in page and "Delegation is a habit" in page

        second = plan.current_cycle()
        assert (second.number, second.stage) == (2, Stage.ASSESS)
        assert second.goals.get().carried_from == carried
        baseline = second.measurements.get()
        assert (baseline.kind, baseline.label, baseline.value) == (
            "baseline",
            "Delegation (360)",
            Decimal("3.40"),
        )
        done.refresh_from_db()
        assert (done.status, done.progress) == (GoalStatus.ACHIEVED, 100)


class TestCloseCycle:
    def data(self, **changes):
        return {
            "close-outcome": "Better at delegating",
            "results-TOTAL_FORMS": "1",
            "results-INITIAL_FORMS": "0",
            "results-0-label": "Delegation (360)",
            "results-0-value": "3.1",
            **changes,
        }

    def test_it_refuses_before_the_measure_step_and_writes_nothing(self, client, org, plan):
        at_stage(plan, Stage.APPLY)
        client.force_login(org.report.user)
        before = counts(plan)
        response = client.post(url("cycle-close", plan.pk), self.data())
        assert response.status_code == 400
        assert "A cycle closes from its measure step." in text(response)
        assert counts(plan) == before

    def test_it_requires_an_outcome(self, client, org, plan):
        at_stage(plan, Stage.MEASURE)
        client.force_login(org.report.user)
        before = counts(plan)
        response = client.post(url("cycle-close", plan.pk), self.data(**{"close-outcome": "  "}))
        assert response.status_code == 400
        assert "Say what came of this cycle." in text(response)
        assert counts(plan) == before

    def test_it_refuses_a_result_without_a_value(self, client, org, plan):
        at_stage(plan, Stage.MEASURE)
        client.force_login(org.report.user)
        before = counts(plan)
        response = client.post(url("cycle-close", plan.pk), self.data(**{"results-0-value": ""}))
        assert response.status_code == 400
        assert "Enter the measured value." in text(response)
        assert counts(plan) == before


# Goals and milestones ------------------------------------------------------------------------


class TestGoals:
    def test_it_explains_that_goals_come_after_the_assessment(self, client, org, plan, objective):
        client.force_login(org.report.user)
        response = client.get(url("goal-create", plan.pk))
        assert response.status_code == 400
        assert "Goals come after the assessment" in text(response)
        response = client.post(url("goal-create", plan.pk), goal_data(objective))
        assert response.status_code == 400
        assert not Goal.objects.exists()

    def test_it_refuses_a_goal_without_an_objective(self, client, org, plan):
        at_stage(plan, Stage.SET_GOALS)
        client.force_login(org.report.user)
        response = client.post(
            url("goal-create", plan.pk), {**goal_data(ObjectiveFactory()), "objective": ""}
        )
        assert response.status_code == 400
        page = text(response)
        assert '<div class="field-errors" id="id_objective_error">' in page
        assert "Align the goal to an organizational objective." in page
        assert not Goal.objects.exists()

    def test_it_refuses_a_due_date_in_the_past(self, client, org, plan, objective):
        at_stage(plan, Stage.SET_GOALS)
        client.force_login(org.report.user)
        past = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        response = client.post(url("goal-create", plan.pk), goal_data(objective, due_date=past))
        assert response.status_code == 400
        assert "The due date has passed" in text(response)
        assert not Goal.objects.exists()

    def test_it_offers_the_suggested_goals_of_the_level(self, client, org, plan):
        at_stage(plan, Stage.SET_GOALS)
        client.force_login(org.report.user)
        page = text(client.get(url("goal-create", plan.pk)))
        assert "Hold a development conversation with each direct report" in page
        page = text(client.get(url("goal-create", plan.pk) + "?title=Start+here"))
        assert 'value="Start here"' in page

    def test_goals_can_be_added_in_later_steps(self, client, org, plan, objective):
        at_stage(plan, Stage.APPLY)
        client.force_login(org.manager.user)
        assert client.post(url("goal-create", plan.pk), goal_data(objective)).status_code == 302
        assert Goal.objects.get().cycle == plan.current_cycle()

    def test_it_changes_status_and_progress(self, client, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.LEARN), objective)
        client.force_login(org.report.user)
        data = goal_data(objective, status="in_progress", progress="55")
        assert client.post(url("goal-edit", plan.pk, goal.pk), data).status_code == 302
        goal.refresh_from_db()
        assert (goal.status, goal.progress) == ("in_progress", 55)

    def test_it_does_not_offer_carried_forward_as_a_status(self, client, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.LEARN), objective)
        client.force_login(org.report.user)
        data = goal_data(objective, status="carried_forward", progress="0")
        response = client.post(url("goal-edit", plan.pk, goal.pk), data)
        assert response.status_code == 400
        goal.refresh_from_db()
        assert goal.status == "in_progress"

    def test_a_goal_of_a_closed_cycle_no_longer_changes(self, client, org, plan, objective):
        cycle = at_stage(plan, Stage.MEASURE)
        goal = add_goal(cycle, objective, status=GoalStatus.ACHIEVED)
        services.cycle_close(plan=plan, outcome="Done", results=[], closed_by=org.report.user)
        client.force_login(org.report.user)
        response = client.post(url("goal-edit", plan.pk, goal.pk), goal_data(objective))
        assert response.status_code == 400
        assert "closed cycle" in text(response)
        goal.refresh_from_db()
        assert goal.status == GoalStatus.ACHIEVED

    def test_a_goal_of_another_plan_is_not_found(self, client, org, plan, objective):
        other = enroll(plan.program, org.manager)
        goal = add_goal(at_stage(other, Stage.LEARN), objective)
        client.force_login(org.report.user)
        assert client.get(url("goal-edit", plan.pk, goal.pk)).status_code == 404


class TestMilestones:
    def test_it_adds_a_milestone_to_a_goal(self, client, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.SET_GOALS), objective)
        client.force_login(org.report.user)
        prefix = f"goal{goal.pk}"
        response = client.post(
            url("milestone-create", plan.pk, goal.pk),
            {f"{prefix}-title": "Write the checklist", f"{prefix}-due_date": DUE.isoformat()},
        )
        assert response["Location"] == f"{plan_url(plan)}#goal-{goal.pk}"
        assert goal.milestones.get().title == "Write the checklist"

    def test_it_shows_a_milestone_error_next_to_its_goal(self, client, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.SET_GOALS), objective)
        client.force_login(org.report.user)
        response = client.post(
            url("milestone-create", plan.pk, goal.pk), {f"goal{goal.pk}-title": "No date"}
        )
        assert response.status_code == 400
        assert f'id="id_goal{goal.pk}-due_date_error"' in text(response)
        assert not Milestone.objects.exists()

    def test_it_ticks_a_milestone_done_and_back(self, client, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.APPLY), objective)
        milestone = Milestone.objects.create(goal=goal, title="Checklist", due_date=DUE)
        client.force_login(org.report.user)
        client.post(url("milestone-done", plan.pk, milestone.pk), {"done": "true"})
        milestone.refresh_from_db()
        assert milestone.done_on == datetime.date.today()
        assert 'aria-pressed="true"' in text(client.get(plan_url(plan)))
        client.post(url("milestone-done", plan.pk, milestone.pk), {"done": "false"})
        milestone.refresh_from_db()
        assert milestone.done_on is None


# Learning, baselines, comments ----------------------------------------------------------------


class TestLearningBaselinesComments:
    def test_it_adds_a_way_to_learn(self, client, org, plan):
        at_stage(plan, Stage.LEARN)
        client.force_login(org.report.user)
        client.post(
            url("activity-create", plan.pk),
            {"activity-modality": "mentoring", "activity-description": "Monthly with a VP"},
        )
        activity = LearningActivity.objects.get()
        assert (activity.modality, activity.cycle) == (Modality.MENTORING, plan.current_cycle())
        assert "Monthly with a VP" in text(client.get(plan_url(plan)))

    def test_it_refuses_an_unknown_modality(self, client, org, plan):
        client.force_login(org.report.user)
        response = client.post(
            url("activity-create", plan.pk),
            {"activity-modality": "osmosis", "activity-description": "x"},
        )
        assert response.status_code == 400
        assert not LearningActivity.objects.exists()

    def test_it_records_a_baseline(self, client, org, plan):
        client.force_login(org.report.user)
        client.post(
            url("baseline-create", plan.pk),
            {"baseline-label": "Engagement of the team", "baseline-value": "61.5"},
        )
        baseline = Measurement.objects.get()
        assert (baseline.kind, baseline.value) == ("baseline", Decimal("61.50"))
        assert "Engagement of the team" in text(client.get(plan_url(plan)))

    def test_the_manager_comments_and_everyone_sees_who_and_when(self, client, org, plan):
        client.force_login(org.manager.user)
        response = client.post(
            url("comment-create", plan.pk), {"comment-body": "Great first month."}
        )
        assert response["Location"] == f"{plan_url(plan)}#comments"
        comment = PlanComment.objects.get()
        assert comment.author == org.manager.user
        client.force_login(org.report.user)
        page = text(client.get(plan_url(plan)))
        assert "Great first month." in page
        assert "Max Manager" in page

    def test_it_refuses_an_empty_comment(self, client, org, plan):
        client.force_login(org.report.user)
        response = client.post(url("comment-create", plan.pk), {"comment-body": "   "})
        assert response.status_code == 400
        assert not PlanComment.objects.exists()
