"""A program's 360 anonymity settings: the minimum answers per rater group (never
below 3) and whether the manager shows as a group of one. Edited on the program page,
through the API and in the admin, with the same rule and a message next to the field."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.lib.anonymity import Thresholds
from tandem.programs.models import Program
from tandem.programs.tests.test_views_programs import edit_url, form_data
from tandem.tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

MINIMUMS = [
    "review_min_peers",
    "review_min_direct_reports",
    "review_min_others",
    "review_min_all_others",
]
TOO_FEW = "At least 3: a group with fewer answers would let raters be identified."


def test_a_new_program_has_the_default_thresholds():
    program = ProgramFactory()
    assert program.review_thresholds() == Thresholds()
    assert (program.review_min_all_others, program.review_show_manager) == (4, False)


@pytest.mark.parametrize("field", MINIMUMS)
def test_the_database_refuses_a_minimum_below_3(field):
    program = ProgramFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(**{field: 2})


class TestThePage:
    def test_it_shows_and_saves_the_settings(self, client, program_admin):
        program = ProgramFactory(owner=program_admin)
        client.force_login(program_admin)
        page = client.get(edit_url(program)).content.decode()
        assert "360 feedback anonymity" in page and 'name="review_min_peers"' in page
        response = client.post(
            edit_url(program),
            form_data(
                owner=program_admin.pk,
                review_min_peers="5",
                review_min_direct_reports="4",
                review_min_others="3",
                review_min_all_others="6",
                review_show_manager="on",
            ),
        )
        assert response.status_code == 302
        program.refresh_from_db()
        assert program.review_thresholds() == Thresholds(5, 4, 3, 6, show_manager=True)

    def test_left_out_the_settings_stay_as_they_are(self, client, program_admin):
        program = ProgramFactory(owner=program_admin, review_min_peers=5)
        client.force_login(program_admin)
        response = client.post(
            edit_url(program), form_data(owner=program_admin.pk, review_min_peers="")
        )
        assert response.status_code == 302
        program.refresh_from_db()
        assert program.review_min_peers == 5

    @pytest.mark.parametrize("field", MINIMUMS)
    def test_a_minimum_below_3_is_refused_next_to_its_field(self, client, program_admin, field):
        program = ProgramFactory(owner=program_admin, name="Original")
        client.force_login(program_admin)
        response = client.post(
            edit_url(program), form_data(owner=program_admin.pk, name="Changed", **{field: "2"})
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert form.errors == {field: [TOO_FEW]}
        assert f'id="id_{field}_error"' in response.content.decode()
        program.refresh_from_db()
        assert (program.name, getattr(program, field)) == (
            "Original",
            program._meta.get_field(field).default,
        )

    def test_someone_not_an_admin_cannot_change_them(self, client, org):
        program = ProgramFactory()
        client.force_login(org.manager.user)
        response = client.post(edit_url(program), form_data(review_min_peers="9"))
        assert response.status_code in (403, 404)
        program.refresh_from_db()
        assert program.review_min_peers == 3


class TestTheApi:
    def test_it_creates_and_reads_them(self, program_admin):
        client = token_client(program_admin)
        body = {
            "name": "Leading teams",
            "kind": "blended",
            "start_date": "2026-02-02",
            "end_date": "2026-11-27",
            "review_min_peers": 4,
            "review_show_manager": True,
        }
        response = client.post("/api/v1/programs", body, content_type="application/json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["review_min_peers"], data["review_min_direct_reports"]) == (4, 3)
        assert (data["review_min_all_others"], data["review_show_manager"]) == (4, True)

    @pytest.mark.parametrize("field", MINIMUMS)
    def test_a_minimum_below_3_is_a_422_on_its_field(self, program_admin, field):
        program = ProgramFactory(owner=program_admin)
        client = token_client(program_admin)
        for value in (2, 0, -1, 40000):
            response = client.patch(
                f"/api/v1/programs/{program.pk}", {field: value}, content_type="application/json"
            )
            assert response.status_code == 422, (value, response.content)
            (error,) = response.json()["detail"]
            assert error["loc"] == ["body", "payload", field]
        response = client.patch(
            f"/api/v1/programs/{program.pk}", {field: 2}, content_type="application/json"
        )
        assert TOO_FEW in response.json()["detail"][0]["msg"]
        program.refresh_from_db()
        assert getattr(program, field) == program._meta.get_field(field).default

    def test_a_patch_changes_only_what_it_sends(self, program_admin):
        program = ProgramFactory(owner=program_admin, review_min_others=5)
        client = token_client(program_admin)
        response = client.patch(
            f"/api/v1/programs/{program.pk}",
            {"review_min_peers": 6},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        program.refresh_from_db()
        assert (program.review_min_peers, program.review_min_others) == (6, 5)

    def test_someone_not_an_admin_cannot_change_them(self, org):
        program = ProgramFactory()
        client = token_client(org.manager.user)
        response = client.patch(
            f"/api/v1/programs/{program.pk}",
            {"review_min_peers": 9},
            content_type="application/json",
        )
        assert response.status_code in (403, 404)
        program.refresh_from_db()
        assert program.review_min_peers == 3


class TestTheAdmin:
    def test_it_refuses_a_minimum_below_3_next_to_the_field(self, client):
        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        program = ProgramFactory(owner=root)
        client.force_login(root)
        url = reverse("admin:programs_program_change", args=[program.pk])
        assert 'name="review_min_peers"' in client.get(url).content.decode()
        data = {
            "name": program.name,
            "description": "",
            "kind": program.kind,
            "target_levels": "[]",
            "start_date": program.start_date.isoformat(),
            "end_date": program.end_date.isoformat(),
            "owner": root.pk,
            "budget": "0",
            "currency": "EUR",
            "checkin_every_days": "14",
            "review_min_peers": "2",
            "review_min_direct_reports": "3",
            "review_min_others": "3",
            "review_min_all_others": "4",
            **{
                f"{prefix}-{key}": value
                for prefix in ("criteria", "cohorts", "cost_lines")
                for key, value in {
                    "TOTAL_FORMS": "0",
                    "INITIAL_FORMS": "0",
                    "MIN_NUM_FORMS": "0",
                    "MAX_NUM_FORMS": "1000",
                }.items()
            },
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {"review_min_peers": [TOO_FEW]}
        data["review_min_peers"] = "5"
        assert client.post(url, data).status_code == 302
        program.refresh_from_db()
        assert program.review_min_peers == 5


def test_the_program_page_shows_the_settings(client, program_admin):
    program = ProgramFactory(review_min_peers=5, review_show_manager=True)
    client.force_login(program_admin)
    page = client.get(reverse("programs:program-detail", args=[program.pk])).content.decode()
    assert "Groups show from 5 peers, 3 direct reports, 3 others" in page
    assert "The manager shows as a group of one." in page
