"""Reinforcement pages: the burst (the learner's due items on one screen, answered one
by one with htmx or all at once), practice logs and their confirmation by a manager,
retention for a learner, a session's cohort and a course, and the admins' flags.

Access goes through `training.reinforcement_access`, one helper per resource."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.lib import charts, retention_charts
from tandem.training import reinforcement as services
from tandem.training import reinforcement_access as access
from tandem.training import retention
from tandem.training.models import (
    CourseSession,
    LearnerFlag,
    PracticeChallenge,
    Question,
    Review,
)
from tandem.training.reinforcement_forms import (
    ChallengeAnswerForm,
    ConfirmPracticeForm,
    FlagResolveForm,
    PracticeLogForm,
    RecallAnswerForm,
)


def _apply_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


# The burst ------------------------------------------------------------------------------


@dataclass
class ItemView:
    """A burst item on the page: its form, or once answered, the review."""

    item: services.BurstItem
    form: Form
    review: Review | None = None
    refusal: str = ""

    @property
    def prefix(self) -> str:
        return f"c{self.item.card.pk}"


def _form_for(item: services.BurstItem, data: Any = None) -> Form:
    prefix = f"c{item.card.pk}"
    if item.question is not None:
        return RecallAnswerForm(data, question=item.question, prefix=prefix)
    return ChallengeAnswerForm(data, prefix=prefix)


def _answer(request: HttpRequest, view: ItemView) -> None:
    """Run one item's answer: the review on success, errors on the form otherwise."""
    form, item = view.form, view.item
    if not form.is_valid():
        return
    data = form.cleaned_data
    try:
        if item.question is not None:
            view.review = services.burst_answer(
                item.card,
                question=item.question,
                chosen=data["chosen"],
                confidence=data["confidence"],
                seconds=data.get("seconds"),
            )
        else:
            assert item.challenge is not None
            view.review = services.challenge_answer(
                item.card, challenge=item.challenge, done=data["done"], seconds=data.get("seconds")
            )
    except services.Refused as error:
        view.refusal = " ".join(error.messages)
    except ValidationError as error:
        _apply_errors(form, error)


@login_required
def burst(request: HttpRequest) -> HttpResponse:
    """The learner's due items; POST answers every item filled in."""
    me = policy.person_of(request.user)
    if me is None:
        raise Http404("Bursts are for learners.")
    items = services.due_burst(me, timezone.now())
    if request.method == "POST":
        views = [ItemView(item, _form_for(item, request.POST)) for item in items]
        for view in views:
            if any(key.startswith(view.prefix + "-") for key in request.POST):
                _answer(request, view)
    else:
        views = [ItemView(item, _form_for(item)) for item in items]
    return render(request, "training/burst_page.html", {"views": views, "person": me})


@login_required
@require_POST
def burst_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """One item answered (htmx swaps the item for its result; without htmx, back to
    the burst page)."""
    card = access.access_own_card(request.user, pk)
    question: Question | None = None
    challenge: PracticeChallenge | None = None
    kind = request.POST.get("kind")
    item_pk = request.POST.get("item") or ""
    if not item_pk.isdigit():
        raise Http404("No such item.")
    if kind == "challenge":
        challenge = PracticeChallenge.objects.filter(
            pk=item_pk, objective=card.objective_id
        ).first()
        if challenge is None:
            raise Http404("No such challenge.")
    else:
        question = Question.objects.filter(pk=item_pk, objective=card.objective_id).first()
        if question is None:
            raise Http404("No such question.")
    item = services.BurstItem(card, question, challenge, 0.0)
    view = ItemView(item, _form_for(item, request.POST))
    _answer(request, view)
    if request.htmx:  # type: ignore[attr-defined]
        status = 200 if view.review or view.refusal else 422
        return render(request, "training/burst_item.html", {"view": view}, status=status)
    if view.review:
        messages.success(request, _("Answer saved."))
    elif view.refusal:
        messages.error(request, view.refusal)
    else:
        messages.error(request, _("Choose an answer first."))
    return redirect("training:burst")


# Practice logs -------------------------------------------------------------------------


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    """The learner's own practice logs; a manager's reports' logs to confirm."""
    me = policy.person_of(request.user)
    logs = access.practice_logs_visible_to(request.user)
    own = list(logs.filter(person=me)[:100]) if me is not None else []
    to_confirm = (
        list(
            logs.exclude(person=me)
            .filter(confirmed_at__isnull=True, person__in=me.reports.all().values("pk"))
            .order_by("-practiced_on")[:100]
        )
        if me is not None
        else []
    )
    context = {"own": own, "to_confirm": to_confirm, "form": ConfirmPracticeForm()}
    return render(request, "training/practice_list.html", context)


