"""The ROI inputs API under /api/v1/impact: assumptions, benefit lines, intangibles,
salary bands and the computed costs. Program admins change them, executive viewers
read them (a change is a 403), anyone else gets a 404; 422s name the field and write
nothing."""

from decimal import Decimal

import pytest

from tandem.api.testing import token_client
from tandem.api.urls import api
from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
from tandem.programs.models import CostLine
from tandem.tests.factories import PersonFactory, ProgramFactory, enroll

pytestmark = pytest.mark.django_db
JSON = "application/json"
BASE = "/api/v1/impact"


def locs(response):
    return sorted(tuple(error["loc"][2:]) for error in response.json()["detail"])


@pytest.fixture
def program(org):
    """Five participants: executive viewers see a program's figures only from five on
    (insights.access.programs_safe_to_compare)."""
    program = ProgramFactory(name="Leading Teams", currency="EUR")
    for person in [org.report, *PersonFactory.create_batch(4, level="emerging")]:
        enroll(program, person)
    program.enrollments.update(status="active")
    CostLine.objects.create(
        program=program, category="facilitation", description="Workshop design", amount=12000
    )
    return program


@pytest.fixture
def line(program):
    return BenefitLine.objects.create(
        program=program,
        description="Fewer escalations",
        value=20000,
        attribution_percent=80,
        confidence_percent=50,
    )


@pytest.fixture
def intangible(program):
    return Intangible.objects.create(program=program, description="Better collaboration")


@pytest.fixture
def admin_api(program_admin):
    return token_client(program_admin)


@pytest.fixture
def executive_api(org):
    return token_client(org.executive.user)


@pytest.fixture
def outsider_api(org):
    return token_client(org.outsider.user)


class TestSettings:
    def test_unsaved_settings_read_as_the_defaults(self, admin_api, program):
        response = admin_api.get(f"{BASE}/programs/{program.pk}/roi-settings")
        assert response.status_code == 200
        assert response.json() == {
            "program_id": program.pk,
            "currency": "EUR",
            "loaded_hourly_cost": "0",
            "replacement_cost_percent": "50",
            "benefit_months": 12,
            "replacement_cost": None,
        }

    def test_a_patch_changes_only_the_fields_sent(self, admin_api, program):
        SalaryBand.objects.create(level="emerging", annual_midpoint=60000)
        url = f"{BASE}/programs/{program.pk}/roi-settings"
        response = admin_api.patch(url, {"loaded_hourly_cost": "85.50"}, content_type=JSON)
        assert response.status_code == 200, response.content
        response = admin_api.patch(url, {"replacement_cost_percent": 40}, content_type=JSON)
        body = response.json()
        assert (body["loaded_hourly_cost"], body["replacement_cost_percent"]) == ("85.50", "40.0")
        assert body["replacement_cost"] == "24000.00"  # 40 % of the emerging band
        settings = ImpactSettings.objects.get(program=program)
        assert (settings.loaded_hourly_cost, settings.benefit_months) == (Decimal("85.50"), 12)

    def test_bad_values_are_a_422_naming_each_field_and_write_nothing(self, admin_api, program):
        url = f"{BASE}/programs/{program.pk}/roi-settings"
        response = admin_api.patch(
            url,
            {"loaded_hourly_cost": -1, "replacement_cost_percent": 401, "benefit_months": 0},
            content_type=JSON,
        )
        assert response.status_code == 422
        assert locs(response) == [
            ("benefit_months",),
            ("loaded_hourly_cost",),
            ("replacement_cost_percent",),
        ]
        for payload in [
            {"benefit_months": True},
            {"benefit_months": "12"},
            {"loaded_hourly_cost": "NaN"},
            {"replacement_cost_percent": 12.25},
            {"currency": "USD"},
        ]:
            response = admin_api.patch(url, payload, content_type=JSON)
            assert response.status_code == 422, payload
        assert not ImpactSettings.objects.exists()

    def test_executive_viewers_read_but_do_not_change(self, executive_api, program):
        url = f"{BASE}/programs/{program.pk}/roi-settings"
        assert executive_api.get(url).status_code == 200
        response = executive_api.patch(url, {"benefit_months": 24}, content_type=JSON)
        assert response.status_code == 403 and not ImpactSettings.objects.exists()

    def test_outsiders_participants_and_strangers_are_refused(self, org, outsider_api, program):
        url = f"{BASE}/programs/{program.pk}/roi-settings"
        assert outsider_api.get(url).status_code == 404
        assert token_client(org.report.user).get(url).status_code == 404
        response = outsider_api.patch(url, {"benefit_months": 24}, content_type=JSON)
        assert response.status_code == 404
        from django.test import Client

        assert Client().get(url).status_code == 401
        assert not ImpactSettings.objects.exists()


