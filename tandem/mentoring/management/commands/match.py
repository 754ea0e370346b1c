"""`tandem match PROGRAM [--dry-run]`: run a mentoring program's match from the
command line, with a progress bar and a summary table (matched, unmatched by reason,
mean and lowest score, time, whether the result is proven optimal).

PROGRAM is the program's id or its exact name. Without --dry-run the result is saved:
a draft run where admins review the match, or suggestions where mentees choose.
Publishing stays a deliberate step for an admin, on the match page or through the API.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from tandem.mentoring import matching
from tandem.mentoring.models import MatchRun, Suggestion, UnmatchedReason
from tandem.programs.models import Program, ProgramKind

PHASES = {"score": "Scoring pairs", "solve": "Solving", "certify": "Proving optimality"}


class _Dry(Exception):
    """Rolls back a dry run's transaction."""


class Command(BaseCommand):
    help = "Match a mentoring program's mentees with mentors (PROGRAM: id or exact name)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program", help="The program's id or its exact name.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what the match gives; store nothing."
        )

    def _program(self, ref: str) -> Program:
        programs = Program.objects.filter(kind=ProgramKind.MENTORING)
        found = programs.filter(pk=int(ref)).first() if ref.isdigit() else None
        if found is None:
            named = list(programs.filter(name=ref)[:2])
            if len(named) > 1:
                raise CommandError(f"Two mentoring programs are named {ref!r}: use the id.")
            found = named[0] if named else None
        if found is None:
            names = ", ".join(f"{p.pk} {p.name!r}" for p in programs.order_by("pk")[:10])
            raise CommandError(
                f"No mentoring program {ref!r}."
                + (f" Mentoring programs: {names}." if names else "")
            )
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        program = self._program(options["program"])
        dry_run, verbosity = options["dry_run"], options["verbosity"]
        mentoring = matching.settings_of(program)
        bars: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[phase] = tqdm(
                    total=max(total, 1),
                    desc=PHASES.get(phase, phase),
                    file=self.stderr._out,
                    disable=verbosity < 1,
                    leave=False,
                )
            bar.total = max(total, 1)
            bar.n = min(done, bar.total)
            bar.refresh()

        try:
            if mentoring.mentees_choose:
                self._suggest(program, mentoring, progress, dry_run=dry_run)
            else:
                self._match(program, progress, dry_run=dry_run)
        finally:
            for bar in bars.values():
                bar.close()

    def _match(self, program: Program, progress: Any, *, dry_run: bool) -> None:
        solved = matching.solve(program=program, progress=progress)
        stats = matching.summary(solved)
        self._table(program, stats)
        if dry_run:
            self.stdout.write("Dry run: nothing was stored.")
            return
        run = MatchRun.objects.create(program=program, objective=solved.pool.mentoring.objective)
        matching.draft_store(run=run, solved=solved)
        self.stdout.write(
            f"Saved as draft run {run.pk}. Review and publish it on the program's match page."
        )

    def _suggest(self, program: Program, mentoring: Any, progress: Any, *, dry_run: bool) -> None:
        try:
            with transaction.atomic():
                pool = matching.suggestions_refresh(program=program, progress=progress)
                offered = Suggestion.objects.filter(program=program, status="offered")
                mentees = offered.values("mentee").distinct().count()
                self.stdout.write(
                    f"{program.name}: {offered.count()} suggestions for {mentees} of "
                    f"{len(pool.mentees)} mentees (up to {mentoring.suggestions_count} each), "
                    f"{len(pool.waiting)} mentees have not stated their intent."
                )
                if dry_run:
                    raise _Dry
        except _Dry:
            self.stdout.write("Dry run: nothing was stored.")
            return
        self.stdout.write("Saved: mentees now see their suggestions and choose.")

    def _table(self, program: Program, stats: dict[str, Any]) -> None:
        def score(value: Any) -> str:
            return "—" if value is None else f"{value:.1f}"

        rows = [
            ("Program", program.name),
            ("Mentees", str(stats["mentees"])),
            ("Mentors (free places)", f"{stats['mentors']} ({stats['places']})"),
            ("Matched", str(stats["matched"])),
            ("Unmatched", str(stats["unmatched"])),
        ]
        for reason, count in stats["unmatched_by_reason"].items():
            label = dict(UnmatchedReason.choices).get(reason, reason)
            rows.append((f"  {label}", str(count)))
        rows += [
            ("Mean score", score(stats["mean_score"])),
            ("Lowest score", score(stats["lowest_score"])),
            ("Time", f"{stats['seconds']:.2f} s"),
            ("Proven optimal", "yes" if stats["certified"] else "no"),
        ]
        width = max(len(label) for label, _value in rows)
        for label, value in rows:
            self.stdout.write(f"{label.ljust(width)}  {value}")