@login_required
def practice_new(request: HttpRequest) -> HttpResponse:
    me = policy.person_of(request.user)
    if me is None:
        raise Http404("Practice logs are for learners.")
    initial = {}
    challenge_id = request.GET.get("challenge", "")
    if challenge_id.isdigit():
        challenge = PracticeChallenge.objects.filter(pk=challenge_id).first()
        if challenge is not None:
            initial = {"challenge": challenge.pk, "objective": challenge.objective_id}
    form = PracticeLogForm(request.POST or None, person=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.practice_log(
                person=me,
                objective=data["objective"],
                what_i_did=data["what_i_did"],
                what_happened=data["what_happened"],
                practiced_on=data["practiced_on"],
                challenge=data["challenge"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Practice logged. Your manager can confirm it."))
            return redirect("training:practice-list")
    return render(request, "training/practice_form.html", {"form": form})


@login_required
@require_POST
def practice_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    log = access.access_practice_log(request.user, pk, confirm=True)
    form = ConfirmPracticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long (1,000 characters at most)."))
        return redirect("training:practice-list")
    try:
        services.practice_confirm(
            log=log, manager=policy.person_of(request.user), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Practice confirmed."))
    return redirect("training:practice-list")


# Retention ---------------------------------------------------------------------------------


def _cohort_chart(cohort: retention.CohortRetention, target: float) -> str | None:
    if not cohort.enough:
        return None
    svg = retention_charts.retention_curve_svg(
        [e.value for e in cohort.by_day],
        cohort.unreinforced,
        low=[e.low for e in cohort.by_day],
        high=[e.high for e in cohort.by_day],
        target=target,
    )
    return charts.data_uri(svg)


def _cohorts_chart(
    shown: list[tuple[CourseSession, retention.CohortRetention]], target: float
) -> str | None:
    if not shown:
        return None
    longest = max(shown, key=lambda pair: pair[1].days)[1]
    svg = retention_charts.cohorts_retention_svg(
        [
            (
                f"{session.local_start:%d %b %Y}"
                + ("" if session.bursts_on else " (no bursts)")
                + f", n={cohort.n}",
                [e.value for e in cohort.by_day],
                [e.low for e in cohort.by_day],
                [e.high for e in cohort.by_day],
            )
            for session, cohort in shown
        ],
        longest.unreinforced,
        target=target,
    )
    return charts.data_uri(svg)


@login_required
def retention_learner(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_learner(request.user, pk)
    sessions = []
    for learner in retention.learner_retention(person):
        course = learner.seat.session.course
        chart = charts.data_uri(
            retention_charts.retention_curve_svg(
                learner.mean_curve, learner.unreinforced, target=float(course.desired_retention)
            )
        )
        sessions.append({"learner": learner, "chart": chart})
    return render(
        request, "training/retention_learner.html", {"person": person, "sessions": sessions}
    )


@login_required
def retention_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session_cohort(request.user, pk)
    cohort = retention.session_retention(session)
    context = {
        "session": session,
        "cohort": cohort,
        "chart": _cohort_chart(cohort, float(session.course.desired_retention)),
    }
    return render(request, "training/retention_session.html", context)


@login_required
def retention_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_cohorts(request.user, pk)
    result = retention.course_retention(course)
    shown = [(s, c) for s, c in result.sessions if c.enough]
    completion = (
        charts.data_uri(
            retention_charts.completion_bars_svg(
                [str(s) for s, _c in shown],
                [c.bursts_done for _s, c in shown],
                [c.bursts_due for _s, c in shown],
            )
        )
        if shown
        else None
    )
    context = {
        "course": course,
        "result": result,
        "chart": _cohorts_chart(shown, float(course.desired_retention)),
        "completion_chart": completion,
    }
    return render(request, "training/retention_course.html", context)


# Flags --------------------------------------------------------------------------------------


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    if not access.can_see_flags(request.user):
        raise Http404("No such page.")
    show_resolved = request.GET.get("resolved") == "1"
    flags = LearnerFlag.objects.select_related("seat__person", "seat__session__course")
    flags = flags.filter(resolved_at__isnull=not show_resolved)[:200]
    context = {"flags": flags, "show_resolved": show_resolved, "form": FlagResolveForm()}
    return render(request, "training/flag_list.html", context)


@login_required
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = access.access_flag(request.user, pk)
    form = FlagResolveForm(request.POST)
    if form.is_valid():
        try:
            services.flag_resolve(flag=flag, resolution=form.cleaned_data["resolution"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Flag resolved."))
            return redirect("training:flag-list")
    else:
        messages.error(request, _("Say what was done (300 characters at most)."))
    return redirect("training:flag-list")
