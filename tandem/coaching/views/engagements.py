"""Finding a coach, pairing, and the engagement: its agreement, goals, end and
evaluation; the admins' engagement list with its health, and its CSV export.

Nothing here reads what is said in sessions: the engagement pages show metadata
(dates, statuses, counts, ratings) and the coaching goals, which are agreed with the
sponsor. Notes are on the session page, for the two parties only."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog
from tandem.coaching import access, confidential, services, suggestions
from tandem.coaching.forms import (
    AgreementForm,
    EndForm,
    EngagementTermsForm,
    EvaluationForm,
    GoalForm,
    GoalProgressForm,
    PairForm,
)
from tandem.coaching.models import (
    ChemistryCall,
    ChemistryStatus,
    Engagement,
    EngagementStatus,
    Evaluation,
    JournalEntry,
    PairedVia,
    Party,
    SessionStatus,
    language_choices,
)
from tandem.lib import csvsafe
from tandem.people.models import Person
from tandem.programs import access as programs_access

ENGAGEMENTS_PAGE_SIZE = 50


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# Coaching home ------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What coaching holds for the viewer: their coach (or how to find one), the
    people they coach, and for admins the roster and the engagements."""
    user = request.user
    me = policy.person_of(user)
    coach = access.coach_of(user)
    now = timezone.now()
    own = (
        list(
            Engagement.objects.filter(coachee=me)
            .select_related("coach__user", "sponsor")
            .order_by("-created_at")[:5]
        )
        if me is not None
        else []
    )
    coaching = (
        list(
            Engagement.objects.open()
            .filter(coach=coach)
            .select_related("coachee")
            .with_health()
            .order_by("coachee__last_name", "coachee__first_name")
        )
        if coach is not None
        else []
    )
    open_own = next((e for e in own if e.is_open), None)
    context = {
        "me": me,
        "coach": coach,
        "own": own,
        "open_own": open_own,
        "coaching": coaching,
        "is_admin": policy.is_program_admin(user),
        "can_choose": open_own is None and access.can_choose_own_coach(user),
        "requested_calls": list(
            ChemistryCall.objects.filter(coach=coach, status=ChemistryStatus.REQUESTED)
            .select_related("coachee")
            .order_by("created_at")
        )
        if coach is not None
        else [],
        "now": now,
    }
    return render(request, "coaching/home.html", context)


# Finding a coach and pairing -----------------------------------------------------------


def _language(request: HttpRequest) -> str:
    codes = {code for code, _name in language_choices()}
    wanted = request.GET.get("language", suggestions.DEFAULT_LANGUAGE)
    return wanted if wanted in codes else suggestions.DEFAULT_LANGUAGE


@login_required
def find_a_coach(request: HttpRequest) -> HttpResponse:
    """Three coaches ranked by fit, each saying why: for the viewer, or — for an admin —
    for the person given by `?coachee=<employee id>`."""
    user = request.user
    is_admin = policy.is_program_admin(user)
    employee_id = request.GET.get("coachee", "").replace("\x00", "").strip()[:64]
    coachee: Person | None = None
    if is_admin and employee_id:
        coachee = Person.objects.filter(employee_id__iexact=employee_id).first()
        if coachee is None:
            messages.error(request, _("No one has the employee id %(id)s.") % {"id": employee_id})
    elif not is_admin:
        me = policy.person_of(user)
        if me is None or not access.can_pair_for(user, me):
            raise PermissionDenied(
                _(
                    "Choosing a coach is open to participants of a coaching or blended "
                    "program; program admins pair everyone else."
                )
            )
        coachee = me
    language = _language(request)
    found = []
    current = None
    calls: list[ChemistryCall] = []
    if coachee is not None:
        current = (
            Engagement.objects.open().filter(coachee=coachee).select_related("coach__user").first()
        )
        if current is None:
            found = suggestions.suggest(coachee, viewer=user, language=language)
        calls = list(
            ChemistryCall.objects.filter(
                coachee=coachee, status=ChemistryStatus.REQUESTED
            ).select_related("coach__user")
        )
    context = {
        "coachee": coachee,
        "is_self": coachee is not None and coachee.user_id == user.pk,
        "suggestions": found,
        "current": current,
        "language": language,
        "languages": language_choices(),
        "requested": {call.coach_id for call in calls},
        "calls": calls,
        "employee_id": employee_id,
        "is_admin": is_admin,
    }
    return render(request, "coaching/find_a_coach.html", context)


