"""Coaching culture in the everyday: manager one-on-ones and everyday feedback.

- One-on-ones: a recurring series between a manager and a direct report on a cadence
  the pair sets; each meeting has a shared agenda both add to (open items carry over
  to the next meeting), shared notes, each side's private notes (the author's alone:
  not the other party, not their managers, not admins, not the Django admin, not
  exports; encrypted at rest) and next steps. A meeting is completed only with at
  least one next step (an owner and a due date), like every conversation in Tandem.
- Everyday feedback: anyone gives or asks anyone for feedback, as situation,
  behaviour, impact (or free text), positive or developmental. The recipient sees it;
  their manager only when the giver chose so. A request may be tied to a goal of the
  asker's development plan.
"""

from datetime import date, time, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.encryption import EncryptedTextField
from tandem.people.models import Person
from tandem.programs.models import Goal


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 28}


class SeriesQuerySet(models.QuerySet["OneOnOneSeries"]):
    def active(self) -> "SeriesQuerySet":
        return self.filter(active=True)

    def of(self, person: Person) -> "SeriesQuerySet":
        """Series `person` takes part in, as the manager or the report."""
        return self.filter(Q(manager=person) | Q(report=person))


class OneOnOneSeries(models.Model):
    """A manager's recurring one-on-one with one direct report."""

    manager = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="one_on_ones_held", verbose_name=_("manager")
    )
    report = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="one_on_ones", verbose_name=_("report")
    )
    cadence = models.CharField(
        _("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    first_on = models.DateField(_("first meeting on"))
    starts_at = models.TimeField(_("time"), default=time(10, 0))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(120)],
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    active = models.BooleanField(_("active"), default=True)
    # iCalendar: the series' invite keeps its UID; SEQUENCE grows with each change.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["manager_id", "report_id"]
        verbose_name = _("one-on-one series")
        verbose_name_plural = _("one-on-one series")
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "report"],
                condition=Q(active=True),
                name="one_active_series_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(manager=models.F("report")), name="series_not_with_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.manager} / {self.report}"

    @property
    def every_days(self) -> int:
        return CADENCE_DAYS[Cadence(self.cadence)]

    def dates_between(self, start: date, end: date) -> list[date]:
        """The planned meeting dates from `start` to `end` (both included)."""
        step = timedelta(days=self.every_days)
        day = self.first_on
        if day < start:
            day += step * ((start - day).days // self.every_days)
            if day < start:
                day += step
        found = []
        while day <= end:
            found.append(day)
            day += step
        return found


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """One meeting of a series."""

    series = models.ForeignKey(OneOnOneSeries, on_delete=models.CASCADE, related_name="meetings")
    on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    shared_notes = models.TextField(_("shared notes"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["series_id", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["series", "on"], name="one_meeting_per_series_day")
        ]

    def __str__(self) -> str:
        return f"{self.series} on {self.on}"


class AgendaItem(models.Model):
    """A topic either side adds before or during the meeting; open items carry over."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("topic"), max_length=300)
    done = models.BooleanField(_("discussed"), default=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["meeting_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class PrivateNote(models.Model):
    """One side's own notes on a meeting: the author's alone (see the module)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(_("private notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="one_private_note_each")
        ]

    def __str__(self) -> str:
        return "private notes"


class NextStep(models.Model):
    """An action agreed in a meeting, with its owner and due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="next_steps")
    title = models.CharField(_("next step"), max_length=200)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class FeedbackKind(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    DEVELOPMENTAL = "developmental", _("Developmental")


class FeedbackRequest(models.Model):
    """Someone asks someone else for feedback, optionally on a goal of their plan."""

    requester = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    asked = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(_("what would you like feedback on?"), max_length=500)
    declined = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("asked")), name="feedback_request_not_to_oneself"
            )
        ]

    def __str__(self) -> str:
        return f"feedback request from {self.requester} to {self.asked}"


class Feedback(models.Model):
    """Feedback one person gives another: situation, behaviour, impact (or free text)."""

    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=FeedbackKind.choices)
    situation = models.TextField(_("situation"), blank=True)
    behaviour = models.TextField(_("behaviour"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    text = models.TextField(_("in your own words"), blank=True)
    share_with_manager = models.BooleanField(_("let their manager see it"), default=False)
    request = models.ForeignKey(
        FeedbackRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("recipient")), name="feedback_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=~Q(text="") | (~Q(situation="") & ~Q(behaviour="") & ~Q(impact="")),
                name="feedback_sbi_or_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feedback to {self.recipient}"
