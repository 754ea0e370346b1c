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


def _query_flag(query: dict[str, list[str]], name: str) -> bool:
    values = query.get(name)
    if not values:
        return False
    value = values[-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"EMAIL_URL option {name} must be true or false, not {values[-1]!r}")


def parse_email_url(url: str) -> EmailConfig:
    """`smtp://user:password@host:587?tls=true`, `smtps://…` (implicit TLS),
    `console://`, `file:///var/mail`, `locmem://`, `dummy://`.

    A misspelt option is an error rather than ignored: `?tsl=true` would otherwise
    send mail unencrypted without a word."""
    parts = urlparse(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise ValueError(f"EMAIL_URL scheme must be one of {sorted(_BACKENDS)}, not {scheme!r}")
    query = parse_qs(parts.query, keep_blank_values=True)
    allowed = {"tls", "ssl"} if scheme in ("smtp", "smtps") else set()
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise ValueError(f"EMAIL_URL has unknown option(s) for {scheme}: {', '.join(unknown)}")
    if scheme == "file":
        path = unquote(parts.path)
        if not path or parts.netloc:
            raise ValueError("EMAIL_URL file:// needs an absolute path, e.g. file:///var/mail")
        return EmailConfig(backend=_BACKENDS[scheme], file_path=path)
    if scheme not in ("smtp", "smtps"):
        return EmailConfig(backend=_BACKENDS[scheme])
    use_ssl = scheme == "smtps" or _query_flag(query, "ssl")
    use_tls = _query_flag(query, "tls")
    if use_ssl and use_tls:
        raise ValueError(
            "EMAIL_URL: choose implicit TLS (smtps:// or ssl=true) or STARTTLS (tls=true), not both"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"EMAIL_URL has an invalid port: {parts.netloc!r}") from None
    return EmailConfig(
        backend=_BACKENDS[scheme],
        host=parts.hostname or "localhost",
        port=port or (465 if use_ssl else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )
