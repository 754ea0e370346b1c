"""Helpers for the API's tests: a client that presents a bearer token."""

from django.test import Client

from tandem.accounts.models import ApiToken, User


def token_client(user: User, **kwargs: object) -> Client:
    """A test client authenticated as `user` with a fresh personal API token."""
    _, raw = ApiToken.issue(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"}, **kwargs)  # type: ignore[arg-type]
