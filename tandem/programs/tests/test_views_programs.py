"""The program list, and creating and editing a program."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Role
from tandem.programs.models import PlanCycle, Program, ProgramStatus, Stage
from tandem.tests.factories import PersonFactory, ProgramFactory, UserFactory, enroll

pytestmark = pytest.mark.django_db

LIST = "/programs/"
CREATE = "/programs/new/"


def edit_url(program):
    return f"/programs/{program.pk}/edit/"


def form_data(**changes):
    data = {
        "name": "Leading teams 2026",
        "description": "For new people leaders.",
        "kind": "blended",
        "target_levels": ["emerging", "mid"],
        "start_date": "2026-02-02",
        "end_date": "2026-11-27",
        "owner": "",
        "budget": "48000",
        "currency": "eur",
        "checkin_every_days": "14",
    }
    data.update(changes)
    return data


def at_stage(plan, stage):
    PlanCycle.objects.filter(plan=plan).update(stage=stage)


class TestList:
    def test_it_redirects_anonymous_users_to_login(self, client):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_lists_every_program_with_counts_for_an_admin(self, client, org, program_admin):
        leading = ProgramFactory(name="Leading teams", status=ProgramStatus.RUNNING)
        ProgramFactory(name="Executive presence")
        at_stage(enroll(leading, org.report), Stage.LEARN)
        enroll(leading, org.manager)
        client.force_login(program_admin)
        response = client.get(LIST)
        assert response.status_code == 200
        programs = {p.name: p for p in response.context["programs"]}
        assert set(programs) == {"Leading teams", "Executive presence"}
        assert programs["Leading teams"].participant_count == 2
        assert (programs["Leading teams"].at_assess, programs["Leading teams"].at_learn) == (1, 1)
        assert programs["Executive presence"].participant_count == 0
        content = response.content.decode()
        assert "New program" in content
        assert "Running" in content and "Draft" in content

    def test_it_shows_a_participant_only_the_programs_they_are_enrolled_in(self, client, org):
        mine = ProgramFactory(name="Leading teams")
        ProgramFactory(name="Executive presence")
        enroll(mine, org.report)
        client.force_login(org.report.user)
        response = client.get(LIST)
        assert response.status_code == 200
        assert [e.program.name for e in response.context["enrollments"]] == ["Leading teams"]
        content = response.content.decode()
        assert "Executive presence" not in content
        assert "New program" not in content
        assert "1 · Assess" in content

    def test_it_shows_an_outsider_no_program(self, client, org):
        ProgramFactory(name="Leading teams")
        client.force_login(org.outsider.user)
        response = client.get(LIST)
        assert response.status_code == 200
        assert "Leading teams" not in response.content.decode()
        assert "You are not in a program yet" in response.content.decode()

    def test_it_tells_an_admin_what_to_do_first(self, client, program_admin):
        client.force_login(program_admin)
        content = client.get(LIST).content.decode()
        assert "No programs yet" in content
        assert "success criterion" in content

    def test_it_uses_the_same_number_of_queries_for_more_programs(self, client, org, program_admin):
        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(LIST).status_code == 200
            return len(queries)

        client.force_login(program_admin)
        enroll(ProgramFactory(), org.report)
        few = count_queries()
        for _ in range(4):
            program = ProgramFactory()
            for _ in range(3):
                enroll(program, PersonFactory())
        assert count_queries() == few


class TestCreate:
    def test_it_redirects_anonymous_users_to_login(self, client):
        for response in (client.get(CREATE), client.post(CREATE, form_data())):
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        assert not Program.objects.exists()

    def test_it_refuses_anyone_who_is_not_a_program_admin(self, client, org):
        for person in (org.outsider, org.ceo):
            client.force_login(person.user)
            assert client.get(CREATE).status_code == 403
            assert client.post(CREATE, form_data(owner=person.user.pk)).status_code == 403
        assert not Program.objects.exists()

    def test_it_offers_the_current_admin_as_owner(self, client, program_admin):
        client.force_login(program_admin)
        response = client.get(CREATE)
        assert response.status_code == 200
        assert response.context["form"]["owner"].value() == program_admin.pk
        content = response.content.decode()
        assert '<label for="id_name">Name' in content
        assert 'type="checkbox" name="target_levels" value="emerging"' in content

    def test_it_creates_a_draft_program(self, client, program_admin):
        client.force_login(program_admin)
        response = client.post(CREATE, form_data(owner=program_admin.pk))
        program = Program.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/programs/{program.pk}/"
        assert program.status == ProgramStatus.DRAFT
        assert program.target_levels == ["emerging", "mid"]
        assert (program.currency, program.checkin_every_days) == ("EUR", 14)
        assert program.owner == program_admin

    def test_it_shows_an_end_before_the_start_next_to_the_end_date(self, client, program_admin):
        client.force_login(program_admin)
        response = client.post(
            CREATE,
            form_data(owner=program_admin.pk, start_date="2026-05-01", end_date="2026-04-30"),
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert form.errors == {"end_date": ["The program cannot end before it starts."]}
        assert 'id="id_end_date_error"' in response.content.decode()
        assert not Program.objects.exists()

    def test_it_reports_each_bad_field_and_writes_nothing(self, client, program_admin):
        client.force_login(program_admin)
        someone = UserFactory()  # not a program admin
        response = client.post(
            CREATE,
            form_data(
                name="",
                kind="lecture",
                target_levels=["intern"],
                owner=someone.pk,
                budget="-5",
                currency="euro",
                checkin_every_days="0",
            ),
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {
            "name",
            "kind",
            "target_levels",
            "owner",
            "budget",
            "currency",
            "checkin_every_days",
        }
        assert not Program.objects.exists()

    def test_a_superuser_or_granted_admin_may_own_a_program(self, client, program_admin):
        other_admin = UserFactory(roles=[Role.PROGRAM_ADMIN])
        client.force_login(program_admin)
        client.post(CREATE, form_data(owner=other_admin.pk))
        assert Program.objects.get().owner == other_admin


class TestEdit:
    def test_it_redirects_anonymous_users_to_login(self, client):
        program = ProgramFactory()
        response = client.get(edit_url(program))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_answers_not_found_to_an_outsider(self, client, org):
        program = ProgramFactory()
        client.force_login(org.outsider.user)
        assert client.get(edit_url(program)).status_code == 404
        assert client.post(edit_url(program), form_data()).status_code == 404

    def test_it_refuses_a_participant(self, client, org):
        program = ProgramFactory(name="Before")
        enroll(program, org.report)
        client.force_login(org.report.user)
        assert client.get(edit_url(program)).status_code == 403
        assert client.post(edit_url(program), form_data(owner=program.owner_id)).status_code == 403
        program.refresh_from_db()
        assert program.name == "Before"

    def test_it_saves_changes(self, client, program_admin):
        program = ProgramFactory(owner=program_admin)
        client.force_login(program_admin)
        response = client.get(edit_url(program))
        assert response.status_code == 200
        assert f'value="{program.name}"' in response.content.decode()
        response = client.post(
            edit_url(program), form_data(owner=program_admin.pk, name="Renamed", budget="1000.50")
        )
        assert response.status_code == 302
        program.refresh_from_db()
        assert (program.name, str(program.budget)) == ("Renamed", "1000.50")

    def test_it_keeps_an_owner_who_is_no_longer_an_admin(self, client, program_admin):
        former = UserFactory()
        program = ProgramFactory(owner=former)
        client.force_login(program_admin)
        response = client.post(edit_url(program), form_data(owner=former.pk, name="Kept"))
        assert response.status_code == 302
        program.refresh_from_db()
        assert (program.name, program.owner) == ("Kept", former)

    def test_it_shows_errors_and_keeps_the_saved_values(self, client, program_admin):
        program = ProgramFactory(owner=program_admin, name="Original")
        client.force_login(program_admin)
        response = client.post(
            edit_url(program),
            form_data(owner=program_admin.pk, name="Changed", end_date="2020-01-01"),
        )
        assert response.status_code == 400
        assert "end_date" in response.context["form"].errors
        assert "Edit Original" in response.content.decode()
        program.refresh_from_db()
        assert program.name == "Original"
        assert program.end_date == datetime.date(2026, 12, 18)