class TestBenefits:
    def test_an_admin_adds_lists_changes_and_deletes_one(self, admin_api, program):
        url = f"{BASE}/programs/{program.pk}/benefits"
        response = admin_api.post(
            url,
            {
                "description": "Sales won",
                "value": 50000,
                "attribution_percent": 40,
                "confidence_percent": "75.5",
                "estimator": "Sales director",
            },
            content_type=JSON,
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["monetized"], body["basis"]) == ("15100.00", "")
        listed = admin_api.get(url).json()
        assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
        response = admin_api.patch(
            f"{BASE}/benefits/{body['id']}", {"attribution_percent": 100}, content_type=JSON
        )
        assert response.status_code == 200
        assert (response.json()["monetized"], response.json()["estimator"]) == (
            "37750.00",
            "Sales director",
        )
        assert admin_api.delete(f"{BASE}/benefits/{body['id']}").status_code == 204
        assert not BenefitLine.objects.exists()

    def test_bad_values_are_a_422_naming_each_field_and_write_nothing(self, admin_api, program):
        url = f"{BASE}/programs/{program.pk}/benefits"
        response = admin_api.post(
            url,
            {
                "description": "Sales\u0000won",
                "value": -5,
                "attribution_percent": 101,
                "estimator": "x" * 121,
            },
            content_type=JSON,
        )
        assert response.status_code == 422
        assert locs(response) == [
            ("attribution_percent",),
            ("confidence_percent",),
            ("description",),
            ("estimator",),
            ("value",),
        ]
        response = admin_api.post(
            url,
            {"description": "X", "value": 1e13, "attribution_percent": 1, "confidence_percent": 1},
            content_type=JSON,
        )
        assert response.status_code == 422 and locs(response) == [("value",)]
        assert not BenefitLine.objects.exists()

    def test_a_bad_patch_changes_nothing(self, admin_api, line):
        response = admin_api.patch(
            f"{BASE}/benefits/{line.pk}",
            {"description": "", "confidence_percent": -1},
            content_type=JSON,
        )
        assert response.status_code == 422
        assert locs(response) == [("confidence_percent",), ("description",)]
        line.refresh_from_db()
        assert (line.description, line.confidence_percent) == ("Fewer escalations", 50)

    def test_executive_viewers_read_but_do_not_change(self, executive_api, program, line):
        assert executive_api.get(f"{BASE}/programs/{program.pk}/benefits").json()["count"] == 1
        response = executive_api.post(
            f"{BASE}/programs/{program.pk}/benefits",
            {"description": "X", "value": 1, "attribution_percent": 1, "confidence_percent": 1},
            content_type=JSON,
        )
        assert response.status_code == 403
        patch = executive_api.patch(f"{BASE}/benefits/{line.pk}", {"value": 1}, content_type=JSON)
        assert patch.status_code == 403
        assert executive_api.delete(f"{BASE}/benefits/{line.pk}").status_code == 403
        line.refresh_from_db()
        assert BenefitLine.objects.count() == 1 and line.value == 20000

    def test_one_line_reads_like_the_list(self, admin_api, executive_api, line):
        response = admin_api.get(f"{BASE}/benefits/{line.pk}")
        assert response.status_code == 200 and response.json()["monetized"] == "8000.00"
        assert executive_api.get(f"{BASE}/benefits/{line.pk}").status_code == 200
        assert admin_api.get(f"{BASE}/benefits/999999").status_code == 404

    def test_outsiders_get_a_404(self, outsider_api, program, line):
        assert outsider_api.get(f"{BASE}/programs/{program.pk}/benefits").status_code == 404
        assert outsider_api.get(f"{BASE}/benefits/{line.pk}").status_code == 404
        patch = outsider_api.patch(f"{BASE}/benefits/{line.pk}", {"value": 1}, content_type=JSON)
        assert patch.status_code == 404
        assert outsider_api.delete(f"{BASE}/benefits/{line.pk}").status_code == 404
        assert BenefitLine.objects.count() == 1


