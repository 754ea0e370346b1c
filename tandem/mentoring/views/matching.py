"""The match: program admins start a run, watch it progress, review the draft (each pair
with its score and what each criterion gave), change a mentor, lock pairs, re-run
around the locks and publish; or, where mentees choose, offer suggestions. A mentee
sees their own suggestions and chooses one."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.mentoring import access, matching
from tandem.mentoring.forms import ChangeMentorForm
from tandem.mentoring.models import (
    MatchRun,
    Mentee,
    RunStatus,
    Suggestion,
    SuggestionStatus,
    UnmatchedMentee,
)


def _bars(explanation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each criterion's bar: its points against the most it could give (its share of the
    weights), for the explanation bars."""
    total = sum(c["weight"] for c in explanation) or 1
    bars = []
    for c in explanation:
        most = 100 * c["weight"] / total
        bars.append(
            {
                **c,
                "most": round(most, 1),
                "percent": round(100 * c["similarity"]),
                "width": round(100 * c["points"] / most) if most else 0,
            }
        )
    return bars


def _run_context(program: Any, run: MatchRun | None) -> dict[str, Any]:
    context: dict[str, Any] = {"run": run, "proposals": [], "unmatched": []}
    if run is None or run.status != RunStatus.DONE:
        return context
    proposals = list(
        run.proposals.select_related("mentee__person", "mentor__person").order_by(
            "-locked", "mentee__person__last_name", "mentee__person__first_name", "pk"
        )
    )
    for proposal in proposals:
        proposal.bars = _bars(proposal.explanation)  # type: ignore[attr-defined]
        proposal.rule_label = (  # type: ignore[attr-defined]
            matching.rule_label(proposal.breaks_rule) if proposal.breaks_rule else ""
        )
    context["proposals"] = proposals
    context["unmatched"] = list(
        UnmatchedMentee.objects.filter(run=run)
        .select_related("mentee__person")
        .order_by("reason", "mentee__person__last_name", "pk")
    )
    context["is_draft"] = run.is_draft and matching.current_draft(program) == run
    return context


