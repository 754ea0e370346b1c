"""The plan templates per leader level: program admins list and edit them; everyone
else is refused. A new plan starts from its level's template."""

import re

import pytest
from django.urls import reverse

from tandem.programs.models import PlanTemplate
from tandem.tests.factories import enroll, running_program

LIST = reverse("programs:template-list")


@pytest.fixture
def mid(db):
    return PlanTemplate.objects.get(level="mid")


def edit_url(template):
    return reverse("programs:template-edit", args=[template.pk])


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_lists_a_template_per_level_for_program_admins(client, program_admin):
    client.force_login(program_admin)
    response = client.get(LIST)
    assert response.status_code == 200
    page = text(response)
    for title in PlanTemplate.objects.values_list("title", flat=True):
        assert title in page
    assert "Team dynamics, Communication, Navigating competing priorities" in page


def test_it_shows_the_lines_one_per_line(client, program_admin, mid):
    client.force_login(program_admin)
    page = client.get(edit_url(mid)).content.decode()
    assert "Team dynamics\nCommunication\nNavigating competing priorities</textarea>" in page


def test_it_saves_focus_areas_and_suggested_goals_one_per_line(client, program_admin, mid):
    client.force_login(program_admin)
    response = client.post(
        edit_url(mid),
        {
            "title": "Mid-level managers",
            "focus_areas": "Team dynamics\r\n\r\n  Difficult conversations  \r\n",
            "suggested_goals": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    mid.refresh_from_db()
    assert mid.title == "Mid-level managers"
    assert mid.focus_areas == ["Team dynamics", "Difficult conversations"]
    assert mid.suggested_goals == []


def test_a_new_plan_starts_from_the_edited_template(client, org, program_admin):
    client.force_login(program_admin)
    emerging = PlanTemplate.objects.get(level="emerging")
    client.post(
        edit_url(emerging),
        {
            "title": emerging.title,
            "focus_areas": "Letting go of the old job",
            "suggested_goals": "",
        },
    )
    plan = enroll(running_program(), org.report)
    assert plan.focus_areas == ["Letting go of the old job"]


def test_it_needs_a_title_and_a_focus_area(client, program_admin, mid):
    client.force_login(program_admin)
    response = client.post(
        edit_url(mid), {"title": "", "focus_areas": " \n ", "suggested_goals": ""}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Give at least one focus area." in page
    assert 'id="id_title_error"' in page
    mid.refresh_from_db()
    assert mid.focus_areas == ["Team dynamics", "Communication", "Navigating competing priorities"]


def test_it_refuses_a_line_that_is_too_long(client, program_admin, mid):
    client.force_login(program_admin)
    response = client.post(
        edit_url(mid), {"title": "T", "focus_areas": "x" * 201, "suggested_goals": ""}
    )
    assert response.status_code == 400
    assert "Keep each line under 200 characters." in text(response)


@pytest.mark.parametrize("who", ["report", "manager", "ceo", "outsider", "executive"])
def test_it_refuses_everyone_but_program_admins(client, org, mid, who):
    client.force_login(getattr(org, who).user)
    assert client.get(LIST).status_code == 403
    assert client.get(edit_url(mid)).status_code == 403
    response = client.post(edit_url(mid), {"title": "Mine", "focus_areas": "x"})
    assert response.status_code == 403
    mid.refresh_from_db()
    assert mid.title != "Mine"


def test_it_sends_anonymous_visitors_to_the_login_page(client, mid):
    for target in (LIST, edit_url(mid)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_template_is_not_found(client, program_admin):
    client.force_login(program_admin)
    assert client.get(reverse("programs:template-edit", args=[999999])).status_code == 404
