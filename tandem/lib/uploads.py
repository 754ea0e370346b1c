"""Checks every uploaded file passes before anything reads it: not too large, named as
a kind the form takes, and with content that is that kind (a CSV decodes as text, an
XLSX is a zip archive). A renamed executable or a workbook saved as .csv is refused at
the form's field, before any parsing.

Each check raises Django's ValidationError with a message for the person uploading;
forms call `check_upload` from their field's `clean_<field>`.
"""

import codecs
from collections.abc import Iterable
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# How much of the file the content check reads.
SNIFF_BYTES = 64 * 1024

SUFFIXES = {"csv": (".csv",), "xlsx": (".xlsx",)}
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _megabytes(size: int) -> float:
    return round(size / 2**20, 1)


def kind_of(filename: str, kinds: Iterable[str]) -> str | None:
    """The kind (one of `kinds`) the file's name says it is, or None."""
    suffix = PurePath(filename or "").suffix.lower()
    return next((kind for kind in kinds if suffix in SUFFIXES[kind]), None)


def content_problem(kind: str, head: bytes) -> str | None:
    """Why the first bytes of a file are not of `kind`, or None if they plausibly are."""
    if kind == "xlsx":
        if head.startswith(ZIP_MAGIC):
            return None
        return _("This file is not an Excel workbook (.xlsx). If it is CSV text, name it .csv.")
    if kind == "csv":
        if head.startswith(UTF16_BOMS):
            return None
        if head.startswith(ZIP_MAGIC) or b"\x00" in head:
            return _(
                "This file is not CSV text (it may be a workbook or another binary file). "
                "Export the sheet as CSV UTF-8."
            )
        try:
            # Incremental, so a character cut by the end of the sample is not an error.
            codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        except UnicodeDecodeError as error:
            line = head[: error.start].count(b"\n") + 1
            return _(
                "The file is not UTF-8 text (the first bad byte is on line %(line)s). "
                "Save it as “CSV UTF-8” and try again."
            ) % {"line": line}
        return None
    raise ValueError(f"unknown upload kind {kind!r}")


def _head(file: IO[bytes] | Any) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def check_upload(upload: Any, *, kinds: Iterable[str], max_bytes: int) -> str:
    """Refuse an uploaded file (Django's UploadedFile) that is too large, not named as
    one of `kinds` ("csv", "xlsx") or whose content is not that kind. Returns the kind."""
    kinds = tuple(kinds)
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB can be uploaded.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(max_bytes)},
            code="too_large",
        )
    kind = kind_of(upload.name, kinds)
    if kind is None:
        names = " or ".join(suffix for k in kinds for suffix in SUFFIXES[k])
        raise ValidationError(_("Choose a %(types)s file.") % {"types": names}, code="wrong_type")
    problem = content_problem(kind, _head(upload))
    if problem is not None:
        raise ValidationError(problem, code="wrong_content")
    return kind
