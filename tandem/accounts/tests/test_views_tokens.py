import datetime

from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.tests.factories import UserFactory

URL = "/accounts/tokens/"


def revoke_url(token):
    return f"/accounts/tokens/{token.pk}/revoke/"


def test_it_redirects_anonymous_users_to_login(client, db):
    token, _raw = ApiToken.issue(user=UserFactory(), name="sync")
    for response in (client.get(URL), client.post(revoke_url(token))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_says_what_to_do_with_no_tokens(client, db):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert b"No tokens yet" in response.content


def test_it_lists_only_the_users_own_tokens(client, db):
    user = UserFactory()
    ApiToken.issue(user=user, name="mine")
    ApiToken.issue(user=UserFactory(), name="theirs")
    client.force_login(user)
    response = client.get(URL)
    assert [t.name for t in response.context["tokens"]] == ["mine"]
    assert b"theirs" not in response.content


def test_it_creates_a_token_shown_once_and_stores_only_its_hash(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"name": "HRIS sync", "expires_at": ""})
    assert response.status_code == 200
    raw = response.context["new_key"]
    assert raw.startswith("tdm_")
    assert raw.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "HRIS sync"
    assert raw not in (token.key_hash, token.key_prefix)
    assert ApiToken.objects.authenticate(raw) == user
    # Never again.
    assert raw.encode() not in client.get(URL).content


def test_it_rejects_a_token_without_a_name(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"name": "", "expires_at": ""})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_rejects_an_expiry_in_the_past(client, db):
    client.force_login(UserFactory())
    response = client.post(URL, {"name": "old", "expires_at": "2001-01-01T10:00"})
    assert response.status_code == 400
    assert b"Choose a time in the future." in response.content
    assert not ApiToken.objects.exists()


def test_it_shows_expired_and_revoked_tokens_as_such(client, db):
    user = UserFactory()
    expired, _ = ApiToken.issue(user=user, name="old")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    revoked, _ = ApiToken.issue(user=user, name="gone")
    revoked.revoke()
    client.force_login(user)
    content = client.get(URL).content.decode()
    assert "Expired" in content
    assert "Revoked" in content
    assert revoke_url(revoked) not in content


def test_it_revokes_a_token(client, db):
    user = UserFactory()
    token, raw = ApiToken.issue(user=user, name="sync")
    client.force_login(user)
    response = client.post(revoke_url(token), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Token “sync” revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.authenticate(raw) is None


def test_it_revokes_only_with_a_post(client, db):
    user = UserFactory()
    token, _raw = ApiToken.issue(user=user, name="sync")
    client.force_login(user)
    assert client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_cannot_revoke_another_users_token(client, db):
    token, raw = ApiToken.issue(user=UserFactory(), name="theirs")
    client.force_login(UserFactory())
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.authenticate(raw) is not None
