"""The matching workflow: from the program's records to the engine's Problem, match runs
(in the background with their progress stored, or synchronously for the CLI), the
admins' draft (change a mentor, lock, re-run around the locks, publish), suggestions
for mentees who choose their own mentor, and the rematch of one mentee.

Who is in a match:
- mentees: people enrolled in the program (invited or active, still employed) who have
  stated their intent and have no open relationship in the program. Those without an
  intent are listed as unmatched ("has not stated their intent yet");
- mentors: active members of the program's pool who have answered the questionnaire,
  with free places = their capacity minus their open relationships in the program.

Hard rules (the program's settings): never within the mentee's reporting chain (the
mentor above or below the mentee), the mentor at least N levels above, no repeat of a
past pairing (any program, any outcome), must share a language, never oneself.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tandem.accounts.models import AuditAction, AuditLog
from tandem.lib import matching as engine
from tandem.mentoring import questionnaire, talent
from tandem.mentoring import relationships as relationship_flow
from tandem.mentoring.models import (
    MatchProposal,
    MatchRun,
    Mentee,
    Mentor,
    MentoringSettings,
    Question,
    Relationship,
    RunStatus,
    Suggestion,
    SuggestionStatus,
    UnmatchedMentee,
    UnmatchedReason,
)
from tandem.people.models import Level, Person, ReportingLine
from tandem.programs.models import Enrollment, Program, ProgramKind

logger = logging.getLogger(__name__)

REPORTING_CHAIN = "reporting_chain"
PAST_PAIRING = "past_pairing"
SAME_PERSON = "same_person"
EXCLUDED_MENTOR = "excluded"
PROGRESS_EVERY_SECONDS = 0.5

Progress = Callable[[str, int, int], None]
_SETTINGS_CACHE = "_tandem_mentoring_settings"


def rule_label(rule: str) -> str:
    """What a broken hard rule means, for admins."""
    labels = {
        REPORTING_CHAIN: _("within the mentee's reporting chain"),
        PAST_PAIRING: _("they have been paired before"),
        SAME_PERSON: _("the same person"),
        EXCLUDED_MENTOR: _("this mentor was excluded for the mentee"),
        engine.LEVEL_GAP: _("the mentor is not enough levels above the mentee"),
        engine.NO_SHARED_LANGUAGE: _("no language in common"),
        engine.BELOW_MIN_SCORE: _("below the program's minimum score"),
    }
    return str(labels.get(rule, rule))


# Settings ---------------------------------------------------------------------------


def settings_of(program: Program) -> MentoringSettings:
    """The program's mentoring settings, made with the built-in questionnaire the first
    time they are asked for (a new mentoring program starts from a good default)."""
    cached = getattr(program, _SETTINGS_CACHE, None)
    if cached is not None:
        return cached
    mentoring = MentoringSettings.objects.filter(program=program).first()
    if mentoring is None:
        with transaction.atomic():
            mentoring, created = MentoringSettings.objects.get_or_create(program=program)
            if created and not Question.objects.filter(program=program).exists():
                questionnaire.questionnaire_add_defaults(program=program)
    setattr(program, _SETTINGS_CACHE, mentoring)
    return mentoring


def mentees_sync(program: Program) -> None:
    """A Mentee row for every current enrollment of the program (mentees are the people
    enrolled in it), so everyone enrolled shows up, with or without answers."""
    missing = Enrollment.objects.current().filter(program=program, mentee__isnull=True)
    Mentee.objects.bulk_create(
        [Mentee(enrollment=e, program_id=program.pk, person_id=e.person_id) for e in missing],
        ignore_conflicts=True,
    )


def mentee_of(program: Program, person: Person) -> Mentee | None:
    """`person` as a mentee of `program`: their Mentee row, made if they are enrolled."""
    mentee = Mentee.objects.filter(program=program, person=person).first()
    if mentee is not None:
        return mentee
    enrollment = Enrollment.objects.current().filter(program=program, person=person).first()
    if enrollment is None:
        return None
    mentee, _created = Mentee.objects.get_or_create(
        enrollment=enrollment, defaults={"program": program, "person": person}
    )
    return mentee


# The pool and the engine's problem -------------------------------------------------


@dataclass
class Pool:
    """Who is matched in a program now, and the engine's Problem over them: mentee i is
    `mentees[i]`, mentor j is `mentors[j]`."""

    program: Program
    mentoring: MentoringSettings
    questions: list[Question]
    mentees: list[Mentee]
    mentors: list[Mentor]
    waiting: list[Mentee]  # enrolled, no intent stated yet
    problem: engine.Problem
    excluded: dict[tuple[int, int], str] = field(default_factory=dict)

    def mentee_index(self) -> dict[int, int]:
        return {mentee.pk: i for i, mentee in enumerate(self.mentees)}

    def mentor_index(self) -> dict[int, int]:
        return {mentor.pk: j for j, mentor in enumerate(self.mentors)}

    def explain(self, i: int, j: int) -> engine.Explanation:
        """One pair's explanation. The engine reads the answers of the whole problem
        first, so it is given a problem of this one pair (same answers, rules, weights)."""
        return engine.explain(_one_pair(self.problem, i, j, self.excluded.get((i, j))), 0, 0)

    def explain_all(self, pairs: list[tuple[int, int]]) -> list[engine.Explanation]:
        """Many pairs' explanations, the answers read once."""
        return engine.explain_pairs(self.problem, pairs)


