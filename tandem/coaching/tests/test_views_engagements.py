"""The engagement pages: who sees the summary, the agreement, goals, terms, the end
and the evaluation; the admins' list with its health and its CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.coaching import services
from tandem.coaching.models import EngagementGoal, EngagementStatus, Evaluation
from tandem.coaching.tests.factories import CoachFactory, active, booked, paired
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = pytest.mark.django_db


def detail(engagement):
    return reverse("coaching:engagement-detail", args=[engagement.pk])


@pytest.mark.parametrize("who", ["coach", "coachee", "sponsor", "admin"])
def test_the_parties_the_sponsor_and_admins_see_the_summary(
    client, org, engagement, program_admin, who
):
    user = {
        "coach": engagement.coach.user,
        "coachee": org.report.user,
        "sponsor": org.manager.user,
        "admin": program_admin,
    }[who]
    client.force_login(user)
    response = client.get(detail(engagement))
    assert response.status_code == 200
    assert response.context["sees_sessions"] is (who != "sponsor")


@pytest.mark.parametrize("who", ["outsider", "executive"])
def test_others_get_not_found(client, org, engagement, who):
    client.force_login(getattr(org, who).user)
    assert client.get(detail(engagement)).status_code == 404


def test_the_coach_and_the_coachee_accept_the_agreement(client, org, coach):
    engagement = paired(coach, org.report)
    url = reverse("coaching:agreement-accept", args=[engagement.pk])
    client.force_login(org.report.user)
    assert client.post(url, {}).status_code == 400  # the box not ticked
    client.post(url, {"accept": "on"})
    client.force_login(coach.user)
    client.post(url, {"accept": "on"})
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_the_sponsor_cannot_accept_or_change_anything(client, org, coach):
    engagement = paired(coach, org.report)
    client.force_login(org.manager.user)
    assert (
        client.post(
            reverse("coaching:agreement-accept", args=[engagement.pk]), {"accept": "on"}
        ).status_code
        == 403
    )
    assert client.get(reverse("coaching:engagement-end", args=[engagement.pk])).status_code == 403
    assert client.get(reverse("coaching:goal-create", args=[engagement.pk])).status_code == 403


def test_the_coach_changes_the_terms_and_the_coachee_cannot(client, org, engagement):
    url = reverse("coaching:engagement-terms", args=[engagement.pk])
    data = {
        "planned_sessions": "10",
        "session_minutes": "45",
        "starts_on": engagement.starts_on.isoformat(),
        "ends_on": engagement.ends_on.isoformat(),
        "goal_setting_on": engagement.starts_on.isoformat(),
    }
    client.force_login(org.report.user)
    assert client.post(url, data).status_code == 403
    client.force_login(engagement.coach.user)
    assert client.post(url, data).status_code == 302
    engagement.refresh_from_db()
    assert engagement.planned_sessions == 10 and engagement.goal_setting_on


def test_a_goal_links_to_a_goal_of_the_plan(client, org, engagement):
    client.force_login(org.report.user)
    url = reverse("coaching:goal-create", args=[engagement.pk])
    response = client.post(url, {"title": "Listen first", "plan_goal": "999999"})
    assert response.status_code == 400 and "plan_goal" in response.context["form"].errors
    client.post(url, {"title": "Listen first", "plan_goal": ""})
    goal = EngagementGoal.objects.get()
    client.post(reverse("coaching:goal-progress", args=[goal.pk]), {"progress": "150"})
    goal.refresh_from_db()
    assert goal.progress == 0
    client.post(reverse("coaching:goal-progress", args=[goal.pk]), {"progress": "40"})
    goal.refresh_from_db()
    assert goal.progress == 40


def test_a_goal_of_someone_else_is_not_found(client, org, engagement):
    goal = services.goal_add(engagement=engagement, title="Listen", plan_goal=None, added_by=None)
    client.force_login(org.outsider.user)
    assert (
        client.post(
            reverse("coaching:goal-progress", args=[goal.pk]), {"progress": "9"}
        ).status_code
        == 404
    )


def test_either_side_ends_and_then_the_coachee_and_sponsor_evaluate(client, org, engagement):
    client.force_login(engagement.coach.user)
    client.post(reverse("coaching:engagement-end", args=[engagement.pk]), {"outcome": "completed"})
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED
    evaluate = reverse("coaching:evaluate", args=[engagement.pk])
    assert client.get(evaluate).status_code == 403  # the coach does not evaluate
    for user in (org.report.user, org.manager.user):
        client.force_login(user)
        assert client.post(evaluate, {"goals_rating": "9", "value_rating": "4"}).status_code == 400
        client.post(evaluate, {"goals_rating": "4", "value_rating": "5"})
    assert Evaluation.objects.filter(engagement=engagement).count() == 2
    client.force_login(org.outsider.user)
    assert client.get(evaluate).status_code == 404


def test_the_admins_list_shows_health_in_a_fixed_number_of_queries(
    client, program_admin, org, engagement, django_assert_num_queries
):
    for _ in range(4):
        person = PersonFactory()
        make_user_for(person)
        other = active(CoachFactory(), person)
        session = booked(other)
        services.session_no_show(session=session, by=other.coach.user)
    client.force_login(program_admin)
    with django_assert_num_queries(8):
        response = client.get(reverse("coaching:engagement-list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 5


def test_the_list_for_a_sponsor_has_their_engagement_only(client, org, engagement):
    client.force_login(org.manager.user)
    response = client.get(reverse("coaching:engagement-list"))
    assert [e.pk for e in response.context["page"]] == [engagement.pk]
    client.force_login(org.outsider.user)
    assert list(client.get(reverse("coaching:engagement-list")).context["page"]) == []


def test_the_export_is_metadata_only_for_admins_and_audited(client, program_admin, org, engagement):
    client.force_login(program_admin)
    response = client.get(reverse("coaching:engagement-export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["engagement_id", "coach", "coachee_employee_id"]
    assert rows[1][3] == org.report.full_name
    assert AuditLog.objects.filter(action="export", target_type="coaching.engagement").exists()
    client.force_login(org.manager.user)
    assert client.get(reverse("coaching:engagement-export")).status_code == 403


def test_the_workload_page_is_for_coaches(client, org, engagement):
    booked(engagement)
    client.force_login(engagement.coach.user)
    response = client.get(reverse("coaching:workload"))
    assert response.status_code == 200
    load = response.context["load"]
    assert load.active_coachees == 1 and len(load.awaiting_notes) == 1
    client.force_login(org.report.user)
    assert client.get(reverse("coaching:workload")).status_code == 403


def test_the_coaching_home_shows_each_role_its_part(client, org, engagement, program_admin):
    client.force_login(org.report.user)
    assert client.get(reverse("coaching:home")).context["open_own"] == engagement
    client.force_login(engagement.coach.user)
    assert client.get(reverse("coaching:home")).context["coaching"] == [engagement]
    client.force_login(program_admin)
    assert client.get(reverse("coaching:home")).status_code == 200
