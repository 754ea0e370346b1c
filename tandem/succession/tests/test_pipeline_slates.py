"""Critical roles and slates: who sees them (admins and the chain above the role; not
candidates, peers or executive viewers), adding, ranking and removing successors,
development actions on the candidate's plan, bad input, pages and API alike."""

import pytest
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.succession.models import CriticalRole, DevelopmentAction, Successor
from tandem.succession.tests.pipeline_fixtures import *  # noqa: F403
from tandem.tests.factories import PersonFactory, enroll

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_admins_see_every_role_with_risk_roles_marked(client, program_admin, roles):
    page = _login(client, program_admin).get(reverse("succession:role-list")).content.decode()
    for title in ("Head of Operations", "Team lead", "Chief of staff", "Desk lead"):
        assert title in page
    assert page.count("badge-danger") == 1  # the team lead role only


def test_the_chain_above_the_incumbent_sees_the_role_but_not_its_own(client, org, roles):
    page = _login(client, org.ceo.user).get(reverse("succession:role-list")).content.decode()
    assert "Head of Operations" in page and "Team lead" in page and "Chief of staff" not in page
    # The manager holds "Head of Operations" and is a candidate for "Chief of staff".
    page = _login(client, org.manager.user).get(reverse("succession:role-list")).content.decode()
    assert "Team lead" in page and "Head of Operations" not in page and "Chief of staff" not in page
    assert client.get(reverse("succession:role-detail", args=[roles.ops.pk])).status_code == 404
    assert client.get(reverse("succession:role-detail", args=[roles.board.pk])).status_code == 404
    api = token_client(org.manager.user)
    assert [r["title"] for r in api.get("/api/v1/succession/roles").json()["items"]] == [
        "Team lead"
    ]


@pytest.mark.parametrize("who", ["report", "outsider", "executive"])
def test_candidates_peers_and_executives_see_no_slate(client, org, roles, who):
    user = getattr(org, who).user
    _login(client, user)
    assert client.get(reverse("succession:role-list")).status_code == 404
    api = token_client(user)
    assert api.get("/api/v1/succession/roles").json()["items"] == []
    for role in (roles.ops, roles.team, roles.board, roles.desk):
        assert client.get(reverse("succession:role-detail", args=[role.pk])).status_code == 404
        assert api.get(f"/api/v1/succession/roles/{role.pk}/slate").status_code == 404
    data = {"person": org.report.pk, "readiness": "ready_now"}
    assert (
        client.post(reverse("succession:successor-add", args=[roles.team.pk]), data).status_code
        == 404
    )
    assert (
        client.post(reverse("succession:successor-remove", args=[roles.ready.pk])).status_code
        == 404
    )
    assert api.delete(f"/api/v1/succession/successors/{roles.ready.pk}").status_code == 404
    assert Successor.objects.count() == 2


def test_the_role_page_draws_the_succession_chart(client, program_admin, roles):
    page = _login(client, program_admin).get(reverse("succession:role-detail", args=[roles.ops.pk]))
    text = page.content.decode()
    assert "Succession chart" in text and "Max Manager" in text and "Rita Report" in text
    assert 'aria-label="Ready now"' in text


def test_a_manager_adds_a_successor_from_their_line_at_a_rank(client, org, roles):
    newcomer = PersonFactory(
        first_name="Nia", last_name="New", level="emerging", manager=org.manager
    )
    add(roles.team, PersonFactory(level="emerging", manager=org.manager), "three_plus_years")  # noqa: F405
    _login(client, org.manager.user)
    response = client.post(
        reverse("succession:successor-add", args=[roles.team.pk]),
        {"person": newcomer.pk, "readiness": "ready_now", "rank": 1},
    )
    assert response.status_code == 302
    slate = list(Successor.objects.filter(role=roles.team).order_by("rank"))
    assert slate[0].person_id == newcomer.pk and [s.rank for s in slate] == [1, 2]
    page = client.get(reverse("succession:role-detail", args=[roles.team.pk])).content.decode()
    assert "#1 Nia New" in page