def _one_pair(problem: engine.Problem, i: int, j: int, excluded: str | None) -> engine.Problem:
    rules = problem.rules

    def pick(values: Sequence[Any] | None, k: int) -> list[Any] | None:
        return None if values is None else [values[k]]

    return engine.Problem(
        criteria=[
            engine.Criterion(
                key=c.key,
                label=c.label,
                kind=c.kind,
                weight=c.weight,
                mentees=[c.mentees[i]],
                mentors=[c.mentors[j]],
                scale=c.scale,
            )
            for c in problem.criteria
        ],
        capacities=[1],
        rules=engine.Rules(
            mentee_levels=pick(rules.mentee_levels, i),
            mentor_levels=pick(rules.mentor_levels, j),
            min_level_gap=rules.min_level_gap,
            mentee_languages=pick(rules.mentee_languages, i),
            mentor_languages=pick(rules.mentor_languages, j),
            excluded=[(0, 0, excluded)] if excluded else [],
        ),
        min_score=problem.min_score,
    )


def contributions_json(explanation: engine.Explanation) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "label": c.label,
            "weight": c.weight,
            "similarity": c.similarity,
            "points": c.points,
        }
        for c in explanation.contributions
    ]


def open_relationships(program: Program) -> Any:
    return Relationship.objects.open().filter(program=program)


