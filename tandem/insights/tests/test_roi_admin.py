"""ROI inputs in the Django admin: program admins only, as on the pages."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.insights.models import SalaryBand
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["salaryband", "impactsettings", "benefitline", "intangible"]


def staff(roles):
    user = UserFactory(is_staff=True, roles=roles)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="insights"))
    return user


@pytest.mark.parametrize("model", MODELS)
def test_it_lets_program_admins_in(client, model):
    client.force_login(staff([Role.PROGRAM_ADMIN]))
    assert client.get(reverse(f"admin:insights_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_keeps_other_staff_out_even_with_permissions(client, model):
    client.force_login(staff([Role.EXECUTIVE_VIEWER]))
    assert client.get(reverse(f"admin:insights_{model}_changelist")).status_code == 403


def test_an_executive_viewer_on_the_staff_cannot_add_a_band(client):
    client.force_login(staff([Role.EXECUTIVE_VIEWER]))
    response = client.post(
        reverse("admin:insights_salaryband_add"), {"level": "mid", "annual_midpoint": "1"}
    )
    assert response.status_code == 403 and not SalaryBand.objects.exists()
