"""Schemathesis on the program endpoints with programs, criteria, cohorts and
enrollments in the database, so generated ids reach real records (the project-wide
fuzz test mostly meets empty tables): no input may cause a 5xx, and every answer
must match the OpenAPI document."""

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
from tandem.tests.factories import ProgramFactory, SuccessCriterionFactory, enroll, running_program

# Once per `make test`, in the PostgreSQL leg: its stricter types (a string longer
# than its column is an error there) make it the stricter target.
pytestmark = pytest.mark.fuzz

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260102,
        "generation": {
            "max-examples": int(os.environ.get("FUZZ_EXAMPLES", "10")),
            "database": "none",
        },
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "422"]
            },
        },
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG).include(
    path_regex=r"^/api/v1/programs"
)
schema.app = get_wsgi_application()


@pytest.fixture
def bearer(org, program_admin, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    draft = ProgramFactory()
    SuccessCriterionFactory(program=draft)
    running = running_program()
    running.cohorts.create(name="Spring")
    running.cost_lines.create(category="coaching", description="Coaches", amount=100)
    for person in (org.report, org.manager):
        enroll(running, person)
    _, raw = ApiToken.issue(user=program_admin, name="fuzzing")
    yield {"Authorization": f"Bearer {raw}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture], deadline=None
)
def test_it_answers_every_request_as_documented(case, bearer):
    case.call_and_validate(headers=bearer)
