import pytest


@pytest.mark.django_db
def test_it_serves_the_login_page(client):
    assert client.get("/accounts/login/").status_code == 200


def test_it_lists_the_directory_for_a_manager(client, org):
    client.force_login(org.manager.user)
    response = client.get("/people/")
    assert response.status_code == 200