def _pair_and_redirect(request: HttpRequest, **kwargs: Any) -> HttpResponse | None:
    try:
        engagement = services.engagement_pair(paired_by=request.user, **kwargs)
    except services.Refused as error:
        _refusal(request, error)
        return None
    messages.success(
        request,
        _("%(coachee)s and %(coach)s are paired. Next: both accept the coaching agreement.")
        % {"coachee": engagement.coachee, "coach": engagement.coach},
    )
    return redirect("coaching:engagement-detail", pk=engagement.pk)


@login_required
@require_POST
def choose_coach(request: HttpRequest, coach_pk: int) -> HttpResponse:
    """The coachee chooses a coach (after a chemistry call, or straight away)."""
    me = policy.person_of(request.user)
    if me is None:
        access.require_roster_admin(request.user)
        return redirect("coaching:home")
    coachee = access.access_coachee(request.user, me.pk)
    coach = access.access_coach(request.user, coach_pk)
    done = _pair_and_redirect(request, coach=coach, coachee=coachee, via=PairedVia.CHOICE)
    return done or redirect("coaching:find-a-coach")


@login_required
@require_POST
def request_chemistry_call(request: HttpRequest, coach_pk: int) -> HttpResponse:
    me = policy.person_of(request.user)
    if me is None:
        access.require_roster_admin(request.user)
        return redirect("coaching:home")
    coachee = access.access_coachee(request.user, me.pk)
    coach = access.access_coach(request.user, coach_pk)
    try:
        services.chemistry_call_request(coach=coach, coachee=coachee, requested_by=request.user)
    except services.Refused as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(coach)s is asked for a chemistry call and will get in touch.") % {"coach": coach},
        )
    return redirect("coaching:find-a-coach")


@login_required
def pair(request: HttpRequest) -> HttpResponse:
    """An admin pairs a coachee with a coach."""
    access.require_roster_admin(request.user)
    initial = {}
    if request.GET.get("coachee"):
        initial["coachee"] = request.GET["coachee"][:64]
    if request.GET.get("coach", "").isdigit():
        initial["coach"] = request.GET["coach"][:10]
    people = Person.objects.active()
    form = PairForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra: dict[str, Any] = {}
        if data["sponsor"] is not None:
            extra["sponsor"] = data["sponsor"]
        done = _pair_and_redirect(
            request,
            coach=data["coach"],
            coachee=data["coachee"],
            via=PairedVia.ADMIN,
            planned_sessions=data["planned_sessions"],
            session_minutes=data["session_minutes"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            **extra,
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/pair_form.html", {"form": form}, status=status)


# Engagements -----------------------------------------------------------------------------


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    """For admins every engagement with its health (sessions held against planned, the
    last session, the mean rating, the evaluations); for others those they may see.
    Never any content."""
    is_admin = policy.is_program_admin(request.user)
    status = request.GET.get("status", "")
    engagements = access.engagements_visible_to(request.user).with_health()
    if status in EngagementStatus.values:
        engagements = engagements.filter(status=status)
    engagements = engagements.prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.order_by("party"))
    ).order_by("-created_at", "-pk")
    page = Paginator(engagements, ENGAGEMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "is_admin": is_admin,
        "status": status,
        "statuses": EngagementStatus.choices,
    }
    return render(request, "coaching/engagement_list.html", context)


EXPORT_COLUMNS = [
    "engagement_id",
    "coach",
    "coachee_employee_id",
    "coachee",
    "status",
    "starts_on",
    "ends_on",
    "planned_sessions",
    "sessions_held",
    "sessions_scheduled",
    "last_session",
    "mean_rating",
    "coachee_evaluation_goals",
    "coachee_evaluation_value",
    "sponsor_evaluation_goals",
    "sponsor_evaluation_value",
]


