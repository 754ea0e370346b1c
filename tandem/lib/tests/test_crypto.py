import pytest
from cryptography.fernet import Fernet

from tandem.lib import crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_it_round_trips_text():
    token = crypto.encrypt("coaching note: é ✓", [NEW])
    assert token != "coaching note: é ✓"
    assert crypto.decrypt(token, [NEW]) == "coaching note: é ✓"


def test_it_reads_old_ciphertext_after_a_key_rotation():
    token = crypto.encrypt("before rotation", [OLD])
    assert crypto.decrypt(token, [NEW, OLD]) == "before rotation"
    rotated = crypto.rotate(token, [NEW, OLD])
    assert crypto.decrypt(rotated, [NEW]) == "before rotation"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(rotated, [OLD])


def test_it_refuses_missing_or_malformed_keys():
    with pytest.raises(crypto.EncryptionKeyError):
        crypto.encrypt("x", [])
    with pytest.raises(crypto.EncryptionKeyError):
        crypto.encrypt("x", ["not-a-key"])
