"""The "Your team" section of /impact/habits/ and the `team` of /api/v1/impact/habits/me:
a manager sees their own direct reports only, the page and the API agree, and nobody
else (a peer, the report, the manager's manager, an admin, an executive viewer) sees
that team. Then the cascade on the impact dashboard and as CSV."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.conversations.models import Feedback, Meeting, MeetingStatus, NextStep, OneOnOneSeries
from tandem.insights import habits
from tandem.insights.tests.test_habits import cascade_org, give  # noqa: F401
from tandem.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/impact/habits"
DAY = datetime.timedelta(days=1)
TEAM_NAMES = ("Rita Report", "Paula Park")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team_org(org):
    """Max manages Rita (a fortnightly 1:1 since 30 days ago, held 30 and 16 days ago,
    two open next steps, one overdue; feedback from Max twice) and Paula (no 1:1 yet).
    The feedback text is confidential: it must never show."""
    today = timezone.localdate()
    org.paula = PersonFactory(first_name="Paula", last_name="Park", manager=org.manager)
    org.series = OneOnOneSeries.objects.create(
        manager=org.manager, report=org.report, first_on=today - 30 * DAY
    )
    for days_ago in (30, 16):
        meeting = Meeting.objects.create(
            series=org.series, on=today - days_ago * DAY, status=MeetingStatus.COMPLETED
        )
        NextStep.objects.create(
            meeting=meeting,
            title="Private-ish step",
            owner=org.report,
            due_date=today - (days_ago - 20) * DAY,
        )
    Feedback.objects.create(
        giver=org.manager,
        recipient=org.report,
        kind="positive",
        text="Secret praise 42",
        created_at=timezone.now() - 3 * DAY,
    )
    give(org.manager, org.report, today - 10 * DAY)
    give(org.manager, org.outsider, today - 2 * DAY)
    return org


def test_it_shows_a_manager_their_team(team_org):
    response = signed_in(team_org.manager.user).get(reverse("insights:habits"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "My team and coaching habits" in body and "Your team" in body
    team = {member.name: member for member in response.context["team"]}
    assert set(team) == set(TEAM_NAMES)
    rita = team["Rita Report"]
    assert (rita.open_next_steps, rita.overdue_next_steps, rita.feedback_given) == (2, 1, 2)
    assert reverse("conversations:oneonone-series", args=[team_org.series.pk]) in body
    assert "No 1:1 yet" in body and reverse("conversations:oneonone-create") in body
    assert "Secret praise 42" not in body and "Private-ish step" not in body


def test_the_page_and_the_api_show_the_same_team(team_org):
    page = signed_in(team_org.manager.user).get(reverse("insights:habits")).context["team"]
    data = token_client(team_org.manager.user).get(f"{API}/me").json()["team"]
    assert [row["name"] for row in data] == [member.name for member in page]
    by_name = {row["name"]: row for row in data}
    for member in page:
        row = by_name[member.name]
        assert row["person_id"] == member.person_id
        assert row["series_id"] == member.series_id
        assert row["cadence"] == member.cadence
        assert row["last_held"] == (member.last_held and member.last_held.isoformat())
        assert row["next_on"] == (member.next_on and member.next_on.isoformat())
        assert (row["open_next_steps"], row["overdue_next_steps"], row["feedback_given"]) == (
            member.open_next_steps,
            member.overdue_next_steps,
            member.feedback_given,
        )
    assert by_name["Paula Park"]["series_id"] is None
    assert "Secret praise 42" not in str(data)


@pytest.mark.parametrize("who", ["report", "outsider"])
def test_people_who_manage_nobody_never_see_the_team(team_org, who):
    user = getattr(team_org, who).user
    response = signed_in(user).get(reverse("insights:habits"))
    assert response.status_code == 404
    others = [name for name in TEAM_NAMES if name != getattr(team_org, who).full_name]
    assert others and not any(name in response.content.decode() for name in others)
    assert token_client(user).get(f"{API}/me").status_code == 404


def test_the_managers_manager_sees_their_own_team_only(team_org):
    response = signed_in(team_org.ceo.user).get(reverse("insights:habits"))
    assert response.status_code == 200
    assert [m.name for m in response.context["team"]] == ["Max Manager", "Otto Outsider"]
    body = response.content.decode()
    assert not any(name in body for name in TEAM_NAMES)
    data = token_client(team_org.ceo.user).get(f"{API}/me").json()
    assert [row["name"] for row in data["team"]] == ["Max Manager", "Otto Outsider"]


@pytest.mark.parametrize("who", ["admin", "executive"])
def test_admins_and_executive_viewers_get_the_cascade_not_a_team(team_org, program_admin, who):
    user = program_admin if who == "admin" else team_org.executive.user
    response = signed_in(user).get(reverse("insights:habits"))
    assert response.status_code == 200
    assert "team" not in response.context and "cascade" in response.context
    body = response.content.decode()
    assert not any(name in body for name in (*TEAM_NAMES, "Max Manager"))
    assert token_client(user).get(f"{API}/me").status_code == 404


# The cascade on the dashboard and as CSV ----------------------------------------------


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_cascade_csv_agrees_with_the_api(cascade_org, program_admin):  # noqa: F811
    response = signed_in(program_admin).get(reverse("insights:habits-cascade-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header == ["group", "figure", "pulse", "managers", "n", "value", "low", "high", "enough"]
    data = token_client(program_admin).get(f"{API}/cascade").json()
    found = {(row[0], row[1], row[2]): row for row in rows}
    assert len(found) == len(rows) == 2 * (2 + len(data["pulses"]))
    for key in ("coached", "others"):
        group = data[key]
        checks = [
            ("one_on_ones_held_share", "", group["held_share"]),
            ("feedback_per_report_month", "", group["feedback_per_report_month"]),
        ] + [
            ("team_engagement_index", pulse, estimate)
            for pulse, estimate in zip(data["pulses"], group["engagement"], strict=True)
        ]
        for figure, pulse, estimate in checks:
            if figure == "feedback_per_report_month":
                figure = "feedback_per_report_per_month"
            row = found[(group["name"], figure, pulse)]
            assert int(row[3]) == group["managers"] and int(row[4]) == estimate["n"]
            assert row[8] == str(estimate["enough"])
            if estimate["value"] is None:
                assert row[5] == ""
            else:
                assert float(row[5]) == pytest.approx(estimate["value"])
                assert float(row[6]) == pytest.approx(estimate["low"])
    assert found[("Coached managers", "team_engagement_index", "Q2")][5] != ""


def test_the_cascade_csv_names_no_manager(cascade_org, program_admin):  # noqa: F811
    coached, others = cascade_org
    body = signed_in(program_admin).get(reverse("insights:habits-cascade-csv")).content.decode()
    assert not any(lead.last_name in body for lead in coached + others)


def test_the_cascade_page_links_its_csv(org, program_admin):
    response = signed_in(program_admin).get(reverse("insights:habits-cascade"))
    assert reverse("insights:habits-cascade-csv") in response.content.decode()


@pytest.mark.parametrize("who", ["report", "manager", "outsider"])
def test_the_cascade_csv_is_not_found_for_anyone_else(team_org, who):
    user = getattr(team_org, who).user
    assert signed_in(user).get(reverse("insights:habits-cascade-csv")).status_code == 404


def test_the_executive_viewer_gets_the_cascade_csv(team_org):
    user = team_org.executive.user
    assert signed_in(user).get(reverse("insights:habits-cascade-csv")).status_code == 200


def test_signed_out_people_are_sent_to_sign_in_for_the_cascade_csv(org):
    response = Client().get(reverse("insights:habits-cascade-csv"))
    assert response.status_code == 302 and "login" in response.url


def test_the_dashboard_shows_the_cascade_computed_once(
    cascade_org,  # noqa: F811
    program_admin,
    monkeypatch,
):
    calls = []
    real = habits.cascade

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(habits, "cascade", counted)
    response = signed_in(program_admin).get(reverse("insights:impact"))
    assert response.status_code == 200 and len(calls) == 1
    body = response.content.decode()
    assert "The cascade: coached vs other managers" in body
    assert reverse("insights:habits-cascade") in body
    card = response.context["cascade"]
    assert card["chart"].startswith("data:image/svg+xml")
    coached, others = card["summary"]
    assert coached["engagement"].startswith("80.0") and others["engagement"].startswith("60.0")
    assert coached["held_share"].endswith("n=3)") and "%" in others["held_share"]
    assert coached["group"].managers == 3


def test_the_dashboard_says_not_enough_data_without_pulses(org, program_admin):
    response = signed_in(program_admin).get(reverse("insights:impact"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The cascade: coached vs other managers" in body
    assert "not enough data" in body and "No pulse has closed yet" in body
