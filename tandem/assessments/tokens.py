"""Rater links: single-use, unguessable, expiring tokens of which only a hash is kept.

A token carries 256 bits from `secrets`, so a fast hash is enough (nothing to
brute-force) and looking one up needs no throttling: guessing is hopeless.
"""

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse

# token_urlsafe(32) gives 43 characters; a little slack for other lengths.
MAX_TOKEN_LENGTH = 64


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def expiry_for(closes_on: date) -> datetime:
    """The end of the closing day, in UTC.

    Important: compare in UTC; rater links would otherwise expire at the rater's midnight.
    """
    return datetime.combine(closes_on + timedelta(days=1), time.min, tzinfo=UTC)


def rater_url(raw: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("assessments:rate", args=[raw])
