"""/api/v1/org-units: any signed-in user reads the structure; program admins change it."""

import pytest

from tandem.api.testing import token_client
from tandem.people.models import OrgUnit
from tandem.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/org-units"


def error_fields(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


@pytest.fixture
def tree(db):
    ops = OrgUnitFactory(name="Operations")
    logistics = OrgUnitFactory(name="Logistics", parent=ops)
    fleet = OrgUnitFactory(name="Fleet", parent=logistics)
    sales = OrgUnitFactory(name="Sales")
    return ops, logistics, fleet, sales


class TestRead:
    def test_any_signed_in_person_lists_every_unit_by_path(self, org, tree):
        body = token_client(org.outsider.user).get(UNITS).json()
        assert [unit["path"] for unit in body["items"]] == [
            "Operations",
            "Operations/Logistics",
            "Operations/Logistics/Fleet",
            "Sales",
        ]
        assert body["count"] == 4

    def test_an_executive_viewer_can_read_the_structure(self, org, tree):
        assert token_client(org.executive.user).get(UNITS).json()["count"] == 4

    def test_it_searches_paths(self, org, tree):
        body = token_client(org.report.user).get(f"{UNITS}?q=logistics").json()
        assert {unit["name"] for unit in body["items"]} == {"Logistics", "Fleet"}

    def test_it_pages(self, org, tree):
        body = token_client(org.report.user).get(f"{UNITS}?page=2&page_size=3").json()
        assert [unit["name"] for unit in body["items"]] == ["Sales"]

    def test_it_reads_one_unit(self, org, tree):
        _, logistics, _, _ = tree
        response = token_client(org.report.user).get(f"{UNITS}/{logistics.pk}")
        assert response.json() == {
            "id": logistics.pk,
            "name": "Logistics",
            "path": "Operations/Logistics",
            "parent_id": tree[0].pk,
        }

    def test_a_missing_unit_is_not_found(self, org):
        response = token_client(org.report.user).get(f"{UNITS}/987654")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}

    @pytest.mark.parametrize("query", ["page=0", "page_size=501", "q=%00"])
    def test_bad_parameters_are_a_422(self, org, query):
        assert token_client(org.report.user).get(f"{UNITS}?{query}").status_code == 422

    def test_a_malformed_id_is_a_422(self, org):
        response = token_client(org.report.user).get(f"{UNITS}/x")
        assert error_fields(response) == {("path", "unit_id")}

    def test_anonymous_is_refused(self, client, tree):
        assert client.get(UNITS).status_code == 401
        assert client.get(f"{UNITS}/{tree[0].pk}").status_code == 401


class TestCreate:
    def test_a_program_admin_creates_a_unit_under_a_parent(self, program_admin, tree):
        ops = tree[0]
        response = token_client(program_admin).post(
            UNITS, {"name": " Purchasing ", "parent_id": ops.pk}, "application/json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["path"] == "Operations/Purchasing"
        assert OrgUnit.objects.filter(path="Operations/Purchasing").exists()

    def test_a_program_admin_creates_a_top_unit(self, program_admin):
        response = token_client(program_admin).post(UNITS, {"name": "Legal"}, "application/json")
        assert response.status_code == 201
        assert response.json()["parent_id"] is None

    @pytest.mark.parametrize("who", ["ceo", "manager", "outsider", "executive"])
    def test_anyone_but_a_program_admin_is_refused(self, org, who):
        before = OrgUnit.objects.count()
        response = token_client(getattr(org, who).user).post(
            UNITS, {"name": "Shadow IT"}, "application/json"
        )
        assert response.status_code == 403
        assert OrgUnit.objects.count() == before

    def test_anonymous_is_refused(self, client):
        assert client.post(UNITS, {"name": "Legal"}, "application/json").status_code == 401
        assert not OrgUnit.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"name": "Operations"}, "name"),
            ({"name": "Logistics", "parent_id": "OPS"}, "name"),
            ({"name": "A/B"}, "name"),
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 121}, "name"),
            ({"name": 7}, "name"),
            ({"name": "New", "parent_id": 987654}, "parent_id"),
            ({"name": "New", "parent_id": "1"}, "parent_id"),
            ({"name": "New", "colour": "red"}, "colour"),
            ({}, "name"),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
        self, program_admin, tree, payload, field
    ):
        if payload.get("parent_id") == "OPS":
            payload["parent_id"] = tree[0].pk
        before = OrgUnit.objects.count()
        response = token_client(program_admin).post(UNITS, payload, "application/json")
        assert error_fields(response) == {("body", "payload", field)}
        assert OrgUnit.objects.count() == before

    def test_malformed_json_is_a_400(self, program_admin):
        response = token_client(program_admin).post(UNITS, "{", "application/json")
        assert response.status_code == 400
        assert response.json() == {"detail": "Cannot parse request body"}


