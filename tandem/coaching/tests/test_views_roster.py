"""The coach roster pages: program admins list, add and change coaches; everyone else
reads an active coach's profile without the rate or the capacity."""

import pytest
from django.urls import reverse

from tandem.accounts.models import Role, UserRole
from tandem.coaching.models import Coach
from tandem.coaching.tests.factories import CoachFactory
from tandem.programs.models import Competency

pytestmark = pytest.mark.django_db


def coach_data(**overrides):
    data = {
        "email": "Nia.Coach@Example.com",
        "first_name": "Nia",
        "last_name": "Coach",
        "kind": "external",
        "bio": "Coaches new leaders.",
        "specialties": [Competency.objects.get(name="Self-awareness").pk],
        "certification": "icf_mcc",
        "languages": ["en", "fr"],
        "time_zone": "Europe/Paris",
        "levels": ["emerging"],
        "capacity": "4",
        "hourly_rate": "200",
        "currency": "eur",
        "status": "active",
    }
    data.update(overrides)
    return data


def test_it_lists_coaches_with_their_load_for_admins(
    client, program_admin, coach, django_assert_max_num_queries
):
    CoachFactory.create_batch(3)
    client.force_login(program_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("coaching:coach-list"))
    assert response.status_code == 200
    assert coach.name in response.content.decode()


def test_it_keeps_the_roster_from_everyone_else(client, org):
    client.force_login(org.outsider.user)
    assert client.get(reverse("coaching:coach-list")).status_code == 403
    assert client.get(reverse("coaching:coach-create")).status_code == 403


def test_an_admin_adds_a_coach_with_a_new_login_and_the_coach_role(client, program_admin):
    client.force_login(program_admin)
    response = client.post(reverse("coaching:coach-create"), coach_data())
    coach = Coach.objects.get()
    assert response.status_code == 302
    assert coach.user.email == "nia.coach@example.com"
    assert not coach.user.has_usable_password()
    assert coach.currency == "EUR" and coach.languages == ["en", "fr"]
    assert UserRole.objects.filter(user=coach.user, role=Role.COACH).exists()


def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(client, program_admin):
    client.force_login(program_admin)
    response = client.post(
        reverse("coaching:coach-create"), coach_data(capacity="0", currency="euro", languages=[])
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"capacity", "currency", "languages"}
    assert not Coach.objects.exists()


def test_an_admin_changes_a_coach(client, program_admin, coach):
    client.force_login(program_admin)
    data = coach_data(email=coach.user.email, capacity="6", status="paused")
    response = client.post(reverse("coaching:coach-edit", args=[coach.pk]), data)
    assert response.status_code == 302
    coach.refresh_from_db()
    assert (coach.capacity, coach.status) == (6, "paused")


def test_a_coach_profile_hides_the_rate_from_others(client, org, coach):
    client.force_login(org.outsider.user)
    response = client.get(reverse("coaching:coach-detail", args=[coach.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert coach.bio in page
    assert "Hourly rate" not in page and "coach-load" not in page
    assert client.get(reverse("coaching:coach-edit", args=[coach.pk])).status_code == 403


def test_a_paused_coach_is_not_found_for_others(client, org):
    paused = CoachFactory(status="paused")
    client.force_login(org.outsider.user)
    assert client.get(reverse("coaching:coach-detail", args=[paused.pk])).status_code == 404
