"""/api/v1/programs/{id}/enrollments: who is enrolled, where they are in the cycle,
enrolling people and changing an enrollment's status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.programs.models import (
    ActionItem,
    DevelopmentPlan,
    Enrollment,
    EnrollmentStatus,
    PlanCycle,
    ProgramStatus,
    Stage,
)
from tandem.tests.factories import PersonFactory, ProgramFactory, enroll, running_program

pytestmark = pytest.mark.django_db

JSON = "application/json"


def path(program, *rest):
    return "/".join([f"/api/v1/programs/{program.pk}/enrollments", *map(str, rest)])


def error_fields(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def person_ids(response):
    assert response.status_code == 200, response.content
    return {item["person_id"] for item in response.json()["items"]}


class TestList:
    def test_anonymous_is_refused(self, client):
        assert client.get(path(running_program())).status_code == 401

    def test_an_outsider_finds_nothing(self, org):
        program = running_program()
        enrollment = enroll(program, org.report).enrollment
        client = token_client(org.outsider.user)
        assert client.get(path(program)).status_code == 404
        assert client.get(path(program, enrollment.pk)).status_code == 404

    def test_an_admin_sees_each_participants_step_and_what_is_overdue(self, org, program_admin):
        program = running_program(checkin_every_days=14)
        plan = enroll(program, org.report)
        PlanCycle.objects.filter(plan=plan).update(stage=Stage.APPLY)
        DevelopmentPlan.objects.filter(pk=plan.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=30)
        )
        ActionItem.objects.create(
            plan=plan,
            title="Book the debrief",
            owner=org.report,
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )
        enroll(program, org.manager)
        body = token_client(program_admin).get(path(program)).json()
        assert body["count"] == 2
        first, second = body["items"]  # sorted by last name: Manager, Report
        assert (first["person_name"], first["stage"], first["checkin_overdue"]) == (
            "Max Manager",
            "assess",
            False,
        )
        assert second == {
            "id": plan.enrollment.pk,
            "program_id": program.pk,
            "person_id": org.report.pk,
            "person_name": "Rita Report",
            "employee_id": org.report.employee_id,
            "level": "emerging",
            "cohort_id": None,
            "status": "invited",
            "enrolled_at": second["enrolled_at"],
            "status_changed_at": second["status_changed_at"],
            "plan_id": plan.pk,
            "cycle_number": 1,
            "stage": "apply",
            "overdue_action_items": 1,
            "checkin_overdue": True,
            "last_checkin_on": None,
        }

    def test_it_filters_by_status_and_cohort(self, org, program_admin):
        program = running_program()
        spring = program.cohorts.create(name="Spring")
        enroll(program, org.report)
        enroll(program, org.manager)
        Enrollment.objects.filter(person=org.manager).update(
            cohort=spring, status=EnrollmentStatus.WITHDRAWN
        )
        client = token_client(program_admin)
        assert person_ids(client.get(f"{path(program)}?status=withdrawn")) == {org.manager.pk}
        assert person_ids(client.get(f"{path(program)}?status=invited")) == {org.report.pk}
        assert person_ids(client.get(f"{path(program)}?cohort={spring.pk}")) == {org.manager.pk}
        assert client.get(f"{path(program)}?status=gone").status_code == 422

    def test_a_participant_sees_only_their_own_enrollment(self, org):
        program = running_program()
        own = enroll(program, org.report).enrollment
        other = enroll(program, org.outsider).enrollment
        client = token_client(org.report.user)
        assert person_ids(client.get(path(program))) == {org.report.pk}
        assert client.get(path(program, own.pk)).status_code == 200
        assert client.get(path(program, other.pk)).status_code == 404

    def test_a_manager_in_the_program_sees_their_reports_too(self, org):
        program = running_program()
        enroll(program, org.manager)
        enroll(program, org.report)
        enroll(program, org.outsider)
        client = token_client(org.manager.user)
        assert person_ids(client.get(path(program))) == {org.manager.pk, org.report.pk}

    def test_it_uses_the_same_number_of_queries_whatever_the_enrollment(self, org, program_admin):
        program = running_program()
        client = token_client(program_admin)

        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path(program)).status_code == 200
            return len(queries)

        enroll(program, org.report)
        count_queries()  # the token's first use is recorded once
        few = count_queries()
        for _ in range(8):
            enroll(program, PersonFactory())
        assert count_queries() == few


class TestCreate:
    def test_anyone_but_an_admin_is_refused(self, client, org):
        program = running_program()
        enroll(program, org.report)
        data = {"person_id": org.manager.pk}
        assert client.post(path(program), data, "application/json").status_code == 401
        assert (
            token_client(org.report.user).post(path(program), data, "application/json").status_code
            == 403
        )
        assert (
            token_client(org.outsider.user)
            .post(path(program), data, "application/json")
            .status_code
            == 404
        )
        assert not Enrollment.objects.filter(person=org.manager).exists()

    def test_it_opens_the_plan_at_cycle_one_assess_with_the_level_template(
        self, org, program_admin
    ):
        program = running_program()
        cohort = program.cohorts.create(name="Spring")
        response = token_client(program_admin).post(
            path(program), {"person_id": org.manager.pk, "cohort_id": cohort.pk}, "application/json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        plan = DevelopmentPlan.objects.get(person=org.manager)
        assert (body["plan_id"], body["cycle_number"], body["stage"]) == (plan.pk, 1, "assess")
        assert (body["status"], body["cohort_id"]) == ("invited", cohort.pk)
        assert plan.template.level == "mid"
        assert plan.focus_areas == plan.template.focus_areas

    def test_it_refuses_someone_already_enrolled(self, org, program_admin):
        program = running_program()
        enroll(program, org.report)
        response = token_client(program_admin).post(
            path(program), {"person_id": org.report.pk}, "application/json"
        )
        assert error_fields(response) == {("body", "payload", "person_id")}
        assert "already enrolled" in response.json()["detail"][0]["msg"]
        assert Enrollment.objects.count() == 1

    def test_it_refuses_someone_who_left(self, program_admin):
        leaver = PersonFactory(exit_date=datetime.date(2024, 1, 31), exit_type="voluntary")
        program = running_program()
        response = token_client(program_admin).post(
            path(program), {"person_id": leaver.pk}, "application/json"
        )
        assert error_fields(response) == {("body", "payload", "person_id")}
        assert "has left the organization" in response.json()["detail"][0]["msg"]
        assert not Enrollment.objects.exists()

    def test_it_refuses_an_unknown_person_or_a_cohort_of_another_program(self, org, program_admin):
        program = running_program()
        elsewhere = ProgramFactory().cohorts.create(name="Elsewhere")
        response = token_client(program_admin).post(
            path(program), {"person_id": 999999, "cohort_id": elsewhere.pk}, "application/json"
        )
        assert error_fields(response) == {
            ("body", "payload", "person_id"),
            ("body", "payload", "cohort_id"),
        }
        assert not Enrollment.objects.exists()

    def test_it_refuses_a_closed_program(self, org, program_admin):
        program = ProgramFactory(status=ProgramStatus.CLOSED)
        response = token_client(program_admin).post(
            path(program), {"person_id": org.report.pk}, "application/json"
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"] == "This program is closed."
        assert not Enrollment.objects.exists()


class TestUpdate:
    def test_anyone_but_an_admin_is_refused(self, client, org):
        program = running_program()
        enrollment = enroll(program, org.report).enrollment
        data = {"status": "withdrawn"}
        target = path(program, enrollment.pk)
        assert client.patch(target, data, JSON).status_code == 401
        assert token_client(org.report.user).patch(target, data, JSON).status_code == 403
        assert token_client(org.outsider.user).patch(target, data, JSON).status_code == 404
        enrollment.refresh_from_db()
        assert enrollment.status == EnrollmentStatus.INVITED

    @pytest.mark.parametrize("status", ["active", "completed", "withdrawn"])
    def test_it_changes_the_status(self, org, program_admin, status):
        program = running_program()
        enrollment = enroll(program, org.report).enrollment
        response = token_client(program_admin).patch(
            path(program, enrollment.pk), {"status": status}, "application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
        enrollment.refresh_from_db()
        assert enrollment.status == status

    def test_it_refuses_going_back_to_invited(self, org, program_admin):
        program = running_program()
        enrollment = enroll(program, org.report).enrollment
        Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.ACTIVE)
        response = token_client(program_admin).patch(
            path(program, enrollment.pk), {"status": "invited"}, "application/json"
        )
        assert error_fields(response) == {("body", "payload", "status")}
        enrollment.refresh_from_db()
        assert enrollment.status == EnrollmentStatus.ACTIVE

    def test_an_enrollment_of_another_program_is_not_found(self, org, program_admin):
        enrollment = enroll(running_program(), org.report).enrollment
        response = token_client(program_admin).patch(
            path(running_program(), enrollment.pk), {"status": "withdrawn"}, "application/json"
        )
        assert response.status_code == 404
