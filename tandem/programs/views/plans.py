"""Development plan pages: my plan, a plan's page with the five-step cycle, goals and
milestones, learning, measurements, comments and closing a cycle; and the plan
templates per leader level for program admins.

Every plan page fetches the plan through `access.access_plan`: the participant, their
management chain and program admins see it; anyone else gets "not found". Whoever may
see a plan may work on it (DESIGN.md: the manager joins goal setting and comments)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.programs import access, panels, services
from tandem.programs.cycle import blockers_to_leave
from tandem.programs.forms.plans import (
    BaselineForm,
    CycleCloseForm,
    GoalForm,
    LearningActivityForm,
    MilestoneForm,
    PlanCommentForm,
    PlanTemplateForm,
    result_formset,
)
from tandem.programs.models import (
    UNFINISHED_GOAL,
    Competency,
    DevelopmentPlan,
    Goal,
    Measurement,
    Milestone,
    PlanCycle,
    PlanTemplate,
    Stage,
)

# What each step is for, said to the participant. The stepper and "where you are" use it.
STEP_ABOUT = {
    Stage.ASSESS: gettext_lazy(
        "Take stock: self-assessment, behavioural style and 360 feedback show strengths "
        "and blind spots. Record the baseline the results will be compared with."
    ),
    Stage.SET_GOALS: gettext_lazy(
        "Set specific, measurable goals with due dates and milestones, each aligned to an "
        "organizational objective."
    ),
    Stage.LEARN: gettext_lazy(
        "Choose how to learn: training, mentoring, coaching or a blend. The advisor "
        "recommends one for the need."
    ),
    Stage.APPLY: gettext_lazy(
        "Practise on the job, with accountability check-ins that end in clear next steps."
    ),
    Stage.MEASURE: gettext_lazy(
        "Re-assess and compare with the baseline. Record the results and the outcome; "
        "the next cycle starts from there, at a higher level."
    ),
}
STEP_SHORT = {
    Stage.ASSESS: gettext_lazy("Strengths and blind spots"),
    Stage.SET_GOALS: gettext_lazy("Aligned, measurable goals"),
    Stage.LEARN: gettext_lazy("Training, mentoring, coaching"),
    Stage.APPLY: gettext_lazy("Practice and check-ins"),
    Stage.MEASURE: gettext_lazy("Compare with the baseline"),
}


@dataclass(frozen=True)
class Step:
    stage: Stage
    number: int
    state: str  # "done", "current" or "upcoming"

    @property
    def label(self) -> str:
        return str(self.stage.label)

    @property
    def short(self) -> str:
        return str(STEP_SHORT[self.stage])


@dataclass(frozen=True)
class GoalCard:
    """A goal of the open cycle as its card shows it."""

    goal: Goal
    is_overdue: bool
    milestone_form: MilestoneForm


@dataclass(frozen=True)
class PlanCard:
    """One plan in "my plans": where its open cycle stands."""

    plan: DevelopmentPlan
    cycle: PlanCycle

    @property
    def step_number(self) -> int:
        return self.cycle.stage_index() + 1


def steps_of(cycle: PlanCycle) -> list[Step]:
    current = cycle.stage_index()
    return [
        Step(stage, number, "done" if i < current else "current" if i == current else "upcoming")
        for i, (number, stage) in enumerate(enumerate(Stage, start=1))
    ]


def _open_cycle(plan: DevelopmentPlan) -> PlanCycle:
    cycle = plan.current_cycle()
    cycle.plan = plan  # the plan is already loaded with its person and program
    return cycle


def _render_plan(
    request: HttpRequest,
    plan: DevelopmentPlan,
    *,
    status: int = 200,
    refused: list[str] | None = None,
    milestone_form: MilestoneForm | None = None,
    **forms: Any,
) -> HttpResponse:
    """The plan page. A form that failed is passed in bound, so its errors show next
    to its fields; everything else starts empty."""
    cycle = _open_cycle(plan)
    today = timezone.localdate()
    goals = list(cycle.goals_in_full())
    goal_cards = [
        GoalCard(
            goal,
            is_overdue=goal.status in UNFINISHED_GOAL and goal.due_date < today,
            milestone_form=milestone_form
            if milestone_form is not None and milestone_form.goal.pk == goal.pk
            else MilestoneForm(goal=goal, prefix=f"goal{goal.pk}"),
        )
        for goal in goals
    ]
    measurements = list(cycle.measurements.select_related("competency"))
    previous = (
        plan.cycles.filter(closed_on__isnull=False)
        .order_by("-number")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("objective").order_by("pk")),
            "measurements",
        )
    )
    stage = Stage(cycle.stage)
    following = Stage.after(stage)
    baselines = [m for m in measurements if m.kind == Measurement.Kind.BASELINE]
    context = {
        "plan": plan,
        "person": plan.person,
        "program": plan.program,
        "cycle": cycle,
        "stage": stage,
        "step_number": cycle.stage_index() + 1,
        "step_about": STEP_ABOUT[stage],
        "next_stage": following,
        "next_about": STEP_ABOUT[following] if following else "",
        "steps": steps_of(cycle),
        "blockers": blockers_to_leave(cycle) if following else [],
        "refused": refused or [],
        "is_own": _is_own(request, plan),
        "goals": goals,
        "goal_cards": goal_cards,
        "goals_closed_reason": cycle.goals_closed_reason(),
        "unfinished_goals": [g for g in goals if g.status in UNFINISHED_GOAL],
        "activities": cycle.activities.all(),
        "baselines": baselines,
        "results": [m for m in measurements if m.kind == Measurement.Kind.RESULT],
        "previous_cycles": previous,
        "comments": plan.comments.select_related("author"),
        "advisor_url": f"{reverse('programs:advisor')}?plan={plan.pk}",
        "activity_form": forms.get("activity_form") or LearningActivityForm(prefix="activity"),
        "baseline_form": forms.get("baseline_form") or BaselineForm(prefix="baseline"),
        "comment_form": forms.get("comment_form") or PlanCommentForm(prefix="comment"),
        # What other apps show here (assessment results, ...); each decides what the viewer may see.
        "main_panels": panels.panels_for(request, plan, cycle, panels.MAIN),
        "side_panels": panels.panels_for(request, plan, cycle, panels.SIDE),
    }
    if stage == Stage.MEASURE:
        context["close_form"] = forms.get("close_form") or CycleCloseForm(prefix="close")
        context["result_forms"] = forms.get("result_forms") or result_formset(baselines=baselines)
    return render(request, "programs/plan_detail.html", context, status=status)


def _is_own(request: HttpRequest, plan: DevelopmentPlan) -> bool:
    viewer = policy.person_of(request.user)
    return viewer is not None and viewer.pk == plan.person_id


def _back_to(plan: DevelopmentPlan, anchor: str = "") -> HttpResponse:
    url = reverse("programs:plan-detail", args=[plan.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


# My plan -----------------------------------------------------------------------------


@login_required
def my_plans(request: HttpRequest) -> HttpResponse:
    """The signed-in person's plans; with exactly one, straight to it."""
    person = policy.person_of(request.user)
    cards: list[PlanCard] = []
    if person is not None:
        mine = access.plans_visible_to(request.user).filter(person=person)
        open_cycles = (
            PlanCycle.objects.filter(plan__in=mine, closed_on__isnull=True)
            .select_related("plan__enrollment__program")
            .order_by("-plan__created_at", "-plan_id")
        )
        cards = [PlanCard(cycle.plan, cycle) for cycle in open_cycles]
    if len(cards) == 1:
        return redirect("programs:plan-detail", pk=cards[0].plan.pk)
    return render(request, "programs/my_plans.html", {"cards": cards, "person": person})


