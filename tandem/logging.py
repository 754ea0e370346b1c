"""Structured logs: one JSON object per line (LOG_FORMAT=json), a request id on every
line logged while a request is served, one access line per request, and no secret
(token, rater or pulse link, calendar feed URL) in any line.

The access line (logger `tandem.request`) carries method, path, status and duration;
with LOG_FORMAT=plain the same fields follow the message as key=value pairs.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Links and tokens that are credentials: the token in them is replaced before logging.
_SECRETS = [
    (re.compile(r"(/rate/)[^/\s?\"']+"), r"\1[token]"),
    (re.compile(r"(/pulses/answer/)[^/\s?\"']+"), r"\1[token]"),
    (re.compile(r"(/calendar/)[^/\s?\"']+(\.ics)"), r"\1[token]\2"),
    (re.compile(r"\b(tdm_|tcal_)[A-Za-z0-9_\-]+"), r"\1[token]"),
]

# Fields a request adds to its access line (`extra=`), in the order they print.
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")

# An id from the proxy in front is kept (one id across both logs) if it looks like one.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RequestContextFilter(logging.Filter):
    """Stamps every record with the id of the request being served (if any) and
    redacts credentials from its message, whatever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the
    request fields when there are any, and the exception's traceback if one was logged."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                entry[field] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


class PlainFormatter(logging.Formatter):
    """Human-readable lines for a terminal; request fields as key=value after the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        pairs = [
            f"{field}={getattr(record, field)}"
            for field in REQUEST_FIELDS
            if getattr(record, field, None) not in (None, "")
        ]
        return " ".join([line, *pairs]) if pairs else line


access_log = logging.getLogger("tandem.request")


class RequestLogMiddleware:
    """Gives each request an id (the proxy's X-Request-ID if sane, else a new one),
    returns it in the X-Request-ID header, and logs one access line when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            path = redact(request.path)
            access_log.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
