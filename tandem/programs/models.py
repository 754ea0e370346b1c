"""Programs, enrollments, success criteria and the development cycle.

The cycle (DESIGN.md): assess -> set goals -> learn -> apply -> measure. Each
enrolled participant has one DevelopmentPlan; the plan runs in numbered cycles, and
closing a cycle's measure step opens the next one "at a higher level": unfinished
goals are carried forward and the latest measurements become the new baseline.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.lib.anonymity import NEVER_BELOW, Thresholds
from tandem.people.models import Level, Objective, Person


class ProgramKind(models.TextChoices):
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    BLENDED = "blended", _("Blended")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


def anonymity_minimum_errors(minimums: dict[str, tuple[str, Any]]) -> dict[str, str]:
    """Field-level errors for 360 anonymity minimums that are too low, from
    {field name: (Thresholds attribute, value)}. The rule itself is
    `Thresholds.validated()`: checked one minimum at a time so each error sits next
    to its own field. Values that are not numbers yet are left to the field's checks."""
    problems = {}
    for field, (name, value) in minimums.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        one_minimum: dict[str, Any] = {name: value}
        try:
            Thresholds(**one_minimum).validated()
        except ValueError:
            problems[field] = _(
                "At least %(minimum)d: a group with fewer answers would let raters be identified."
            ) % {"minimum": NEVER_BELOW}
    return problems


class ProgramQuerySet(models.QuerySet["Program"]):
    def running(self) -> "ProgramQuerySet":
        return self.filter(status=ProgramStatus.RUNNING)


