"""/api/v1/plans and below: the cycle by the API, goals, milestones, learning, baselines,
comments, plan templates and competencies. Who sees what, the stage gates as 400s that
write nothing, and field errors as 422s."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.api.testing import token_client
from tandem.programs import services
from tandem.programs.models import (
    Competency,
    Goal,
    GoalStatus,
    LearningActivity,
    Measurement,
    Milestone,
    PlanComment,
    PlanCycle,
    PlanTemplate,
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

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans"
DUE = datetime.date.today() + datetime.timedelta(days=60)


@pytest.fixture
def plan(org):
    return enroll(running_program(), org.report)


@pytest.fixture
def objective(db):
    return ObjectiveFactory(title="Grow the partner business")


def at_stage(plan, stage):
    PlanCycle.objects.filter(plan=plan, closed_on__isnull=True).update(stage=stage)
    return plan.current_cycle()


def add_goal(cycle, objective, title="Delegate the weekly report", **kwargs):
    values = {"measure": "Team runs it alone", "due_date": DUE, "status": "in_progress", **kwargs}
    return Goal.objects.create(cycle=cycle, title=title, objective=objective, **values)


def new_goal(objective, **changes):
    return {
        "title": "Delegate the weekly report",
        "measure": "The team runs it without me for 4 weeks",
        "objective_id": objective.pk,
        "due_date": DUE.isoformat(),
        **changes,
    }


def error_fields(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def counts(plan):
    return (
        Goal.objects.filter(cycle__plan=plan).count(),
        PlanCycle.objects.filter(plan=plan).count(),
        Measurement.objects.filter(cycle__plan=plan).count(),
        LearningActivity.objects.filter(cycle__plan=plan).count(),
        PlanComment.objects.filter(plan=plan).count(),
        Milestone.objects.filter(goal__cycle__plan=plan).count(),
        plan.current_cycle().stage,
    )


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


class TestAccess:
    @pytest.fixture
    def requests(self, plan, objective):
        goal = add_goal(at_stage(plan, Stage.SET_GOALS), objective)
        milestone = Milestone.objects.create(goal=goal, title="Write it", due_date=DUE)
        base = f"{PLANS}/{plan.pk}"
        return [
            ("get", base, None),
            ("post", f"{base}/advance", None),
            ("post", f"{base}/close-cycle", {"outcome": "Done", "results": []}),
            ("get", f"{base}/goals", None),
            ("post", f"{base}/goals", new_goal(objective)),
            ("patch", f"{base}/goals/{goal.pk}", {"progress": 50}),
            (
                "post",
                f"{base}/goals/{goal.pk}/milestones",
                {"title": "x", "due_date": "2030-01-01"},
            ),
            ("patch", f"{base}/milestones/{milestone.pk}", {"done": True}),
            ("post", f"{base}/activities", {"modality": "coaching", "description": "x"}),
            ("post", f"{base}/baselines", {"label": "x", "value": 1}),
            ("get", f"{base}/comments", None),
            ("post", f"{base}/comments", {"body": "Hello"}),
        ]

    @pytest.mark.parametrize("who", ["outsider", "executive", "peer"])
    def test_it_answers_not_found_to_anyone_outside_the_line(self, org, plan, requests, who):
        if who == "peer":  # another participant with the same manager
            peer = PersonFactory(manager=org.manager)
            make_user_for(peer)
            enroll(plan.program, peer)
            user = peer.user
        else:
            user = getattr(org, who).user
        client = token_client(user)
        before = counts(plan)
        for method, path, body in requests:
            response = getattr(client, method)(path, body, content_type="application/json")
            assert response.status_code == 404, (who, method, path, response.content)
            assert "detail" in response.json()
        assert counts(plan) == before
        assert client.get(PLANS).json() == {"items": [], "count": 0} or who == "peer"

    def test_it_refuses_anonymous_callers(self, client, plan, requests):
        for method, path, body in requests:
            response = getattr(client, method)(path, body, content_type="application/json")
            assert response.status_code == 401, (method, path)
        assert client.get(PLANS).status_code == 401


class TestListPlans:
    def test_each_person_sees_the_plans_in_their_line(self, org, plan, program_admin):
        outsiders = enroll(plan.program, org.outsider)

        def ids(user):
            response = token_client(user).get(PLANS)
            assert response.status_code == 200
            return {item["id"] for item in response.json()["items"]}

        assert ids(org.report.user) == {plan.pk}
        assert ids(org.manager.user) == {plan.pk}
        assert ids(org.ceo.user) == {plan.pk, outsiders.pk}
        assert ids(org.outsider.user) == {outsiders.pk}
        assert ids(org.executive.user) == set()
        assert ids(program_admin) == {plan.pk, outsiders.pk}

    def test_it_shows_the_fields(self, org, plan):
        at_stage(plan, Stage.LEARN)
        item = token_client(org.report.user).get(PLANS).json()["items"][0]
        assert item == {
            "id": plan.pk,
            "person_id": org.report.pk,
            "person": "Rita Report",
            "program_id": plan.program.pk,
            "program": plan.program.name,
            "cycle_number": 1,
            "stage": "learn",
            "created_at": item["created_at"],
        }

    def test_it_filters_by_program_person_and_stage(self, org, plan, program_admin):
        other_program = running_program()
        outsiders = enroll(other_program, org.outsider)
        at_stage(outsiders, Stage.APPLY)
        client = token_client(program_admin)

        def ids(query):
            return {item["id"] for item in client.get(f"{PLANS}?{query}").json()["items"]}

        assert ids(f"program={other_program.pk}") == {outsiders.pk}
        assert ids(f"person={org.report.pk}") == {plan.pk}
        assert ids("stage=apply") == {outsiders.pk}
        assert ids("stage=assess") == {plan.pk}
        assert client.get(f"{PLANS}?stage=dreaming").status_code == 422

    def test_its_queries_do_not_grow_with_the_number_of_plans(self, org, program_admin):
        client = token_client(program_admin)
        program = running_program()
        enroll(program, org.report)
        client.get(PLANS)
        with CaptureQueriesContext(connection) as few:
            assert client.get(PLANS).status_code == 200
        for _ in range(8):
            enroll(program, PersonFactory(manager=org.ceo))
        with CaptureQueriesContext(connection) as many:
            response = client.get(PLANS)
        assert response.json()["count"] == 9
        assert len(many) == len(few)


class TestGetPlan:
    def test_it_shows_the_cycle_blockers_goals_and_measurements(self, org, plan, objective):
        cycle = at_stage(plan, Stage.SET_GOALS)
        goal = add_goal(cycle, objective, progress=30)
        Milestone.objects.create(goal=goal, title="Write it", due_date=DUE)
        Measurement.objects.create(cycle=cycle, kind="baseline", label="Delegation", value=2.8)
        body = token_client(org.manager.user).get(f"{PLANS}/{plan.pk}").json()
        assert body["person"] == "Rita Report"
        assert "Foundational self-awareness" in body["focus_areas"]
        assert body["cycle"]["number"] == 1
        assert body["cycle"]["stage"] == "set_goals"
        assert body["cycle"]["next_stage"] == "learn"
        assert body["cycle"]["blockers"] == []
        [goal_out] = body["cycle"]["goals"]
        assert goal_out["objective"] == "Grow the partner business"
        assert goal_out["progress"] == 30
        assert goal_out["carried_from_cycle"] is None
        assert [m["title"] for m in goal_out["milestones"]] == ["Write it"]
        assert body["cycle"]["measurements"][0]["value"] == 2.8
        assert body["previous_cycles"] == []

    def test_it_says_what_blocks_moving_on(self, org, plan):
        at_stage(plan, Stage.LEARN)
        body = token_client(org.report.user).get(f"{PLANS}/{plan.pk}").json()
        assert body["cycle"]["blockers"] == [
            "Choose at least one way to learn: training, mentoring or coaching."
        ]

    def test_its_queries_do_not_grow_with_the_number_of_goals(self, org, plan, objective):
        client = token_client(org.report.user)
        cycle = at_stage(plan, Stage.SET_GOALS)
        add_goal(cycle, objective)
        client.get(f"{PLANS}/{plan.pk}")
        with CaptureQueriesContext(connection) as few:
            client.get(f"{PLANS}/{plan.pk}")
        for n in range(5):
            goal = add_goal(cycle, ObjectiveFactory(), title=f"Goal {n}")
            Milestone.objects.create(goal=goal, title="Step", due_date=DUE)
        with CaptureQueriesContext(connection) as many:
            body = client.get(f"{PLANS}/{plan.pk}").json()
        assert len(body["cycle"]["goals"]) == 6
        assert len(many) == len(few)


class TestTheCycle:
    def test_a_participant_moves_through_all_five_steps_and_opens_cycle_two(
        self, org, plan, objective
    ):
        self_assessed(org.report)  # the assess step's result
        client = token_client(org.report.user)
        base = f"{PLANS}/{plan.pk}"

        def post(path, body=None):
            return client.post(f"{base}{path}", body, content_type="application/json")

        assert post("/baselines", {"label": "Delegation (360)", "value": 2.8, "source": "360"})
        assert post("/advance").json()["cycle"]["stage"] == "set_goals"
        open_goal = post("/goals", new_goal(objective)).json()
        done = post("/goals", new_goal(objective, title="Give weekly feedback")).json()
        client.patch(
            f"{base}/goals/{done['id']}", {"status": "achieved"}, content_type="application/json"
        )
        assert post("/advance").json()["cycle"]["stage"] == "learn"
        post("/activities", {"modality": "coaching", "description": "Six sessions"})
        assert post("/advance").json()["cycle"]["stage"] == "apply"
        record_checkin(plan, org)
        assert post("/advance").json()["cycle"]["stage"] == "measure"

        response = post(
            "/close-cycle",
            {
                "outcome": "Delegation is a habit; feedback needs work",
                "results": [{"label": "Delegation (360)", "value": 3.4}],
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["cycle"]["number"], body["cycle"]["stage"]) == (2, "assess")
        [carried] = body["cycle"]["goals"]
        assert carried["title"] == open_goal["title"]
        assert carried["carried_from_id"] == open_goal["id"]
        assert carried["carried_from_cycle"] == 1
        [baseline] = body["cycle"]["measurements"]
        assert (baseline["kind"], baseline["label"], baseline["value"]) == (
            "baseline",
            "Delegation (360)",
            3.4,
        )
        [previous] = body["previous_cycles"]
        assert previous["outcome"] == "Delegation is a habit; feedback needs work"
        first = client.get(f"{base}/goals?cycle=1").json()["items"]
        statuses = {goal["title"]: goal["status"] for goal in first}
        assert statuses == {
            "Delegate the weekly report": "carried_forward",
            "Give weekly feedback": "achieved",
        }

    @pytest.mark.parametrize(
        ("stage", "message"),
        [
            (Stage.SET_GOALS, "Set at least one goal, aligned to an organizational objective."),
            (Stage.LEARN, "Choose at least one way to learn: training, mentoring or coaching."),
            (Stage.APPLY, "Hold at least one accountability check-in while applying."),
            (Stage.MEASURE, "Close the cycle with its outcome to finish the measure step."),
        ],
    )
    def test_each_gate_refuses_with_its_message_and_writes_nothing(self, org, plan, stage, message):
        at_stage(plan, stage)
        before = counts(plan)
        response = token_client(org.report.user).post(f"{PLANS}/{plan.pk}/advance")
        assert response.status_code == 400
        assert response.json() == {"detail": [message]}
        assert counts(plan) == before

    def test_closing_before_the_measure_step_is_refused(self, org, plan):
        at_stage(plan, Stage.APPLY)
        before = counts(plan)
        response = token_client(org.report.user).post(
            f"{PLANS}/{plan.pk}/close-cycle",
            {"outcome": "Done", "results": []},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json() == {"detail": ["A cycle closes from its measure step."]}
        assert counts(plan) == before

    def test_closing_needs_an_outcome_and_valid_results(self, org, plan):
        at_stage(plan, Stage.MEASURE)
        client = token_client(org.report.user)
        before = counts(plan)
        path = f"{PLANS}/{plan.pk}/close-cycle"
        response = client.post(path, {"outcome": "   "}, content_type="application/json")
        assert error_fields(response) == {("body", "payload", "outcome")}
        response = client.post(
            path,
            {"outcome": "Fine", "results": [{"label": "x", "value": 1.234}]},
            content_type="application/json",
        )
        assert error_fields(response) == {("body", "payload", "results", 0, "value")}
        response = client.post(
            path,
            {"outcome": "Fine", "results": [{"label": "x", "value": 1, "competency_id": 999999}]},
            content_type="application/json",
        )
        assert error_fields(response) == {("body", "payload", "results", 0, "competency_id")}
        assert counts(plan) == before


class TestGoals:
    def test_it_refuses_goals_while_assessing(self, org, plan, objective):
        response = token_client(org.report.user).post(
            f"{PLANS}/{plan.pk}/goals", new_goal(objective), content_type="application/json"
        )
        assert response.status_code == 400
        assert "Goals come after the assessment" in response.json()["detail"][0]
        assert not Goal.objects.exists()

    def test_it_requires_an_objective_that_exists(self, org, plan, objective):
        at_stage(plan, Stage.SET_GOALS)
        client = token_client(org.report.user)
        path = f"{PLANS}/{plan.pk}/goals"
        missing = new_goal(objective)
        del missing["objective_id"]
        assert error_fields(client.post(path, missing, content_type="application/json")) == {
            ("body", "payload", "objective_id")
        }
        unknown = new_goal(objective, objective_id=999999)
        response = client.post(path, unknown, content_type="application/json")
        assert error_fields(response) == {("body", "payload", "objective_id")}
        assert "objective" in response.json()["detail"][0]["msg"]
        assert not Goal.objects.exists()

    def test_it_creates_a_goal_with_an_optional_competency(self, org, plan, objective):
        at_stage(plan, Stage.SET_GOALS)
        competency = Competency.objects.get(name="Coaching others")
        response = token_client(org.manager.user).post(
            f"{PLANS}/{plan.pk}/goals",
            new_goal(objective, competency_id=competency.pk, progress=10),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["competency"] == "Coaching others"
        assert body["objective_id"] == objective.pk
        assert body["status"] == "not_started" and body["progress"] == 10
        assert body["cycle_number"] == 1

    def test_it_changes_only_what_is_sent(self, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.LEARN), objective, progress=20)
        response = token_client(org.report.user).patch(
            f"{PLANS}/{plan.pk}/goals/{goal.pk}", {"progress": 70}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        goal.refresh_from_db()
        assert (goal.progress, goal.title, goal.status) == (
            70,
            "Delegate the weekly report",
            "in_progress",
        )

    def test_it_refuses_strings_for_numbers_and_carried_forward(self, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.LEARN), objective)
        client = token_client(org.report.user)
        path = f"{PLANS}/{plan.pk}/goals/{goal.pk}"
        assert (
            client.patch(path, {"progress": "70"}, content_type="application/json").status_code
            == 422
        )
        response = client.patch(
            path, {"status": "carried_forward"}, content_type="application/json"
        )
        assert response.status_code == 422
        goal.refresh_from_db()
        assert (goal.progress, goal.status) == (0, GoalStatus.IN_PROGRESS)

    def test_a_goal_of_a_closed_cycle_no_longer_changes(self, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.MEASURE), objective, status=GoalStatus.ACHIEVED)
        services.cycle_close(plan=plan, outcome="Done", results=[], closed_by=org.report.user)
        response = token_client(org.report.user).patch(
            f"{PLANS}/{plan.pk}/goals/{goal.pk}", {"progress": 5}, content_type="application/json"
        )
        assert response.status_code == 400
        assert "closed cycle" in response.json()["detail"][0]


class TestMilestones:
    def test_it_adds_and_ticks_a_milestone(self, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.SET_GOALS), objective)
        client = token_client(org.report.user)
        created = client.post(
            f"{PLANS}/{plan.pk}/goals/{goal.pk}/milestones",
            {"title": "Write the checklist", "due_date": DUE.isoformat()},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        milestone = created.json()
        assert milestone["done"] is False
        path = f"{PLANS}/{plan.pk}/milestones/{milestone['id']}"
        ticked = client.patch(path, {"done": True}, content_type="application/json").json()
        assert ticked["done"] is True
        assert ticked["done_on"] == datetime.date.today().isoformat()
        reopened = client.patch(path, {"done": False}, content_type="application/json").json()
        assert reopened["done_on"] is None

    def test_a_milestone_needs_a_real_date(self, org, plan, objective):
        goal = add_goal(at_stage(plan, Stage.SET_GOALS), objective)
        response = token_client(org.report.user).post(
            f"{PLANS}/{plan.pk}/goals/{goal.pk}/milestones",
            {"title": "x", "due_date": "2030-02-30"},
            content_type="application/json",
        )
        assert error_fields(response) == {("body", "payload", "due_date")}
        assert not Milestone.objects.exists()


class TestLearningBaselinesComments:
    def test_it_adds_a_way_to_learn(self, org, plan):
        response = token_client(org.report.user).post(
            f"{PLANS}/{plan.pk}/activities",
            {"modality": "training", "description": "Feedback workshop"},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert response.json()["modality"] == "training"
        assert LearningActivity.objects.get().cycle == plan.current_cycle()

    def test_it_records_a_baseline(self, org, plan):
        response = token_client(org.report.user).post(
            f"{PLANS}/{plan.pk}/baselines",
            {"label": "Engagement", "value": 61.5, "source": "pulse"},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert response.json()["kind"] == "baseline"
        assert response.json()["value"] == 61.5

    def test_the_manager_comments_and_the_participant_reads_it(self, org, plan):
        created = token_client(org.manager.user).post(
            f"{PLANS}/{plan.pk}/comments",
            {"body": "Great first month."},
            content_type="application/json",
        )
        assert created.status_code == 201
        assert created.json()["author"] == "Max Manager"
        items = token_client(org.report.user).get(f"{PLANS}/{plan.pk}/comments").json()["items"]
        assert [(c["author"], c["body"]) for c in items] == [("Max Manager", "Great first month.")]

    def test_it_refuses_a_blank_comment(self, org, plan):
        response = token_client(org.report.user).post(
            f"{PLANS}/{plan.pk}/comments", {"body": "  "}, content_type="application/json"
        )
        assert error_fields(response) == {("body", "payload", "body")}
        assert not PlanComment.objects.exists()


class TestTemplatesAndCompetencies:
    def test_anyone_signed_in_lists_templates_and_competencies(self, org):
        client = token_client(org.report.user)
        templates = client.get("/api/v1/plan-templates").json()
        assert {t["level"] for t in templates["items"]} == {
            "individual_contributor",
            "emerging",
            "mid",
            "senior",
        }
        competencies = client.get("/api/v1/competencies").json()
        assert "Coaching others" in {c["name"] for c in competencies["items"]}

    def test_a_program_admin_changes_a_template(self, program_admin):
        template = PlanTemplate.objects.get(level="mid")
        response = token_client(program_admin).patch(
            f"/api/v1/plan-templates/{template.pk}",
            {"focus_areas": ["Team dynamics", "  ", "Difficult conversations"]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        template.refresh_from_db()
        assert template.focus_areas == ["Team dynamics", "Difficult conversations"]
        assert template.title.startswith("Mid-level manager")

    def test_it_needs_a_focus_area(self, program_admin):
        template = PlanTemplate.objects.get(level="mid")
        response = token_client(program_admin).patch(
            f"/api/v1/plan-templates/{template.pk}",
            {"focus_areas": [" "]},
            content_type="application/json",
        )
        assert error_fields(response) == {("body", "payload", "focus_areas")}

    def test_others_may_not_change_templates(self, org):
        template = PlanTemplate.objects.get(level="mid")
        response = token_client(org.manager.user).patch(
            f"/api/v1/plan-templates/{template.pk}",
            {"title": "Mine now"},
            content_type="application/json",
        )
        assert response.status_code == 403
        template.refresh_from_db()
        assert template.title != "Mine now"
