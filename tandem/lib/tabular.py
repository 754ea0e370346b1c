"""Reading a spreadsheet (CSV or XLSX) into rows of text, and matching its headers.

Row numbers are the ones a spreadsheet user sees: the first line of the file is row 1,
blank lines count, and a quoted cell spanning several lines is still one row. Every
cell comes back as stripped text; XLSX dates become ISO 8601 (`2024-03-01`) and whole
numbers lose their `.0`, so an employee id typed as a number reads as it looks.
"""

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx",)
_DELIMITERS = (",", ";", "\t")


class TableError(ValueError):
    """The file as a whole cannot be read; the message says why, for the person who
    uploaded it."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    header_row: int
    # (row number, cells) for each non-blank row below the header.
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class ColumnMatch:
    """Which cell index holds each known column."""

    indexes: dict[str, int]
    # Headers that name no known column, as written.
    unknown: list[str] = field(default_factory=list)
    # A column named by more than one header: (column, [headers as written]).
    conflicts: list[tuple[str, list[str]]] = field(default_factory=list)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The comparable form of a header or a choice: case, spaces, underscores,
    hyphens and punctuation ignored ("Work E-mail" -> "workemail")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def match_columns(header: list[str], aliases: Mapping[str, Iterable[str]]) -> ColumnMatch:
    """Match each header cell to a column through `aliases` (column -> spellings,
    compared with `fold`; the column's own name always matches)."""
    lookup: dict[str, str] = {}
    for column, spellings in aliases.items():
        for spelling in [column, *spellings]:
            lookup[fold(spelling)] = column
    indexes: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    unknown: list[str] = []
    for index, text in enumerate(header):
        if not text.strip():
            continue
        known = lookup.get(fold(text))
        if known is None:
            unknown.append(text.strip())
            continue
        seen.setdefault(known, []).append(text.strip())
        indexes.setdefault(known, index)
    conflicts = [(column, headers) for column, headers in seen.items() if len(headers) > 1]
    return ColumnMatch(indexes=indexes, unknown=unknown, conflicts=conflicts)


def read_table(data: bytes, filename: str) -> Table:
    """The header and rows of a CSV or XLSX file, chosen by the file name's suffix.
    Raises TableError for a file that is empty, of another type or unreadable."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(data)
    if suffix in CSV_SUFFIXES:
        return read_csv(data)
    if suffix == ".xls":
        raise TableError(
            "This is an old-style Excel file (.xls). Save it as an Excel workbook (.xlsx) "
            "or as CSV UTF-8 and try again."
        )
    raise TableError(
        f"“{filename}” is not a CSV or XLSX file. Export the sheet as CSV UTF-8 (.csv) "
        "or as an Excel workbook (.xlsx)."
    )


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise TableError("The file says it is UTF-16 text but is not.") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            f"The file is not UTF-8 text (the first bad byte is on line {line}). "
            "Save it as “CSV UTF-8” and try again."
        ) from error


def _delimiter(first_line: str) -> str:
    """Spreadsheets in many locales write `;`, and "Unicode text" writes tabs."""
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes) -> Table:
    if data.startswith(b"PK\x03\x04"):
        raise TableError(
            "This file is an Excel workbook (or another zip archive), not CSV text. "
            "Name it .xlsx, or export it as CSV UTF-8."
        )
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TableError("This is a binary file, not CSV text. Export the sheet as CSV UTF-8.")
    text = _decode(data)
    first_line = next(iter(text.splitlines()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        records = [[cell.strip() for cell in record] for record in reader]
    except csv.Error as error:
        raise TableError(f"The CSV cannot be read near line {reader.line_num}: {error}.") from error
    return _table(enumerate(records, start=1))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> Table:
    """The first worksheet of an XLSX workbook."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError(
            "This file is not an Excel workbook (.xlsx). If it is CSV text, name it .csv."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableError(
            "This file is not a readable Excel workbook (.xlsx). Open it in a "
            "spreadsheet and save it again as .xlsx, or export it as CSV UTF-8."
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError("The workbook has no worksheet.")
        try:
            records = (
                [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            )
            return _table(enumerate(records, start=1))
        except TableError:
            raise
        except Exception as error:
            raise TableError(
                "The workbook's first sheet cannot be read. Save it again as .xlsx, "
                "or export it as CSV UTF-8."
            ) from error
    finally:
        workbook.close()


def _table(numbered: Iterable[tuple[int, list[str]]]) -> Table:
    """The first non-blank row is the header; blank rows below it are skipped."""
    rows: Iterator[tuple[int, list[str]]] = (
        (number, cells) for number, cells in numbered if any(cells)
    )
    first = next(rows, None)
    if first is None:
        raise TableError("The file is empty: it needs a header row and one row per person.")
    header_row, header = first
    while header and not header[-1]:
        header.pop()
    body = list(rows)
    if not body:
        raise TableError("The file has a header row but no rows below it.")
    return Table(header=header, header_row=header_row, rows=body)
