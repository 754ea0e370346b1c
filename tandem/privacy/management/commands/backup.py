"""`tandem backup [-o FILE]`: the whole database as a gzip'd JSON file (see
tandem.privacy.backup; encrypted text stays encrypted). Default file name:
tandem-backup-YYYYmmdd-HHMMSS.json.gz in the current directory."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from tandem.privacy.backup import backup_write, row_count


class Command(BaseCommand):
    help = "Back up every table to a compressed JSON file (restore with `tandem restore`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"] or Path(f"tandem-backup-{timezone.now():%Y%m%d-%H%M%S}.json.gz")
        bar = tqdm(
            total=row_count(),
            unit="rows",
            desc="backup",
            file=self.stderr._out,
            disable=options["verbosity"] < 1,
        )
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as stream:
                count = backup_write(stream, progress=bar.update)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            bar.close()
        # Renamed when complete, so a backup file is never half-written.
        partial.replace(path)
        self.stdout.write(f"Backed up {count} objects to {path}")
