"""The manager's team page: everyone below them with a live plan, direct reports first,
with cycle, goals, check-ins and next steps; and the manager's own overdue steps."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import (
    ActionItem,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    ProgramStatus,
    Stage,
)
from tandem.tests.factories import (
    ObjectiveFactory,
    PersonFactory,
    enroll,
    make_user_for,
    running_program,
)

TODAY = datetime.date(2026, 3, 2)
TEAM = "/programs/team/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield TODAY


def started(program, person, on=datetime.date(2026, 2, 2)):
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(9), datetime.UTC)):
        return enroll(program, person)


@pytest.fixture
def program():
    return running_program(name="Emerging leaders 2026")


@pytest.fixture
def plan(org, program):
    return started(program, org.report)


def rows(response):
    assert response.status_code == 200
    return list(response.context["page"]) if response.context["page"] else []


def test_it_redirects_anonymous_visitors_to_login(client):
    response = client.get(TEAM)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_without_reports_gets_an_explanation(client, org, plan):
    client.force_login(org.report.user)
    response = client.get(TEAM)
    assert response.status_code == 200
    assert response.context["page"] is None
    content = response.content.decode()
    assert "No one reports to you" in content
    assert reverse("programs:plan-detail", args=[plan.pk]) not in content


def test_a_login_without_a_person_gets_an_explanation(client, program_admin, plan):
    client.force_login(program_admin)
    response = client.get(TEAM)
    assert response.status_code == 200
    assert "not linked to a person" in response.content.decode()


def test_a_manager_sees_their_reports_plan(client, org, plan):
    cycle = plan.current_cycle()
    cycle.stage = Stage.APPLY
    cycle.save()
    objective = ObjectiveFactory()
    for status in (GoalStatus.ACHIEVED, GoalStatus.IN_PROGRESS, GoalStatus.DROPPED):
        Goal.objects.create(
            cycle=cycle, title=status, measure="m", objective=objective,
            due_date=datetime.date(2026, 6, 1), status=status,
        )  # fmt: skip
    services.checkin_record(
        plan=plan,
        held_on=datetime.date(2026, 2, 10),
        attendees=[org.report, org.manager],
        progress="Confidential-ish detail of the conversation",
        blockers="",
        next_steps=[
            services.NextStep("Late step", org.report, datetime.date(2026, 2, 20)),
            services.NextStep("Fresh step", org.report, datetime.date(2026, 3, 20)),
        ],
        recorded_by=org.manager.user,
    )
    client.force_login(org.manager.user)
    response = client.get(TEAM)
    [row] = rows(response)
    assert row.pk == plan.pk
    assert (row.cycle_number, row.cycle_stage, row.stage_label) == (1, "apply", "Apply")
    assert (row.goals_achieved, row.goals_total) == (1, 2)  # dropped goals do not count
    assert row.last_checkin_on == datetime.date(2026, 2, 10)
    assert row.checkin_due == datetime.date(2026, 2, 24) == plan.next_checkin_due()
    assert row.checkin_overdue is True
    assert (row.open_items, row.overdue_items) == (2, 1)
    content = response.content.decode()
    assert "Emerging leaders 2026" in content
    assert "Direct report" in content
    assert "1 of 2" in content
    assert "Overdue since" in content and "badge-danger" in content
    assert reverse("programs:plan-detail", args=[plan.pk]) in content
    assert reverse("programs:checkin-create", args=[plan.pk]) in content
    assert "Confidential-ish detail" not in content


def test_a_checkin_not_yet_due_is_not_red(client, org, program):
    started(program, org.report, on=datetime.date(2026, 2, 20))
    client.force_login(org.manager.user)
    [row] = rows(client.get(TEAM))
    assert row.checkin_due == datetime.date(2026, 3, 6)
    assert row.checkin_overdue is False


def test_the_whole_line_shows_direct_reports_first(client, org, program):
    other = running_program(name="Senior leaders")
    report_plan = started(program, org.report)
    manager_plan = started(program, org.manager)
    manager_second = started(other, org.manager)
    outsider_plan = started(program, org.outsider)
    started(program, org.ceo)  # the viewer's own plan is not their team's
    client.force_login(org.ceo.user)
    plans = rows(client.get(TEAM))
    # Direct reports by name (Max Manager, Otto Outsider), then the rest of the line.
    assert {p.pk for p in plans[:2]} == {manager_plan.pk, manager_second.pk}
    assert plans[2].pk == outsider_plan.pk
    assert [p.is_direct for p in plans] == [0, 0, 0, 1]
    assert plans[3].pk == report_plan.pk


def test_a_manager_does_not_see_beyond_their_line(client, org, program, plan):
    started(program, org.outsider)
    started(program, org.manager)
    client.force_login(org.manager.user)
    assert [p.pk for p in rows(client.get(TEAM))] == [plan.pk]


def test_it_leaves_out_finished_enrollments_and_programs_not_running(client, org, program):
    withdrawn = started(program, org.report)
    withdrawn.enrollment.status = EnrollmentStatus.WITHDRAWN
    withdrawn.enrollment.save()
    closed = running_program()
    started(closed, org.report)
    closed.status = ProgramStatus.CLOSED
    closed.save()
    client.force_login(org.manager.user)
    response = client.get(TEAM)
    assert rows(response) == []
    assert "No one in your team has a development plan yet" in response.content.decode()


def test_it_lists_the_managers_own_overdue_next_steps(client, org, plan):
    services.checkin_record(
        plan=plan,
        held_on=datetime.date(2026, 2, 10),
        attendees=[org.report, org.manager],
        progress="p",
        blockers="",
        next_steps=[
            services.NextStep("Book the training", org.manager, datetime.date(2026, 2, 20)),
            services.NextStep("Not mine", org.report, datetime.date(2026, 2, 20)),
            services.NextStep("Not late", org.manager, datetime.date(2026, 3, 20)),
        ],
        recorded_by=org.manager.user,
    )
    client.force_login(org.manager.user)
    response = client.get(TEAM)
    assert [item.title for item in response.context["own_overdue"]] == ["Book the training"]
    content = response.content.decode()
    assert "Your overdue next steps" in content
    own = ActionItem.objects.get(title="Book the training")
    assert reverse("programs:action-item-done", args=[own.pk]) in content


def test_its_queries_do_not_grow_with_the_team(client, org, program, plan):
    client.force_login(org.manager.user)
    client.get(TEAM)  # warm up the session and the role cache
    with CaptureQueriesContext(connection) as few:
        client.get(TEAM)
    for n in range(8):
        person = PersonFactory(manager=org.manager if n % 2 else org.report, level="emerging")
        make_user_for(person)
        member_plan = started(program, person)
        services.checkin_record(
            plan=member_plan,
            held_on=datetime.date(2026, 2, 10),
            attendees=[person],
            progress="p",
            blockers="",
            next_steps=[services.NextStep("Step", org.manager, datetime.date(2026, 2, 20))],
            recorded_by=org.manager.user,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(TEAM)
    assert len(rows(response)) == 9
    assert len(many) == len(few)