@login_required
def match_page(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    mentoring = matching.settings_of(program)
    run = matching.latest_run(program)
    if run is not None and run.status == RunStatus.FAILED:
        shown = matching.current_draft(program)
        failed = run
    else:
        shown, failed = run, None
    context = {
        "program": program,
        "mentoring": mentoring,
        "failed": failed,
        **_run_context(program, shown),
    }
    if mentoring.mentees_choose:
        offered = Suggestion.objects.filter(program=program, status=SuggestionStatus.OFFERED)
        context["offered_count"] = offered.count()
        context["offered_mentees"] = offered.values("mentee").distinct().count()
    return render(request, "mentoring/match.html", context)


@login_required
@require_POST
def match_start(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    try:
        run = matching.run_start(program=program, started_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:match", pk=program.pk)
    if run.status == RunStatus.DONE:
        messages.success(request, _("The match is ready: review the draft below."))
    return redirect("mentoring:match", pk=program.pk)


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel, polled by htmx while the run works; once it has finished, the
    page reloads to show the draft."""
    run = access.access_run(request.user, pk)
    response = render(request, "mentoring/snippets/run_progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def pair_edit(request: HttpRequest, pk: int, mentee_pk: int) -> HttpResponse:
    """Change the mentor of a mentee in the draft (or give an unmatched mentee one):
    the page shows the new pair's explanation and its warnings before the change."""
    run = access.access_run(request.user, pk)
    mentee = Mentee.objects.select_related("person").filter(pk=mentee_pk, program=run.program)
    found = mentee.first()
    if found is None:
        raise Http404("No such mentee in this program.")
    current = run.proposals.select_related("mentor__person").filter(mentee=found).first()
    form = ChangeMentorForm(request.POST or request.GET or None, program=run.program)
    check = None
    if form.is_bound and form.is_valid():
        try:
            if request.method == "POST" and request.POST.get("confirm"):
                check = matching.proposal_set_mentor(
                    run=run,
                    mentee=found,
                    mentor=form.cleaned_data["mentor"],
                    changed_by=request.user,
                )
                for warning in check.warnings():
                    messages.warning(request, warning)
                messages.success(
                    request,
                    _("%(mentee)s is now paired with %(mentor)s (locked).")
                    % {"mentee": found.person, "mentor": check.mentor},
                )
                return redirect("mentoring:match", pk=run.program_id)
            check = matching.pair_check(run=run, mentee=found, mentor=form.cleaned_data["mentor"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("mentor", message)
    context = {
        "program": run.program,
        "run": run,
        "mentee": found,
        "current": current,
        "form": form,
        "check": check,
        "bars": _bars(check.explanation) if check else [],
        "warnings": check.warnings() if check else [],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "mentoring/pair_edit.html", context, status=status)


@login_required
@require_POST
def proposal_lock(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, pk)
    locked = request.POST.get("locked") == "1"
    try:
        matching.proposal_lock(proposal=proposal, locked=locked)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mentoring:match", pk=proposal.run.program_id)


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.access_run(request.user, pk)
    try:
        created = matching.run_publish(run=run, published_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Published the match: %(n)d relationships proposed to mentees and mentors.")
            % {"n": len(created)},
        )
    return redirect("mentoring:match", pk=run.program_id)


@login_required
@require_POST
def suggestions_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.access_program(request.user, pk, manage=True)
    try:
        pool = matching.suggestions_refresh(program=program)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Offered suggestions to %(n)d mentees.") % {"n": len(pool.mentees)},
        )
    return redirect("mentoring:match", pk=program.pk)


# The mentee's suggestions ----------------------------------------------------------


@login_required
def suggestion_list(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = access.access_own_mentee(request.user, pk)
    suggestions = list(
        access.suggestions_visible_to(request.user)
        .filter(mentee=mentee, status=SuggestionStatus.OFFERED)
        .order_by("rank")
    )
    for suggestion in suggestions:
        suggestion.bars = _bars(suggestion.explanation)  # type: ignore[attr-defined]
        suggestion.about = _about(suggestion)  # type: ignore[attr-defined]
    chosen = (
        access.suggestions_visible_to(request.user)
        .filter(mentee=mentee, status=SuggestionStatus.CHOSEN)
        .first()
    )
    context = {
        "program": mentee.program,
        "mentee": mentee,
        "suggestions": suggestions,
        "chosen": chosen,
    }
    return render(request, "mentoring/suggestions.html", context)


def _about(suggestion: Suggestion) -> list[tuple[str, str]]:
    """What the mentor wrote in the free-text questions: shown to the mentee."""
    from tandem.mentoring.questionnaire import MENTOR, questions_of

    shown = []
    for question in questions_of(suggestion.program):
        if question.kind == "free_text" and question.asks(MENTOR):
            text = suggestion.mentor.answers.get(question.key)
            if text:
                shown.append((question.text_for(MENTOR), text))
    return shown


@login_required
@require_POST
def suggestion_choose(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = access.access_suggestion(request.user, pk)
    try:
        matching.suggestion_choose(suggestion=suggestion, chosen_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:suggestions", pk=suggestion.program_id)
    messages.success(
        request,
        _("We asked %(mentor)s to mentor you; you will hear when they accept.")
        % {"mentor": suggestion.mentor.person},
    )
    return redirect("mentoring:relationship-list")


urlpatterns = [
    path("programs/<int:pk>/match/", match_page, name="match"),
    path("programs/<int:pk>/match/start/", match_start, name="match-start"),
    path("programs/<int:pk>/suggestions/refresh/", suggestions_refresh, name="suggestions-refresh"),
    path("runs/<int:pk>/progress/", run_progress, name="run-progress"),
    path("runs/<int:pk>/mentees/<int:mentee_pk>/mentor/", pair_edit, name="pair-edit"),
    path("runs/<int:pk>/publish/", run_publish, name="run-publish"),
    path("proposals/<int:pk>/lock/", proposal_lock, name="proposal-lock"),
    path("programs/<int:pk>/suggestions/", suggestion_list, name="suggestions"),
    path("suggestions/<int:pk>/choose/", suggestion_choose, name="suggestion-choose"),
]
