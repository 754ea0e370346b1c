import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Role
from tandem.tests.factories import PersonFactory, UserFactory, make_user_for

URL = "/people/org-chart/"
HTMX = {"HX-Request": "true"}


def roots(response):
    return [node.person.full_name for node in response.context["nodes"]]


def reports_url(person):
    return f"/people/{person.pk}/reports/"


def test_it_redirects_anonymous_users_to_login(client, org):
    for url in (URL, reports_url(org.ceo)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_starts_at_the_top_of_the_tree_for_a_program_admin(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert roots(response) == ["Cora Chief", "Eve Exec"]
    ceo = response.context["nodes"][0]
    # The first level below the top comes with the page.
    assert [n.person.full_name for n in ceo.reports] == ["Max Manager", "Otto Outsider"]
    assert ceo.person.report_count == 2
    content = response.content.decode()
    assert "2 direct reports" in content
    # Deeper levels load on demand from the person's branch URL.
    assert f'hx-get="{reports_url(org.manager)}"' in content


def test_it_starts_at_the_viewer_for_everyone_else(client, org):
    client.force_login(org.manager.user)
    response = client.get(URL)
    assert roots(response) == ["Max Manager"]
    assert [n.person.full_name for n in response.context["nodes"][0].reports] == ["Rita Report"]
    assert b"Cora Chief" not in response.content
    assert b"Otto Outsider" not in response.content


def test_it_shows_the_executive_viewer_only_themselves(client, org):
    client.force_login(org.executive.user)
    response = client.get(URL)
    assert roots(response) == ["Eve Exec"]
    assert response.context["nodes"][0].reports == []
    assert b"direct report" not in response.content


def test_it_tells_an_account_without_a_person_why_the_chart_is_empty(client, db):
    client.force_login(UserFactory(roles=[Role.MENTOR]))
    response = client.get(URL)
    assert response.status_code == 200
    assert b"You are not in the org chart" in response.content


def test_it_loads_a_branch_of_direct_reports_for_htmx(client, org):
    client.force_login(org.ceo.user)
    response = client.get(reports_url(org.manager), headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rita Report" in content
    assert "<html" not in content


def test_it_sends_a_browser_without_javascript_to_the_person_page(client, org):
    client.force_login(org.ceo.user)
    response = client.get(reports_url(org.manager))
    assert response.status_code == 302
    assert response["Location"] == f"/people/{org.manager.pk}/#reports"


def test_it_hides_branches_outside_the_reporting_line(client, org):
    client.force_login(org.outsider.user)
    assert client.get(reports_url(org.manager), headers=HTMX).status_code == 404
    assert client.get(reports_url(org.report), headers=HTMX).status_code == 404
    assert client.get(reports_url(org.ceo), headers=HTMX).status_code == 404


def test_it_does_not_let_a_report_open_their_managers_branch(client, org):
    client.force_login(org.report.user)
    assert client.get(reports_url(org.manager), headers=HTMX).status_code == 404


def test_it_hides_the_executive_viewer_from_other_branches(client, org):
    client.force_login(org.executive.user)
    assert client.get(reports_url(org.ceo), headers=HTMX).status_code == 404


def test_it_leaves_out_people_who_left(client, org, program_admin):
    PersonFactory(
        first_name="Lea",
        last_name="Left",
        manager=org.manager,
        exit_date=datetime.date(2024, 1, 31),
        exit_type="voluntary",
    )
    client.force_login(program_admin)
    response = client.get(URL)
    manager = next(n for n in response.context["nodes"][0].reports if n.person == org.manager)
    assert manager.person.report_count == 1
    assert b"Lea Left" not in client.get(reports_url(org.manager), headers=HTMX).content


def _queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries)


def test_it_runs_the_same_number_of_queries_for_any_team_size(client, db):
    boss = PersonFactory()
    user = make_user_for(boss)
    for person in PersonFactory.create_batch(3, manager=boss):
        PersonFactory(manager=person)
    client.force_login(user)
    few_chart = _queries(client, URL)
    few_branch = _queries(client, reports_url(boss), headers=HTMX)
    for person in PersonFactory.create_batch(30, manager=boss):
        PersonFactory.create_batch(2, manager=person)
    assert _queries(client, URL) == few_chart
    assert _queries(client, reports_url(boss), headers=HTMX) == few_branch