def export_rows(engagements: Any) -> Any:
    """The export's rows: metadata only, by construction — the columns name no field
    that holds what was said."""
    for engagement in engagements:
        evaluations = {e.party: e for e in engagement.evaluations.all()}
        coachee_eval, sponsor_eval = evaluations.get(Party.COACHEE), evaluations.get(Party.SPONSOR)
        yield [
            engagement.pk,
            engagement.coach.name,
            engagement.coachee.employee_id,
            engagement.coachee.full_name,
            engagement.status,
            engagement.starts_on.isoformat(),
            engagement.ends_on.isoformat(),
            engagement.planned_sessions,
            engagement.held_count,
            engagement.scheduled_count,
            engagement.last_held_at.date().isoformat() if engagement.last_held_at else "",
            f"{engagement.mean_rating:.2f}" if engagement.mean_rating is not None else "",
            coachee_eval.goals_rating if coachee_eval else "",
            coachee_eval.value_rating if coachee_eval else "",
            sponsor_eval.goals_rating if sponsor_eval else "",
            sponsor_eval.value_rating if sponsor_eval else "",
        ]


@login_required
def engagement_export(request: HttpRequest) -> HttpResponse:
    access.require_roster_admin(request.user)
    engagements = (
        Engagement.objects.select_related("coach__user", "coachee")
        .with_health()
        .prefetch_related("evaluations")
        .order_by("pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coaching-engagements.csv"'
    writer = csvsafe.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(engagements))
    AuditLog.objects.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target_type="coaching.engagement",
        summary="Coaching engagements (metadata) exported as CSV",
        ip=request.META.get("REMOTE_ADDR"),
    )
    return response


def _detail_context(request: HttpRequest, engagement: Engagement) -> dict[str, Any]:
    user = request.user
    mine = access.parties(user, engagement)
    is_admin = policy.is_program_admin(user)
    sees_sessions = access.can_see_sessions(user, engagement)
    sessions = list(engagement.sessions.order_by("starts_at", "pk")) if sees_sessions else []
    plan = engagement.plan
    is_party = access.is_party(user, engagement)
    steps = []
    if is_party:
        steps = list(
            access.action_items_visible_to(user)
            .filter(engagement=engagement)
            .open()
            .order_by("due_date", "pk")
        )
        confidential.record_steps_read(
            user, via="engagement page", ip=request.META.get("REMOTE_ADDR")
        )
    shared = []
    if Party.COACH in mine and engagement.is_open:
        shared = list(
            JournalEntry.objects.filter(author=engagement.coachee, shared_with_coach=True)
            .only("pk", "occurred_on", "trigger", "paused", "author_id")
            .order_by("-occurred_on", "-pk")[:20]
        )
    return {
        "open_steps": steps,
        "shared_entries": shared,
        "engagement": engagement,
        "mine": mine,
        "is_coach": Party.COACH in mine,
        "is_coachee": Party.COACHEE in mine,
        "is_party": is_party,
        "is_admin": is_admin,
        "sees_sessions": sees_sessions,
        "sessions": sessions,
        "held": sum(1 for s in sessions if s.status == SessionStatus.HELD)
        if sees_sessions
        else engagement.sessions_held(),
        "goals": list(engagement.goals.select_related("plan_goal")),
        "can_schedule": access.can_schedule(user, engagement)
        and engagement.status == EngagementStatus.ACTIVE,
        "can_change": access.is_party(user, engagement) or is_admin,
        "can_accept": engagement.is_open
        and (
            (Party.COACH in mine and engagement.coach_accepted_at is None)
            or (Party.COACHEE in mine and engagement.coachee_accepted_at is None)
        ),
        "evaluating_as": access.can_evaluate(user, engagement),
        "evaluations": list(engagement.evaluations.all()),
        "plan_visible": plan is not None and programs_access.can_view_plan(user, plan),
        "agreement_form": AgreementForm(),
        "end_form": EndForm(),
        "now": timezone.now(),
    }


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = access.access_engagement(request.user, pk)
    return render(request, "coaching/engagement_detail.html", _detail_context(request, engagement))


@login_required
@require_POST
def agreement_accept(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = access.access_engagement(request.user, pk, write=True)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, engagement)
        context["agreement_form"] = form
        return render(request, "coaching/engagement_detail.html", context, status=400)
    try:
        engagement = services.agreement_accept(engagement=engagement, user=request.user)
    except services.Refused as error:
        _refusal(request, error)
    else:
        if engagement.agreement_accepted:
            messages.success(request, _("The agreement is accepted by both: sessions can start."))
        else:
            messages.success(request, _("You accepted the agreement."))
    return redirect("coaching:engagement-detail", pk=engagement.pk)


