"""/api/v1/objectives: any signed-in user reads them (goals align to them); program
admins set them."""

import pytest

from tandem.api.testing import token_client
from tandem.people.models import Objective
from tandem.tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db

OBJECTIVES = "/api/v1/objectives"


def error_fields(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


@pytest.fixture
def objectives(db):
    growth = ObjectiveFactory(title="Grow revenue", period="FY2027")
    emea = ObjectiveFactory(title="Grow EMEA", parent=growth)
    retired = ObjectiveFactory(title="Old plan", status="retired")
    return growth, emea, retired


class TestRead:
    def test_any_signed_in_person_lists_them_by_title(self, org, objectives):
        body = token_client(org.report.user).get(OBJECTIVES).json()
        assert [item["title"] for item in body["items"]] == [
            "Grow EMEA",
            "Grow revenue",
            "Old plan",
        ]

    def test_it_filters_by_status_and_parent(self, org, objectives):
        growth, emea, retired = objectives
        client = token_client(org.executive.user)
        retired_only = client.get(f"{OBJECTIVES}?status=retired").json()["items"]
        assert [item["id"] for item in retired_only] == [retired.pk]
        children = client.get(f"{OBJECTIVES}?parent={growth.pk}").json()["items"]
        assert [item["id"] for item in children] == [emea.pk]

    def test_it_reads_one(self, org, objectives):
        growth, emea, _ = objectives
        response = token_client(org.outsider.user).get(f"{OBJECTIVES}/{emea.pk}")
        assert response.json() == {
            "id": emea.pk,
            "title": "Grow EMEA",
            "description": "",
            "parent_id": growth.pk,
            "org_unit_id": None,
            "owner_id": None,
            "period": "",
            "status": "active",
        }

    def test_a_missing_one_is_not_found(self, org):
        assert token_client(org.report.user).get(f"{OBJECTIVES}/987654").status_code == 404

    @pytest.mark.parametrize("query", ["status=done", "parent=0", "parent=x", "page=0"])
    def test_bad_parameters_are_a_422(self, org, query):
        assert token_client(org.report.user).get(f"{OBJECTIVES}?{query}").status_code == 422

    def test_anonymous_is_refused(self, client, objectives):
        assert client.get(OBJECTIVES).status_code == 401
        assert client.get(f"{OBJECTIVES}/{objectives[0].pk}").status_code == 401


class TestCreate:
    def test_a_program_admin_creates_one(self, org, program_admin, objectives):
        payload = {
            "title": "Build leaders",
            "description": "Every manager has a plan.",
            "parent_id": objectives[0].pk,
            "org_unit_id": org.manager.org_unit_id,
            "owner_id": org.ceo.pk,
            "period": "FY2027",
        }
        response = token_client(program_admin).post(OBJECTIVES, payload, "application/json")
        assert response.status_code == 201, response.content
        created = Objective.objects.get(title="Build leaders")
        assert response.json() == {**payload, "id": created.pk, "status": "active"}
        assert created.owner == org.ceo

    @pytest.mark.parametrize("who", ["ceo", "manager", "report", "outsider", "executive"])
    def test_anyone_but_a_program_admin_is_refused(self, org, who):
        response = token_client(getattr(org, who).user).post(
            OBJECTIVES, {"title": "Mine"}, "application/json"
        )
        assert response.status_code == 403
        assert not Objective.objects.exists()

    def test_anonymous_is_refused(self, client):
        assert client.post(OBJECTIVES, {"title": "x"}, "application/json").status_code == 401
        assert not Objective.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "fields"),
        [
            ({"title": ""}, {"title"}),
            ({"title": "x" * 201}, {"title"}),
            ({"title": "Ok", "status": "done"}, {"status"}),
            ({"title": "Ok", "owner_id": 987654}, {"owner_id"}),
            (
                {"title": "Ok", "parent_id": 987654, "org_unit_id": 987654},
                {"parent_id", "org_unit_id"},
            ),
            ({"title": "Ok", "period": "x" * 41}, {"period"}),
            ({"title": ["Ok"]}, {"title"}),
            ({"title": "Ok", "owner": 1}, {"owner"}),
            ({}, {"title"}),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
        self, program_admin, payload, fields
    ):
        response = token_client(program_admin).post(OBJECTIVES, payload, "application/json")
        assert error_fields(response) == {("body", "payload", field) for field in fields}
        assert not Objective.objects.exists()


class TestUpdate:
    def test_a_program_admin_changes_only_what_is_sent(self, program_admin, objectives):
        growth = objectives[0]
        response = token_client(program_admin).patch(
            f"{OBJECTIVES}/{growth.pk}", {"status": "achieved"}, "application/json"
        )
        assert response.status_code == 200, response.content
        growth.refresh_from_db()
        assert (growth.status, growth.title, growth.period) == (
            "achieved",
            "Grow revenue",
            "FY2027",
        )

    def test_null_clears_the_parent(self, program_admin, objectives):
        response = token_client(program_admin).patch(
            f"{OBJECTIVES}/{objectives[1].pk}", {"parent_id": None}, "application/json"
        )
        assert response.json()["parent_id"] is None

    def test_an_objective_cannot_sit_under_its_own_child(self, program_admin, objectives):
        growth, emea, _ = objectives
        response = token_client(program_admin).patch(
            f"{OBJECTIVES}/{growth.pk}", {"parent_id": emea.pk}, "application/json"
        )
        assert error_fields(response) == {("body", "payload", "parent_id")}
        growth.refresh_from_db()
        assert growth.parent is None

    def test_a_non_admin_is_refused_and_nothing_changes(self, org, objectives):
        response = token_client(org.ceo.user).patch(
            f"{OBJECTIVES}/{objectives[0].pk}", {"title": "Mine"}, "application/json"
        )
        assert response.status_code == 403
        objectives[0].refresh_from_db()
        assert objectives[0].title == "Grow revenue"

    def test_a_missing_one_is_not_found(self, program_admin):
        response = token_client(program_admin).patch(
            f"{OBJECTIVES}/987654", {"title": "x"}, "application/json"
        )
        assert response.status_code == 404

    def test_anonymous_is_refused(self, client, objectives):
        response = client.patch(
            f"{OBJECTIVES}/{objectives[0].pk}", {"title": "x"}, "application/json"
        )
        assert response.status_code == 401
