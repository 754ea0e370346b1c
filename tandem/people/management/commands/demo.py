from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError, RestrictedError

from tandem.people.demo import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    MIN_SIZE,
    DemoLogin,
    DemoSummary,
    load_demo,
)


class Command(BaseCommand):
    help = (
        "Load the demo organization: a company of --size people with three years of job "
        "history, strategic objectives and one demo login per role. A database that "
        "already has people is left alone unless --reset is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", type=int, default=DEFAULT_SIZE, help=f"headcount (at least {MIN_SIZE})"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="same seed, same organization"
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="the day the history ends, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "delete the people, job history, org units, objectives and demo users "
                "first, with what other apps built on them (programs, plans)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["size"] < MIN_SIZE:
            raise CommandError(f"--size must be at least {MIN_SIZE}.")
        try:
            summary = load_demo(
                size=options["size"],
                seed=options["seed"],
                as_of=options["as_of"],
                reset=options["reset"],
                progress=options["verbosity"] > 0,
            )
        except (ProtectedError, RestrictedError) as error:
            blocking = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            blockers = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
            raise CommandError(
                "Could not reset: other records depend on the organization "
                f"({', '.join(blockers)}). Nothing was changed."
            ) from error
        self._report(summary)

    def _report(self, summary: DemoSummary) -> None:
        if summary.loaded:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo organization (seed {summary.seed}, as of {summary.as_of}): "
                    f"{summary.active} people, {summary.departed} former employees, "
                    f"{summary.org_units} org units, {summary.job_changes} job changes, "
                    f"{summary.objectives} objectives."
                )
            )
            for line in summary.extras:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write(
                f"The organization is already loaded ({summary.active} people, "
                f"{summary.departed} former employees); nothing was changed. "
                "Use --reset to replace it with a fresh demo organization."
            )
        self.stdout.write(_logins_table(summary.logins))


def _logins_table(logins: list[DemoLogin]) -> str:
    if not logins:
        return "No demo logins in this database."
    header = ("username", "password", "role", "person")
    rows = [
        (login.username, login.password or "(unchanged)", login.role, login.person or "-")
        for login in logins
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["", "Demo logins:"]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        lines.append(
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        )
    return "\n".join(lines)
