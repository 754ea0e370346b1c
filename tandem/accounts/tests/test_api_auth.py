"""How API callers authenticate: bearer tokens for clients, the session (with CSRF) for
the browser; everything else is a 401."""

from datetime import timedelta

import pytest
import time_machine
from django.middleware.csrf import get_token
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken, Role
from tandem.api.testing import token_client
from tandem.api.urls import api
from tandem.people.models import Objective
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def _operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            yield method.upper(), path


OPERATIONS = sorted(_operations())
# 360 and pulse raters have no account: the token in the path is the credential.
TOKEN_IS_THE_CREDENTIAL = {
    "/api/v1/rater/{token}",
    "/api/v1/rater/{token}/submit",
    "/api/v1/rater/pulses/{token}",
}


def test_the_document_lists_every_operation():
    # A floor, not an inventory (tandem/api/tests/test_openapi.py keeps that): the
    # tests below must walk the apps' operations, not an empty or partial document.
    assert len(OPERATIONS) >= 14
    assert {("GET", ME), ("POST", "/api/v1/people"), ("POST", "/api/v1/advisor")} <= set(OPERATIONS)


@pytest.mark.parametrize(
    ("method", "path"), [op for op in OPERATIONS if op[1] not in TOKEN_IS_THE_CREDENTIAL]
)
def test_it_refuses_every_operation_without_credentials(client, org, method, path):
    url = path.replace("{person_id}", str(org.report.pk)).replace("{", "").replace("}", "")
    url = url.replace("unit_id", "1").replace("objective_id", "1")
    response = client.generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_the_document_promises_401_for_every_operation(client):
    # The served document, read once (it is generated per request).
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    silent = [
        f"{method} {path}"
        for method, path in OPERATIONS
        if path not in TOKEN_IS_THE_CREDENTIAL
        and (
            "401" not in paths[path][method.lower()]["responses"]
            or {"BearerTokenAuth": []} not in paths[path][method.lower()]["security"]
        )
    ]
    assert silent == []


class TestBearerToken:
    def test_it_authenticates(self, org):
        response = token_client(org.manager.user).get(ME)
        assert response.status_code == 200
        assert response.json() == {
            "username": org.manager.user.username,
            "email": org.manager.email,
            "roles": [Role.MANAGER],
            "person_id": org.manager.pk,
        }

    def test_a_program_admin_without_a_person_has_no_person_id(self, program_admin):
        assert token_client(program_admin).get(ME).json()["person_id"] is None

    def test_a_revoked_token_is_refused(self, org):
        token, raw = ApiToken.issue(user=org.manager.user, name="t")
        token.revoke()
        response = Client(headers={"authorization": f"Bearer {raw}"}).get(ME)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid, expired or revoked API token."}

    def test_an_expired_token_is_refused(self, org):
        expires = timezone.now() + timedelta(hours=1)
        _, raw = ApiToken.issue(user=org.manager.user, name="t", expires_at=expires)
        client = Client(headers={"authorization": f"Bearer {raw}"})
        assert client.get(ME).status_code == 200
        with time_machine.travel(expires + timedelta(seconds=1)):
            assert client.get(ME).status_code == 401

    def test_an_inactive_users_token_is_refused(self, org):
        client = token_client(org.manager.user)
        org.manager.user.is_active = False
        org.manager.user.save()
        assert client.get(ME).status_code == 401

    @pytest.mark.parametrize(
        "header", ["Bearer tdm_forged", "Bearer ", "Bearer", "bearer nonsense", "Token abc"]
    )
    def test_a_bad_header_is_refused(self, org, header):
        response = Client(headers={"authorization": header}).get(ME)
        assert response.status_code == 401
        assert "detail" in response.json()

    def test_a_bad_token_is_refused_even_with_a_session(self, org):
        client = Client(headers={"authorization": "Bearer tdm_forged"})
        client.force_login(org.manager.user)
        assert client.get(ME).status_code == 401

    def test_writes_with_a_token_need_no_csrf_token(self, program_admin):
        client = token_client(program_admin, enforce_csrf_checks=True)
        response = client.post("/api/v1/objectives", {"title": "Grow"}, "application/json")
        assert response.status_code == 201

    def test_the_raw_token_is_stored_nowhere(self, org):
        _, raw = ApiToken.issue(user=org.manager.user, name="t")
        for token in ApiToken.objects.values():
            assert raw not in {str(value) for value in token.values()}


class TestSession:
    def test_a_signed_in_browser_can_read(self, org):
        client = Client(enforce_csrf_checks=True)
        client.force_login(org.manager.user)
        assert client.get(ME).json()["username"] == org.manager.user.username

    def test_a_write_without_the_csrf_token_is_refused(self, program_admin):
        client = Client(enforce_csrf_checks=True)
        client.force_login(program_admin)
        response = client.post("/api/v1/objectives", {"title": "Grow"}, "application/json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
        assert not Objective.objects.exists()

    def test_a_write_with_the_csrf_token_is_accepted(self, program_admin, rf):
        client = Client(enforce_csrf_checks=True)
        client.force_login(program_admin)
        # The token the pages embed; the cookie and the header must agree.
        csrf = get_token(rf.get("/"))
        client.cookies["csrftoken"] = csrf
        response = client.post(
            "/api/v1/objectives",
            {"title": "Grow"},
            "application/json",
            headers={"x-csrftoken": csrf},
        )
        assert response.status_code == 201
        assert Objective.objects.get().title == "Grow"

    def test_an_inactive_session_user_is_refused(self):
        user = UserFactory(roles=[Role.PROGRAM_ADMIN])
        client = Client()
        client.force_login(user)
        user.is_active = False
        user.save()
        assert client.get(ME).status_code == 401
