"""The ROI inputs page: program admins change the assumptions, salary bands, benefit
lines and intangibles; executive viewers read it without forms (a POST is a 403);
participants, managers and outsiders get a 404. Bad input shows field errors next to
the field and writes nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
from tandem.programs.models import CostLine
from tandem.tests.factories import PersonFactory, ProgramFactory, enroll

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


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
def admin_client(program_admin):
    return client_for(program_admin)


def inputs_url(program):
    return reverse("insights:roi-inputs", args=[program.pk])


class TestInputsPage:
    def test_an_admin_sees_the_costs_with_their_source_and_every_form(
        self, admin_client, program, line, intangible
    ):
        response = admin_client.get(inputs_url(program))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Workshop design" in page and "12,000.00" in page
        assert "Fewer escalations" in page and "8,000.00" in page
        assert "Better collaboration" in page
        for button in ["Save assumptions", "Save salary bands", "Add benefit", "Add intangible"]:
            assert button in page
        assert reverse("insights:roi-benefit-edit", args=[line.pk]) in page

    def test_an_executive_viewer_reads_it_without_forms(self, org, program, line, intangible):
        response = client_for(org.executive.user).get(inputs_url(program))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Fewer escalations" in page and "Workshop design" in page
        assert "<form" not in page.split('id="costs"')[1]
        assert "Save assumptions" not in page and "Add benefit" not in page

    def test_an_executive_viewer_gets_a_404_for_a_program_too_small_to_show(self, org):
        small = ProgramFactory()
        enroll(small, org.report)
        small.enrollments.update(status="active")
        response = client_for(org.executive.user).get(inputs_url(small))
        assert response.status_code == 404

    def test_it_says_what_to_do_when_nothing_is_entered(self, admin_client, org):
        response = admin_client.get(inputs_url(ProgramFactory()))
        page = response.content.decode()
        assert "No costs yet" in page and "No benefit lines yet" in page
        assert "not monetized: no salary band" in page

    def test_it_shows_the_replacement_cost_of_an_exit(self, admin_client, program):
        SalaryBand.objects.create(level="emerging", annual_midpoint=60000)
        ImpactSettings.objects.create(program=program)  # 50 % by default
        page = admin_client.get(inputs_url(program)).content.decode()
        assert "Replacement cost of one participant" in page and "30,000.00" in page

    def test_it_answers_in_a_fixed_number_of_queries(
        self, admin_client, program, line, django_assert_max_num_queries
    ):
        admin_client.get(inputs_url(program))  # warm the session and the user's roles
        with django_assert_max_num_queries(25) as first:
            admin_client.get(inputs_url(program))
        for n in range(5):
            BenefitLine.objects.create(
                program=program,
                description=f"Benefit {n}",
                value=1,
                attribution_percent=1,
                confidence_percent=1,
            )
            Intangible.objects.create(program=program, description=f"Intangible {n}")
        with django_assert_max_num_queries(len(first.captured_queries)):
            admin_client.get(inputs_url(program))

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, program):
        response = client.get(inputs_url(program))
        assert response.status_code == 302 and "/login" in response["Location"]

    @pytest.mark.parametrize("who", ["report", "manager", "outsider", "ceo"])
    def test_participants_managers_and_outsiders_get_a_404(self, org, program, line, who):
        client = client_for(getattr(org, who).user)
        assert client.get(inputs_url(program)).status_code == 404
        url = reverse("insights:roi-benefit-edit", args=[line.pk])
        assert client.get(url).status_code == 404

    def test_an_unknown_program_is_a_404(self, admin_client):
        assert admin_client.get(reverse("insights:roi-inputs", args=[999999])).status_code == 404


class TestAssumptions:
    def test_an_admin_saves_them(self, admin_client, program):
        response = admin_client.post(
            reverse("insights:roi-settings", args=[program.pk]),
            {"loaded_hourly_cost": "85.50", "replacement_cost_percent": "40", "benefit_months": 24},
        )
        assert response.status_code == 302 and response["Location"].endswith("#assumptions")
        settings = ImpactSettings.objects.get(program=program)
        assert (settings.loaded_hourly_cost, settings.replacement_cost_percent) == (
            Decimal("85.50"),
            Decimal("40.0"),
        )
        assert settings.benefit_months == 24
        assert AuditLog.objects.filter(target_type="insights.impactsettings").exists()

    def test_bad_values_show_field_errors_and_write_nothing(self, admin_client, program):
        response = admin_client.post(
            reverse("insights:roi-settings", args=[program.pk]),
            {"loaded_hourly_cost": "-1", "replacement_cost_percent": "401", "benefit_months": "0"},
        )
        assert response.status_code == 400
        assert set(response.context["settings_form"].errors) == {
            "loaded_hourly_cost",
            "replacement_cost_percent",
            "benefit_months",
        }
        assert not ImpactSettings.objects.exists()

    def test_an_executive_viewer_may_not_change_them(self, org, program):
        response = client_for(org.executive.user).post(
            reverse("insights:roi-settings", args=[program.pk]),
            {"loaded_hourly_cost": "1", "replacement_cost_percent": "1", "benefit_months": 1},
        )
        assert response.status_code == 403 and not ImpactSettings.objects.exists()

    def test_outsiders_get_a_404(self, org, program):
        response = client_for(org.outsider.user).post(
            reverse("insights:roi-settings", args=[program.pk]),
            {"loaded_hourly_cost": "1", "replacement_cost_percent": "1", "benefit_months": 1},
        )
        assert response.status_code == 404 and not ImpactSettings.objects.exists()


class TestSalaryBands:
    def test_an_admin_sets_and_removes_bands(self, admin_client, program):
        SalaryBand.objects.create(level="senior", annual_midpoint=150000)
        response = admin_client.post(
            reverse("insights:roi-salary-bands", args=[program.pk]),
            {"emerging": "60000", "mid": "90000.50", "senior": ""},
        )
        assert response.status_code == 302
        assert dict(SalaryBand.objects.values_list("level", "annual_midpoint")) == {
            "emerging": Decimal("60000.00"),
            "mid": Decimal("90000.50"),
        }

    def test_a_bad_amount_shows_its_error_and_writes_nothing(self, admin_client, program):
        SalaryBand.objects.create(level="senior", annual_midpoint=150000)
        response = admin_client.post(
            reverse("insights:roi-salary-bands", args=[program.pk]),
            {"emerging": "-5", "mid": "lots", "senior": ""},
        )
        assert response.status_code == 400
        assert set(response.context["bands_form"].errors) == {"emerging", "mid"}
        assert list(SalaryBand.objects.values_list("level", flat=True)) == ["senior"]

    def test_an_executive_viewer_may_not_set_them(self, org, program):
        response = client_for(org.executive.user).post(
            reverse("insights:roi-salary-bands", args=[program.pk]), {"mid": "1"}
        )
        assert response.status_code == 403 and not SalaryBand.objects.exists()


class TestBenefitLines:
    def test_an_admin_adds_edits_and_deletes_one(self, admin_client, program):
        response = admin_client.post(
            reverse("insights:roi-benefit-add", args=[program.pk]),
            {
                "description": "Sales won",
                "value": "50000",
                "attribution_percent": "40",
                "confidence_percent": "75",
                "estimator": "Sales director",
                "basis": "Deals closed by participants' teams",
            },
        )
        assert response.status_code == 302
        line = BenefitLine.objects.get(program=program)
        assert line.monetized == Decimal("15000")
        edit = reverse("insights:roi-benefit-edit", args=[line.pk])
        assert admin_client.get(edit).status_code == 200
        response = admin_client.post(
            edit,
            {
                "description": "Sales won",
                "value": "50000",
                "attribution_percent": "50",
                "confidence_percent": "75",
            },
        )
        assert response.status_code == 302
        line.refresh_from_db()
        assert line.attribution_percent == 50 and line.estimator == ""
        response = admin_client.post(reverse("insights:roi-benefit-delete", args=[line.pk]))
        assert response.status_code == 302 and not BenefitLine.objects.exists()

    def test_bad_values_show_field_errors_and_write_nothing(self, admin_client, program):
        response = admin_client.post(
            reverse("insights:roi-benefit-add", args=[program.pk]),
            {
                "description": "Sales\x00won",
                "value": "-1",
                "attribution_percent": "120",
                "confidence_percent": "",
            },
        )
        assert response.status_code == 400
        assert set(response.context["benefit_form"].errors) == {
            "description",
            "value",
            "attribution_percent",
            "confidence_percent",
        }
        assert not BenefitLine.objects.exists()

    def test_a_bad_edit_shows_field_errors_and_changes_nothing(self, admin_client, line):
        response = admin_client.post(
            reverse("insights:roi-benefit-edit", args=[line.pk]),
            {
                "description": "",
                "value": "20000",
                "attribution_percent": "80",
                "confidence_percent": "101",
            },
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"description", "confidence_percent"}
        line.refresh_from_db()
        assert (line.description, line.confidence_percent) == ("Fewer escalations", 50)

    def test_an_executive_viewer_may_not_change_them(self, org, program, line):
        client = client_for(org.executive.user)
        add = client.post(
            reverse("insights:roi-benefit-add", args=[program.pk]),
            {"description": "X", "value": 1, "attribution_percent": 1, "confidence_percent": 1},
        )
        edit = client.get(reverse("insights:roi-benefit-edit", args=[line.pk]))
        delete = client.post(reverse("insights:roi-benefit-delete", args=[line.pk]))
        assert (add.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
        assert list(BenefitLine.objects.all()) == [line]

    def test_outsiders_get_a_404(self, org, program, line):
        client = client_for(org.outsider.user)
        assert (
            client.post(reverse("insights:roi-benefit-delete", args=[line.pk])).status_code == 404
        )
        add = client.post(reverse("insights:roi-benefit-add", args=[program.pk]), {})
        assert add.status_code == 404
        assert BenefitLine.objects.count() == 1

    def test_deleting_takes_a_post(self, admin_client, line):
        response = admin_client.get(reverse("insights:roi-benefit-delete", args=[line.pk]))
        assert response.status_code == 405 and BenefitLine.objects.exists()


class TestIntangibles:
    def test_an_admin_adds_and_deletes_one(self, admin_client, program):
        response = admin_client.post(
            reverse("insights:roi-intangible-add", args=[program.pk]),
            {"description": "Better collaboration", "evidence": "Pulse comments"},
        )
        assert response.status_code == 302 and response["Location"].endswith("#intangibles")
        item = Intangible.objects.get(program=program)
        response = admin_client.post(reverse("insights:roi-intangible-delete", args=[item.pk]))
        assert response.status_code == 302 and not Intangible.objects.exists()

    def test_an_empty_description_is_refused(self, admin_client, program):
        response = admin_client.post(
            reverse("insights:roi-intangible-add", args=[program.pk]), {"description": ""}
        )
        assert response.status_code == 400
        assert set(response.context["intangible_form"].errors) == {"description"}
        assert not Intangible.objects.exists()

    def test_an_executive_viewer_may_not_change_them(self, org, program, intangible):
        client = client_for(org.executive.user)
        add = client.post(
            reverse("insights:roi-intangible-add", args=[program.pk]), {"description": "X"}
        )
        delete = client.post(reverse("insights:roi-intangible-delete", args=[intangible.pk]))
        assert (add.status_code, delete.status_code) == (403, 403)
        assert list(Intangible.objects.all()) == [intangible]

    def test_outsiders_get_a_404(self, org, intangible):
        client = client_for(org.report.user)
        response = client.post(reverse("insights:roi-intangible-delete", args=[intangible.pk]))
        assert response.status_code == 404 and Intangible.objects.exists()