# The plan page and the cycle ---------------------------------------------------------


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_plan(request, access.access_plan(request.user, pk))


@login_required
@require_POST
def plan_advance(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    try:
        cycle = services.plan_advance(plan=plan, advanced_by=request.user)
    except services.Refused as refused:
        return _render_plan(request, plan, status=400, refused=refused.messages)
    messages.success(
        request,
        _("Moved on to step %(number)d of 5: %(stage)s.")
        % {"number": cycle.stage_index() + 1, "stage": Stage(cycle.stage).label},
    )
    return _back_to(plan)


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the measure step: the outcome and the results, then the next cycle opens
    with the unfinished goals and the latest measurements as its baseline."""
    plan = access.access_plan(request.user, pk)
    form = CycleCloseForm(request.POST, prefix="close")
    result_forms = result_formset(
        request.POST,
        baselines=list(plan.current_cycle().measurements.filter(kind=Measurement.Kind.BASELINE)),
    )
    if form.is_valid() and result_forms.is_valid():
        try:
            following = services.cycle_close(
                plan=plan,
                outcome=form.cleaned_data["outcome"],
                results=[
                    services.Result(
                        label=row["label"],
                        value=row["value"],
                        competency_id=row["competency"].pk if row["competency"] else None,
                    )
                    for row in result_forms.results()
                ],
                closed_by=request.user,
            )
        except services.Refused as refused:
            return _render_plan(request, plan, status=400, refused=refused.messages)
        carried = following.goals.count()
        numbers = {"closed": following.number - 1, "number": following.number, "count": carried}
        if carried:
            text = _(
                "Cycle %(closed)d is closed. Cycle %(number)d starts at the assess step, "
                "with %(count)d unfinished goal(s) carried forward."
            )
        else:
            text = _("Cycle %(closed)d is closed. Cycle %(number)d starts at the assess step.")
        messages.success(request, text % numbers)
        return _back_to(plan)
    if Stage(plan.current_cycle().stage) != Stage.MEASURE:
        return _render_plan(
            request, plan, status=400, refused=[_("A cycle closes from its measure step.")]
        )
    return _render_plan(request, plan, status=400, close_form=form, result_forms=result_forms)


# Goals and milestones -----------------------------------------------------------------


def _goal_page(
    request: HttpRequest, plan: DevelopmentPlan, goal: Goal | None, cycle: PlanCycle
) -> HttpResponse:
    """Create (goal=None) or change a goal of the plan's open cycle."""
    closed_reason = cycle.goals_closed_reason() if goal is None else None
    if goal is not None and not cycle.is_open:
        closed_reason = _("This goal belongs to a closed cycle and can no longer change.")
    initial = _new_goal_initial(request) if goal is None else {}
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        instance=goal,
        cycle=cycle,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if goal is None:
            messages.success(request, _("Added the goal “%(title)s”.") % {"title": saved})
        else:
            messages.success(request, _("Saved the goal “%(title)s”.") % {"title": saved})
        return _back_to(plan, f"goal-{saved.pk}")
    template = plan.template
    context = {
        "plan": plan,
        "person": plan.person,
        "cycle": cycle,
        "goal": goal,
        "form": form,
        "is_own": _is_own(request, plan),
        "closed_reason": closed_reason,
        "suggestions": list(template.suggested_goals) if template and goal is None else [],
    }
    failed = request.method == "POST" or (closed_reason is not None and goal is None)
    return render(request, "programs/plan_goal_form.html", context, status=400 if failed else 200)


def _new_goal_initial(request: HttpRequest) -> dict[str, Any]:
    """A new goal may start from a suggestion: ?title= (a template's suggested goal) and
    ?competency=<id> (a goal area the assessment suggested)."""
    initial: dict[str, Any] = {"title": request.GET.get("title", "")[:200]}
    competency = request.GET.get("competency", "")
    if competency.isdigit() and len(competency) <= 18:
        initial["competency"] = Competency.objects.filter(pk=int(competency)).first()
    return initial


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    return _goal_page(request, plan, None, _open_cycle(plan))


@login_required
def goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    goal = get_object_or_404(Goal.objects.select_related("cycle"), pk=goal_pk, cycle__plan=plan)
    return _goal_page(request, plan, goal, goal.cycle)


@login_required
@require_POST
def milestone_create(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    goal = get_object_or_404(Goal.objects.select_related("cycle"), pk=goal_pk, cycle__plan=plan)
    form = MilestoneForm(request.POST, goal=goal, prefix=f"goal{goal.pk}")
    if form.is_valid():
        milestone = form.save()
        messages.success(request, _("Added the milestone “%(title)s”.") % {"title": milestone})
        return _back_to(plan, f"goal-{goal.pk}")
    return _render_plan(request, plan, status=400, milestone_form=form)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Tick a milestone done (`done=true`) or not done again (`done=false`)."""
    plan = access.access_plan(request.user, pk)
    milestone = get_object_or_404(
        Milestone.objects.select_related("goal__cycle"), pk=milestone_pk, goal__cycle__plan=plan
    )
    if not milestone.goal.cycle.is_open:
        refused = [_("This goal belongs to a closed cycle and can no longer change.")]
        return _render_plan(request, plan, status=400, refused=refused)
    done = request.POST.get("done", "true") != "false"
    milestone.done_on = timezone.localdate() if done else None
    milestone.save(update_fields=["done_on"])
    return _back_to(plan, f"goal-{milestone.goal_id}")


# Learning, measurements, comments ------------------------------------------------------


@login_required
@require_POST
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    form = LearningActivityForm(request.POST, prefix="activity")
    if form.is_valid():
        activity = form.save(commit=False)
        activity.cycle = plan.current_cycle()
        activity.save()
        messages.success(request, _("Added “%(activity)s”.") % {"activity": activity})
        return _back_to(plan, "learning")
    return _render_plan(request, plan, status=400, activity_form=form)


@login_required
@require_POST
def baseline_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    form = BaselineForm(request.POST, prefix="baseline")
    if form.is_valid():
        baseline = form.save(commit=False)
        baseline.cycle = plan.current_cycle()
        baseline.kind = Measurement.Kind.BASELINE
        baseline.save()
        messages.success(request, _("Recorded the baseline “%(label)s”.") % {"label": baseline})
        return _back_to(plan, "measurements")
    return _render_plan(request, plan, status=400, baseline_form=form)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    form = PlanCommentForm(request.POST, prefix="comment")
    if form.is_valid():
        comment = form.save(commit=False)
        comment.plan = plan
        comment.author = request.user
        comment.save()
        messages.success(request, _("Your comment is on the plan."))
        return _back_to(plan, "comments")
    return _render_plan(request, plan, status=400, comment_form=form)


# Plan templates (program admins) -------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    return render(
        request, "programs/plan_template_list.html", {"templates": PlanTemplate.objects.all()}
    )


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    template = get_object_or_404(PlanTemplate, pk=pk)
    form = PlanTemplateForm(request.POST if request.method == "POST" else None, instance=template)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved “%(title)s”.") % {"title": template})
        return redirect("programs:template-list")
    return render(
        request,
        "programs/plan_template_form.html",
        {"form": form, "template": template},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("my-plan/", my_plans, name="my-plans"),
    path("plans/<int:pk>/", plan_detail, name="plan-detail"),
    path("plans/<int:pk>/advance/", plan_advance, name="plan-advance"),
    path("plans/<int:pk>/close-cycle/", cycle_close, name="cycle-close"),
    path("plans/<int:pk>/goals/new/", goal_create, name="goal-create"),
    path("plans/<int:pk>/goals/<int:goal_pk>/edit/", goal_edit, name="goal-edit"),
    path(
        "plans/<int:pk>/goals/<int:goal_pk>/milestones/",
        milestone_create,
        name="milestone-create",
    ),
    path(
        "plans/<int:pk>/milestones/<int:milestone_pk>/done/",
        milestone_done,
        name="milestone-done",
    ),
    path("plans/<int:pk>/activities/", activity_create, name="activity-create"),
    path("plans/<int:pk>/baselines/", baseline_create, name="baseline-create"),
    path("plans/<int:pk>/comments/", comment_create, name="comment-create"),
    path("templates/", template_list, name="template-list"),
    path("templates/<int:pk>/edit/", template_edit, name="template-edit"),
]
