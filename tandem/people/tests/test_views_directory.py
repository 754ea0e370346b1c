import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Role, UserRole
from tandem.people.models import OrgUnit
from tandem.tests.factories import OrgUnitFactory, PersonFactory, UserFactory

URL = "/people/"


def names(response):
    return {person.full_name for person in response.context["page"]}


def test_it_redirects_anonymous_users_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_everyone_for_a_program_admin(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == {
        "Cora Chief",
        "Max Manager",
        "Rita Report",
        "Otto Outsider",
        "Eve Exec",
    }
    assert b"New person" in response.content


def test_it_shows_a_participant_only_themselves_and_their_reporting_line(client, org):
    UserRole.objects.create(user=org.manager.user, role=Role.PARTICIPANT)
    client.force_login(org.manager.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == {"Max Manager", "Rita Report"}
    assert b"Otto Outsider" not in response.content
    assert b"New person" not in response.content


def test_it_shows_the_whole_reporting_line_to_the_top_manager(client, org):
    client.force_login(org.ceo.user)
    response = client.get(URL)
    assert names(response) == {"Cora Chief", "Max Manager", "Rita Report", "Otto Outsider"}


def test_it_shows_the_executive_viewer_only_themselves(client, org):
    client.force_login(org.executive.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == {"Eve Exec"}


def test_it_tells_an_account_without_a_person_how_to_get_linked(client, db):
    client.force_login(UserFactory(roles=[Role.COACH]))
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == set()
    assert b"Your account is not linked to a person" in response.content


def test_it_searches_names_titles_and_emails(client, org, program_admin):
    client.force_login(program_admin)
    assert names(client.get(URL, {"q": "rita"})) == {"Rita Report"}
    assert names(client.get(URL, {"q": "max man"})) == {"Max Manager"}
    assert names(client.get(URL, {"q": org.outsider.email})) == {"Otto Outsider"}


def test_it_searches_only_within_what_the_viewer_may_see(client, org):
    client.force_login(org.manager.user)
    assert names(client.get(URL, {"q": "Otto"})) == set()


def test_it_filters_by_unit_including_the_units_below(client, org, program_admin):
    sales = OrgUnitFactory(name="Sales")
    emea = OrgUnitFactory(name="EMEA", parent=sales)
    PersonFactory(first_name="Sam", last_name="Sales", org_unit=sales)
    PersonFactory(first_name="Emma", last_name="Emea", org_unit=emea)
    client.force_login(program_admin)
    assert names(client.get(URL, {"unit": sales.pk})) == {"Sam Sales", "Emma Emea"}
    assert names(client.get(URL, {"unit": emea.pk})) == {"Emma Emea"}


def test_it_lists_units_as_a_tree_in_the_filter(client, org, program_admin):
    OrgUnitFactory(name="EMEA", parent=OrgUnitFactory(name="Sales"))
    client.force_login(program_admin)
    content = client.get(URL).content.decode()
    assert "All units" in content
    assert ">Sales<" in content
    assert "\u2003EMEA<" in content


def test_it_filters_by_level(client, org, program_admin):
    client.force_login(program_admin)
    assert names(client.get(URL, {"level": "senior"})) == {"Cora Chief", "Eve Exec"}


def test_it_combines_search_and_filters(client, org, program_admin):
    client.force_login(program_admin)
    assert names(client.get(URL, {"level": "senior", "q": "eve"})) == {"Eve Exec"}


def test_it_hides_people_who_left_unless_asked(client, org, program_admin):
    PersonFactory(
        first_name="Lea",
        last_name="Left",
        exit_date=datetime.date(2023, 5, 1),
        exit_type="voluntary",
    )
    client.force_login(program_admin)
    assert "Lea Left" not in names(client.get(URL))
    response = client.get(URL, {"include_left": "on"})
    assert "Lea Left" in names(response)
    assert b"Left</span>" in response.content


def test_it_reports_a_bad_filter_value_next_to_its_field(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(URL, {"level": "wizard", "q": "rita"})
    assert response.status_code == 400
    assert "level" in response.context["form"].errors
    # The valid part of the query still applies: never more than was asked for.
    assert names(response) == {"Rita Report"}


def test_it_paginates_fifty_people_per_page(client, program_admin):
    PersonFactory.create_batch(53, last_name="Many")
    client.force_login(program_admin)
    first = client.get(URL)
    assert len(first.context["page"]) == 50
    assert b"page 1 of 2" in first.content
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"]) == 3
    assert client.get(URL, {"page": 99}).context["page"].number == 2


def test_it_keeps_the_filters_in_the_page_links(client, program_admin):
    PersonFactory.create_batch(51, level="mid")
    client.force_login(program_admin)
    response = client.get(URL, {"level": "mid", "q": ""})
    assert b'href="?level=mid&amp;q=&amp;page=2"' in response.content


def test_it_returns_only_the_results_to_an_htmx_search(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(
        URL, {"q": "rita"}, headers={"HX-Request": "true", "HX-Target": "directory-results"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rita Report" in content
    assert "<html" not in content
    assert 'role="search"' not in content
    assert "HX-Request" in response["Vary"]


def test_it_returns_the_whole_page_when_htmx_restores_history(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(
        URL,
        headers={
            "HX-Request": "true",
            "HX-Target": "directory-results",
            "HX-History-Restore-Request": "true",
        },
    )
    assert b"<html" in response.content


def test_it_says_what_to_do_when_nothing_matches(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(URL, {"q": "nobody-by-that-name"})
    assert b"No one matches" in response.content
    assert b"Clear search and filters" in response.content


def test_it_offers_an_import_when_the_organization_is_empty(client, program_admin):
    client.force_login(program_admin)
    response = client.get(URL)
    assert b"No people yet" in response.content
    assert b"/people/import/" in response.content


def _queries_for(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(queries), len(response.context["page"])


def test_it_runs_the_same_number_of_queries_for_10_or_50_rows(client, program_admin):
    unit = OrgUnitFactory(name="Research")
    boss = PersonFactory(org_unit=unit)
    PersonFactory.create_batch(9, manager=boss, org_unit=unit)
    client.force_login(program_admin)
    few, rows = _queries_for(client, {"unit": unit.pk})
    assert rows == 10
    PersonFactory.create_batch(40, manager=boss, org_unit=OrgUnit.objects.get(pk=unit.pk))
    many, rows = _queries_for(client, {"unit": unit.pk})
    assert rows == 50
    assert many == few


def test_it_runs_the_same_number_of_queries_for_25_or_100_rows_a_page(client, program_admin):
    PersonFactory.create_batch(120)
    client.force_login(program_admin)
    few, rows = _queries_for(client, {"per_page": 25})
    assert rows == 25
    many, rows = _queries_for(client, {"per_page": 100})
    assert rows == 100
    assert many == few


def test_it_reports_an_unsupported_page_size_next_to_the_field(client, program_admin):
    PersonFactory.create_batch(3)
    client.force_login(program_admin)
    response = client.get(URL, {"per_page": 100000})
    assert response.status_code == 400
    assert "per_page" in response.context["form"].errors
    assert len(response.context["page"]) == 3


def test_it_runs_the_same_number_of_queries_for_a_manager_with_a_big_team(client, db):
    boss = PersonFactory()
    from tandem.tests.factories import make_user_for

    user = make_user_for(boss)
    PersonFactory.create_batch(9, manager=boss)
    client.force_login(user)
    few, rows = _queries_for(client)
    assert rows == 10
    PersonFactory.create_batch(40, manager=boss)
    many, rows = _queries_for(client)
    assert rows == 50
    assert many == few
