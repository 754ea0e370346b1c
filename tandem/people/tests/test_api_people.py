"""/api/v1/people: who sees whom, filters and pages, and changes by program admins."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.people.models import ChangeKind, JobChange, Person
from tandem.tests.factories import OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people"


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def error_fields(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def new_person(**overrides):
    return {
        "employee_id": "N100",
        "first_name": "Nina",
        "last_name": "New",
        "email": "nina.new@example.com",
        "title": "Engineer",
        "level": "emerging",
        "hire_date": "2024-05-01",
        **overrides,
    }


def counts():
    return Person.objects.count(), JobChange.objects.count(), AuditLog.objects.count()


class TestList:
    def test_a_program_admin_sees_everyone_sorted_by_name(self, org, program_admin):
        response = token_client(program_admin).get(PEOPLE)
        body = response.json()
        assert body["count"] == 5
        names = [item["last_name"] for item in body["items"]]
        assert names == sorted(names)

    def test_a_manager_sees_themselves_and_their_line(self, org):
        assert ids(token_client(org.manager.user).get(PEOPLE)) == {org.manager.pk, org.report.pk}

    def test_an_outsider_sees_nobody_outside_their_line(self, org):
        assert ids(token_client(org.outsider.user).get(PEOPLE)) == {org.outsider.pk}

    def test_an_executive_viewer_gets_only_themselves(self, org):
        assert ids(token_client(org.executive.user).get(PEOPLE)) == {org.executive.pk}

    def test_a_login_without_a_person_gets_an_empty_list(self, org, django_user_model):
        user = django_user_model.objects.create_user("lonely", "lonely@example.com", "pw")
        assert token_client(user).get(PEOPLE).json() == {"items": [], "count": 0}

    def test_anonymous_is_refused(self, client, org):
        assert client.get(PEOPLE).status_code == 401

    def test_it_shows_the_fields(self, org, program_admin):
        item = token_client(program_admin).get(f"{PEOPLE}?q={org.report.employee_id}")
        assert item.json()["items"] == [
            {
                "id": org.report.pk,
                "employee_id": org.report.employee_id,
                "first_name": "Rita",
                "last_name": "Report",
                "full_name": "Rita Report",
                "email": org.report.email,
                "title": "Analyst",
                "level": "emerging",
                "manager_id": org.manager.pk,
                "org_unit_id": org.report.org_unit_id,
                "org_unit": "Operations",
                "location": "Lisbon",
                "hire_date": "2020-01-06",
                "exit_date": None,
                "exit_type": "",
                "is_active": True,
            }
        ]

    def test_it_filters_by_search_words(self, org, program_admin):
        client = token_client(program_admin)
        assert ids(client.get(f"{PEOPLE}?q=rita")) == {org.report.pk}
        assert ids(client.get(f"{PEOPLE}?q=max+manager")) == {org.manager.pk}
        assert ids(client.get(f"{PEOPLE}?q=nobody")) == set()

    def test_search_stays_inside_the_callers_line(self, org):
        assert ids(token_client(org.outsider.user).get(f"{PEOPLE}?q=rita")) == set()

    def test_it_filters_by_level(self, org, program_admin):
        response = token_client(program_admin).get(f"{PEOPLE}?level=senior")
        assert ids(response) == {org.ceo.pk, org.executive.pk}

    def test_it_filters_by_org_unit_including_units_below(self, org, program_admin):
        sales = OrgUnitFactory(name="Sales")
        emea = OrgUnitFactory(name="EMEA", parent=sales)
        seller = PersonFactory(org_unit=emea, manager=org.ceo)
        client = token_client(program_admin)
        assert ids(client.get(f"{PEOPLE}?org_unit={sales.pk}")) == {seller.pk}
        assert ids(client.get(f"{PEOPLE}?org_unit=999999")) == set()

    def test_it_filters_by_manager(self, org, program_admin):
        response = token_client(program_admin).get(f"{PEOPLE}?manager={org.ceo.pk}")
        assert ids(response) == {org.manager.pk, org.outsider.pk}

    def test_it_filters_by_employment(self, org, program_admin):
        leaver = PersonFactory(
            manager=org.ceo, exit_date=datetime.date(2021, 1, 1), exit_type="voluntary"
        )
        client = token_client(program_admin)
        assert leaver.pk not in ids(client.get(f"{PEOPLE}?active=true"))
        assert ids(client.get(f"{PEOPLE}?active=false")) == {leaver.pk}
        assert leaver.pk in ids(client.get(PEOPLE))

    def test_it_pages(self, org, program_admin):
        client = token_client(program_admin)
        first = client.get(f"{PEOPLE}?page=1&page_size=2").json()
        third = client.get(f"{PEOPLE}?page=3&page_size=2").json()
        beyond = client.get(f"{PEOPLE}?page=4&page_size=2").json()
        assert first["count"] == third["count"] == beyond["count"] == 5
        assert len(first["items"]) == 2
        assert len(third["items"]) == 1
        assert beyond["items"] == []

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("page=0", "page"),
            ("page=-1", "page"),
            ("page=99999999999999999999999", "page"),
            ("page=two", "page"),
            ("page_size=0", "page_size"),
            ("page_size=100000", "page_size"),
            ("level=boss", "level"),
            ("org_unit=abc", "org_unit"),
            ("manager=99999999999999999999999", "manager"),
            ("active=perhaps", "active"),
            ("q=" + "x" * 201, "q"),
            ("q=%00", "q"),
        ],
    )
    def test_bad_parameters_are_a_422_naming_them(self, org, program_admin, query, field):
        response = token_client(program_admin).get(f"{PEOPLE}?{query}")
        assert error_fields(response) == {("query", field)}

    def test_the_query_count_does_not_grow_with_the_page(self, program_admin):
        units = [OrgUnitFactory(name=f"Unit {i}") for i in range(5)]
        boss = PersonFactory(manager=None)
        for i in range(60):
            PersonFactory(manager=boss, org_unit=units[i % 5])
        client = token_client(program_admin)

        def queries(page_size):
            with CaptureQueriesContext(connection) as context:
                response = client.get(f"{PEOPLE}?page_size={page_size}")
            assert len(response.json()["items"]) == page_size
            return len(context.captured_queries)

        client.get(PEOPLE)  # the token's first use is recorded; later ones are not
        assert queries(5) == queries(50) <= 5


class TestDetail:
    def test_a_person_sees_themselves(self, org):
        response = token_client(org.report.user).get(f"{PEOPLE}/{org.report.pk}")
        assert response.status_code == 200
        assert response.json()["full_name"] == "Rita Report"

    def test_the_management_chain_sees_a_report(self, org):
        for boss in (org.manager, org.ceo):
            response = token_client(boss.user).get(f"{PEOPLE}/{org.report.pk}")
            assert response.status_code == 200

    def test_an_outsider_cannot_read_the_managers_record(self, org):
        response = token_client(org.outsider.user).get(f"{PEOPLE}/{org.manager.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}

    def test_a_report_cannot_read_their_manager(self, org):
        assert token_client(org.report.user).get(f"{PEOPLE}/{org.manager.pk}").status_code == 404

    def test_an_executive_viewer_cannot_read_individuals(self, org):
        client = token_client(org.executive.user)
        for person in (org.ceo, org.manager, org.report):
            assert client.get(f"{PEOPLE}/{person.pk}").status_code == 404

    def test_a_missing_person_is_not_found(self, org, program_admin):
        assert token_client(program_admin).get(f"{PEOPLE}/987654").status_code == 404

    @pytest.mark.parametrize("bad_id", ["abc", "0", "-3", "1.5", "9" * 30])
    def test_a_malformed_id_is_a_422(self, org, program_admin, bad_id):
        response = token_client(program_admin).get(f"{PEOPLE}/{bad_id}")
        assert error_fields(response) == {("path", "person_id")}

    def test_anonymous_is_refused(self, client, org):
        assert client.get(f"{PEOPLE}/{org.report.pk}").status_code == 401


class TestCreate:
    def test_a_program_admin_creates_a_person(self, org, program_admin):
        payload = new_person(manager_id=org.manager.pk, org_unit_id=org.manager.org_unit_id)
        response = token_client(program_admin).post(PEOPLE, payload, "application/json")
        assert response.status_code == 201, response.content
        body = response.json()
        person = Person.objects.get(employee_id="N100")
        assert body["id"] == person.pk
        assert body["org_unit"] == "Operations"
        assert person.manager == org.manager
        assert person.hire_date == datetime.date(2024, 5, 1)
        assert list(person.job_history.values_list("kind", flat=True)) == [ChangeKind.HIRE]
        entry = AuditLog.objects.get(subject_person_id=person.pk)
        assert (entry.actor, entry.action) == (program_admin, "create")

    def test_a_departed_person_can_be_recorded(self, program_admin):
        payload = new_person(exit_date="2025-01-31", exit_type="voluntary")
        response = token_client(program_admin).post(PEOPLE, payload, "application/json")
        assert response.status_code == 201
        assert response.json()["is_active"] is False

    @pytest.mark.parametrize("who", ["ceo", "manager", "report", "outsider", "executive"])
    def test_anyone_but_a_program_admin_is_refused(self, org, who):
        before = counts()
        user = getattr(org, who).user
        response = token_client(user).post(PEOPLE, new_person(), "application/json")
        assert response.status_code == 403
        assert response.json() == {"detail": "Only program admins can do this."}
        assert counts() == before

    def test_anonymous_is_refused(self, client, org):
        before = counts()
        assert client.post(PEOPLE, new_person(), "application/json").status_code == 401
        assert counts() == before

    @pytest.mark.parametrize(
        ("overrides", "fields"),
        [
            ({"employee_id": "DUP"}, {"employee_id"}),
            ({"email": "TAKEN"}, {"email"}),
            ({"email": "not-an-email"}, {"email"}),
            (
                {"hire_date": "2024-05-01", "exit_date": "2024-04-30", "exit_type": "voluntary"},
                {"exit_date"},
            ),
            ({"exit_date": "2025-01-01"}, {"exit_type"}),
            ({"exit_type": "voluntary"}, {"exit_date"}),
            ({"manager_id": 987654}, {"manager_id"}),
            ({"org_unit_id": 987654}, {"org_unit_id"}),
            ({"manager_id": 987654, "org_unit_id": 987654}, {"manager_id", "org_unit_id"}),
            ({"level": "boss"}, {"level"}),
            ({"level": 3}, {"level"}),
            ({"first_name": ""}, {"first_name"}),
            ({"first_name": "   "}, {"first_name"}),
            ({"first_name": "A\x00B"}, {"first_name"}),
            ({"first_name": 42}, {"first_name"}),
            ({"manager_id": "1"}, {"manager_id"}),
            ({"manager_id": True}, {"manager_id"}),
            ({"manager_id": 0}, {"manager_id"}),
            ({"manager_id": 2**70}, {"manager_id"}),
            ({"hire_date": "01/05/2024"}, {"hire_date"}),
            ({"hire_date": 1714521600}, {"hire_date"}),
            ({"hire_date": "2024-02-30"}, {"hire_date"}),
            ({"title": "x" * 201}, {"title"}),
            ({"salary": 100}, {"salary"}),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
        self, org, program_admin, overrides, fields
    ):
        payload = new_person(**overrides)
        if payload["employee_id"] == "DUP":
            payload["employee_id"] = org.manager.employee_id
        if payload["email"] == "TAKEN":
            payload["email"] = org.manager.email
        before = counts()
        response = token_client(program_admin).post(PEOPLE, payload, "application/json")
        assert error_fields(response) == {("body", "payload", field) for field in fields}
        assert all(error["msg"] for error in response.json()["detail"])
        assert counts() == before

    def test_missing_fields_are_each_named(self, program_admin):
        response = token_client(program_admin).post(PEOPLE, {}, "application/json")
        assert error_fields(response) == {
            ("body", "payload", field)
            for field in ("employee_id", "first_name", "last_name", "email", "level", "hire_date")
        }

    @pytest.mark.parametrize("body", ["{not json", "", "[]", '"text"', "null", "42"])
    def test_a_body_that_is_not_a_person_is_refused(self, program_admin, body):
        before = counts()
        response = token_client(program_admin).post(PEOPLE, body, "application/json")
        assert response.status_code in (400, 422)
        assert "detail" in response.json()
        assert counts() == before


class TestUpdate:
    def url(self, person):
        return f"{PEOPLE}/{person.pk}"

    def test_a_program_admin_changes_only_what_is_sent(self, org, program_admin):
        response = token_client(program_admin).patch(
            self.url(org.report), {"title": "Team lead", "level": "mid"}, "application/json"
        )
        assert response.status_code == 200, response.content
        org.report.refresh_from_db()
        assert (org.report.title, org.report.level) == ("Team lead", "mid")
        assert org.report.first_name == "Rita"
        assert org.report.manager == org.manager
        assert org.report.job_history.get().kind == ChangeKind.PROMOTION
        assert AuditLog.objects.get(subject_person_id=org.report.pk).action == "update"

    def test_null_clears_the_manager(self, org, program_admin):
        response = token_client(program_admin).patch(
            self.url(org.report), {"manager_id": None}, "application/json"
        )
        assert response.json()["manager_id"] is None

    def test_an_empty_patch_changes_nothing(self, org, program_admin):
        response = token_client(program_admin).patch(self.url(org.report), {}, "application/json")
        assert response.status_code == 200
        assert not JobChange.objects.exists()

    def test_a_manager_loop_is_a_422(self, org, program_admin):
        before = counts()
        response = token_client(program_admin).patch(
            self.url(org.ceo), {"manager_id": org.report.pk}, "application/json"
        )
        assert error_fields(response) == {("body", "payload", "manager_id")}
        assert "loop" in response.json()["detail"][0]["msg"]
        org.ceo.refresh_from_db()
        assert org.ceo.manager is None
        assert counts() == before

    def test_a_person_cannot_manage_themselves(self, org, program_admin):
        response = token_client(program_admin).patch(
            self.url(org.manager), {"manager_id": org.manager.pk}, "application/json"
        )
        assert error_fields(response) == {("body", "payload", "manager_id")}

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"exit_date": "2019-01-01", "exit_type": "voluntary"}, "exit_date"),
            ({"email": "TAKEN"}, "email"),
            ({"employee_id": "TAKEN"}, "employee_id"),
            ({"org_unit_id": 987654}, "org_unit_id"),
            ({"first_name": None}, "first_name"),
            ({"level": None}, "level"),
            ({"hire_date": None}, "hire_date"),
            ({"manager": 1}, "manager"),
        ],
    )
    def test_bad_input_is_a_422_and_writes_nothing(self, org, program_admin, payload, field):
        for key, value in list(payload.items()):
            if value == "TAKEN":
                payload[key] = getattr(org.manager, key)
        before = counts()
        response = token_client(program_admin).patch(
            self.url(org.report), payload, "application/json"
        )
        assert error_fields(response) == {("body", "payload", field)}
        org.report.refresh_from_db()
        assert org.report.exit_date is None
        assert org.report.email != org.manager.email
        assert counts() == before

    def test_a_manager_cannot_change_their_report(self, org):
        response = token_client(org.manager.user).patch(
            self.url(org.report), {"title": "Chief"}, "application/json"
        )
        assert response.status_code == 403
        org.report.refresh_from_db()
        assert org.report.title == "Analyst"

    def test_an_outsider_gets_not_found(self, org):
        response = token_client(org.outsider.user).patch(
            self.url(org.manager), {"title": "Chief"}, "application/json"
        )
        assert response.status_code == 404
        org.manager.refresh_from_db()
        assert org.manager.title == "Analyst"

    def test_an_executive_viewer_cannot_change_themselves(self, org):
        response = token_client(org.executive.user).patch(
            self.url(org.executive), {"title": "Chief"}, "application/json"
        )
        assert response.status_code == 403

    def test_a_missing_person_is_not_found(self, program_admin):
        response = token_client(program_admin).patch(
            f"{PEOPLE}/987654", {"title": "x"}, "application/json"
        )
        assert response.status_code == 404

    def test_anonymous_is_refused(self, client, org):
        response = client.patch(self.url(org.report), {"title": "x"}, "application/json")
        assert response.status_code == 401


def test_a_repeated_single_value_parameter_is_a_422(org, program_admin):
    response = token_client(program_admin).get(f"{PEOPLE}?q=rita&q=max")
    assert error_fields(response) == {("query", "q")}
