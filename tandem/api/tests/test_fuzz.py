"""Schemathesis fuzzes every operation of the OpenAPI document in-process, with a bearer
token, as two roles: a program admin (who reaches the write paths) and a plain
participant (a person with a login and no role, who meets the refusals). No input may
cause a 5xx, and every response must match what the document promises (status, content
type, body schema)."""

import os

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

from tandem.accounts.models import ApiToken
from tandem.api.urls import api

# Once per `make test`, in the PostgreSQL leg: its stricter types (a string longer
# than its column is an error there) make it the stricter target.
pytestmark = pytest.mark.fuzz

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260101,
        "generation": {
            "max-examples": int(os.environ.get("FUZZ_EXAMPLES", "10")),
            "database": "none",
        },
        "checks": {
            # A schema-valid request may still break a domain rule the schema cannot
            # express: a manager id that does not exist, a duplicate email, an exit
            # date before the hire date. Those are a 422 naming the field.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "422"]},
        },
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(params=["program_admin", "participant"])
def bearer(request, org, program_admin, settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's in-process requests use it
    # As Django's test client does: a request must not close the connection that holds
    # the test's transaction (PostgreSQL would otherwise lose it after one request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # The participant is a leader being developed: a login on their person record, no role.
    user = program_admin if request.param == "program_admin" else org.report.user
    _, raw = ApiToken.issue(user=user, name="fuzzing")
    yield {"Authorization": f"Bearer {raw}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
# The token and the organization are meant to persist across a test's examples.
@hypothesis.settings(
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture], deadline=None
)
def test_it_answers_every_request_as_documented(case, bearer):
    case.call_and_validate(headers=bearer)
