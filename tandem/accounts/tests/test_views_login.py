from django.conf import settings

from tandem.accounts.models import LoginAttempt
from tandem.tests.factories import UserFactory

URL = "/accounts/login/"
PASSWORD = "correct horse battery staple"


def signed_in(client):
    return "_auth_user_id" in client.session


def test_it_serves_the_login_page_with_a_way_to_reset_the_password(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sign in to Tandem" in content
    assert '<label for="id_username">' in content
    assert 'href="/accounts/password-reset/">Forgot your password?</a>' in content


def test_it_signs_in_and_goes_home(client, db):
    UserFactory(username="ada")
    response = client.post(URL, {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in(client)


def test_it_returns_to_the_page_that_asked_for_a_login(client, db):
    UserFactory(username="ada")
    response = client.post(URL, {"username": "ada", "password": PASSWORD, "next": "/people/"})
    assert response["Location"] == "/people/"


def test_it_refuses_a_wrong_password(client, db):
    UserFactory(username="ada")
    response = client.post(URL, {"username": "ada", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert not signed_in(client)
    assert LoginAttempt.objects.filter(username="ada", succeeded=False).count() == 1


def test_it_locks_the_account_after_too_many_failures(client, db):
    UserFactory(username="ada")
    for _ in range(settings.TANDEM_LOGIN_MAX_FAILURES):
        client.post(URL, {"username": "ada", "password": "wrong"})
    response = client.post(URL, {"username": "ada", "password": PASSWORD})
    assert not signed_in(client)
    assert b"Too many failed sign-in attempts" in response.content


def test_it_locks_out_whatever_the_case_of_the_username(client, db):
    UserFactory(username="ada")
    for _ in range(settings.TANDEM_LOGIN_MAX_FAILURES):
        client.post(URL, {"username": "ADA", "password": "wrong"})
    client.post(URL, {"username": "ada", "password": PASSWORD})
    assert not signed_in(client)


def test_it_sends_a_signed_in_user_home(client, db):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_signs_out_with_a_post_only(client, db):
    client.force_login(UserFactory())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert not signed_in(client)
