"""/impact/habits/ (a manager's own habits; program admins and executive viewers get
the cascade, never one manager's figures), /impact/habits/cascade/ and the API
(/api/v1/impact/habits/me and /cascade): who sees what, and the same numbers on the
page and in the API."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts import navigation
from tandem.api.testing import token_client
from tandem.conversations.models import OneOnOneSeries
from tandem.insights import habits
from tandem.insights.tests.test_habits import cascade_org, give, meeting  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/impact/habits"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def habits_org(org):
    """Max holds a fortnightly 1:1 with Rita since 30 days ago: 3 planned dates in the
    period (days -30, -16, -2), 2 held; he gave Rita feedback twice."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=30)
    series = OneOnOneSeries.objects.create(manager=org.manager, report=org.report, first_on=first)
    meeting(series, first)
    meeting(series, first + datetime.timedelta(days=14))
    give(org.manager, org.report, today - datetime.timedelta(days=3))
    give(org.manager, org.report, today - datetime.timedelta(days=10))
    return org


def test_it_shows_a_manager_their_own_habits(habits_org):
    response = signed_in(habits_org.manager.user).get(reverse("insights:habits"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.manager_id, figures.held, figures.planned) == (habits_org.manager.pk, 2, 3)
    assert "2 / 3" in response.content.decode()
    assert "Coached and other managers" not in response.content.decode()


def test_the_page_and_the_api_show_the_same_numbers(habits_org):
    page = signed_in(habits_org.manager.user).get(reverse("insights:habits")).context["figures"]
    data = token_client(habits_org.manager.user).get(f"{API}/me").json()
    assert (data["held"], data["planned"], data["with_next_steps"]) == (
        page.held,
        page.planned,
        page.with_next_steps,
    )
    assert (data["reports"], data["feedback_given"]) == (1, 2)
    assert data["feedback_per_report_month"] == pytest.approx(page.feedback_per_report_month)
    assert [item["key"] for item in data["items"]] == [item.key for item in page.items]


def test_the_csv_export_shows_the_page_and_api_numbers(habits_org):
    page = signed_in(habits_org.manager.user).get(reverse("insights:habits")).context["figures"]
    data = token_client(habits_org.manager.user).get(f"{API}/me").json()
    response = signed_in(habits_org.manager.user).get(reverse("insights:habits-csv"))
    assert response.status_code == 200
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["one_on_ones_held"][0] == str(page.held) == str(data["held"])
    assert rows["one_on_ones_planned"][0] == str(page.planned) == str(data["planned"])
    assert float(rows["feedback_per_report_per_month"][0]) == pytest.approx(
        data["feedback_per_report_month"], abs=0.01
    )
    assert float(rows["one_on_ones_held_percent"][0]) == pytest.approx(200 / 3, abs=0.1)


@pytest.mark.parametrize("who", ["report", "outsider"])
def test_people_who_manage_nobody_get_a_404(habits_org, who):
    user = getattr(habits_org, who).user
    assert signed_in(user).get(reverse("insights:habits")).status_code == 404
    assert signed_in(user).get(reverse("insights:habits-csv")).status_code == 404
    assert signed_in(user).get(reverse("insights:habits-cascade")).status_code == 404
    assert token_client(user).get(f"{API}/me").status_code == 404
    assert token_client(user).get(f"{API}/cascade").status_code == 404


def test_a_manager_does_not_see_the_cascade(habits_org):
    user = habits_org.manager.user
    assert signed_in(user).get(reverse("insights:habits-cascade")).status_code == 404
    assert token_client(user).get(f"{API}/cascade").status_code == 404


@pytest.mark.parametrize("who", ["admin", "executive"])
def test_admins_and_executive_viewers_get_the_cascade_not_one_managers_figures(
    habits_org, program_admin, who
):
    user = program_admin if who == "admin" else habits_org.executive.user
    response = signed_in(user).get(reverse("insights:habits"))
    assert response.status_code == 200
    assert "figures" not in response.context and "cascade" in response.context
    assert signed_in(user).get(reverse("insights:habits-cascade")).status_code == 200
    assert token_client(user).get(f"{API}/me").status_code == 404
    data = token_client(user).get(f"{API}/cascade").json()
    assert data["others"]["managers"] == habits.cascade().others.managers
    assert "Max" not in str(data)


def test_the_cascade_page_and_api_show_the_same_numbers(habits_org, program_admin):
    page = signed_in(program_admin).get(reverse("insights:habits-cascade")).context["cascade"]
    data = token_client(program_admin).get(f"{API}/cascade").json()
    assert data["coached"]["managers"] == page.coached.managers
    assert data["others"]["held_share"]["n"] == page.others.held_share.n
    assert data["others"]["feedback_per_report_month"]["n"] == (
        page.others.feedback_per_report_month.n
    )


def test_signed_out_people_are_sent_to_sign_in_and_the_api_says_401(habits_org):
    response = Client().get(reverse("insights:habits"))
    assert response.status_code == 302 and "login" in response.url
    assert Client().get(f"{API}/me").status_code == 401
    assert Client().get(f"{API}/cascade").status_code == 401


def test_the_menu_offers_my_team_and_habits_to_managers_only(habits_org):
    labels = lambda user: [str(item.label) for item in navigation.items_for(user)]  # noqa: E731
    assert "My team and coaching habits" in labels(habits_org.manager.user)
    assert "My team and coaching habits" not in labels(habits_org.report.user)


def test_the_cascade_page_charts_the_groups_over_the_pulses(cascade_org, program_admin):  # noqa: F811
    response = signed_in(program_admin).get(reverse("insights:habits-cascade"))
    assert response.status_code == 200
    assert response.context["chart"].startswith("data:image/svg+xml")
    assert [name for name, _estimates in response.context["rows"]] == ["Q1", "Q2"]
    body = response.content.decode()
    assert "Coached managers" in body and "80.0" in body
