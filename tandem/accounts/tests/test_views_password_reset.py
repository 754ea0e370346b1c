import re

from django.core import mail

from tandem.tests.factories import UserFactory

URL = "/accounts/password-reset/"
NEW_PASSWORD = "a-new-and-long-passphrase-42"


def test_it_serves_the_reset_page(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Reset your password" in response.content


def test_it_emails_a_link_that_sets_a_new_password(client, db):
    user = UserFactory(username="ada", email="ada@example.com", first_name="Ada")
    response = client.post(URL, {"email": "ada@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert b"Check your email" in client.get(response["Location"]).content

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Reset your Tandem password"
    assert "Hello Ada," in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    assert b"Your password is changed" in client.get(response["Location"]).content

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert b"This link no longer works" in client.get(link, follow=True).content


def test_it_does_not_reveal_whether_an_address_has_an_account(client, db):
    response = client.post(URL, {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_it_rejects_a_forged_link(client, db):
    UserFactory()
    response = client.get("/accounts/reset/MQ/forged-token/", follow=True)
    assert b"This link no longer works" in response.content


def test_it_shows_password_rules_next_to_the_field(client, db):
    user = UserFactory(email="ada@example.com")
    client.post(URL, {"email": user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert 'id="id_new_password2_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")
