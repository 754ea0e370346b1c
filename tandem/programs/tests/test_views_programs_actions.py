"""What admins do on the program overview: success criteria, cohorts, costs, enrolling
people and changing an enrollment's status."""

import datetime

import pytest

from tandem.accounts.models import AuditLog
from tandem.programs.models import (
    Cohort,
    Competency,
    CostLine,
    DevelopmentPlan,
    Enrollment,
    EnrollmentStatus,
    PlanCycle,
    ProgramStatus,
    SuccessCriterion,
)
from tandem.tests.factories import (
    PersonFactory,
    ProgramFactory,
    SuccessCriterionFactory,
    enroll,
    running_program,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "criteria"}


def url(program, action):
    return f"/programs/{program.pk}/{action}/"


def criterion_data(**changes):
    data = {
        "metric": "competency_360_change",
        "competency": Competency.objects.get(name="Coaching others").pk,
        "baseline": "2.8",
        "target": "3.5",
        "unit": "points",
        "measure_by": "2026-11-30",
        "note": "Direct reports' ratings",
    }
    data.update(changes)
    return data


def assert_refused_to_others(client, org, program, path, data):
    """Anonymous visitors sign in first, outsiders find nothing, participants may not."""
    enroll(program, org.report)
    response = client.post(path, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(org.outsider.user)
    assert client.post(path, data).status_code == 404
    client.force_login(org.report.user)
    assert client.post(path, data).status_code == 403


class TestCriteria:
    def test_it_is_refused_to_anyone_but_an_admin(self, client, org):
        program = ProgramFactory()
        assert_refused_to_others(client, org, program, url(program, "criteria"), criterion_data())
        assert not SuccessCriterion.objects.exists()

    def test_it_adds_a_criterion(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(url(program, "criteria"), criterion_data())
        assert response.status_code == 302
        assert response["Location"] == f"/programs/{program.pk}/#criteria"
        criterion = program.criteria.get()
        assert (criterion.metric, criterion.competency.name, str(criterion.target)) == (
            "competency_360_change",
            "Coaching others",
            "3.50",
        )
        content = client.get(f"/programs/{program.pk}/").content.decode()
        assert "360 change on a competency" in content
        assert "2.80 → <strong>3.50</strong> points" in content

    def test_it_adds_a_criterion_in_place_with_htmx(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(url(program, "criteria"), criterion_data(), **HTMX)
        assert response.status_code == 200
        assert response.templates[0].name == "programs/snippets/program_criteria.html"
        content = response.content.decode()
        assert content.lstrip().startswith("<section")
        assert "360 change on a competency" in content
        assert program.criteria.count() == 1

    def test_it_shows_errors_next_to_the_fields_and_writes_nothing(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(
            url(program, "criteria"),
            criterion_data(competency="", baseline="x", measure_by="2025-01-01"),
        )
        assert response.status_code == 400
        assert set(response.context["criterion_form"].errors) == {
            "competency",
            "baseline",
            "measure_by",
        }
        assert 'id="id_competency_error"' in response.content.decode()
        assert not SuccessCriterion.objects.exists()

    def test_it_returns_the_errors_in_place_with_htmx(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(url(program, "criteria"), criterion_data(target="2.8"), **HTMX)
        # htmx swaps only a 2xx response, so the form with its errors comes back as 200.
        assert response.status_code == 200
        assert "The target must differ from the baseline." in response.content.decode()
        assert not SuccessCriterion.objects.exists()

    def test_it_refuses_new_criteria_for_a_closed_program(self, client, program_admin):
        program = ProgramFactory(status=ProgramStatus.CLOSED)
        client.force_login(program_admin)
        response = client.post(url(program, "criteria"), criterion_data())
        assert response.status_code == 400
        assert "This program is closed" in response.content.decode()
        assert not SuccessCriterion.objects.exists()

    def test_it_removes_a_criterion_while_draft(self, client, program_admin):
        criterion = SuccessCriterionFactory()
        program = criterion.program
        client.force_login(program_admin)
        response = client.post(url(program, f"criteria/{criterion.pk}/remove"))
        assert response.status_code == 302
        assert not SuccessCriterion.objects.exists()

    def test_it_removes_a_criterion_in_place_with_htmx(self, client, program_admin):
        criterion = SuccessCriterionFactory()
        program = criterion.program
        client.force_login(program_admin)
        response = client.post(url(program, f"criteria/{criterion.pk}/remove"), **HTMX)
        assert response.status_code == 200
        assert "No success criteria yet" in response.content.decode()

    def test_it_keeps_the_criteria_of_a_launched_program(self, client, program_admin):
        program = running_program()
        criterion = program.criteria.get()
        client.force_login(program_admin)
        response = client.post(url(program, f"criteria/{criterion.pk}/remove"), follow=True)
        assert "fixed once the program is launched" in response.content.decode()
        assert SuccessCriterion.objects.filter(pk=criterion.pk).exists()
        assert "Remove" not in response.content.decode()

    def test_it_removes_only_a_criterion_of_this_program(self, client, program_admin):
        other = SuccessCriterionFactory()
        client.force_login(program_admin)
        path = url(ProgramFactory(), f"criteria/{other.pk}/remove")
        assert client.post(path).status_code == 404
        assert SuccessCriterion.objects.filter(pk=other.pk).exists()

    def test_removing_is_refused_to_anyone_but_an_admin(self, client, org):
        criterion = SuccessCriterionFactory()
        program = criterion.program
        path = url(program, f"criteria/{criterion.pk}/remove")
        assert_refused_to_others(client, org, program, path, {})
        assert SuccessCriterion.objects.filter(pk=criterion.pk).exists()

    def test_it_says_in_place_that_launched_criteria_stay(self, client, program_admin):
        program = running_program()
        criterion = program.criteria.get()
        client.force_login(program_admin)
        response = client.post(url(program, f"criteria/{criterion.pk}/remove"), **HTMX)
        assert response.status_code == 200
        assert "fixed once the program is launched" in response.content.decode()
        assert SuccessCriterion.objects.filter(pk=criterion.pk).exists()

    def test_it_shows_in_place_why_a_closed_program_takes_no_criterion(self, client, program_admin):
        program = ProgramFactory(status=ProgramStatus.CLOSED)
        client.force_login(program_admin)
        response = client.post(url(program, "criteria"), criterion_data(), **HTMX)
        assert "This program is closed; its criteria are final." in response.content.decode()
        assert not SuccessCriterion.objects.exists()


class TestCohorts:
    def test_it_is_refused_to_anyone_but_an_admin(self, client, org):
        program = ProgramFactory()
        assert_refused_to_others(client, org, program, url(program, "cohorts"), {"name": "A"})
        assert not Cohort.objects.exists()

    def test_it_adds_a_cohort(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(
            url(program, "cohorts"), {"name": "Spring 2026", "start_date": "2026-03-02"}
        )
        assert response.status_code == 302
        cohort = program.cohorts.get()
        assert (cohort.name, cohort.start_date) == ("Spring 2026", datetime.date(2026, 3, 2))

    def test_it_refuses_a_second_cohort_with_the_same_name(self, client, program_admin):
        program = ProgramFactory()
        program.cohorts.create(name="Spring")
        client.force_login(program_admin)
        response = client.post(url(program, "cohorts"), {"name": "spring "})
        assert response.status_code == 400
        assert response.context["cohort_form"].errors == {
            "name": ["This program already has a cohort with this name."]
        }
        assert program.cohorts.count() == 1


class TestCosts:
    def test_it_is_refused_to_anyone_but_an_admin(self, client, org):
        program = ProgramFactory()
        data = {"category": "coaching", "description": "Coaches", "amount": "900"}
        assert_refused_to_others(client, org, program, url(program, "costs"), data)
        assert not CostLine.objects.exists()

    def test_it_adds_a_cost_line(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(
            url(program, "costs"),
            {"category": "coaching", "description": "External coaches", "amount": "12000"},
        )
        assert response.status_code == 302
        assert program.total_cost() == 12000

    def test_it_refuses_a_negative_amount(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(
            url(program, "costs"), {"category": "other", "description": "Refund", "amount": "-1"}
        )
        assert response.status_code == 400
        assert "amount" in response.context["cost_form"].errors
        assert not CostLine.objects.exists()


class TestEnroll:
    def test_it_is_refused_to_anyone_but_an_admin(self, client, org):
        program = running_program()
        newcomer = PersonFactory()
        data = {"employee_ids": newcomer.employee_id}
        assert_refused_to_others(client, org, program, url(program, "enrollments"), data)
        assert not Enrollment.objects.filter(person=newcomer).exists()

    def test_it_enrolls_several_people_at_cycle_one_assess_with_their_level_template(
        self, client, org, program_admin
    ):
        program = running_program()
        cohort = program.cohorts.create(name="Spring")
        client.force_login(program_admin)
        response = client.post(
            url(program, "enrollments"),
            {
                "employee_ids": f"{org.report.employee_id}, {org.manager.employee_id}\n",
                "cohort": cohort.pk,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/programs/{program.pk}/#participants"
        plans = {plan.person: plan for plan in DevelopmentPlan.objects.all()}
        assert set(plans) == {org.report, org.manager}
        for person, plan in plans.items():
            cycle = plan.current_cycle()
            assert (cycle.number, cycle.stage) == (1, "assess")
            assert plan.template.level == person.level
            assert plan.focus_areas == plan.template.focus_areas
            assert plan.enrollment.cohort == cohort
            assert plan.enrollment.status == EnrollmentStatus.INVITED
        assert AuditLog.objects.filter(summary__startswith="Enrolled in").count() == 2
        followed = client.get(response["Location"])
        assert "Enrolled 2 people" in followed.content.decode()

    def test_it_accepts_one_id_per_line(self, client, org, program_admin):
        program = running_program()
        client.force_login(program_admin)
        ids = f"{org.report.employee_id}\r\n\r\n{org.ceo.employee_id}\r\n{org.ceo.employee_id}"
        client.post(url(program, "enrollments"), {"employee_ids": ids})
        assert set(program.enrollments.values_list("person", flat=True)) == {
            org.report.pk,
            org.ceo.pk,
        }

    def test_it_reports_every_problem_and_enrolls_no_one(self, client, org, program_admin):
        program = running_program()
        enroll(program, org.manager)
        leaver = PersonFactory(
            first_name="Lee",
            last_name="Leaver",
            exit_date=datetime.date(2024, 1, 31),
            exit_type="voluntary",
        )
        client.force_login(program_admin)
        ids = [org.report.employee_id, "NOPE-1", org.manager.employee_id, leaver.employee_id]
        response = client.post(url(program, "enrollments"), {"employee_ids": ", ".join(ids)})
        assert response.status_code == 400
        assert response.context["enroll_form"].errors == {
            "employee_ids": [
                "No one has the employee id “NOPE-1”.",
                f"Max Manager ({org.manager.employee_id}) is already enrolled.",
                f"Lee Leaver ({leaver.employee_id}) has left the organization.",
            ]
        }
        assert 'id="id_employee_ids_error"' in response.content.decode()
        assert list(program.enrollments.values_list("person", flat=True)) == [org.manager.pk]

    def test_it_requires_an_id(self, client, program_admin):
        program = running_program()
        client.force_login(program_admin)
        response = client.post(url(program, "enrollments"), {"employee_ids": " , \n"})
        assert response.status_code == 400
        assert response.context["enroll_form"].errors == {
            "employee_ids": ["Enter at least one employee id."]
        }

    def test_it_refuses_a_cohort_of_another_program(self, client, org, program_admin):
        program = running_program()
        elsewhere = ProgramFactory().cohorts.create(name="Elsewhere")
        client.force_login(program_admin)
        response = client.post(
            url(program, "enrollments"),
            {"employee_ids": org.report.employee_id, "cohort": elsewhere.pk},
        )
        assert response.status_code == 400
        assert "cohort" in response.context["enroll_form"].errors
        assert not Enrollment.objects.exists()

    def test_it_refuses_to_enroll_in_a_closed_program(self, client, org, program_admin):
        program = ProgramFactory(status=ProgramStatus.CLOSED)
        client.force_login(program_admin)
        response = client.post(
            url(program, "enrollments"), {"employee_ids": org.report.employee_id}
        )
        assert response.status_code == 400
        assert "This program is closed." in response.content.decode()
        assert not Enrollment.objects.exists()


class TestEnrollmentStatus:
    def status_url(self, enrollment):
        return url(enrollment.program, f"enrollments/{enrollment.pk}/status")

    def test_it_is_refused_to_anyone_but_an_admin(self, client, org):
        program = running_program()
        enrollment = enroll(program, org.manager).enrollment
        path = self.status_url(enrollment)
        assert_refused_to_others(client, org, program, path, {"status": "withdrawn"})
        enrollment.refresh_from_db()
        assert enrollment.status == EnrollmentStatus.INVITED

    @pytest.mark.parametrize("status", ["withdrawn", "completed"])
    def test_it_withdraws_or_completes_an_enrollment(self, client, org, program_admin, status):
        enrollment = enroll(running_program(), org.report).enrollment
        client.force_login(program_admin)
        response = client.post(self.status_url(enrollment), {"status": status}, follow=True)
        enrollment.refresh_from_db()
        assert enrollment.status == status
        assert f"Rita Report is now {status}." in response.content.decode()

    def test_a_withdrawn_participant_is_no_longer_counted_at_a_stage(
        self, client, org, program_admin
    ):
        enrollment = enroll(running_program(), org.report).enrollment
        client.force_login(program_admin)
        response = client.post(self.status_url(enrollment), {"status": "withdrawn"}, follow=True)
        assert sum(bar.count for bar in response.context["stage_bars"]) == 0
        assert "Reinstate" in response.content.decode()

    def test_it_refuses_a_move_that_makes_no_sense(self, client, org, program_admin):
        enrollment = enroll(running_program(), org.report).enrollment
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.save()
        client.force_login(program_admin)
        response = client.post(self.status_url(enrollment), {"status": "withdrawn"}, follow=True)
        assert "cannot become withdrawn" in response.content.decode()
        enrollment.refresh_from_db()
        assert enrollment.status == EnrollmentStatus.COMPLETED

    def test_it_changes_only_an_enrollment_of_this_program(self, client, org, program_admin):
        enrollment = enroll(running_program(), org.report).enrollment
        client.force_login(program_admin)
        path = url(ProgramFactory(), f"enrollments/{enrollment.pk}/status")
        assert client.post(path, {"status": "withdrawn"}).status_code == 404
        assert PlanCycle.objects.count() == 1
        enrollment.refresh_from_db()
        assert enrollment.status == EnrollmentStatus.INVITED
