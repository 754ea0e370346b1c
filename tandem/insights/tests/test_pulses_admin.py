"""The pulses in the Django admin: settings, pulses and invitations read-only, without
the token's hash or whether a link was used; responses are never there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tandem.insights import pulses
from tandem.insights.models import PulseInvitation, PulseResponse
from tandem.insights.tests.test_pulses_setup import answer_everyone, opened, pulse_org
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_responses_are_never_in_the_admin():
    assert PulseResponse not in admin.site._registry


def test_pulses_and_invitations_are_read_only_and_keep_their_secrets(
    client, org, superuser, program_admin
):
    pulse_org(org)
    pulse, raw = opened(program_admin)
    answer_everyone(raw)
    pulses.pulse_close(pulse=pulse)
    client.force_login(superuser)
    response = client.get(reverse("admin:insights_pulse_changelist"))
    assert response.status_code == 200 and b"Pulse Q1" in response.content
    response = client.get(reverse("admin:insights_pulse_change", args=[pulse.pk]))
    assert response.status_code == 200 and b'name="name"' not in response.content
    invitation = PulseInvitation.objects.select_related("person").first()
    for url in (
        reverse("admin:insights_pulseinvitation_changelist"),
        reverse("admin:insights_pulseinvitation_change", args=[invitation.pk]),
    ):
        content = client.get(url).content.decode()
        assert invitation.person.last_name in content
        assert invitation.token_hash not in content
        assert "column-used" not in content and "field-used" not in content
    assert client.get(reverse("admin:insights_pulse_add")).status_code == 403
