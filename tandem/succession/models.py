"""Succession and the leadership pipeline.

- Critical roles: positions whose loss would hurt, with their incumbent, the impact
  and risk of losing them and any planned vacancy.
- Talent reviews: managers rate performance and potential (low / moderate / high) of
  the people below them; the admin calibrates; each person lands in one of the nine
  boxes. A person's placements over reviews are their history, and the movement
  between two reviews is read from them. Ratings are visible to the person's
  management chain and admins only (succession.access), never to peers.
- Successor slates: ranked candidates per critical role with their readiness, and the
  development actions that prepare them (linked to their development plan).
- Openings: leadership positions opened and filled, from inside or outside, for the
  internal fill rate and the time to fill.
- Pipeline snapshots: the pipeline's figures as they stood on a day, so trends show.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.lib import ninebox
from tandem.people.models import Level, OrgUnit, Person
from tandem.programs.models import DevelopmentPlan


class Degree(models.TextChoices):
    """Impact and risk of losing a role's incumbent."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class VacancyReason(models.TextChoices):
    RETIREMENT = "retirement", _("Retirement")
    MOVE = "move", _("Planned move")
    OTHER = "other", _("Other")


class CriticalRoleQuerySet(models.QuerySet["CriticalRole"]):
    def active(self) -> "CriticalRoleQuerySet":
        return self.filter(active=True)


class CriticalRole(models.Model):
    """A position marked critical: losing its holder would hurt the organization."""

    title = models.CharField(_("title"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    incumbent = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="critical_roles",
        help_text=_("Empty while the role is vacant."),
    )
    impact_of_loss = models.CharField(
        _("impact of loss"), max_length=8, choices=Degree.choices, default=Degree.MEDIUM
    )
    risk_of_loss = models.CharField(
        _("risk of loss"), max_length=8, choices=Degree.choices, default=Degree.MEDIUM
    )
    vacancy_expected_on = models.DateField(_("planned vacancy"), null=True, blank=True)
    vacancy_reason = models.CharField(
        _("reason"), max_length=16, choices=VacancyReason.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CriticalRoleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vacancy_expected_on__isnull=True) | ~Q(vacancy_reason=""),
                name="critical_role_vacancy_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReviewStatus(models.TextChoices):
    RATING = "rating", _("Managers are rating")
    CALIBRATING = "calibrating", _("Calibrating")
    CLOSED = "closed", _("Closed")


class TalentReview(models.Model):
    """One round of ratings: managers rate, the admin calibrates, then it is closed
    and its placements become history."""

    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for the whole organization."),
    )
    levels = models.JSONField(
        _("levels"), default=list, blank=True, help_text=_("Empty for every level.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.RATING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status != ReviewStatus.CLOSED


class Rating(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class Placement(models.Model):
    """A person's performance and potential in one review: as their manager rated
    them, and as calibrated (the calibrated values win when set). Where they land on
    the 9-box is `box`."""

    review = models.ForeignKey(TalentReview, on_delete=models.CASCADE, related_name="placements")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements")
    performance = models.CharField(_("performance"), max_length=8, choices=Rating.choices)
    potential = models.CharField(_("potential"), max_length=8, choices=Rating.choices)
    rated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)
    calibrated_performance = models.CharField(
        _("calibrated performance"), max_length=8, choices=Rating.choices, blank=True
    )
    calibrated_potential = models.CharField(
        _("calibrated potential"), max_length=8, choices=Rating.choices, blank=True
    )
    calibrated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calibrated_at = models.DateTimeField(null=True, blank=True)
    calibration_note = models.CharField(_("calibration note"), max_length=500, blank=True)
    note = models.TextField(_("manager's note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["review", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="one_placement_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.review}"

    @property
    def final_performance(self) -> str:
        return self.calibrated_performance or self.performance

    @property
    def final_potential(self) -> str:
        return self.calibrated_potential or self.potential

    @property
    def box(self) -> int:
        """1-9: see tandem.lib.ninebox."""
        return ninebox.box(self.final_performance, self.final_potential)

    @property
    def high_potential(self) -> bool:
        return self.final_potential == Rating.HIGH


class BoxLabel(models.Model):
    """An organization's own name and colour for a box of the 9-box (defaults in
    tandem.lib.ninebox)."""

    box = models.PositiveSmallIntegerField(
        _("box"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    label = models.CharField(_("label"), max_length=60)
    colour = models.CharField(
        _("colour"), max_length=7, help_text=_("A hex colour such as #2b6cb0.")
    )
    description = models.CharField(_("what it means"), max_length=300, blank=True)

    class Meta:
        ordering = ["box"]

    def __str__(self) -> str:
        return f"{self.box}: {self.label}"


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", _("Ready now")
    ONE_TWO_YEARS = "one_two_years", _("Ready in 1-2 years")
    THREE_PLUS_YEARS = "three_plus_years", _("Ready in 3+ years")


class Successor(models.Model):
    """A candidate on a critical role's slate, ranked, with their readiness."""

    role = models.ForeignKey(CriticalRole, on_delete=models.CASCADE, related_name="slate")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="successions")
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    readiness = models.CharField(_("readiness"), max_length=16, choices=Readiness.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    readiness_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["role", "person"], name="one_slate_entry_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.role} ({self.get_readiness_display()})"


class ActionKind(models.TextChoices):
    MENTORING = "mentoring", _("A mentoring relationship")
    COACHING = "coaching", _("Coaching")
    COURSE = "course", _("A course")
    STRETCH = "stretch", _("A stretch assignment")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


class DevelopmentAction(models.Model):
    """What prepares a successor for the role: a mentoring relationship, coaching, a
    course or a stretch assignment, recorded on their development plan."""

    successor = models.ForeignKey(Successor, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=16, choices=ActionKind.choices)
    description = models.CharField(_("what"), max_length=300)
    plan = models.ForeignKey(
        DevelopmentPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="succession_actions",
    )
    link = models.CharField(
        _("link"),
        max_length=300,
        blank=True,
        help_text=_("The page of the relationship, engagement or session, if any."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["successor", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class FillSource(models.TextChoices):
    INTERNAL = "internal", _("From inside")
    EXTERNAL = "external", _("From outside")


class Opening(models.Model):
    """A leadership position opened and, later, filled from inside or outside."""

    title = models.CharField(_("title"), max_length=200)
    role = models.ForeignKey(
        CriticalRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="openings"
    )
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    filled_on = models.DateField(_("filled on"), null=True, blank=True)
    source = models.CharField(_("filled"), max_length=16, choices=FillSource.choices, blank=True)
    filled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(filled_on__isnull=True) & Q(source=""))
                | (Q(filled_on__isnull=False) & ~Q(source="")),
                name="opening_filled_with_source",
            ),
            models.CheckConstraint(
                condition=Q(filled_on__isnull=True) | Q(filled_on__gte=models.F("opened_on")),
                name="opening_filled_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days_to_fill(self) -> int | None:
        return (self.filled_on - self.opened_on).days if self.filled_on else None

    def is_open_on(self, day: date) -> bool:
        return self.opened_on <= day and (self.filled_on is None or self.filled_on > day)


class PipelineSnapshot(models.Model):
    """The pipeline's figures as they stood on a day (taken monthly by a periodic job,
    and on demand), so the dashboard can show how they move."""

    taken_on = models.DateField(_("date"), unique=True)
    figures = models.JSONField(default=dict)
    taken_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["taken_on"]

    def __str__(self) -> str:
        return f"pipeline on {self.taken_on}"
