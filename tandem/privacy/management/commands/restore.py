"""`tandem restore FILE`: load a `tandem backup` file into an empty, migrated database,
all or nothing (see tandem.privacy.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tandem.privacy.backup import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = "Restore a `tandem backup` file into an empty database (one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        bar = tqdm(
            unit="rows", desc="restore", file=self.stderr._out, disable=options["verbosity"] < 1
        )
        try:
            with path.open("rb") as stream:
                restored = backup_restore(
                    stream, progress=bar.update, total=lambda n: bar.reset(total=n)
                )
        except RestoreRefused as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        self.stdout.write(
            f"Restored {restored.objects} objects in {restored.models} tables from {path}"
        )