class TestIntangibles:
    def test_an_admin_adds_lists_and_deletes_one(self, admin_api, program):
        url = f"{BASE}/programs/{program.pk}/intangibles"
        response = admin_api.post(
            url, {"description": "Better collaboration", "evidence": "Pulses"}, content_type=JSON
        )
        assert response.status_code == 201
        item_id = response.json()["id"]
        assert [row["id"] for row in admin_api.get(url).json()["items"]] == [item_id]
        assert admin_api.delete(f"{BASE}/intangibles/{item_id}").status_code == 204
        assert not Intangible.objects.exists()

    def test_bad_values_are_a_422_and_write_nothing(self, admin_api, program):
        response = admin_api.post(
            f"{BASE}/programs/{program.pk}/intangibles",
            {"description": "", "evidence": "a\u0000b", "value": 1},
            content_type=JSON,
        )
        assert response.status_code == 422
        assert locs(response) == [("description",), ("evidence",), ("value",)]
        assert not Intangible.objects.exists()

    def test_executive_viewers_read_but_do_not_change(self, executive_api, program, intangible):
        url = f"{BASE}/programs/{program.pk}/intangibles"
        assert executive_api.get(url).json()["count"] == 1
        assert executive_api.post(url, {"description": "X"}, content_type=JSON).status_code == 403
        assert executive_api.delete(f"{BASE}/intangibles/{intangible.pk}").status_code == 403
        assert Intangible.objects.count() == 1

    def test_one_reads_like_the_list(self, executive_api, intangible):
        response = executive_api.get(f"{BASE}/intangibles/{intangible.pk}")
        assert response.status_code == 200
        assert response.json()["description"] == "Better collaboration"

    def test_outsiders_get_a_404(self, outsider_api, program, intangible):
        assert outsider_api.get(f"{BASE}/intangibles/{intangible.pk}").status_code == 404
        url = f"{BASE}/programs/{program.pk}/intangibles"
        assert outsider_api.get(url).status_code == 404
        assert outsider_api.post(url, {"description": "X"}, content_type=JSON).status_code == 404
        assert outsider_api.delete(f"{BASE}/intangibles/{intangible.pk}").status_code == 404
        assert Intangible.objects.count() == 1


