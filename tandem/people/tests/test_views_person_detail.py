import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.people.models import ChangeKind, JobChange
from tandem.tests.factories import PersonFactory, make_user_for


def url(person):
    return f"/people/{person.pk}/"


def test_it_redirects_anonymous_users_to_login(client, org):
    response = client.get(url(org.report))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_a_person_their_own_page(client, org):
    client.force_login(org.report.user)
    response = client.get(url(org.report))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Rita Report</h1>" in content
    assert org.report.email in content
    assert "Emerging leader" in content
    assert "Active" in content


def test_it_shows_the_chain_above_the_viewer_as_names_only(client, org):
    client.force_login(org.manager.user)
    response = client.get(url(org.report))
    assert response.status_code == 200
    chain = [(manager.full_name, viewable) for manager, viewable in response.context["chain"]]
    assert chain == [("Cora Chief", False), ("Max Manager", True)]
    content = response.content.decode()
    assert f'href="{url(org.manager)}">Max Manager</a>' in content
    assert f'href="{url(org.ceo)}"' not in content


def test_it_links_the_whole_chain_for_a_program_admin(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(url(org.report))
    assert [viewable for _manager, viewable in response.context["chain"]] == [True, True]
    assert f'href="{url(org.ceo)}">Cora Chief</a>'.encode() in response.content


def test_it_lets_the_management_chain_open_the_page(client, org):
    for viewer in (org.manager, org.ceo):
        client.force_login(viewer.user)
        assert client.get(url(org.report)).status_code == 200


def test_it_hides_people_outside_the_reporting_line(client, org):
    client.force_login(org.outsider.user)
    assert client.get(url(org.manager)).status_code == 404
    assert client.get(url(org.report)).status_code == 404
    assert client.get(url(org.ceo)).status_code == 404


def test_it_hides_a_manager_from_their_report(client, org):
    client.force_login(org.report.user)
    assert client.get(url(org.manager)).status_code == 404


def test_it_hides_individuals_from_the_executive_viewer(client, org):
    client.force_login(org.executive.user)
    assert client.get(url(org.ceo)).status_code == 404
    assert client.get(url(org.report)).status_code == 404


def test_it_answers_404_in_the_products_own_page(client, org):
    client.force_login(org.outsider.user)
    response = client.get(url(org.manager))
    assert "We can\u2019t find that page" in response.content.decode()


def test_it_lists_direct_reports_still_employed(client, org):
    PersonFactory(
        first_name="Lea",
        last_name="Left",
        manager=org.manager,
        exit_date=datetime.date(2024, 2, 1),
        exit_type="voluntary",
    )
    client.force_login(org.ceo.user)
    response = client.get(url(org.manager))
    assert [p.full_name for p in response.context["reports"]] == ["Rita Report"]
    assert f'href="{url(org.report)}">Rita Report</a>'.encode() in response.content


def test_it_shows_the_job_history_with_promotions_highlighted(client, org):
    JobChange.objects.create(
        person=org.manager,
        kind=ChangeKind.HIRE,
        effective_date=datetime.date(2019, 3, 1),
        title="Analyst",
        level="emerging",
    )
    JobChange.objects.create(
        person=org.manager,
        kind=ChangeKind.PROMOTION,
        effective_date=datetime.date(2022, 7, 1),
        title="Team lead",
        level="mid",
        previous_title="Analyst",
        previous_level="emerging",
    )
    client.force_login(org.manager.user)
    content = client.get(url(org.manager)).content.decode()
    assert '<li class="is-promotion">' in content
    assert "Emerging leader → Mid-level manager" in content
    assert content.index("Promotion") < content.index("Hire")  # newest first


def test_it_shows_when_and_how_someone_left(client, org, program_admin):
    left = PersonFactory(
        first_name="Lea",
        last_name="Left",
        hire_date=datetime.date(2018, 1, 1),
        exit_date=datetime.date(2024, 2, 1),
        exit_type="involuntary",
    )
    client.force_login(program_admin)
    content = client.get(url(left)).content.decode()
    assert "Left on Feb. 1, 2024" in content
    assert "Involuntary" in content
    assert "6\xa0years, 1\xa0month" in content  # tenure ends on the exit date


def test_it_offers_edit_only_to_program_admins(client, org, program_admin):
    edit = f'href="/people/{org.report.pk}/edit/"'.encode()
    client.force_login(org.manager.user)
    assert edit not in client.get(url(org.report)).content
    client.force_login(program_admin)
    assert edit in client.get(url(org.report)).content


def test_it_runs_the_same_number_of_queries_however_long_the_record(client, db):
    top = PersonFactory()
    middle = PersonFactory(manager=top)
    person = PersonFactory(manager=middle)
    user = make_user_for(top)
    client.force_login(user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(person)).status_code == 200
        return len(queries)

    few = count()
    PersonFactory.create_batch(20, manager=person)
    for year in range(2000, 2020):
        JobChange.objects.create(
            person=person,
            kind=ChangeKind.TITLE_CHANGE,
            effective_date=datetime.date(year, 1, 1),
            org_unit=person.org_unit,
        )
    assert count() == few
