"""Spreadsheet cells that cannot run as formulas (CSV / formula injection).

A spreadsheet runs a cell that starts with = + - @ (or a tab, CR or LF that hides one)
as a formula, so a person named "=HYPERLINK(...)" could make an admin's spreadsheet
fetch a URL or run a command. Every CSV and XLSX export writes its cells through
`neutralised`: a text cell that starts with one of those characters gets a leading
apostrophe, which shows as text. Numbers stay numbers.
"""

import csv
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralised(value: Any) -> Any:
    """A text cell that cannot run as a formula; numbers and empty cells as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """`csv.writer` whose every cell goes through `neutralised`."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Sequence[Any]) -> Any:
        return self._writer.writerow([neutralised(cell) for cell in row])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Writable) -> SafeWriter:
    """A CSV writer onto `stream` (a file, a StringIO or an HttpResponse) that
    neutralises formulas."""
    return SafeWriter(stream)
