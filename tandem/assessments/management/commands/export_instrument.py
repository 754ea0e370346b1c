from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.assessments.models import Instrument


class Command(BaseCommand):
    help = "Print an instrument as JSON (the newest version unless --instrument-version is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key")
        parser.add_argument("--instrument-version", dest="instrument_version", type=int)

    def handle(self, *args: Any, key: str, instrument_version: int | None, **options: Any) -> None:
        instruments = Instrument.objects.filter(key=key).order_by("-version")
        if instrument_version is not None:
            instruments = instruments.filter(version=instrument_version)
        instrument = instruments.first()
        if instrument is None:
            raise CommandError(
                f"No instrument {key!r}"
                + (f" version {instrument_version}" if instrument_version else "")
            )
        self.stdout.write(instrument.as_json(), ending="")