def pool_build(
    *,
    program: Program,
    only_mentee: Mentee | None = None,
    exclude_mentor: Person | None = None,
    held_places: dict[int, int] | None = None,
) -> Pool:
    """The program's pool and Problem. `only_mentee` narrows it to one mentee (a
    rematch); `held_places` ({mentor pk: places}) are taken off the mentors' free places
    (suggestions already offered to other mentees)."""
    mentoring = settings_of(program)
    mentees_sync(program)
    questions = list(Question.objects.filter(program=program).order_by("order", "pk"))
    matched_people = set(open_relationships(program).values_list("mentee_id", flat=True))
    today = timezone.localdate()
    candidates = (
        Mentee.objects.filter(program=program, enrollment__status__in=["invited", "active"])
        .filter(Q(person__exit_date__isnull=True) | Q(person__exit_date__gt=today))
        .select_related("person")
        .order_by("pk")
    )
    if only_mentee is not None:
        candidates = candidates.filter(pk=only_mentee.pk)
    mentees: list[Mentee] = []
    waiting: list[Mentee] = []
    for mentee in candidates:
        if mentee.person_id in matched_people:
            continue
        (mentees if mentee.intent_stated else waiting).append(mentee)
    mentors = list(
        Mentor.objects.active()
        .filter(program=program, answered_at__isnull=False)
        .filter(Q(person__exit_date__isnull=True) | Q(person__exit_date__gt=today))
        .select_related("person")
        .order_by("pk")
    )
    load = dict(
        open_relationships(program)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    held = held_places or {}
    capacities = [
        max(0, m.effective_capacity(mentoring) - load.get(m.person_id, 0) - held.get(m.pk, 0))
        for m in mentors
    ]
    excluded = _excluded(mentoring, mentees, mentors, exclude_mentor)
    mentee_people = [m.person for m in mentees]
    mentor_people = [m.person for m in mentors]
    criteria = questionnaire.criteria(
        questions=questions,
        mentoring=mentoring,
        mentee_answers=[m.answers for m in mentees],
        mentor_answers=[m.answers for m in mentors],
        mentee_people=mentee_people,
        mentor_people=mentor_people,
    )
    rules_kwargs: dict[str, Any] = {
        "mentee_levels": [Level.rank(p.level) for p in mentee_people],
        "mentor_levels": [Level.rank(p.level) for p in mentor_people],
        "min_level_gap": mentoring.min_level_gap,
        "excluded": [(i, j, reason) for (i, j), reason in excluded.items()],
    }
    languages = questionnaire.languages_question(questions)
    if mentoring.must_share_language and languages is not None:
        rules_kwargs["mentee_languages"] = [
            frozenset(m.answers.get(languages.key) or ()) for m in mentees
        ]
        rules_kwargs["mentor_languages"] = [
            frozenset(m.answers.get(languages.key) or ()) for m in mentors
        ]
    preferred = None
    if mentoring.prefer_high_potential:
        ahead = talent.preferred_people()
        preferred = [mentee.person_id in ahead for mentee in mentees]
    problem = engine.Problem(
        criteria=criteria,
        capacities=capacities,
        rules=engine.Rules(**rules_kwargs),
        min_score=mentoring.min_score,
        preferred=preferred,
    )
    return Pool(program, mentoring, questions, mentees, mentors, waiting, problem, excluded)


def _excluded(
    mentoring: MentoringSettings,
    mentees: list[Mentee],
    mentors: list[Mentor],
    exclude_mentor: Person | None,
) -> dict[tuple[int, int], str]:
    """Pairs the rules exclude, as {(mentee, mentor): reason}."""
    mentee_at = {m.person_id: i for i, m in enumerate(mentees)}
    mentor_at = {m.person_id: j for j, m in enumerate(mentors)}
    found: dict[tuple[int, int], str] = {}
    for person_id, i in mentee_at.items():
        if person_id in mentor_at:
            found[(i, mentor_at[person_id])] = SAME_PERSON
    if exclude_mentor is not None and exclude_mentor.pk in mentor_at:
        for i in range(len(mentees)):
            found.setdefault((i, mentor_at[exclude_mentor.pk]), EXCLUDED_MENTOR)
    if not mentees or not mentors:
        return found
    # Large pools: the people go to the database as id lists, chunked to stay within
    # every database's limit on query parameters.
    chunk = 5000
    mentee_ids = list(mentee_at)
    if mentoring.never_in_reporting_chain:
        for start in range(0, len(mentee_ids), chunk):
            ids = mentee_ids[start : start + chunk]
            above = ReportingLine.objects.filter(person_id__in=ids, depth__gt=0).values_list(
                "person_id", "manager_id"
            )
            below = ReportingLine.objects.filter(manager_id__in=ids, depth__gt=0).values_list(
                "manager_id", "person_id"
            )
            for mentee_id, other_id in [*above, *below]:
                if other_id in mentor_at:
                    found.setdefault((mentee_at[mentee_id], mentor_at[other_id]), REPORTING_CHAIN)
    if mentoring.no_repeat_pairing:
        for start in range(0, len(mentee_ids), chunk):
            ids = mentee_ids[start : start + chunk]
            past = Relationship.objects.filter(mentee_id__in=ids).values_list(
                "mentee_id", "mentor_id"
            )
            for mentee_id, mentor_id in past:
                if mentor_id in mentor_at:
                    found.setdefault((mentee_at[mentee_id], mentor_at[mentor_id]), PAST_PAIRING)
    return found


# Match runs ------------------------------------------------------------------------


def current_draft(program: Program) -> MatchRun | None:
    """The newest finished, unpublished run, if no run was published after it."""
    latest = MatchRun.objects.filter(program=program, status=RunStatus.DONE).order_by("-pk").first()
    return latest if latest is not None and latest.published_at is None else None


def latest_run(program: Program) -> MatchRun | None:
    return MatchRun.objects.filter(program=program).order_by("-pk").first()


def _require_mentoring(program: Program) -> None:
    if program.kind != ProgramKind.MENTORING:
        raise ValidationError(_("Only a mentoring program is matched."))


def run_start(*, program: Program, started_by: Any) -> MatchRun:
    """Queue a run of the match; a background job does it (`match_run_job`). A run in
    progress is not started twice. Locked pairs of the current draft are kept."""
    _require_mentoring(program)
    mentoring = settings_of(program)
    with transaction.atomic():
        Program.objects.select_for_update(of=("self",)).filter(pk=program.pk).first()
        busy = MatchRun.objects.filter(
            program=program, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).first()
        if busy is not None:
            return busy
        run = MatchRun.objects.create(
            program=program, started_by=started_by, objective=mentoring.objective
        )
        run_id = run.pk
        transaction.on_commit(lambda: match_run_job.enqueue(run_id))
    return run


@task()
def match_run_job(run_id: int) -> None:
    run = MatchRun.objects.select_related("program").filter(pk=run_id).first()
    if run is None or run.status != RunStatus.QUEUED:
        return
    run_execute(run=run)


def _progress_writer(run: MatchRun, also: Progress | None) -> Progress:
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        if also is not None:
            also(phase, done, total)
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_SECONDS and done < total:
            return
        last[0] = now
        MatchRun.objects.filter(pk=run.pk).update(
            progress_phase=phase[:40], progress_done=max(done, 0), progress_total=max(total, 0)
        )

    return report


def run_execute(*, run: MatchRun, progress: Progress | None = None) -> MatchRun:
    """Solve the run's program and store its draft. Progress is written to the run
    (outside any transaction, so a page polling it sees it move)."""
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    run.status = RunStatus.RUNNING
    try:
        solved = solve(program=run.program, progress=_progress_writer(run, progress))
        draft_store(run=run, solved=solved)
    except Exception as error:
        logger.exception("match run %s failed", run.pk)
        MatchRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        raise
    run.refresh_from_db()
    return run


@dataclass
class Solved:
    pool: Pool
    result: engine.Result
    seconds: float
    locked: list[tuple[int, int]]


def solve(*, program: Program, progress: Progress | None = None) -> Solved:
    """Build the pool, keep the current draft's locked pairs, and solve. Stores nothing."""
    started = time.perf_counter()
    pool = pool_build(program=program)
    locked = _locks(program, pool)
    result = engine.solve(
        pool.problem,
        objective=engine.Objective(pool.mentoring.objective),
        locked=locked,
        progress=progress,
    )
    return Solved(pool, result, round(time.perf_counter() - started, 3), locked)


def _locks(program: Program, pool: Pool) -> list[tuple[int, int]]:
    """The locked pairs of the current draft that still fit the pool (both still in it)."""
    draft = current_draft(program)
    if draft is None:
        return []
    mentee_at, mentor_at = pool.mentee_index(), pool.mentor_index()
    return [
        (mentee_at[mentee_id], mentor_at[mentor_id])
        for mentee_id, mentor_id in draft.proposals.filter(locked=True).values_list(
            "mentee_id", "mentor_id"
        )
        if mentee_id in mentee_at and mentor_id in mentor_at
    ]


def summary(solved: Solved) -> dict[str, Any]:
    result = solved.result
    reasons = Counter(result.unmatched.values())
    if solved.pool.waiting:
        reasons[UnmatchedReason.NO_INTENT.value] += len(solved.pool.waiting)
    return {
        "mentees": len(solved.pool.mentees) + len(solved.pool.waiting),
        "mentors": len(solved.pool.mentors),
        "places": int(sum(solved.pool.problem.capacities)),
        "matched": len(result.pairs),
        "locked": len(solved.locked),
        "unmatched": sum(reasons.values()),
        "unmatched_by_reason": dict(sorted(reasons.items())),
        "mean_score": result.mean_score,
        "lowest_score": result.lowest_score,
        "total_score": result.total_score,
        "seconds": solved.seconds,
        "certified": bool(result.stats.get("certified", False)),
    }


@transaction.atomic
def draft_store(*, run: MatchRun, solved: Solved) -> MatchRun:
    """Store the run's proposals, each with its explanation, and the unmatched with why."""
    pool = solved.pool
    proposals = []
    pairs = solved.result.pairs
    explanations = pool.explain_all([(pair.mentee, pair.mentor) for pair in pairs])
    for pair, explanation in zip(pairs, explanations, strict=True):
        proposals.append(
            MatchProposal(
                run=run,
                mentee=pool.mentees[pair.mentee],
                mentor=pool.mentors[pair.mentor],
                score=pair.score,
                explanation=contributions_json(explanation),
                breaks_rule=(explanation.excluded_by or "") if pair.locked else "",
                locked=pair.locked,
            )
        )
    MatchProposal.objects.bulk_create(proposals, batch_size=1000)
    unmatched = [
        UnmatchedMentee(run=run, mentee=pool.mentees[i], reason=reason)
        for i, reason in solved.result.unmatched.items()
    ]
    unmatched += [
        UnmatchedMentee(run=run, mentee=m, reason=UnmatchedReason.NO_INTENT) for m in pool.waiting
    ]
    UnmatchedMentee.objects.bulk_create(unmatched, batch_size=1000)
    run.status = RunStatus.DONE
    run.stats = summary(solved)
    run.finished_at = timezone.now()
    run.progress_done = run.progress_total = max(run.progress_total, 1)
    run.save(update_fields=["status", "stats", "finished_at", "progress_done", "progress_total"])
    return run


# The admins' edits ----------------------------------------------------------------


@dataclass
class PairCheck:
    """What a mentor change would give: the pair's explanation, the rule it breaks,
    and whether the mentor would have more mentees than free places."""

    mentee: Mentee
    mentor: Mentor
    score: float
    explanation: list[dict[str, Any]]
    breaks_rule: str
    over_capacity: bool

    def warnings(self) -> list[str]:
        found = []
        if self.breaks_rule:
            found.append(
                _("This pair breaks a hard rule: %(rule)s.")
                % {"rule": rule_label(self.breaks_rule)}
            )
        if self.over_capacity:
            found.append(
                _("%(mentor)s would have more mentees than free places.") % {"mentor": self.mentor}
            )
        return found


def pair_check(*, run: MatchRun, mentee: Mentee, mentor: Mentor) -> PairCheck:
    """How `mentor` would do for `mentee` in the run's draft (nothing is changed)."""
    if mentor.program_id != run.program_id or mentee.program_id != run.program_id:
        raise ValidationError({"mentor": _("Choose a mentor of this program.")})
    pool = pool_build(program=run.program)
    mentee_at, mentor_at = pool.mentee_index(), pool.mentor_index()
    if mentee.pk not in mentee_at:
        raise ValidationError(
            {"mentee": _("This mentee cannot be matched now (no intent, or already matched).")}
        )
    if mentor.pk not in mentor_at:
        raise ValidationError(
            {"mentor": _("This mentor is not in the pool (inactive, or no answers yet).")}
        )
    i, j = mentee_at[mentee.pk], mentor_at[mentor.pk]
    explanation = pool.explain(i, j)
    taken = run.proposals.filter(mentor=mentor).exclude(mentee=mentee).count() if run.pk else 0
    return PairCheck(
        mentee=mentee,
        mentor=mentor,
        score=explanation.score,
        explanation=contributions_json(explanation),
        breaks_rule=explanation.excluded_by or "",
        over_capacity=taken + 1 > pool.problem.capacities[j],
    )


def _require_draft(run: MatchRun) -> None:
    if not run.is_draft or current_draft(run.program) != run:
        raise ValidationError(_("Only the current draft can be changed."))


@transaction.atomic
def proposal_set_mentor(
    *, run: MatchRun, mentee: Mentee, mentor: Mentor, changed_by: Any
) -> PairCheck:
    """Give `mentee` the mentor `mentor` in the draft (also for an unmatched mentee).
    The admin's decision stands even against a rule or over capacity (the check's
    warnings say so); the pair is locked, so a re-run keeps it."""
    _require_draft(run)
    check = pair_check(run=run, mentee=mentee, mentor=mentor)
    MatchProposal.objects.update_or_create(
        run=run,
        mentee=mentee,
        defaults={
            "mentor": mentor,
            "score": check.score,
            "explanation": check.explanation,
            "breaks_rule": check.breaks_rule,
            "locked": True,
            "edited_by_admin": True,
        },
    )
    UnmatchedMentee.objects.filter(run=run, mentee=mentee).delete()
    return check


def proposal_lock(*, proposal: MatchProposal, locked: bool) -> MatchProposal:
    _require_draft(proposal.run)
    proposal.locked = locked
    proposal.save(update_fields=["locked"])
    return proposal


@transaction.atomic
def proposal_remove(*, proposal: MatchProposal) -> None:
    """Take a pair out of the draft: the mentee is listed as unmatched (capacity)."""
    _require_draft(proposal.run)
    UnmatchedMentee.objects.get_or_create(
        run=proposal.run, mentee=proposal.mentee, defaults={"reason": UnmatchedReason.CAPACITY}
    )
    proposal.delete()


@transaction.atomic
def run_publish(*, run: MatchRun, published_by: Any) -> list[Relationship]:
    """Publish the draft: each pair becomes a proposed relationship (the mentee's goals
    become its goals), which both then accept. A mentee matched in the meantime is
    skipped. Written to the audit log."""
    run = MatchRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    _require_draft(run)
    already = set(open_relationships(run.program).values_list("mentee_id", flat=True))
    created = []
    for proposal in run.proposals.select_related("mentee__person", "mentor__person").order_by("pk"):
        if proposal.mentee.person_id in already:
            continue
        created.append(
            relationship_flow.relationship_propose(
                program=run.program,
                mentee=proposal.mentee.person,
                mentor=proposal.mentor.person,
                goals=list(proposal.mentee.goals),
                score=proposal.score,
                explanation=proposal.explanation,
                via="match",
                proposed_by=published_by,
            )
        )
    run.published_at = timezone.now()
    run.published_by = published_by
    run.save(update_fields=["published_at", "published_by"])
    AuditLog.objects.record(
        actor=published_by,
        action=AuditAction.CREATE,
        target=run,
        summary=f"published the match of {run.program}: {len(created)} relationships proposed",
    )
    return created


# Mentees who choose ------------------------------------------------------------------


def _offered_places(program: Program, *, except_mentee: Mentee | None = None) -> dict[int, int]:
    offered = Suggestion.objects.filter(program=program, status=SuggestionStatus.OFFERED)
    if except_mentee is not None:
        offered = offered.exclude(mentee=except_mentee)
    return dict(
        offered.values_list("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n")
    )


def _store_suggestions(pool: Pool, offered: dict[int, list[engine.Pair]]) -> list[Suggestion]:
    ranked = [(rank, pair) for pairs in offered.values() for rank, pair in enumerate(pairs, 1)]
    explanations = pool.explain_all([(pair.mentee, pair.mentor) for _rank, pair in ranked])
    rows = [
        Suggestion(
            program=pool.program,
            mentee=pool.mentees[pair.mentee],
            mentor=pool.mentors[pair.mentor],
            rank=rank,
            score=pair.score,
            explanation=contributions_json(explanation),
        )
        for (rank, pair), explanation in zip(ranked, explanations, strict=True)
    ]
    return Suggestion.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def suggestions_refresh(*, program: Program, progress: Progress | None = None) -> Pool:
    """Offer each unmatched mentee their top N mentors, afresh: no mentor is offered to
    more mentees than they have free places, and the total score is the best there is."""
    _require_mentoring(program)
    Suggestion.objects.filter(program=program, status=SuggestionStatus.OFFERED).update(
        status=SuggestionStatus.WITHDRAWN, decided_at=timezone.now()
    )
    pool = pool_build(program=program)
    offered = engine.suggest(
        pool.problem, top_n=pool.mentoring.suggestions_count, progress=progress
    )
    _store_suggestions(pool, offered)
    return pool


@transaction.atomic
def suggestion_choose(*, suggestion: Suggestion, chosen_by: Any) -> Relationship:
    """The mentee chooses an offered mentor: a relationship is proposed to the mentor,
    and the mentee's other suggestions are withdrawn. The mentor's row is locked while
    their places are counted, so two mentees cannot take the last one."""
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("mentee__person", "mentor__person", "program")
        .get(pk=suggestion.pk)
    )
    if suggestion.status != SuggestionStatus.OFFERED:
        raise ValidationError(_("This suggestion is no longer open."))
    mentor = Mentor.objects.select_for_update(of=("self",)).get(pk=suggestion.mentor_id)
    program = suggestion.program
    mentoring = settings_of(program)
    if open_relationships(program).filter(mentee_id=suggestion.mentee.person_id).exists():
        raise ValidationError(_("You already have a mentor in this program."))
    load = open_relationships(program).filter(mentor_id=mentor.person_id).count()
    if load >= mentor.effective_capacity(mentoring) or not mentor.active:
        raise ValidationError(_("This mentor has no free place any more; choose another."))
    relationship = relationship_flow.relationship_propose(
        program=program,
        mentee=suggestion.mentee.person,
        mentor=mentor.person,
        goals=list(suggestion.mentee.goals),
        score=suggestion.score,
        explanation=suggestion.explanation,
        via="choice",
        proposed_by=chosen_by,
    )
    now = timezone.now()
    Suggestion.objects.filter(mentee=suggestion.mentee, status=SuggestionStatus.OFFERED).exclude(
        pk=suggestion.pk
    ).update(status=SuggestionStatus.WITHDRAWN, decided_at=now)
    suggestion.status = SuggestionStatus.CHOSEN
    suggestion.decided_at = now
    suggestion.save(update_fields=["status", "decided_at"])
    return relationship


