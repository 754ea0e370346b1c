"""Reading the report PDF in tests: its text (pdftotext) and its page count.

With CI=true WeasyPrint and poppler-utils are mandatory (`make browser` installs
poppler-utils); elsewhere the tests that need them skip with a message."""

import os
import re
import shutil
import subprocess

import pytest

from tandem.assessments.pdf import pdf_unavailable

ON_CI = os.environ.get("CI") == "true"


def require_weasyprint() -> None:
    problem = pdf_unavailable()
    if problem is not None:
        if ON_CI:
            pytest.fail(f"CI=true but {problem}")
        pytest.skip(problem)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing (Debian: poppler-utils; `make browser` installs it)"
        if ON_CI:
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    return path


def pdf_text(body: bytes) -> str:
    pdftotext = _poppler("pdftotext")
    result = subprocess.run(  # noqa: S603  (poppler-utils found on PATH, fixed arguments)
        [pdftotext, "-layout", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode()


def page_count(body: bytes) -> int:
    info = subprocess.run(  # noqa: S603  (poppler-utils found on PATH, fixed arguments)
        [_poppler("pdfinfo"), "-"], input=body, capture_output=True, check=True
    )
    match = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert match is not None
    return int(match.group(1))