class TestSalaryBands:
    def test_a_put_sets_every_levels_band(self, admin_api):
        SalaryBand.objects.create(level="senior", annual_midpoint=150000)
        response = admin_api.put(
            f"{BASE}/salary-bands",
            {
                "bands": [
                    {"level": "mid", "annual_midpoint": "90000.50"},
                    {"level": "emerging", "annual_midpoint": 60000},
                ]
            },
            content_type=JSON,
        )
        assert response.status_code == 200, response.content
        assert [(b["level"], b["annual_midpoint"]) for b in response.json()] == [
            ("emerging", "60000.00"),
            ("mid", "90000.50"),
        ]
        assert response.json()[0]["level_label"] == "Emerging leader"
        assert admin_api.get(f"{BASE}/salary-bands").json() == response.json()
        assert not SalaryBand.objects.filter(level="senior").exists()

    def test_bad_bands_are_a_422_and_change_nothing(self, admin_api):
        SalaryBand.objects.create(level="senior", annual_midpoint=150000)
        url = f"{BASE}/salary-bands"
        response = admin_api.put(
            url,
            {
                "bands": [
                    {"level": "mid", "annual_midpoint": 1},
                    {"level": "mid", "annual_midpoint": 2},
                ]
            },
            content_type=JSON,
        )
        assert response.status_code == 422 and locs(response) == [("bands", 1, "level")]
        for bands in [
            [{"level": "boss", "annual_midpoint": 1}],
            [{"level": "mid", "annual_midpoint": -1}],
            [{"level": "mid", "annual_midpoint": "1.001"}],
            [{"level": "mid"}],
        ]:
            assert admin_api.put(url, {"bands": bands}, content_type=JSON).status_code == 422
        assert admin_api.put(url, {}, content_type=JSON).status_code == 422
        assert list(SalaryBand.objects.values_list("level", flat=True)) == ["senior"]

    def test_executive_viewers_read_but_do_not_set_them(self, executive_api):
        assert executive_api.get(f"{BASE}/salary-bands").status_code == 200
        response = executive_api.put(f"{BASE}/salary-bands", {"bands": []}, content_type=JSON)
        assert response.status_code == 403

    def test_everyone_else_gets_a_404(self, org, outsider_api):
        SalaryBand.objects.create(level="senior", annual_midpoint=150000)
        assert outsider_api.get(f"{BASE}/salary-bands").status_code == 404
        manager = token_client(org.manager.user)
        response = manager.put(f"{BASE}/salary-bands", {"bands": []}, content_type=JSON)
        assert response.status_code == 404 and SalaryBand.objects.count() == 1


class TestCosts:
    def test_it_lists_the_computed_costs_with_their_source(self, admin_api, program):
        response = admin_api.get(f"{BASE}/programs/{program.pk}/costs")
        assert response.status_code == 200
        assert response.json() == {
            "currency": "EUR",
            "total": "12000.00",
            "items": [
                {
                    "category": "facilitation",
                    "category_label": "Facilitation and design",
                    "label": "Facilitation and design",
                    "amount": "12000.00",
                    "source": "The program's cost lines: Workshop design",
                    "computed": False,
                }
            ],
        }

    def test_executive_viewers_read_them_and_outsiders_get_a_404(
        self, executive_api, outsider_api, program
    ):
        url = f"{BASE}/programs/{program.pk}/costs"
        assert executive_api.get(url).status_code == 200
        assert outsider_api.get(url).status_code == 404


def test_the_openapi_document_lists_every_roi_operation():
    paths = api.get_openapi_schema()["paths"]
    expected = {
        ("get", "/api/v1/impact/programs/{program_id}/roi-settings"),
        ("patch", "/api/v1/impact/programs/{program_id}/roi-settings"),
        ("get", "/api/v1/impact/programs/{program_id}/benefits"),
        ("post", "/api/v1/impact/programs/{program_id}/benefits"),
        ("get", "/api/v1/impact/benefits/{benefit_id}"),
        ("patch", "/api/v1/impact/benefits/{benefit_id}"),
        ("delete", "/api/v1/impact/benefits/{benefit_id}"),
        ("get", "/api/v1/impact/programs/{program_id}/intangibles"),
        ("post", "/api/v1/impact/programs/{program_id}/intangibles"),
        ("get", "/api/v1/impact/intangibles/{intangible_id}"),
        ("delete", "/api/v1/impact/intangibles/{intangible_id}"),
        ("get", "/api/v1/impact/salary-bands"),
        ("put", "/api/v1/impact/salary-bands"),
        ("get", "/api/v1/impact/programs/{program_id}/costs"),
    }
    assert {(m, p) for p, ops in paths.items() for m in ops if (m, p) in expected} == expected
    for method, path in expected:
        documented = {str(status) for status in paths[path][method]["responses"]}
        if method in ("post", "patch", "put"):
            assert {"400", "401", "403", "422"} <= documented, (method, path)
        elif method == "delete":
            assert {"401", "403", "404"} <= documented, (method, path)
        else:
            assert {"401", "404"} <= documented, (method, path)
