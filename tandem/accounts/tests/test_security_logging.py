"""Structured logs (tandem.logging): LOG_FORMAT=json writes one JSON object per line
with time, level, logger and message; every request gets an id (returned as
X-Request-ID and stamped on every line logged while it is served) and one access line
with method, path, status and duration; credentials in URLs never reach a log."""

import json
import logging
import sys

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tandem.logging import JsonFormatter, RequestContextFilter, RequestLogMiddleware, redact
from tandem.tests.test_platform import production_env, tandem_command


class Collected(logging.Handler):
    """A handler like the console's (same filter, JSON lines) that keeps its lines."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[dict] = []
        self.addFilter(RequestContextFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines():
    handler = Collected()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)


def access_lines(lines):
    return [line for line in lines if line["logger"] == "tandem.request"]


def test_a_json_line_has_time_level_logger_and_message(log_lines):
    logging.getLogger("tandem.test").warning("Import of %s rows refused", 12)
    [line] = [line for line in log_lines if line["logger"] == "tandem.test"]
    assert line["level"] == "WARNING"
    assert line["message"] == "Import of 12 rows refused"
    assert line["time"].endswith("+00:00")
    assert "request_id" not in line  # logged outside any request


def test_a_logged_exception_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f.py", 1, "failed", None, None)
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in line["exception"]


@pytest.mark.django_db
class TestRequests:
    def test_each_request_gets_an_access_line_and_an_id(self, log_lines, program_admin):
        client = Client()
        client.force_login(program_admin)
        response = client.get("/accounts/tokens/")
        [line] = access_lines(log_lines)
        assert line["method"] == "GET"
        assert line["path"] == "/accounts/tokens/"
        assert line["status"] == 200
        assert line["duration_ms"] >= 0
        assert line["user_id"] == program_admin.pk
        assert line["request_id"] == response["X-Request-ID"]
        assert len(line["request_id"]) == 32

    def test_every_line_logged_during_a_request_carries_its_id(self, log_lines):
        def view(request):
            logging.getLogger("tandem.test").info("inside the view")
            return HttpResponse("ok")

        request = RequestFactory().get("/x/", headers={"X-Request-ID": "lb-7f3a"})
        response = RequestLogMiddleware(view)(request)
        logging.getLogger("tandem.test").info("after the request")

        inside, after = [line for line in log_lines if line["logger"] == "tandem.test"]
        assert inside["request_id"] == "lb-7f3a" == response["X-Request-ID"]
        assert access_lines(log_lines)[0]["request_id"] == "lb-7f3a"
        assert "request_id" not in after

    def test_a_strange_incoming_id_is_replaced(self, log_lines, db):
        response = Client().get("/healthz", headers={"X-Request-ID": "x\u2028" + "a" * 80})
        assert response["X-Request-ID"] != "x\u2028" + "a" * 80
        assert len(response["X-Request-ID"]) == 32

    def test_a_rater_link_is_logged_without_its_token(self, log_lines):
        token = "Qk8J2mZc1xWb7rPq0TnV5yHs3LdF9gAe6uIo4kRj2Mw"
        Client().get(reverse("assessments:rate", args=[token]))
        Client().get(reverse("calendar-feed", args=["tcal_" + token]))
        everything = json.dumps(log_lines)
        assert token not in everything
        paths = [line["path"] for line in access_lines(log_lines)]
        assert paths == ["/assessments/rate/[token]/", "/calendar/[token].ics"]

    def test_an_api_token_in_a_message_is_redacted(self, log_lines):
        logging.getLogger("tandem.test").info("client sent %s", "tdm_abcDEF123-_x")
        [line] = [line for line in log_lines if line["logger"] == "tandem.test"]
        assert line["message"] == "client sent tdm_[token]"


def test_djangos_own_error_lines_lose_the_token_too(log_lines):
    """A 500 on a rater link is logged by django.request with the path in the message."""
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", "/assessments/rate/Qk8J2mZc1xWb7rPq0TnV/"
    )
    [line] = [line for line in log_lines if line["logger"] == "django.request"]
    assert line["message"] == "Internal Server Error: /assessments/rate/[token]/"


def test_redact_leaves_ordinary_paths_alone():
    assert redact("/programs/12/plans/") == "/programs/12/plans/"
    assert redact("/impact/pulses/answer/abc123/") == "/impact/pulses/answer/[token]/"


@pytest.mark.own_process
class TestLogFormatSetting:
    def test_log_format_json_writes_json_lines(self, tmp_path):
        env = production_env(tmp_path, LOG_FORMAT="json")
        code = "import logging; logging.getLogger('tandem.ops').warning('disk at 91%')"
        result = tandem_command("shell", "-c", code, env=env)
        assert result.returncode == 0, result.stderr
        [line] = [json.loads(text) for text in result.stderr.splitlines() if text.strip()]
        assert line["logger"] == "tandem.ops"
        assert line["level"] == "WARNING"
        assert line["message"] == "disk at 91%"

    def test_an_unknown_log_format_is_refused_at_start(self, tmp_path):
        result = tandem_command("check", env=production_env(tmp_path, LOG_FORMAT="xml"))
        assert result.returncode != 0
        assert "LOG_FORMAT must be plain or json" in result.stderr
