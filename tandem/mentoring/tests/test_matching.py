"""Match runs: the pool, the hard rules, the draft with explanations, locks and re-runs,
publishing."""

import pytest
from django.core.exceptions import ValidationError

from tandem.accounts.models import AuditLog
from tandem.mentoring import matching
from tandem.mentoring.models import MatchRun, Relationship, RunStatus, UnmatchedMentee
from tandem.mentoring.tests.factories import make_mentee, make_mentor, person


def run_now(program, user=None):
    run = MatchRun.objects.create(program=program, started_by=user, objective="optimal")
    return matching.run_execute(run=run)


def test_it_matches_a_mentee_with_an_explanation(program, mentee, mentor):
    run = run_now(program)
    assert run.status == RunStatus.DONE
    proposal = run.proposals.get()
    assert (proposal.mentee, proposal.mentor) == (mentee, mentor)
    assert proposal.score == pytest.approx(sum(c["points"] for c in proposal.explanation), abs=0.05)
    assert {c["key"] for c in proposal.explanation} >= {"develop", "seniority", "languages"}
    assert run.stats["matched"] == 1 and run.stats["certified"] is True


def test_it_never_matches_within_the_reporting_chain(org, program, mentee):
    # org.ceo is above the mentee (org.report) in the chain.
    make_mentor(program, org.ceo)
    run = run_now(program)
    assert not run.proposals.exists()
    assert UnmatchedMentee.objects.get(run=run).reason == "no_eligible_mentor"


def test_it_allows_the_chain_when_the_rule_is_off(org, program, mentee):
    program.mentoring_settings.never_in_reporting_chain = False
    program.mentoring_settings.save()
    make_mentor(program, org.ceo)
    assert run_now(program).proposals.count() == 1


def test_it_keeps_the_level_gap(program, mentee):
    make_mentor(program, person("emerging"))
    run = run_now(program)
    assert run.unmatched.get().reason == "no_eligible_mentor"


def test_it_lists_mentees_without_intent_as_unmatched(program, mentor):
    waiting = make_mentee(program, intent=False)
    run = run_now(program)
    assert run.unmatched.get().mentee == waiting
    assert run.stats["unmatched_by_reason"] == {"no_intent": 1}


def test_it_respects_capacity_minus_open_relationships(org, program, mentor2):
    first = make_mentee(program)
    second = make_mentee(program)
    run = run_now(program)
    assert run.proposals.count() == 1
    assert run.unmatched.get().reason == "capacity"
    matching.run_publish(run=run, published_by=None)
    assert Relationship.objects.open().filter(mentor=mentor2.person).count() == 1
    # The mentor's only place is taken: the next run matches nobody else to them.
    again = run_now(program)
    assert not again.proposals.exists()
    assert {first.pk, second.pk} - {again.unmatched.get().mentee_id} != set()


def test_it_never_repeats_a_past_pairing(program, mentee, mentor):
    run = run_now(program)
    matching.run_publish(run=run, published_by=None)
    Relationship.objects.update(status="closed")
    again = run_now(program)
    assert again.unmatched.get().reason == "no_eligible_mentor"


def test_it_keeps_locked_pairs_when_run_again(program, mentee, mentor, mentor2):
    run = run_now(program)
    proposal = run.proposals.get()
    other = mentor2 if proposal.mentor == mentor else mentor
    matching.proposal_set_mentor(run=run, mentee=mentee, mentor=other, changed_by=None)
    again = run_now(program)
    kept = again.proposals.get()
    assert kept.mentor == other and kept.locked


def test_a_change_of_mentor_warns_about_broken_rules(org, program, mentee, mentor):
    chain = make_mentor(program, org.manager)
    run = run_now(program)
    check = matching.proposal_set_mentor(run=run, mentee=mentee, mentor=chain, changed_by=None)
    assert check.breaks_rule == "reporting_chain"
    assert any("reporting chain" in warning for warning in check.warnings())
    proposal = run.proposals.get()
    assert proposal.mentor == chain and proposal.edited_by_admin and proposal.locked


def test_it_publishes_the_draft_once(program, mentee, mentor, program_admin):
    run = run_now(program)
    created = matching.run_publish(run=run, published_by=program_admin)
    assert [(r.mentee, r.mentor, r.via) for r in created] == [
        (mentee.person, mentor.person, "match")
    ]
    assert created[0].goals == ["Lead my first team", "Learn finance"]
    assert AuditLog.objects.filter(target_type="mentoring.matchrun").exists()
    with pytest.raises(ValidationError):
        matching.run_publish(run=run, published_by=program_admin)
