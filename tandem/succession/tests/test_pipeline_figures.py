"""The pipeline's figures from the database: the same numbers on the dashboard, in the
API and in the CSV export; high potentials in programs; pipeline by level; snapshots
and trends; who may see them."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.succession import pipeline
from tandem.succession.models import PipelineSnapshot, Rating, ReviewStatus
from tandem.succession.tests.factories import ReviewFactory, place
from tandem.succession.tests.pipeline_fixtures import *  # noqa: F403
from tandem.tests.factories import PersonFactory, enroll

pytestmark = pytest.mark.django_db


def _csv(content: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["figure", "n", "value", "low", "high"]
    return {row[0]: row[1:] for row in rows[1:]}


def test_it_computes_the_hand_computed_figures_from_the_database(roles, openings):
    figures = pipeline.current_figures()
    assert figures["critical_roles"] == 4
    assert figures["bench_strength"]["n"] == 4 and figures["bench_strength"]["value"] == 0.25
    assert figures["coverage"]["value"] == 0.5
    assert figures["risk_roles"] == 1
    assert pipeline.risk_role_ids() == [roles.team.pk]
    assert figures["internal_fill_rate"]["n"] == 3
    assert figures["internal_fill_rate"]["value"] == pytest.approx(2 / 3)
    assert figures["median_days_to_fill"] == 20.0
    assert figures["mean_days_to_fill"]["value"] == pytest.approx(30.0)


def test_page_api_and_export_show_the_same_numbers(client, program_admin, roles, openings):
    client.force_login(program_admin)
    page = client.get(reverse("succession:pipeline")).content.decode()
    api = token_client(program_admin).get("/api/v1/succession/pipeline").json()
    export = client.get(reverse("succession:pipeline-csv"))
    api_export = token_client(program_admin).get("/api/v1/succession/pipeline/export")
    assert export.content == api_export.content
    rows = _csv(export.content)
    for name, text in (
        ("bench_strength", "25.0% (95% CI 4.6%\u201369.9%, n=4)"),
        ("coverage", "50.0% (95% CI 15.0%\u201385.0%, n=4)"),
        ("internal_fill_rate", "66.7% (95% CI 20.8%\u201393.9%, n=3)"),
    ):
        assert f'data-figure="{name}">{text}<' in page
        figure = api[name]
        assert rows[name] == [
            str(figure["n"]),
            str(figure["value"]),
            str(figure["low"]),
            str(figure["high"]),
        ]
        assert pipeline.estimates(api)[name].format(percent=True) == text
    assert rows["risk_roles"][1] == str(api["risk_roles"]) == "1"
    assert 'data-figure="risk_roles">1<' in page
    assert rows["median_days_to_fill"][1] == "20.0" and "20.0 (n=3)" in page


def test_it_shares_high_potentials_with_a_current_enrollment(org, program):
    review = ReviewFactory(status=ReviewStatus.CLOSED)
    people = [PersonFactory(level="emerging", manager=org.manager) for _ in range(6)]
    for person in people[:5]:
        place(review, person, 9)  # high potential
    place(review, people[5], 1)
    for person in people[:2]:
        enroll(program, person)
    # A later closed review moves one of the five down: only their latest counts.
    later = ReviewFactory(status=ReviewStatus.CLOSED, held_on=datetime.date(2027, 3, 1))
    place(later, people[4], 5)
    assert set(pipeline.high_potential_people()) == set(people[:4])
    # 4 high potentials are fewer than 5: not enough data.
    assert pipeline.high_potential_in_programs().enough is False
    extra = PersonFactory(level="mid", manager=org.ceo)
    place(review, extra, 7, calibrated_potential=Rating.HIGH)  # calibrated up to high
    estimate = pipeline.high_potential_in_programs()
    assert (estimate.n, estimate.value) == (5, 0.4)


def test_pipeline_by_level_shows_counts_from_five_successors(org, roles):
    assert pipeline.pipeline_by_level()["mid"] is None  # one successor only
    for _ in range(4):
        add(roles.ops, PersonFactory(level="emerging"), "one_two_years")  # noqa: F405
    row = pipeline.pipeline_by_level()["mid"]
    assert row == {
        "roles": 1,
        "successors": 5,
        "ready_now": 1,
        "one_two_years": 4,
        "three_plus_years": 0,
    }


def test_a_snapshot_is_taken_once_a_day_and_feeds_the_trends(roles, openings):
    day = datetime.date(2026, 5, 1)
    pipeline.snapshot_take(day)
    roles.ready.delete()
    pipeline.snapshot_take(day)  # again the same day: replaced
    assert PipelineSnapshot.objects.count() == 1
    assert not pipeline.snapshot_due(day + datetime.timedelta(days=10))
    assert pipeline.snapshot_due(datetime.date(2026, 6, 1))
    pipeline.snapshot_take(datetime.date(2026, 6, 1))
    bench = pipeline.trends()[0]
    assert bench.name == "bench_strength" and bench.dates == [day, datetime.date(2026, 6, 1)]
    assert bench.values == [0.0, 0.0] and bench.n == [4, 4]


def test_the_monthly_job_takes_one_snapshot_a_month(roles):
    from tandem.succession.pipeline_tasks import take_monthly_pipeline_snapshot

    assert take_monthly_pipeline_snapshot.call()["taken"] is True
    assert take_monthly_pipeline_snapshot.call() == {"taken": False}
    assert PipelineSnapshot.objects.count() == 1


def test_the_dashboard_draws_trends_from_snapshots(client, program_admin, roles):
    client.force_login(program_admin)
    assert b"No snapshots yet" in client.get(reverse("succession:pipeline")).content
    response = client.post(reverse("succession:pipeline-snapshot"))
    assert response.status_code == 302 and PipelineSnapshot.objects.count() == 1
    assert b"data:image/svg+xml;base64," in client.get(reverse("succession:pipeline")).content
    trends = token_client(program_admin).get("/api/v1/succession/pipeline/trends").json()
    assert trends["proportions"][0]["values"] == [0.25] and trends["risk_roles"] == [1]


def test_executive_viewers_see_the_figures(client, org, roles):
    client.force_login(org.executive.user)
    assert client.get(reverse("succession:pipeline")).status_code == 200
    assert client.get(reverse("succession:pipeline-csv")).status_code == 200
    assert token_client(org.executive.user).get("/api/v1/succession/pipeline").status_code == 200
    # ... but store no snapshot and see no gaps (who is a high potential).
    assert client.post(reverse("succession:pipeline-snapshot")).status_code == 404
    assert client.get(reverse("succession:gap-list")).status_code == 404


@pytest.mark.parametrize("who", ["ceo", "manager", "report", "outsider"])
def test_it_denies_the_figures_to_everyone_else(client, org, roles, who):
    user = getattr(org, who).user
    client.force_login(user)
    assert client.get(reverse("succession:pipeline")).status_code == 404
    assert client.get(reverse("succession:pipeline-csv")).status_code == 404
    api = token_client(user)
    for path in (
        "/api/v1/succession/pipeline",
        "/api/v1/succession/pipeline/trends",
        "/api/v1/succession/pipeline/export",
    ):
        assert api.get(path).status_code == 404
    assert api.post("/api/v1/succession/pipeline/snapshots").status_code == 404


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, program_admin, roles, openings, django_assert_max_num_queries
):
    client.force_login(program_admin)
    with django_assert_max_num_queries(25):
        client.get(reverse("succession:pipeline"))
    for _ in range(5):
        add(roles.desk, PersonFactory(level="individual_contributor"), "ready_now")  # noqa: F405
    with django_assert_max_num_queries(25):
        client.get(reverse("succession:pipeline"))