def test_bad_input_gives_field_errors_and_writes_nothing(client, org, program_admin, roles):
    _login(client, program_admin)
    url = reverse("succession:successor-add", args=[roles.ops.pk])
    response = client.post(url, {"person": org.manager.pk, "readiness": "someday"})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="id_person_error"' in text and 'id="id_readiness_error"' in text
    response = client.post(
        url, {"person": org.report.pk, "readiness": "ready_now"}
    )  # already on it
    assert response.status_code == 422
    api = token_client(program_admin)
    response = api.post(
        f"/api/v1/succession/roles/{roles.ops.pk}/slate",
        {"person_id": org.manager.pk, "readiness": "ready_now"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "person_id"]
    response = api.post(
        f"/api/v1/succession/roles/{roles.ops.pk}/slate",
        {"person_id": org.ceo.pk, "readiness": "soon"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Successor.objects.filter(role=roles.ops).count() == 1


def test_the_api_ranks_and_removes_successors(org, program_admin, roles):
    api = token_client(program_admin)
    second = PersonFactory(level="mid", manager=org.ceo)
    created = api.post(
        f"/api/v1/succession/roles/{roles.ops.pk}/slate",
        {"person_id": second.pk, "readiness": "one_two_years"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["rank"] == 2
    moved = api.patch(
        f"/api/v1/succession/successors/{created.json()['id']}",
        {"rank": 1, "readiness": "ready_now"},
        content_type="application/json",
    )
    assert moved.json()["rank"] == 1 and moved.json()["readiness"] == "ready_now"
    slate = api.get(f"/api/v1/succession/roles/{roles.ops.pk}/slate").json()
    assert [s["person_id"] for s in slate] == [second.pk, org.report.pk]
    assert api.delete(f"/api/v1/succession/successors/{created.json()['id']}").status_code == 204
    assert api.get(f"/api/v1/succession/roles/{roles.ops.pk}/slate").json()[0]["rank"] == 1


def test_a_development_action_lands_on_the_candidates_plan(
    client, org, program_admin, roles, program
):
    plan = enroll(program, org.report)
    _login(client, program_admin)
    response = client.post(
        reverse("succession:action-add", args=[roles.ready.pk]),
        {f"a{roles.ready.pk}-kind": "stretch", f"a{roles.ready.pk}-description": "Run the Q3 plan"},
    )
    assert response.status_code == 302
    action = DevelopmentAction.objects.get()
    assert action.plan == plan and action.successor == roles.ready
    api = token_client(program_admin)
    response = api.patch(
        f"/api/v1/succession/actions/{action.pk}",
        {"status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    bad = api.post(
        f"/api/v1/succession/successors/{roles.ready.pk}/actions",
        {"kind": "course", "description": "x", "link": "javascript:alert(1)"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "link"
    assert DevelopmentAction.objects.count() == 1


def test_the_plan_panel_shows_actions_only_to_those_who_see_the_slate(
    client, org, program_admin, roles, program
):
    plan = enroll(program, org.report)
    DevelopmentAction.objects.create(
        successor=roles.ready, kind="coaching", description="Six sessions"
    )
    url = reverse("programs:plan-detail", args=[plan.pk])
    assert "Six sessions" in _login(client, program_admin).get(url).content.decode()
    assert "Six sessions" in _login(client, org.ceo.user).get(url).content.decode()
    # The candidate sees their plan, not the slate; their manager is the incumbent.
    assert "Six sessions" not in _login(client, org.report.user).get(url).content.decode()
    assert "Six sessions" not in _login(client, org.manager.user).get(url).content.decode()


def test_admins_create_and_change_roles_and_others_may_not(client, org, program_admin, roles):
    api = token_client(program_admin)
    created = api.post(
        "/api/v1/succession/roles",
        {
            "title": "Head of Sales",
            "level": "senior",
            "incumbent_id": org.ceo.pk,
            "risk_of_loss": "high",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    bad = api.post(
        "/api/v1/succession/roles",
        {"title": "X", "level": "senior", "vacancy_expected_on": "2027-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "vacancy_reason"
    patched = api.patch(
        f"/api/v1/succession/roles/{created.json()['id']}",
        {"risk_of_loss": "low"},
        content_type="application/json",
    )
    assert patched.json()["risk_of_loss"] == "low" and patched.json()["incumbent_id"] == org.ceo.pk
    ceo = token_client(org.ceo.user)
    assert (
        ceo.post(
            "/api/v1/succession/roles",
            {"title": "Y", "level": "mid"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        ceo.patch(
            f"/api/v1/succession/roles/{roles.ops.pk}",
            {"title": "Z"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert ceo.delete(f"/api/v1/succession/roles/{roles.ops.pk}").status_code == 403
    _login(client, org.ceo.user)
    assert client.get(reverse("succession:role-new")).status_code == 404
    assert client.get(reverse("succession:role-edit", args=[roles.ops.pk])).status_code == 403
    _login(client, program_admin)
    response = client.post(
        reverse("succession:role-new"),
        {"title": "", "level": "mid", "impact_of_loss": "high", "risk_of_loss": "low"},
    )
    assert response.status_code == 200 and 'id="id_title_error"' in response.content.decode()
    assert CriticalRole.objects.count() == 5
    response = client.post(
        reverse("succession:role-new"),
        {
            "title": "COO",
            "level": "senior",
            "impact_of_loss": "high",
            "risk_of_loss": "low",
            "active": "on",
        },
    )
    assert response.status_code == 302 and CriticalRole.objects.count() == 6


def test_the_role_list_runs_a_fixed_number_of_queries(
    client, program_admin, roles, django_assert_max_num_queries
):
    _login(client, program_admin)
    with django_assert_max_num_queries(12):
        client.get(reverse("succession:role-list"))
    for index in range(5):
        CriticalRole.objects.create(title=f"Extra {index}", level="mid", incumbent=PersonFactory())
    with django_assert_max_num_queries(12):
        client.get(reverse("succession:role-list"))


def test_a_successor_and_an_action_read_one_by_one_with_the_same_rule(org, program_admin, roles):
    action = DevelopmentAction.objects.create(
        successor=roles.ready, kind="course", description="Finance"
    )
    admin = token_client(program_admin)
    assert (
        admin.get(f"/api/v1/succession/successors/{roles.ready.pk}").json()["actions"][0]["id"]
        == action.pk
    )
    assert admin.get(f"/api/v1/succession/actions/{action.pk}").json()["description"] == "Finance"
    candidate = token_client(org.report.user)
    assert candidate.get(f"/api/v1/succession/successors/{roles.ready.pk}").status_code == 404
    assert candidate.get(f"/api/v1/succession/actions/{action.pk}").status_code == 404
