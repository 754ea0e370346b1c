"""`tandem rotate-keys [--check] [--batch-size N]`: re-encrypt confidential text under
the newest key in TANDEM_ENCRYPTION_KEYS.

Rotating a key without downtime:
  1. Put a new key in front of TANDEM_ENCRYPTION_KEYS on every app server and worker,
     keeping the old ones after it, and restart them (old values stay readable).
  2. Run `tandem rotate-keys`. It works in small locked batches while the app runs,
     and may be stopped and run again at any time.
  3. When `tandem rotate-keys --check` reports 0 values left, drop the old keys.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tandem.accounts.encryption import rotate_encrypted_values
from tandem.lib.crypto import EncryptionKeyError


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the newest key (safe while the app runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the values not yet under the newest key; write nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            metavar="N",
            help="Rows per transaction (default 500).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check, batch_size, verbosity = options["check"], options["batch_size"], options["verbosity"]
        if not 1 <= batch_size <= 10_000:
            raise CommandError("--batch-size must be between 1 and 10000.")

        def progress(label: str, total: int) -> Any:
            return tqdm(
                total=total,
                desc=label,
                unit="rows",
                file=self.stderr._out,
                disable=verbosity < 1 or total == 0,
                leave=False,
            )

        try:
            report = rotate_encrypted_values(check=check, batch_size=batch_size, progress=progress)
        except EncryptionKeyError as error:
            raise CommandError(str(error)) from None

        verb = "to re-encrypt" if check else "re-encrypted"
        if verbosity >= 1:
            for entry in report.fields:
                self.stdout.write(
                    f"{entry.label}: {entry.values} values, {entry.current} under the newest "
                    f"key, {entry.rotated} {verb}, {len(entry.unreadable)} unreadable"
                )
        for entry in report.fields:
            for where in entry.unreadable:
                self.stderr.write(f"{entry.label} {where}: no configured key opens this value")
        if report.unreadable:
            raise CommandError(
                f"{report.unreadable} values could not be decrypted with any configured key "
                "(listed above); they were left as they are."
            )
        if verbosity >= 1:
            total = sum(entry.values for entry in report.fields)
            if check:
                self.stdout.write(
                    f"{report.rotated} of {total} values not yet under the newest key."
                )
            else:
                self.stdout.write(f"Done: {report.rotated} of {total} values re-encrypted.")
        if check and report.rotated:
            # A script can wait for this to succeed before dropping the old keys.
            raise SystemExit(1)
