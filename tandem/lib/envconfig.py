"""Reading configuration from environment variables."""

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlparse

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""


_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def parse_email_url(url: str) -> EmailConfig:
    """`smtp://user:password@host:587?tls=true`, `smtps://…` (implicit TLS),
    `console://`, `file:///var/mail`, `locmem://`, `dummy://`."""
    parts = urlparse(url)
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise ValueError(f"EMAIL_URL scheme must be one of {sorted(_BACKENDS)}, not {scheme!r}")
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    if scheme == "file":
        return EmailConfig(backend=_BACKENDS[scheme], file_path=parts.path)
    if scheme not in ("smtp", "smtps"):
        return EmailConfig(backend=_BACKENDS[scheme])
    use_ssl = scheme == "smtps" or query.get("ssl") in _TRUE
    return EmailConfig(
        backend=_BACKENDS[scheme],
        host=parts.hostname or "localhost",
        port=parts.port or (465 if use_ssl else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=query.get("tls") in _TRUE,
        use_ssl=use_ssl,
    )
