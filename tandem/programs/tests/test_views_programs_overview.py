"""The program overview: what admins and participants see, launching, and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import AuditLog
from tandem.programs.models import (
    ActionItem,
    CheckIn,
    EnrollmentStatus,
    PlanCycle,
    ProgramStatus,
    Stage,
)
from tandem.tests.factories import (
    PersonFactory,
    ProgramFactory,
    SuccessCriterionFactory,
    enroll,
    running_program,
)

pytestmark = pytest.mark.django_db


def detail_url(program):
    return f"/programs/{program.pk}/"


def launch_url(program):
    return f"/programs/{program.pk}/launch/"


def at_stage(plan, stage, number=1):
    PlanCycle.objects.filter(plan=plan).update(stage=stage, number=number)


def started_days_ago(plan, days):
    plan.created_at = timezone.now() - datetime.timedelta(days=days)
    plan.save(update_fields=["created_at"])


def overdue_step(plan, title="Book the 360 debrief", days_late=3):
    return ActionItem.objects.create(
        plan=plan,
        title=title,
        owner=plan.person,
        due_date=timezone.localdate() - datetime.timedelta(days=days_late),
    )


class TestDetail:
    def test_it_redirects_anonymous_users_to_login(self, client):
        response = client.get(detail_url(ProgramFactory()))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_answers_not_found_to_an_outsider(self, client, org):
        program = running_program()
        enroll(program, org.report)
        client.force_login(org.outsider.user)
        assert client.get(detail_url(program)).status_code == 404

    def test_it_answers_not_found_for_a_program_that_does_not_exist(self, client, program_admin):
        client.force_login(program_admin)
        assert client.get("/programs/999999/").status_code == 404

    def test_a_participant_sees_a_summary_without_other_participants(self, client, org):
        program = running_program(name="Leading teams")
        at_stage(enroll(program, org.report), Stage.SET_GOALS)
        enroll(program, org.outsider)
        client.force_login(org.report.user)
        response = client.get(detail_url(program))
        assert response.status_code == 200
        assert response.templates[0].name == "programs/program_summary.html"
        content = response.content.decode()
        assert "Leading teams" in content
        assert "2 · Set goals" in content
        assert "Goal completion rate" in content
        assert "Otto Outsider" not in content
        assert "Launch" not in content and "Enroll" not in content
        assert "50,000" not in content  # the budget is for admins

    def test_an_admin_sees_participants_with_their_cycle_step(self, client, org, program_admin):
        program = running_program()
        report_plan = enroll(program, org.report)
        at_stage(report_plan, Stage.APPLY, number=2)
        enroll(program, org.manager)
        client.force_login(program_admin)
        response = client.get(detail_url(program))
        assert response.status_code == 200
        rows = {e.person.full_name: e for e in response.context["page"]}
        assert (rows["Rita Report"].cycle_number, rows["Rita Report"].cycle_stage) == (2, "apply")
        assert (rows["Max Manager"].cycle_number, rows["Max Manager"].cycle_stage) == (1, "assess")
        content = response.content.decode()
        assert f'href="/programs/plans/{report_plan.pk}/"' in content
        assert "4 · Apply" in content and "1 · Assess" in content

    def test_it_counts_current_participants_at_each_stage(self, client, org, program_admin):
        program = running_program()
        at_stage(enroll(program, org.report), Stage.LEARN)
        at_stage(enroll(program, org.manager), Stage.LEARN)
        enroll(program, org.ceo)
        withdrawn = enroll(program, org.outsider)
        withdrawn.enrollment.status = EnrollmentStatus.WITHDRAWN
        withdrawn.enrollment.save()
        client.force_login(program_admin)
        bars = {bar.stage: bar for bar in client.get(detail_url(program)).context["stage_bars"]}
        assert {stage: bar.count for stage, bar in bars.items()} == {
            "assess": 1,
            "set_goals": 0,
            "learn": 2,
            "apply": 0,
            "measure": 0,
        }
        assert (bars["learn"].share, bars["assess"].share) == (67, 33)

    def test_it_lists_overdue_check_ins_and_next_steps(self, client, org, program_admin):
        program = running_program(checkin_every_days=14)
        late = enroll(program, org.report)
        started_days_ago(late, 20)
        on_time = enroll(program, org.manager)
        started_days_ago(on_time, 20)
        CheckIn.objects.create(
            plan=on_time,
            cycle=on_time.current_cycle(),
            held_on=timezone.localdate() - datetime.timedelta(days=3),
            progress="Delegated",
            recorded_by=program_admin,
        )
        overdue_step(on_time, "Send the team survey")
        ActionItem.objects.create(
            plan=on_time, title="Not due yet", owner=org.manager, due_date=timezone.localdate()
        )
        client.force_login(program_admin)
        response = client.get(detail_url(program))
        assert [plan.person for plan in response.context["overdue_checkins"]] == [org.report]
        assert [item.title for item in response.context["overdue_items"]] == [
            "Send the team survey"
        ]
        rows = {e.person: e for e in response.context["page"]}
        assert rows[org.report].checkin_overdue and not rows[org.manager].checkin_overdue
        assert (rows[org.report].overdue_items, rows[org.manager].overdue_items) == (0, 1)
        # The same rule as the plan's own next check-in date.
        assert late.next_checkin_due() < timezone.localdate() <= on_time.next_checkin_due()
        content = response.content.decode()
        assert "Send the team survey" in content
        assert "Not due yet" not in content

    def test_it_shows_nothing_overdue_in_a_draft_program(self, client, org, program_admin):
        program = ProgramFactory()
        plan = enroll(program, org.report)
        started_days_ago(plan, 60)
        overdue_step(plan)
        client.force_login(program_admin)
        response = client.get(detail_url(program))
        assert response.context["overdue_checkin_count"] == 0
        assert response.context["overdue_item_count"] == 0

    def test_it_totals_the_costs_against_the_budget(self, client, program_admin):
        program = ProgramFactory(budget=1000, currency="USD")
        program.cost_lines.create(category="coaching", description="Coaches", amount=900)
        program.cost_lines.create(category="materials", description="Books", amount="250.50")
        client.force_login(program_admin)
        response = client.get(detail_url(program))
        assert response.context["total_cost"] == 1150.50
        assert response.context["over_budget"] is True
        assert "1,150.50 of a 1,000.00 USD budget" in response.content.decode()

    def test_it_pages_the_participants(self, client, program_admin):
        program = running_program()
        for _ in range(52):
            enroll(program, PersonFactory())
        client.force_login(program_admin)
        response = client.get(detail_url(program) + "?page=2")
        assert response.context["page"].number == 2
        assert len(response.context["page"]) == 2
        assert sum(bar.count for bar in response.context["stage_bars"]) == 52

    def test_it_uses_the_same_number_of_queries_whatever_the_enrollment(
        self, client, org, program_admin
    ):
        program = running_program()
        program.cohorts.create(name="Spring")
        program.cost_lines.create(category="coaching", description="Coaches", amount=900)

        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(detail_url(program)).status_code == 200
            return len(queries)

        client.force_login(program_admin)
        first = enroll(program, org.report)
        overdue_step(first)
        few = count_queries()
        for index in range(12):
            plan = enroll(program, PersonFactory(), by=program_admin)
            at_stage(plan, list(Stage)[index % 5])
            started_days_ago(plan, 30)
            overdue_step(plan)
            SuccessCriterionFactory(program=program)
        assert count_queries() == few


class TestLaunch:
    def test_it_redirects_anonymous_users_to_login(self, client):
        program = SuccessCriterionFactory().program
        response = client.post(launch_url(program))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        program.refresh_from_db()
        assert program.status == ProgramStatus.DRAFT

    def test_it_answers_not_found_to_an_outsider(self, client, org):
        program = SuccessCriterionFactory().program
        client.force_login(org.outsider.user)
        assert client.post(launch_url(program)).status_code == 404
        program.refresh_from_db()
        assert program.status == ProgramStatus.DRAFT

    def test_it_refuses_a_participant(self, client, org):
        program = SuccessCriterionFactory().program
        enroll(program, org.report)
        client.force_login(org.report.user)
        assert client.post(launch_url(program)).status_code == 403
        program.refresh_from_db()
        assert program.status == ProgramStatus.DRAFT

    def test_it_refuses_to_launch_without_a_success_criterion(self, client, program_admin):
        program = ProgramFactory()
        client.force_login(program_admin)
        response = client.post(launch_url(program))
        assert response.status_code == 400
        content = response.content.decode()
        assert "The program was not launched." in content
        assert "Define at least one success criterion" in content
        assert response.context["launch_blockers"] == program.launch_blockers()
        program.refresh_from_db()
        assert (program.status, program.launched_at) == (ProgramStatus.DRAFT, None)
        assert not AuditLog.objects.exists()

    def test_it_launches_a_program_with_a_criterion(self, client, program_admin):
        program = SuccessCriterionFactory().program
        client.force_login(program_admin)
        response = client.post(launch_url(program))
        assert response.status_code == 302
        assert response["Location"] == detail_url(program)
        program.refresh_from_db()
        assert program.status == ProgramStatus.RUNNING
        assert "Launched" in client.get(detail_url(program)).content.decode()

    def test_it_refuses_to_launch_twice(self, client, program_admin):
        program = running_program()
        client.force_login(program_admin)
        response = client.post(launch_url(program))
        assert response.status_code == 400
        assert "Only a draft program can be launched." in response.content.decode()

    def test_it_only_accepts_a_post(self, client, program_admin):
        client.force_login(program_admin)
        assert client.get(launch_url(ProgramFactory())).status_code == 405
