"""The OpenAPI document and the interactive docs."""

import pytest
import schemathesis

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/people"),
    ("post", "/api/v1/people"),
    ("get", "/api/v1/people/{person_id}"),
    ("patch", "/api/v1/people/{person_id}"),
    ("get", "/api/v1/org-units"),
    ("post", "/api/v1/org-units"),
    ("get", "/api/v1/org-units/{unit_id}"),
    ("patch", "/api/v1/org-units/{unit_id}"),
    ("get", "/api/v1/objectives"),
    ("post", "/api/v1/objectives"),
    ("get", "/api/v1/objectives/{objective_id}"),
    ("patch", "/api/v1/objectives/{objective_id}"),
    ("post", "/api/v1/advisor"),
    ("get", "/api/v1/programs"),
    ("post", "/api/v1/programs/{program_id}/launch"),
    ("post", "/api/v1/programs/{program_id}/enrollments"),
    ("get", "/api/v1/plans/{plan_id}"),
    ("post", "/api/v1/plans/{plan_id}/advance"),
    ("post", "/api/v1/plans/{plan_id}/close-cycle"),
    ("post", "/api/v1/plans/{plan_id}/goals"),
    ("post", "/api/v1/plans/{plan_id}/check-ins"),
    ("patch", "/api/v1/action-items/{item_id}"),
    ("get", "/api/v1/team"),
    ("get", "/api/v1/me/calendar-feed"),
    ("post", "/api/v1/me/calendar-feed"),
    ("get", "/api/v1/instruments"),
    ("get", "/api/v1/reviews"),
    ("post", "/api/v1/reviews"),
    ("post", "/api/v1/reviews/{review_id}/nominations"),
    ("post", "/api/v1/reviews/{review_id}/approve"),
    ("get", "/api/v1/rater/{token}"),
    ("post", "/api/v1/rater/{token}/submit"),
    ("get", "/api/v1/reviews/{review_id}/report"),
    ("post", "/api/v1/self-assessments"),
    ("post", "/api/v1/style-profiles"),
    ("get", "/api/v1/plans/{plan_id}/assessment-summary"),
    ("get", "/api/v1/mentoring/programs"),
    ("patch", "/api/v1/mentoring/programs/{program_id}/settings"),
    ("post", "/api/v1/mentoring/programs/{program_id}/questions"),
    ("post", "/api/v1/mentoring/programs/{program_id}/mentors"),
    ("put", "/api/v1/mentoring/programs/{program_id}/answers/mentee"),
    ("put", "/api/v1/mentoring/programs/{program_id}/intent"),
    ("post", "/api/v1/mentoring/programs/{program_id}/match-runs"),
    ("get", "/api/v1/mentoring/match-runs/{run_id}"),
    ("get", "/api/v1/mentoring/match-runs/{run_id}/proposals"),
    ("put", "/api/v1/mentoring/match-proposals/{proposal_id}/lock"),
    ("post", "/api/v1/mentoring/match-runs/{run_id}/pairs"),
    ("post", "/api/v1/mentoring/match-runs/{run_id}/publish"),
    ("get", "/api/v1/mentoring/programs/{program_id}/suggestions"),
    ("post", "/api/v1/mentoring/suggestions/{suggestion_id}/choose"),
    ("get", "/api/v1/mentoring/relationships"),
    ("post", "/api/v1/mentoring/relationships/{relationship_id}/accept"),
    ("put", "/api/v1/mentoring/relationships/{relationship_id}/agreement"),
    ("post", "/api/v1/mentoring/relationships/{relationship_id}/meetings"),
    ("post", "/api/v1/mentoring/check-ins/{check_in_id}"),
    ("post", "/api/v1/mentoring/relationships/{relationship_id}/close"),
    ("get", "/api/v1/mentoring/programs/{program_id}/health"),
    ("get", "/api/v1/impact/pulses"),
    ("post", "/api/v1/impact/pulses"),
    ("post", "/api/v1/impact/pulses/{pulse_id}/close"),
    ("get", "/api/v1/impact/pulses/{pulse_id}/results"),
    ("post", "/api/v1/rater/pulses/{token}"),
    ("patch", "/api/v1/impact/programs/{program_id}/roi-settings"),
    ("post", "/api/v1/impact/programs/{program_id}/benefits"),
    ("put", "/api/v1/impact/salary-bands"),
    ("get", "/api/v1/impact/programs/{program_id}"),
    ("get", "/api/v1/impact/programs/{program_id}/criteria"),
    ("get", "/api/v1/impact/programs/{program_id}/roi"),
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_it_is_a_valid_openapi_document(document):
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()


def test_it_lists_the_operations_of_every_app(document):
    listed = {(method, path) for path, item in document["paths"].items() for method in item}
    assert listed >= OPERATIONS


def test_operation_ids_are_unique_and_readable(document):
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert all(op_id.replace("_", "").isalnum() and op_id.islower() for op_id in ids)
    assert "list_people" in ids


def test_it_declares_the_bearer_and_session_schemes(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["BrowserSessionAuth"]["in"] == "cookie"
    for path, item in document["paths"].items():
        for operation in item.values():
            if path.startswith("/api/v1/rater/"):  # the token in the path is the credential
                assert "security" not in operation
            else:
                assert operation["security"] == [
                    {"BearerTokenAuth": []},
                    {"BrowserSessionAuth": []},
                ]


def test_every_error_is_documented_as_json_detail(document):
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema["$ref"].rsplit("/", 1)[1] in {
                        "ErrorOut",
                        "ValidationErrorOut",
                        "RefusedOut",
                    }


def test_writes_document_their_refusals(document):
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in ("post", "patch"):
                assert {"400", "401", "403", "422"} <= set(operation["responses"])


def test_reads_of_one_record_document_not_found(document):
    for path, item in document["paths"].items():
        if path.endswith("}"):
            assert "404" in item["get"]["responses"]


def test_the_docs_page_renders_for_anyone(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_the_docs_page_loads_nothing_from_other_sites(client):
    """Tandem is self-hosted, often without internet access: Swagger UI is served locally."""
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "https://" not in page


def test_no_two_schemas_share_a_name():
    # The document keys each schema by its class name: two classes with one name would
    # silently document one shape for both (django-ninja keeps the last one).
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import tandem

    modules: dict[str, set[str]] = {}
    for app in pkgutil.iter_modules(tandem.__path__):
        try:
            package = importlib.import_module(f"tandem.{app.name}.api")
        except ModuleNotFoundError:
            continue
        found = [package]
        for sub in pkgutil.iter_modules(getattr(package, "__path__", [])):
            found.append(importlib.import_module(f"{package.__name__}.{sub.name}"))
        for module in found:
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, Schema) and obj is not Schema:
                    modules.setdefault(obj.__name__, set()).add(obj.__module__)
    shared = {name: sorted(where) for name, where in modules.items() if len(where) > 1}
    assert shared == {}
