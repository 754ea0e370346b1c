from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tandem.assessments.models import Instrument
from tandem.lib import instruments as rules


class Command(BaseCommand):
    help = "Import assessment instruments from JSON files (all are checked before any is saved)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="instrument JSON files")

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        documents, problems = [], []
        for path in files:
            try:
                document = rules.load(path)
            except (OSError, rules.InstrumentError) as error:
                problems.append(f"{path}: {error}")
                continue
            problems.extend(f"{path}: {problem}" for problem in rules.validate(document))
            documents.append(document)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        try:
            with transaction.atomic():
                results = [Instrument.import_document(document) for document in documents]
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for instrument, created in results:
            verb = "Imported" if created else "Already there:"
            self.stdout.write(f"{verb} {instrument}")
