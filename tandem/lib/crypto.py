"""Encryption of confidential text at rest with rotatable Fernet keys.

Keys are given newest first. Encryption always uses the newest; decryption tries
each, so old ciphertext stays readable while a rotation is under way, and
`rotate()` re-encrypts a value under the newest key.
"""

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class EncryptionKeyError(ValueError):
    """The configured keys are missing or not valid Fernet keys."""


def cipher(keys: Sequence[str]) -> MultiFernet:
    if not keys:
        raise EncryptionKeyError("No encryption keys configured (TANDEM_ENCRYPTION_KEYS).")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise EncryptionKeyError(f"An encryption key is not a valid Fernet key: {error}") from None


def encrypt(text: str, keys: Sequence[str]) -> str:
    return cipher(keys).encrypt(text.encode()).decode()


def decrypt(token: str, keys: Sequence[str]) -> str:
    """Raises InvalidToken when no configured key opens it (never returns garbage)."""
    return cipher(keys).decrypt(token.encode()).decode()


def rotate(token: str, keys: Sequence[str]) -> str:
    return cipher(keys).rotate(token.encode()).decode()


__all__ = ["EncryptionKeyError", "InvalidToken", "cipher", "decrypt", "encrypt", "rotate"]
