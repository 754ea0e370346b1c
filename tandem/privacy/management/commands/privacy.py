"""`tandem privacy export PERSON_ID [-o FILE] [--include-confidential]` and
`tandem privacy erase PERSON_ID --yes`: the data-subject export and the erasure, from
the server (see tandem.privacy.export and tandem.privacy.services).

Both are audited, with no actor (the operator on the server). The export goes to
standard output unless -o names a file. `--include-confidential` adds the decrypted
confidential text (coaching notes, journal, private notes) that the web page and the
API withhold: only to hand it to the person themself."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from tandem.people.models import Person
from tandem.privacy import services


class Command(BaseCommand):
    help = "Export everything held about a person, or erase them."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the person's data as JSON.")
        export.add_argument("person_id", type=int)
        export.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")
        export.add_argument(
            "--include-confidential",
            action="store_true",
            help="Add the decrypted confidential text, for the person themself only.",
        )
        erase = actions.add_parser("erase", help="Erase the person (cannot be undone).")
        erase.add_argument("person_id", type=int)
        erase.add_argument("--yes", action="store_true", help="Confirm: erasure cannot be undone.")

    def _person(self, pk: int) -> Person:
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise CommandError(f"No person with id {pk}.")
        return person

    def handle(self, *args: Any, **options: Any) -> None:
        person = self._person(options["person_id"])
        if options["action"] == "export":
            document = services.person_export(
                person=person, actor=None, confidential=options["include_confidential"]
            )
            text = json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            if options["output"]:
                options["output"].write_text(text + "\n", encoding="utf-8")
                self.stderr.write(f"Wrote the export of person {person.pk} to {options['output']}")
            else:
                self.stdout.write(text)
            return
        if not options["yes"]:
            raise CommandError(
                f"Erasing {person.full_name} (id {person.pk}) cannot be undone: add --yes."
            )
        try:
            erasure = services.person_erase(person=person, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Erased person {person.pk}; now shown as {erasure.pseudonym!r}.")
        for what, n in sorted(erasure.changed.items()):
            self.stdout.write(f"  {what}: {n}")