class TestUpdate:
    def test_a_rename_moves_the_paths_below(self, program_admin, tree):
        _, logistics, fleet, _ = tree
        response = token_client(program_admin).patch(
            f"{UNITS}/{logistics.pk}", {"name": "Supply"}, "application/json"
        )
        assert response.status_code == 200, response.content
        fleet.refresh_from_db()
        assert fleet.path == "Operations/Supply/Fleet"

    def test_a_unit_moves_to_another_parent(self, program_admin, tree):
        _, logistics, fleet, sales = tree
        response = token_client(program_admin).patch(
            f"{UNITS}/{logistics.pk}", {"parent_id": sales.pk}, "application/json"
        )
        assert response.json()["path"] == "Sales/Logistics"
        fleet.refresh_from_db()
        assert fleet.path == "Sales/Logistics/Fleet"

    def test_null_moves_a_unit_to_the_top(self, program_admin, tree):
        response = token_client(program_admin).patch(
            f"{UNITS}/{tree[1].pk}", {"parent_id": None}, "application/json"
        )
        assert response.json()["path"] == "Logistics"

    @pytest.mark.parametrize(
        ("target", "payload", "field"),
        [
            (0, {"parent_id": "FLEET"}, "parent_id"),
            (0, {"parent_id": "SELF"}, "parent_id"),
            (2, {"name": "Logistics", "parent_id": "OPS"}, "name"),
            (3, {"name": "Operations"}, "name"),
            (1, {"name": None}, "name"),
        ],
    )
    def test_bad_changes_are_a_422_and_write_nothing(
        self, program_admin, tree, target, payload, field
    ):
        ops, _, fleet, _ = tree
        lookup = {"FLEET": fleet.pk, "SELF": tree[target].pk, "OPS": ops.pk}
        payload = {key: lookup.get(value, value) for key, value in payload.items()}
        paths = set(OrgUnit.objects.values_list("path", flat=True))
        response = token_client(program_admin).patch(
            f"{UNITS}/{tree[target].pk}", payload, "application/json"
        )
        assert error_fields(response) == {("body", "payload", field)}
        assert set(OrgUnit.objects.values_list("path", flat=True)) == paths

    def test_a_non_admin_is_refused_and_nothing_changes(self, org, tree):
        response = token_client(org.ceo.user).patch(
            f"{UNITS}/{tree[0].pk}", {"name": "Ops"}, "application/json"
        )
        assert response.status_code == 403
        tree[0].refresh_from_db()
        assert tree[0].name == "Operations"

    def test_a_missing_unit_is_not_found(self, program_admin):
        response = token_client(program_admin).patch(
            f"{UNITS}/987654", {"name": "x"}, "application/json"
        )
        assert response.status_code == 404

    def test_anonymous_is_refused(self, client, tree):
        response = client.patch(f"{UNITS}/{tree[0].pk}", {"name": "x"}, "application/json")
        assert response.status_code == 401
