"""System checks for settings Tandem cannot run safely without."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from tandem.lib.crypto import EncryptionKeyError, cipher


def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Confidential notes are encrypted at rest: outside DEBUG, the keys must be set and
    valid, or the first note written would fail (or never be readable again)."""
    if settings.DEBUG:
        return []
    keys = settings.TANDEM_ENCRYPTION_KEYS
    if not keys:
        return [
            Error(
                "TANDEM_ENCRYPTION_KEYS is not set.",
                hint=(
                    "Set it to one or more Fernet keys, newest first, separated by commas. "
                    'Make one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"'
                ),
                id="tandem.E001",
            )
        ]
    try:
        cipher(keys)
    except EncryptionKeyError as error:
        return [
            Error(
                f"TANDEM_ENCRYPTION_KEYS: {error}",
                hint="A key is 32 url-safe base64-encoded bytes, from Fernet.generate_key().",
                id="tandem.E002",
            )
        ]
    return []