class Program(models.Model):
    """A development program. It cannot launch before it says how success will be
    measured: at least one SuccessCriterion (metric, baseline, target, date)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgramKind.choices)
    target_levels = models.JSONField(
        _("target leader levels"), default=list, blank=True, help_text=_("Leader levels it serves.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_programs",
        verbose_name=_("owner"),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    checkin_every_days = models.PositiveSmallIntegerField(
        _("check-in every (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("How often participants hold an accountability check-in."),
    )
    # 360 anonymity: copied into each review started for an enrollment of the program
    # (a review keeps the settings it started with). Never below 3 (lib.anonymity).
    review_min_peers = models.PositiveSmallIntegerField(
        _("minimum answers from peers"),
        default=3,
        help_text=_("Peers show as a group only with at least this many answers (3 or more)."),
    )
    review_min_direct_reports = models.PositiveSmallIntegerField(
        _("minimum answers from direct reports"),
        default=3,
        help_text=_(
            "Direct reports show as a group only with at least this many answers (3 or more)."
        ),
    )
    review_min_others = models.PositiveSmallIntegerField(
        _("minimum answers from others"),
        default=3,
        help_text=_("Others show as a group only with at least this many answers (3 or more)."),
    )
    review_min_all_others = models.PositiveSmallIntegerField(
        _("minimum answers from all others combined"),
        default=4,
        help_text=_(
            "Peers, direct reports and others combined show only with at least this many "
            "answers (3 or more)."
        ),
    )
    review_show_manager = models.BooleanField(
        _("show the manager as a group of one"),
        default=False,
        help_text=_("The manager's answers then show in their own column, which names them."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    launched_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="program_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    review_min_peers__gte=NEVER_BELOW,
                    review_min_direct_reports__gte=NEVER_BELOW,
                    review_min_others__gte=NEVER_BELOW,
                    review_min_all_others__gte=NEVER_BELOW,
                ),
                name="program_review_minimums_at_least_3",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        problems = anonymity_minimum_errors(
            {
                "review_min_peers": ("peers", self.review_min_peers),
                "review_min_direct_reports": ("direct_reports", self.review_min_direct_reports),
                "review_min_others": ("others", self.review_min_others),
                "review_min_all_others": ("all_others", self.review_min_all_others),
            }
        )
        if problems:
            raise ValidationError(problems)

    def review_thresholds(self) -> Thresholds:
        """The 360 anonymity settings a review started in this program copies."""
        return Thresholds(
            peers=self.review_min_peers,
            direct_reports=self.review_min_direct_reports,
            others=self.review_min_others,
            all_others=self.review_min_all_others,
            show_manager=self.review_show_manager,
        ).validated()

    def launch_blockers(self) -> list[str]:
        """Why the program cannot launch yet; empty when it can."""
        blockers = []
        if self.status != ProgramStatus.DRAFT:
            blockers.append(str(_("Only a draft program can be launched.")))
        if not self.criteria.exists():
            blockers.append(
                str(
                    _(
                        "Define at least one success criterion (metric, baseline, target "
                        "and date) before launch: measurement is built in, not bolted on."
                    )
                )
            )
        return blockers

    def target_level_labels(self) -> list[str]:
        return [str(Level(level).label) for level in self.target_levels if level in Level.values]

    def total_cost(self) -> Decimal:
        return self.cost_lines.aggregate(total=models.Sum("amount"))["total"] or Decimal("0")


class CostCategory(models.TextChoices):
    FACILITATION = "facilitation", _("Facilitation and design")
    COACHING = "coaching", _("Coaching fees")
    MENTORING = "mentoring", _("Mentoring")
    MATERIALS = "materials", _("Materials and assessments")
    VENUE_TRAVEL = "venue_travel", _("Venue and travel")
    PARTICIPANT_TIME = "participant_time", _("Participant time")
    PLATFORM_ADMIN = "platform_admin", _("Platform and administration")
    OTHER = "other", _("Other")


class CostLine(models.Model):
    """One cost of a program, for the ROI (fully loaded costs)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cost_lines")
    category = models.CharField(_("category"), max_length=24, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    incurred_on = models.DateField(_("incurred on"), null=True, blank=True)

    class Meta:
        ordering = ["program_id", "category", "pk"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class Competency(models.Model):
    """A leadership competency of the organization's model (e.g. "Coaching others").
    Goals may target one; assessments score them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class Metric(models.TextChoices):
    """What a success criterion measures. The actuals are computed by later modules
    (assessments, insights); here they are defined, stored and shown."""

    COMPETENCY_360_CHANGE = "competency_360_change", _("360 change on a competency")
    SELF_ASSESSMENT_CHANGE = "self_assessment_change", _("Self-assessment change")
    TEAM_ENGAGEMENT = "team_engagement", _("Engagement score of participants' teams")
    TEAM_VOLUNTARY_TURNOVER = (
        "team_voluntary_turnover",
        _("Voluntary turnover of participants' teams"),
    )
    INTERNAL_PROMOTION_RATE = "internal_promotion_rate", _("Internal promotion rate")
    GOAL_COMPLETION_RATE = "goal_completion_rate", _("Goal completion rate")
    PARTICIPANT_RETENTION = "participant_retention", _("Participant retention")
    SUCCESSION_READINESS = "succession_readiness", _("Succession readiness")


class SuccessCriterion(models.Model):
    """Defined before launch: what will count as success, from where, by when."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices)
    competency = models.ForeignKey(
        Competency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("competency"),
        help_text=_("For a 360 or self-assessment change: which competency."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=10, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. %, points"))
    measure_by = models.DateField(_("measure by"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["program_id", "pk"]
        verbose_name_plural = "success criteria"

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.baseline} → {self.target}"

    @property
    def direction(self) -> str:
        """ "increase" or "decrease": turnover targets go down, most others up."""
        return "decrease" if self.target < self.baseline else "increase"


class Cohort(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("start date"), null=True, blank=True)

    class Meta:
        ordering = ["program_id", "start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_cohort_name")
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.name}"


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def current(self) -> "EnrollmentQuerySet":
        return self.filter(status__in=[EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE])


class Enrollment(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.INVITED,
    )
    enrolled_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["program_id", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_enrollment_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.program}"


class PlanTemplate(models.Model):
    """What a plan for one leader level starts from; admins edit these. Seeded with
    the focus areas of the seed article ("Tailoring by leader level")."""

    level = models.CharField(_("level"), max_length=32, choices=Level.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    focus_areas = models.JSONField(_("focus areas"), default=list)
    suggested_goals = models.JSONField(
        _("suggested goals"),
        default=list,
        blank=True,
        help_text=_("A list of goal titles offered when a plan starts."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return self.title


class Stage(models.TextChoices):
    """The five steps of the cycle, in order."""

    ASSESS = "assess", _("Assess")
    SET_GOALS = "set_goals", _("Set goals")
    LEARN = "learn", _("Learn")
    APPLY = "apply", _("Apply")
    MEASURE = "measure", _("Measure")

    @classmethod
    def after(cls, stage: str) -> "Stage | None":
        order = list(cls)
        index = order.index(cls(stage))
        return order[index + 1] if index + 1 < len(order) else None


class DevelopmentPlanQuerySet(models.QuerySet["DevelopmentPlan"]):
    def with_open_cycle(self) -> "DevelopmentPlanQuerySet":
        """Annotate each plan with its open cycle's `stage` and `cycle_number`, in the
        same query."""
        open_cycle = PlanCycle.objects.filter(plan=models.OuterRef("pk"), closed_on__isnull=True)
        return self.annotate(
            stage=models.Subquery(open_cycle.values("stage")[:1]),
            cycle_number=models.Subquery(open_cycle.values("number")[:1]),
        )


class DevelopmentPlan(models.Model):
    """One participant's plan in one program; it runs in numbered cycles."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="plan")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plans")
    template = models.ForeignKey(PlanTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person}'s plan ({self.enrollment.program})"

    @property
    def program(self) -> Program:
        return self.enrollment.program

    def current_cycle(self) -> "PlanCycle":
        """The open cycle (there is always exactly one)."""
        return self.cycles.get(closed_on__isnull=True)

    def next_checkin_due(self, today: date | None = None) -> date:
        """A check-in is due `checkin_every_days` after the last one (or the start)."""
        last = self.checkins.order_by("-held_on").values_list("held_on", flat=True).first()
        start = last or self.created_at.date()
        return start + timedelta(days=self.program.checkin_every_days)


class PlanCycle(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(default=1)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.ASSESS)
    started_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_cycle_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(closed_on__isnull=True),
                name="one_open_cycle_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"cycle {self.number} of {self.plan}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def stage_index(self) -> int:
        return list(Stage.values).index(self.stage)

    def goals_closed_reason(self) -> str | None:
        """Why goals cannot be added to this cycle now, or None. Goals are set once the
        assessment has shown where to grow: from the set-goals step on, in an open cycle."""
        if not self.is_open:
            return str(_("This cycle is closed; goals are added to the current cycle."))
        if self.stage == Stage.ASSESS:
            return str(
                _(
                    "Goals come after the assessment: finish the assess step first, so the "
                    "goals build on what it showed."
                )
            )
        return None

    def goals_in_full(self) -> "GoalQuerySet":
        """The cycle's goals with what their cards show, in a fixed number of queries."""
        return self.goals.select_related(
            "objective", "competency", "carried_from__cycle"
        ).prefetch_related("milestones")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")
    CARRIED_FORWARD = "carried_forward", _("Carried forward")


UNFINISHED_GOAL = [GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS]


class GoalQuerySet(models.QuerySet["Goal"]):
    def unfinished(self) -> "GoalQuerySet":
        return self.filter(status__in=UNFINISHED_GOAL)


class Goal(models.Model):
    """A specific, measurable development goal, aligned to an organizational objective."""

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    measure = models.CharField(
        _("how it is measured"),
        max_length=300,
        help_text=_("What will show the goal is met, e.g. “direct reports rate delegation ≥ 4”."),
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("organizational objective"),
    )
    competency = models.ForeignKey(
        Competency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        verbose_name=_("competency"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["cycle_id", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["goal_id", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class Measurement(models.Model):
    """A measured value in a cycle: a baseline carried in, or a result recorded in the
    measure step. Closing a cycle copies the latest values as the next baseline."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        RESULT = "result", _("Result")

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(_("what"), max_length=200)
    competency = models.ForeignKey(Competency, null=True, blank=True, on_delete=models.SET_NULL)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=60, blank=True, help_text=_("e.g. 360, self"))
    measured_on = models.DateField(_("measured on"), default=timezone.localdate)

    class Meta:
        ordering = ["cycle_id", "kind", "label"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class Modality(models.TextChoices):
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    REINFORCEMENT = "reinforcement", _("Reinforcement")


class LearningActivity(models.Model):
    """What the participant will learn from in the "learn" step."""

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="activities")
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices)
    description = models.CharField(_("description"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["cycle_id", "pk"]
        verbose_name_plural = "learning activities"

    def __str__(self) -> str:
        return f"{self.get_modality_display()}: {self.description}"


class PlanComment(models.Model):
    """A comment on a plan, typically by the participant's manager."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class CheckIn(models.Model):
    """An accountability conversation. It always ends in at least one next step
    (an ActionItem with an owner and a due date); `services.checkin_record` enforces it."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="checkins")
    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="checkins")
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    attendees = models.ManyToManyField(Person, related_name="+", verbose_name=_("who met"))
    progress = models.TextField(_("what progressed"))
    blockers = models.TextField(_("what blocked"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"check-in {self.held_on} ({self.plan.person})"


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> "ActionItemQuerySet":
        return self.filter(done_on__isnull=True)

    def overdue(self, today: date | None = None) -> "ActionItemQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """A next step with an owner and a due date."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="action_items")
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="next_steps"
    )
    title = models.CharField(_("next step"), max_length=200)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        return self.done_on is None and self.due_date < (today or timezone.localdate())

    def complete(self, on: Any = None) -> None:
        self.done_on = on or timezone.localdate()
        self.save(update_fields=["done_on"])


class ReminderSent(models.Model):
    """An overdue reminder emailed to a person on a day. The unique pair makes the
    daily reminder idempotent: across workers, retries and repeated runs, a person
    gets at most one a day (see programs.tasks)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"reminder to {self.person_id} on {self.sent_on}"
