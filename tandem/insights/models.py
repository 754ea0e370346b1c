"""Measuring impact: engagement pulses, and what a program's ROI is computed from.

- Pulses: short engagement surveys sent to whole teams through single-use links (the
  rater-link tokens of assessments). A response keeps no link to the person who gave
  it: only the slice it belongs to as the pulse went out (org unit, level, the team's
  manager), and the invitation only records that it was used, not when, so the order
  of answers cannot be matched to the order of invitations. Results show only for
  slices that are unions of safe cells (tandem.lib.anonymity.safe_cells).
- ROI inputs a program adds to its cost lines (programs.CostLine): the loaded hourly
  cost of participant time, the replacement cost of an exit as a share of the salary
  band, the benefit period, custom benefit lines (estimate x attribution x the
  estimator's confidence) and intangibles (listed, never monetized).

Insights reads every domain and writes only these.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Level, OrgUnit, Person
from tandem.programs.models import Program

HUNDRED = Decimal("100")


# --- pulses ---------------------------------------------------------------------------


class PulseSettings(models.Model):
    """How often pulses go out (one row; `current()` makes it on first use)."""

    every_months = models.PositiveSmallIntegerField(
        _("send a pulse every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    open_days = models.PositiveSmallIntegerField(
        _("open for (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    automatic = models.BooleanField(
        _("send automatically"),
        default=True,
        help_text=_("Open the next pulse by itself when the last one is this many months old."),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("pulse settings")

    def __str__(self) -> str:
        return f"every {self.every_months} months, open {self.open_days} days"

    @classmethod
    def current(cls) -> "PulseSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class PulseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PulseQuerySet(models.QuerySet["Pulse"]):
    def closed(self) -> "PulseQuerySet":
        return self.filter(status=PulseStatus.CLOSED)


class Pulse(models.Model):
    """One round of the engagement pulse, to everyone active (or one org unit's
    subtree) on the day it opens."""

    name = models.CharField(_("name"), max_length=120)
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("org unit"),
        help_text=_("Leave empty to ask the whole organization."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=8, choices=PulseStatus.choices, default=PulseStatus.DRAFT
    )
    invited = models.PositiveIntegerField(_("invited"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PulseQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="pulse_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PulseInvitation(models.Model):
    """One person's single-use link to a pulse; only the token's hash is kept. `used`
    is a flag, not a time (see the module's docstring)."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pulse", "person"], name="one_pulse_link_per_person")
        ]

    def __str__(self) -> str:
        return f"pulse link for {self.person} ({self.pulse})"


class PulseResponse(models.Model):
    """One anonymous answer to a pulse. Never shown one by one and not in the admin.

    `team_lead`, `org_unit` and `level` are the respondent's manager, unit and level as
    the pulse went out: the slice keys. `index` is the respondent's engagement index
    (0-100, tandem.lib.impact.engagement_index's per-respondent value) and `enps` the
    0-10 answer, kept as columns so every figure is a GROUP BY."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")
    team_lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=32, choices=Level.choices)
    answers = models.JSONField(default=dict)
    index = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    enps = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    # The safe cell (tandem.lib.anonymity.safe_cells) the response falls in, set when
    # the pulse closes; results are read only from closed pulses, cell by cell.
    cell = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Set with the cell: True when the cell holds this response's team and no other,
    # so a team shows on its own exactly when all its responses have it.
    own_team_cell = models.BooleanField(default=False, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["pulse", "org_unit", "level", "team_lead", "index", "enps"],
                name="pulse_response_slices",
            ),
            models.Index(
                fields=["pulse", "cell", "team_lead", "index", "enps"], name="pulse_response_cells"
            ),
            models.Index(
                fields=["team_lead", "pulse", "own_team_cell", "index", "enps"],
                name="pulse_response_teams",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(enps__lte=10), name="pulse_enps_0_to_10"),
            models.CheckConstraint(
                condition=Q(index__gte=0, index__lte=100), name="pulse_index_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return "a pulse response"


# --- ROI inputs -------------------------------------------------------------------------


class SalaryBand(models.Model):
    """The annual salary midpoint of a level: an exit's replacement cost is a share
    of it (ImpactSettings.replacement_cost_percent)."""

    level = models.CharField(_("level"), max_length=32, choices=Level.choices, unique=True)
    annual_midpoint = models.DecimalField(
        _("annual salary midpoint"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.annual_midpoint}"


class ImpactSettings(models.Model):
    """A program's ROI assumptions, stated once and shown on the report."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="impact_settings"
    )
    loaded_hourly_cost = models.DecimalField(
        _("participant time: loaded cost per hour"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Salary plus benefits and overhead, per hour a participant spends."),
    )
    replacement_cost_percent = models.DecimalField(
        _("replacement cost (% of the salary band)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("400"))],
    )
    benefit_months = models.PositiveSmallIntegerField(
        _("benefits counted (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Phillips counts the first year only for short programs."),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("impact settings")

    def __str__(self) -> str:
        return f"impact settings of {self.program}"

    @classmethod
    def of(cls, program: Program) -> "ImpactSettings":
        """The program's settings, or unsaved defaults."""
        found = cls.objects.filter(program=program).first()
        return found if found is not None else cls(program=program)


class BenefitLine(models.Model):
    """A benefit converted to money, conservatively: its estimated value x the share
    the estimator attributes to the program x the estimator's confidence."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="benefit_lines")
    description = models.CharField(_("description"), max_length=200)
    value = models.DecimalField(
        _("estimated value"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    attribution_percent = models.DecimalField(
        _("attributed to the program (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )
    confidence_percent = models.DecimalField(
        _("estimator's confidence (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )
    estimator = models.CharField(_("estimated by"), max_length=120, blank=True)
    basis = models.CharField(_("basis of the estimate"), max_length=300, blank=True)

    class Meta:
        ordering = ["program_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attribution_percent__gte=0, attribution_percent__lte=100)
                & Q(confidence_percent__gte=0, confidence_percent__lte=100),
                name="benefit_shares_0_to_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.value}"

    @property
    def monetized(self) -> Decimal:
        return self.value * self.attribution_percent / HUNDRED * self.confidence_percent / HUNDRED


class Intangible(models.Model):
    """A benefit the program claims but does not put a money figure on (Phillips:
    listed, not monetized)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="intangibles")
    description = models.CharField(_("description"), max_length=200)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)

    class Meta:
        ordering = ["program_id", "pk"]

    def __str__(self) -> str:
        return self.description