@login_required
def engagement_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Planned sessions, length, dates and the three-way meeting: the coach or an admin."""
    engagement = access.access_engagement(request.user, pk, write=True)
    if not access.can_change_terms(request.user, engagement):
        raise PermissionDenied(_("The coach and program admins change the engagement's terms."))
    form = EngagementTermsForm(request.POST or None, instance=engagement)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditLog.objects.record(
            actor=request.user,
            action=AuditAction.UPDATE,
            target=engagement,
            subject_person_id=engagement.coachee_id,
            summary="Engagement terms changed",
        )
        messages.success(request, _("Saved."))
        return redirect("coaching:engagement-detail", pk=engagement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/engagement_terms.html",
        {"engagement": engagement, "form": form},
        status=status,
    )


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = access.access_engagement(request.user, pk, write=True)
    form = GoalForm(request.POST or None, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(
                engagement=engagement,
                title=form.cleaned_data["title"],
                plan_goal=form.cleaned_data["plan_goal"],
                added_by=request.user,
            )
        except services.Refused as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Coaching goal added."))
        return redirect("coaching:engagement-detail", pk=engagement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/goal_form.html",
        {"engagement": engagement, "form": form},
        status=status,
    )


@login_required
@require_POST
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.access_goal(request.user, pk, write=True)
    form = GoalProgressForm(request.POST, instance=goal)
    if form.is_valid():
        services.goal_set_progress(
            goal=goal, progress=form.cleaned_data["progress"], by=request.user
        )
        messages.success(request, _("Progress saved."))
    else:
        for error in form.errors.get("progress", []):
            messages.error(request, str(error))
    return redirect("coaching:engagement-detail", pk=goal.engagement_id)


@login_required
def engagement_end(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = access.access_engagement(request.user, pk, write=True)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_end(
                engagement=engagement,
                ended_by=request.user,
                completed=form.cleaned_data["outcome"] == EndForm.COMPLETED,
            )
        except services.Refused as error:
            _refusal(request, error)
        else:
            messages.success(
                request,
                _("The engagement has ended. The coachee can be paired with a coach again."),
            )
        return redirect("coaching:engagement-detail", pk=engagement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/engagement_end.html",
        {"engagement": engagement, "form": form},
        status=status,
    )


@login_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = access.access_engagement(request.user, pk)
    party = access.can_evaluate(request.user, engagement)
    if party is None:
        raise PermissionDenied(
            _("The coachee and the sponsor evaluate an engagement once it has ended.")
        )
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                engagement=engagement,
                author=request.user,
                goals_rating=form.cleaned_data["goals_rating"],
                value_rating=form.cleaned_data["value_rating"],
            )
        except services.Refused as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
        return redirect("coaching:engagement-detail", pk=engagement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/evaluation_form.html",
        {"engagement": engagement, "form": form, "party": party},
        status=status,
    )


urlpatterns = [
    path("", home, name="home"),
    path("find-a-coach/", find_a_coach, name="find-a-coach"),
    path("choose/<int:coach_pk>/", choose_coach, name="choose-coach"),
    path("chemistry-call/<int:coach_pk>/", request_chemistry_call, name="chemistry-call"),
    path("pair/", pair, name="pair"),
    path("engagements/", engagement_list, name="engagement-list"),
    path("engagements/export.csv", engagement_export, name="engagement-export"),
    path("engagements/<int:pk>/", engagement_detail, name="engagement-detail"),
    path("engagements/<int:pk>/agreement/", agreement_accept, name="agreement-accept"),
    path("engagements/<int:pk>/terms/", engagement_terms, name="engagement-terms"),
    path("engagements/<int:pk>/goals/new/", goal_create, name="goal-create"),
    path("engagements/<int:pk>/end/", engagement_end, name="engagement-end"),
    path("engagements/<int:pk>/evaluate/", evaluate, name="evaluate"),
    path("goals/<int:pk>/progress/", goal_progress, name="goal-progress"),
]
