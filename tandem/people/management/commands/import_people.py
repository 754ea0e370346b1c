"""`tandem import-people FILE [--dry-run]`: load or update the organization from the
HRIS file. Every problem is listed and nothing is written unless the file is clean."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.people.importing import people_import


class Command(BaseCommand):
    help = (
        "Import people from an HRIS file (CSV UTF-8 or XLSX). Checks the whole file "
        "first; on any problem lists them all and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .csv or .xlsx file with a header row")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, without writing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
        stream = getattr(self.stderr, "_out", sys.stderr)
        progress = stream if getattr(stream, "isatty", lambda: False)() else None
        result = people_import(
            source=data,
            filename=path.name,
            dry_run=options["dry_run"],
            imported_by=None,
            progress=progress,
        )
        if result.summary is None:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(result.problems)} problem(s) in {path.name}; nothing was imported."
            )
        summary = result.summary
        if summary.dry_run:
            self.stdout.write(f"Dry run of {path.name}: nothing was written. It would change:")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}."))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