# Rematch -------------------------------------------------------------------------------


@transaction.atomic
def rematch(
    *, program: Program, mentee: Person, exclude_mentor: Person | None = None, reason: str
) -> Relationship | list[Suggestion] | None:
    """Find `mentee` someone else after a request expired, a mentor declined or a
    no-fault exit (call it once their relationship is no longer open). Mentees who
    choose get fresh suggestions (without `exclude_mentor`); otherwise the best mentor
    with a free place is proposed directly, or, with none, the mentee waits for the next
    run. Returns the relationship, the suggestions, or None."""
    record = Mentee.objects.filter(program=program, person=mentee).first()
    if record is None:
        return None
    mentoring = settings_of(program)
    AuditLog.objects.record(
        actor=None,
        action=AuditAction.UPDATE,
        target=record,
        subject_person_id=mentee.pk,
        summary=f"rematch in {program}: {reason}"[:500],
    )
    Suggestion.objects.filter(mentee=record, status=SuggestionStatus.OFFERED).update(
        status=SuggestionStatus.WITHDRAWN, decided_at=timezone.now()
    )
    held = _offered_places(program, except_mentee=record) if mentoring.mentees_choose else None
    pool = pool_build(
        program=program, only_mentee=record, exclude_mentor=exclude_mentor, held_places=held
    )
    if not pool.mentees:
        return None
    if mentoring.mentees_choose:
        offered = engine.suggest(pool.problem, top_n=mentoring.suggestions_count)
        return _store_suggestions(pool, offered)
    result = engine.solve(pool.problem, objective=engine.Objective.OPTIMAL)
    if not result.pairs:
        return None
    pair = result.pairs[0]
    explanation = pool.explain(pair.mentee, pair.mentor)
    return relationship_flow.relationship_propose(
        program=program,
        mentee=mentee,
        mentor=pool.mentors[pair.mentor].person,
        goals=list(record.goals),
        score=pair.score,
        explanation=contributions_json(explanation),
        via="match",
    )
