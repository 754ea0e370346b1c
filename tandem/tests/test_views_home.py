from tandem.accounts.models import Role
from tandem.tests.factories import UserFactory


def test_it_redirects_anonymous_users_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_greets_a_person_and_shows_their_roles(client, org):
    client.force_login(org.executive.user)
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Welcome, Eve" in content
    assert response.context["roles"] == ["Executive viewer"]
    assert f'href="/people/{org.executive.pk}/"' in content


def test_it_counts_a_manager_as_a_manager(client, org):
    client.force_login(org.manager.user)
    assert client.get("/").context["roles"] == ["Manager"]


def test_it_shows_an_admin_what_only_admins_can_do(client, program_admin):
    client.force_login(program_admin)
    response = client.get("/")
    content = response.content.decode()
    assert response.context["roles"] == ["Program admin"]
    for href in ("/people/", "/people/org-chart/", "/people/import/", "/accounts/tokens/"):
        assert f'class="card link-card" href="{href}"' in content
    assert 'href="/api/v1/docs"' in content


def test_it_shows_others_only_what_they_can_use(client, org):
    client.force_login(org.report.user)
    content = client.get("/").content.decode()
    assert 'href="/people/import/"' not in content
    assert 'href="/admin/"' not in content
    assert 'class="card link-card" href="/people/"' in content


def test_it_says_when_there_are_no_roles(client, db):
    client.force_login(UserFactory())
    content = client.get("/").content.decode()
    assert "You have no roles yet" in content
    assert "not linked to a person" in content


def test_it_links_staff_to_the_django_admin(client, db):
    client.force_login(UserFactory(is_staff=True, roles=[Role.PROGRAM_ADMIN]))
    assert b'href="/admin/"' in client.get("/").content


def test_it_marks_the_current_section_in_the_navigation(client, org):
    client.force_login(org.manager.user)
    content = client.get(f"/people/{org.report.pk}/").content.decode()
    assert '<a href="/people/" aria-current="page">' in content
    assert '<a href="/people/org-chart/" aria-current="page">' not in content


def test_it_explains_a_403_in_the_products_own_page(client, org):
    client.force_login(org.manager.user)
    response = client.get(f"/people/{org.report.pk}/edit/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You don\u2019t have access to this" in content
    assert "Only program admins can change people." in content
