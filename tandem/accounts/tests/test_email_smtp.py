"""Email leaves through Django's real SMTP backend, configured from EMAIL_URL, to a
real SMTP server listening on loopback (aiosmtpd)."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tandem.lib.envconfig import parse_email_url
from tandem.tests.factories import UserFactory


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def _free_port() -> int:
    # aiosmtpd's controller cannot start on port 0, so ask the system for a free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_it_sends_the_password_reset_through_smtp(client, db, settings, smtp_server):
    inbox, port = smtp_server
    config = parse_email_url(f"smtp://tandem:secret@127.0.0.1:{port}")
    settings.EMAIL_BACKEND = config.backend
    settings.EMAIL_HOST, settings.EMAIL_PORT = config.host, config.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""  # the test server has no AUTH
    UserFactory(username="ada", email="ada@example.com", first_name="Ada")

    response = client.post("/accounts/password-reset/", {"email": "ada@example.com"})

    assert response.status_code == 302
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Reset your Tandem password"
    assert "/accounts/reset/" in message.get_payload()


def test_it_does_not_reveal_whether_an_address_has_an_account(client, db, settings, smtp_server):
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert inbox.messages == []
