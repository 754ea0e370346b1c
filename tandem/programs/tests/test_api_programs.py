"""/api/v1/programs: programs, launching, success criteria, cohorts and cost lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.programs.api import programs as api
from tandem.programs.models import (
    Cohort,
    Competency,
    CostCategory,
    CostLine,
    EnrollmentStatus,
    Metric,
    PlanCycle,
    Program,
    ProgramKind,
    ProgramStatus,
    Stage,
    SuccessCriterion,
)
from tandem.tests.factories import (
    PersonFactory,
    ProgramFactory,
    SuccessCriterionFactory,
    UserFactory,
    enroll,
    running_program,
)

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/programs"
JSON = "application/json"


def new_program(**overrides):
    return {
        "name": "Leading teams 2026",
        "kind": "blended",
        "target_levels": ["emerging", "mid"],
        "start_date": "2026-02-02",
        "end_date": "2026-11-27",
        "budget": 48000,
        "currency": "eur",
        **overrides,
    }


def new_criterion(**overrides):
    return {
        "metric": "competency_360_change",
        "competency_id": Competency.objects.get(name="Coaching others").pk,
        "baseline": "2.8",
        "target": 3.5,
        "unit": "points",
        "measure_by": "2026-11-30",
        **overrides,
    }


def error_fields(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def test_the_api_names_every_choice_of_the_models():
    assert set(api.KindName.__args__) == set(ProgramKind.values)
    assert set(api.ProgramStatusName.__args__) == set(ProgramStatus.values)
    assert set(api.MetricName.__args__) == set(Metric.values)
    assert set(api.CostCategoryName.__args__) == set(CostCategory.values)
    assert set(api.EnrollmentStatusName.__args__) == set(EnrollmentStatus.values)
    assert set(api.StageName.__args__) == set(Stage.values)


class TestRead:
    def test_anonymous_is_refused(self, client):
        program = ProgramFactory()
        for path in (PROGRAMS, f"{PROGRAMS}/{program.pk}", f"{PROGRAMS}/{program.pk}/criteria"):
            assert client.get(path).status_code == 401

    def test_an_admin_lists_every_program(self, org, program_admin):
        ProgramFactory(name="B", status=ProgramStatus.RUNNING)
        ProgramFactory(name="A")
        body = token_client(program_admin).get(PROGRAMS).json()
        assert body["count"] == 2
        assert {item["name"] for item in body["items"]} == {"A", "B"}
        running = token_client(program_admin).get(f"{PROGRAMS}?status=running").json()
        assert [item["name"] for item in running["items"]] == ["B"]

    def test_a_participant_lists_only_their_programs_without_the_budget(self, org):
        mine = ProgramFactory(name="Mine")
        ProgramFactory(name="Other")
        enroll(mine, org.report)
        body = token_client(org.report.user).get(PROGRAMS).json()
        assert [(item["name"], item["budget"]) for item in body["items"]] == [("Mine", None)]

    def test_an_outsider_lists_nothing_and_finds_nothing(self, org):
        program = running_program()
        enroll(program, org.report)
        client = token_client(org.outsider.user)
        assert client.get(PROGRAMS).json() == {"items": [], "count": 0}
        for path in (
            f"{PROGRAMS}/{program.pk}",
            f"{PROGRAMS}/{program.pk}/criteria",
            f"{PROGRAMS}/{program.pk}/criteria/{program.criteria.get().pk}",
            f"{PROGRAMS}/{program.pk}/cohorts",
            f"{PROGRAMS}/{program.pk}/cost-lines",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json() == {"detail": "Not Found"} or "detail" in response.json()

    def test_an_admin_reads_criteria_cohorts_costs_and_stage_counts(self, org, program_admin):
        program = running_program(budget=1000)
        cohort = program.cohorts.create(name="Spring")
        program.cost_lines.create(category="coaching", description="Coaches", amount="400.50")
        plan = enroll(program, org.report)
        PlanCycle.objects.filter(plan=plan).update(stage=Stage.LEARN)
        enroll(program, org.manager)
        body = token_client(program_admin).get(f"{PROGRAMS}/{program.pk}").json()
        assert body["budget"] == "1000.00"
        assert body["total_cost"] == "400.50"
        assert body["participant_count"] == 2
        assert body["stage_counts"] == {
            "assess": 1,
            "set_goals": 0,
            "learn": 1,
            "apply": 0,
            "measure": 0,
        }
        assert body["cohorts"] == [
            {"id": cohort.pk, "name": "Spring", "start_date": None, "participant_count": 0}
        ]
        [criterion] = body["criteria"]
        assert criterion["metric"] == "goal_completion_rate"
        assert criterion["metric_label"] == "Goal completion rate"
        assert (criterion["baseline"], criterion["target"]) == ("40.00", "70.00")
        assert criterion["direction"] == "increase"
        assert body["launch_blockers"] == []

    def test_a_participant_reads_the_design_but_no_money_or_counts(self, org):
        program = running_program()
        enroll(program, org.report)
        client = token_client(org.report.user)
        body = client.get(f"{PROGRAMS}/{program.pk}").json()
        assert len(body["criteria"]) == 1
        assert (body["budget"], body["total_cost"], body["participant_count"]) == (
            None,
            None,
            None,
        )
        assert body["stage_counts"] is None
        assert client.get(f"{PROGRAMS}/{program.pk}/cost-lines").status_code == 403

    def test_a_draft_says_why_it_cannot_launch(self, program_admin):
        program = ProgramFactory()
        body = token_client(program_admin).get(f"{PROGRAMS}/{program.pk}").json()
        assert len(body["launch_blockers"]) == 1
        assert "success criterion" in body["launch_blockers"][0]

    def test_the_list_uses_the_same_number_of_queries_for_more_programs(self, program_admin):
        client = token_client(program_admin)

        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(PROGRAMS).status_code == 200
            return len(queries)

        ProgramFactory()
        count_queries()  # the token's first use is recorded once
        few = count_queries()
        for _ in range(5):
            enroll(running_program(), PersonFactory())
        assert count_queries() == few


class TestCreate:
    def test_anonymous_is_refused(self, client):
        response = client.post(PROGRAMS, new_program(), content_type="application/json")
        assert response.status_code == 401
        assert not Program.objects.exists()

    def test_anyone_but_an_admin_is_refused(self, org):
        response = token_client(org.ceo.user).post(
            PROGRAMS, new_program(), content_type="application/json"
        )
        assert response.status_code == 403
        assert not Program.objects.exists()

    def test_it_creates_a_draft_owned_by_the_caller(self, program_admin):
        response = token_client(program_admin).post(
            PROGRAMS, new_program(), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        program = Program.objects.get()
        assert body["id"] == program.pk
        assert (body["status"], body["owner_id"], body["currency"]) == (
            "draft",
            program_admin.pk,
            "EUR",
        )
        assert body["budget"] == "48000.00"
        assert body["checkin_every_days"] == 14
        assert body["criteria"] == [] and body["launch_blockers"]

    def test_it_names_each_bad_field_and_writes_nothing(self, program_admin):
        response = token_client(program_admin).post(
            PROGRAMS,
            new_program(end_date="2026-01-01", owner_id=UserFactory().pk),
            content_type="application/json",
        )
        assert error_fields(response) == {
            ("body", "payload", "end_date"),
            ("body", "payload", "owner_id"),
        }
        assert not Program.objects.exists()

    @pytest.mark.parametrize(
        "bad",
        [
            {"kind": "lecture"},
            {"target_levels": ["intern"]},
            {"budget": -1},
            {"budget": "1.005"},
            {"budget": True},
            {"currency": "EURO"},
            {"checkin_every_days": 0},
            {"checkin_every_days": "14"},
            {"start_date": "2026-02-30"},
            {"name": ""},
            {"colour": "blue"},
        ],
    )
    def test_it_refuses_input_the_schema_does_not_allow(self, program_admin, bad):
        response = token_client(program_admin).post(
            PROGRAMS, new_program(**bad), content_type="application/json"
        )
        assert response.status_code == 422, response.content
        assert not Program.objects.exists()


class TestUpdate:
    def test_anyone_but_an_admin_is_refused(self, client, org):
        program = ProgramFactory(name="Before")
        enroll(program, org.report)
        path = f"{PROGRAMS}/{program.pk}"
        assert client.patch(path, {"name": "X"}, content_type="application/json").status_code == (
            401
        )
        change = {"name": "X"}
        assert token_client(org.report.user).patch(path, change, JSON).status_code == 403
        assert token_client(org.outsider.user).patch(path, change, JSON).status_code == 404
        program.refresh_from_db()
        assert program.name == "Before"

    def test_it_changes_only_the_fields_sent(self, program_admin):
        program = ProgramFactory(owner=program_admin, target_levels=["senior"])
        response = token_client(program_admin).patch(
            f"{PROGRAMS}/{program.pk}",
            {"name": "Renamed", "checkin_every_days": 7},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        program.refresh_from_db()
        assert (program.name, program.checkin_every_days) == ("Renamed", 7)
        assert program.target_levels == ["senior"]

    def test_it_refuses_an_end_before_the_start(self, program_admin):
        program = ProgramFactory()
        response = token_client(program_admin).patch(
            f"{PROGRAMS}/{program.pk}", {"end_date": "2025-01-01"}, content_type="application/json"
        )
        assert error_fields(response) == {("body", "payload", "end_date")}
        program.refresh_from_db()
        assert str(program.end_date) == "2026-12-18"

    def test_null_is_not_a_value(self, program_admin):
        program = ProgramFactory()
        response = token_client(program_admin).patch(
            f"{PROGRAMS}/{program.pk}", {"name": None}, content_type="application/json"
        )
        assert response.status_code == 422


class TestLaunch:
    def path(self, program):
        return f"{PROGRAMS}/{program.pk}/launch"

    def test_anonymous_is_refused(self, client):
        program = SuccessCriterionFactory().program
        assert client.post(self.path(program)).status_code == 401
        program.refresh_from_db()
        assert program.status == ProgramStatus.DRAFT

    def test_a_participant_is_refused_and_an_outsider_finds_nothing(self, org):
        program = SuccessCriterionFactory().program
        enroll(program, org.report)
        assert token_client(org.report.user).post(self.path(program)).status_code == 403
        assert token_client(org.outsider.user).post(self.path(program)).status_code == 404
        program.refresh_from_db()
        assert program.status == ProgramStatus.DRAFT

    def test_it_refuses_without_a_success_criterion_and_says_why(self, program_admin):
        program = ProgramFactory()
        response = token_client(program_admin).post(self.path(program))
        assert response.status_code == 400
        assert response.json() == {"detail": program.launch_blockers()}
        assert "success criterion" in response.json()["detail"][0]
        program.refresh_from_db()
        assert (program.status, program.launched_at) == (ProgramStatus.DRAFT, None)
        assert not AuditLog.objects.exists()

    def test_it_launches_a_program_with_a_criterion(self, program_admin):
        program = SuccessCriterionFactory().program
        response = token_client(program_admin).post(self.path(program))
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "running"
        assert response.json()["launched_at"] is not None
        program.refresh_from_db()
        assert program.status == ProgramStatus.RUNNING

    def test_it_refuses_a_second_launch(self, program_admin):
        program = running_program()
        response = token_client(program_admin).post(self.path(program))
        assert response.status_code == 400
        assert response.json() == {"detail": ["Only a draft program can be launched."]}


class TestCriteria:
    def path(self, program, *rest):
        return "/".join([f"{PROGRAMS}/{program.pk}/criteria", *map(str, rest)])

    def test_anyone_but_an_admin_is_refused(self, client, org):
        program = ProgramFactory()
        enroll(program, org.report)
        data = new_criterion()
        assert client.post(self.path(program), data, "application/json").status_code == 401
        assert (
            token_client(org.report.user)
            .post(self.path(program), data, "application/json")
            .status_code
            == 403
        )
        assert (
            token_client(org.outsider.user)
            .post(self.path(program), data, "application/json")
            .status_code
            == 404
        )
        assert not SuccessCriterion.objects.exists()

    def test_it_adds_lists_and_reads_criteria(self, org, program_admin):
        program = ProgramFactory()
        client = token_client(program_admin)
        response = client.post(self.path(program), new_criterion(), "application/json")
        assert response.status_code == 201, response.content
        created = response.json()
        assert created["competency"] == "Coaching others"
        assert (created["baseline"], created["target"]) == ("2.80", "3.50")
        listed = client.get(self.path(program)).json()
        assert listed["items"] == [created]
        assert client.get(self.path(program, created["id"])).json() == created
        enroll(program, org.report)
        participant = token_client(org.report.user)
        assert participant.get(self.path(program)).json()["count"] == 1

    def test_it_names_each_bad_field_and_writes_nothing(self, program_admin):
        program = ProgramFactory()
        response = token_client(program_admin).post(
            self.path(program),
            new_criterion(competency_id=None, target="2.8", measure_by="2020-01-01"),
            "application/json",
        )
        assert error_fields(response) == {
            ("body", "payload", "competency_id"),
            ("body", "payload", "target"),
            ("body", "payload", "measure_by"),
        }
        assert not SuccessCriterion.objects.exists()

    def test_an_unknown_competency_is_a_field_error(self, program_admin):
        program = ProgramFactory()
        response = token_client(program_admin).post(
            self.path(program), new_criterion(competency_id=999999), "application/json"
        )
        assert error_fields(response) == {("body", "payload", "competency_id")}

    def test_it_removes_a_criterion_of_a_draft(self, program_admin):
        criterion = SuccessCriterionFactory()
        response = token_client(program_admin).delete(self.path(criterion.program, criterion.pk))
        assert response.status_code == 204
        assert not SuccessCriterion.objects.exists()

    def test_it_keeps_the_criteria_of_a_launched_program(self, program_admin):
        program = running_program()
        criterion = program.criteria.get()
        response = token_client(program_admin).delete(self.path(program, criterion.pk))
        assert response.status_code == 400
        assert response.json() == {
            "detail": ["Success criteria are fixed once the program is launched."]
        }
        assert SuccessCriterion.objects.filter(pk=criterion.pk).exists()

    def test_removing_is_refused_to_anyone_but_an_admin(self, client, org):
        criterion = SuccessCriterionFactory()
        program = criterion.program
        enroll(program, org.report)
        path = self.path(program, criterion.pk)
        assert client.delete(path).status_code == 401
        assert token_client(org.report.user).delete(path).status_code == 403
        assert token_client(org.outsider.user).delete(path).status_code == 404
        assert SuccessCriterion.objects.filter(pk=criterion.pk).exists()

    def test_a_criterion_of_another_program_is_not_found(self, program_admin):
        other = SuccessCriterionFactory()
        client = token_client(program_admin)
        assert client.get(self.path(ProgramFactory(), other.pk)).status_code == 404
        assert client.delete(self.path(ProgramFactory(), other.pk)).status_code == 404


class TestCohortsAndCosts:
    def test_anyone_but_an_admin_is_refused(self, client, org):
        program = ProgramFactory()
        enroll(program, org.report)
        for path, data in (
            (f"{PROGRAMS}/{program.pk}/cohorts", {"name": "Spring"}),
            (
                f"{PROGRAMS}/{program.pk}/cost-lines",
                {"category": "other", "description": "Room", "amount": 10},
            ),
        ):
            assert client.post(path, data, JSON).status_code == 401
            assert token_client(org.report.user).post(path, data, JSON).status_code == 403
            assert token_client(org.outsider.user).post(path, data, JSON).status_code == 404
        assert client.get(f"{PROGRAMS}/{program.pk}/cost-lines").status_code == 401
        assert not Cohort.objects.exists() and not CostLine.objects.exists()

    def test_it_adds_and_lists_cohorts(self, org, program_admin):
        program = ProgramFactory()
        client = token_client(program_admin)
        path = f"{PROGRAMS}/{program.pk}/cohorts"
        response = client.post(path, {"name": "Spring", "start_date": "2026-03-02"}, JSON)
        assert response.status_code == 201, response.content
        assert response.json()["participant_count"] == 0
        enroll(program, org.report)
        program.enrollments.update(cohort_id=response.json()["id"])
        assert client.get(path).json()["items"][0]["participant_count"] == 1
        again = client.post(path, {"name": "spring"}, "application/json")
        assert error_fields(again) == {("body", "payload", "name")}
        assert Cohort.objects.count() == 1

    def test_it_adds_and_lists_cost_lines(self, program_admin):
        program = ProgramFactory()
        client = token_client(program_admin)
        path = f"{PROGRAMS}/{program.pk}/cost-lines"
        response = client.post(
            path,
            {"category": "coaching", "description": "Coaches", "amount": "1250.5"},
            "application/json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["amount"] == "1250.50"
        assert client.get(path).json()["count"] == 1
        assert client.get(f"{PROGRAMS}/{program.pk}").json()["total_cost"] == "1250.50"
        bad = client.post(
            path, {"category": "coaching", "description": "", "amount": -3}, "application/json"
        )
        assert bad.status_code == 422
        assert CostLine.objects.count() == 1
