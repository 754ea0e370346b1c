"""`tandem match PROGRAM [--dry-run]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.mentoring import matching
from tandem.mentoring.models import MatchRun, Suggestion


def run(*args):
    out = StringIO()
    call_command("match", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_prints_the_summary_and_stores_nothing(program, mentee, mentor):
    out = run(str(program.pk), "--dry-run")
    lines = {line.split("  ")[0]: line.split()[-1] for line in out.splitlines() if "  " in line}
    assert (lines["Matched"], lines["Unmatched"], lines["Proven optimal"]) == ("1", "0", "yes")
    assert "Dry run" in out
    assert not MatchRun.objects.exists()


def test_it_saves_a_draft_by_name(program, mentee, mentor):
    out = run("Mentoring Circle")
    run_row = MatchRun.objects.get()
    assert run_row.status == "done" and run_row.published_at is None
    assert run_row.proposals.count() == 1
    assert f"draft run {run_row.pk}" in out


def test_it_saves_suggestions_where_mentees_choose(program, mentee, mentor):
    mentoring = matching.settings_of(program)
    mentoring.matching_mode = "mentee_choice"
    mentoring.save()
    run(str(program.pk), "--dry-run")
    assert not Suggestion.objects.exists()
    run(str(program.pk))
    assert Suggestion.objects.filter(status="offered").count() == 1


def test_an_unknown_program_is_an_error(program):
    with pytest.raises(CommandError, match="No mentoring program"):
        run("Nope")
