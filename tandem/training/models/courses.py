"""Courses and what happens in the room: learning objectives linked to competencies,
sessions (one-to-many events with seats and a waitlist), attendance, the reaction
survey (Kirkpatrick level 1) and knowledge checks before and after (level 2).

A seat is taken under a row lock on its session (`training.services.seat_take`): two
learners racing for the last seat never both get it, and the rest join the waitlist in
the order they asked.
"""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.programs.models import Cohort, Competency, Program

__all__ = [
    "CHECK_PHASES",
    "MAX_OPTIONS",
    "SCALE_MAX",
    "SCALE_MIN",
    "CheckAnswer",
    "CheckAttempt",
    "CheckPhase",
    "Course",
    "CourseQuerySet",
    "CourseSession",
    "CourseSessionQuerySet",
    "LearningObjective",
    "Question",
    "QuestionKind",
    "ReactionSurvey",
    "Seat",
    "SeatQuerySet",
    "SeatSource",
    "SeatStatus",
    "SessionStatus",
    "validate_time_zone",
]

SCALE_MIN, SCALE_MAX = 1, 5
MAX_OPTIONS = 6
MAX_SESSION_MINUTES = 8 * 60


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Not a time zone name such as Europe/Paris."), code="time_zone")


class CourseQuerySet(models.QuerySet["Course"]):
    def active(self) -> "CourseQuerySet":
        return self.filter(active=True)


class Course(models.Model):
    """A course: what it teaches (its objectives) and how its learners are reinforced
    afterwards. Runs as sessions; each session's seats are its cohort."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    program = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text=_("The development program the course belongs to, if any."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Reinforcement: after a session each learner gets one card per objective.
    reinforce = models.BooleanField(
        _("reinforce after sessions"),
        default=True,
        help_text=_("Send spaced recall questions and practice challenges after each session."),
    )
    desired_retention = models.DecimalField(
        _("desired retention"),
        max_digits=3,
        decimal_places=2,
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text=_("The chance of recall a burst is scheduled for (FSRS): 0.70 to 0.97."),
    )
    reinforce_weeks = models.PositiveSmallIntegerField(
        _("reinforcement weeks"),
        default=26,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text=_("How long after the session bursts keep coming."),
    )
    # Escalation: a learner still low this long after the session is flagged.
    escalate_after_days = models.PositiveSmallIntegerField(
        _("flag low learners after (days)"),
        default=42,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    min_retention = models.DecimalField(
        _("flag below retention"),
        max_digits=3,
        decimal_places=2,
        default=0.7,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    min_practice_logs = models.PositiveSmallIntegerField(
        _("flag below practice logs"),
        default=1,
        validators=[MaxValueValidator(50)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class LearningObjective(models.Model):
    """What a learner should be able to do after the course; checked before and after,
    then reinforced."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "title"], name="objective_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class CourseSessionQuerySet(models.QuerySet["CourseSession"]):
    def upcoming(self, now: datetime | None = None) -> "CourseSessionQuerySet":
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now or timezone.now())

    def with_counts(self) -> "CourseSessionQuerySet":
        return self.annotate(
            seats_taken=Count("seats", filter=Q(seats__status=SeatStatus.ENROLLED)),
            waiting=Count("seats", filter=Q(seats__status=SeatStatus.WAITLISTED)),
        )


def _new_uid() -> str:
    return f"{uuid.uuid4()}@tandem"


class CourseSession(models.Model):
    """One run of a course: a one-to-many event at a time and place (or video link),
    with a facilitator, a number of seats and a waitlist."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=180,
        validators=[MinValueValidator(15), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facilitator_name = models.CharField(
        _("external facilitator"),
        max_length=200,
        blank=True,
        help_text=_("When the facilitator is not in the organization."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), default=20, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A course reinforces its learners unless this run opts out (a comparison cohort):
    # its learners still get cards, so their estimated retention shows, but no bursts.
    reinforce = models.BooleanField(
        _("reinforce this run"),
        default=True,
        help_text=_("Off for a comparison cohort: no bursts, retention still estimated."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # iCalendar: the invite's UID stays the same; SEQUENCE grows with each change.
    uid = models.CharField(max_length=100, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    held_at = models.DateTimeField(null=True, blank=True)

    objects = CourseSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_session_capacity")
        ]

    def __str__(self) -> str:
        return self.title or f"{self.course.title} {self.local_start:%Y-%m-%d}"

    @property
    def bursts_on(self) -> bool:
        """Whether this run's learners get bursts after it."""
        return self.reinforce and self.course.reinforce

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> datetime:
        """The wall-clock start where the session takes place. Naive on purpose: a
        template shows it as it is, rather than in the viewer's own time zone."""
        return self.starts_at.astimezone(ZoneInfo(self.time_zone)).replace(tzinfo=None)

    @property
    def facilitated_by(self) -> str:
        return self.facilitator.full_name if self.facilitator else self.facilitator_name


class SeatStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class SeatSource(models.TextChoices):
    SELF = "self", _("Enrolled themselves")
    MANAGER = "manager", _("Enrolled by their manager")
    PROGRAM = "program", _("Enrolled by the program")


class SeatQuerySet(models.QuerySet["Seat"]):
    def enrolled(self) -> "SeatQuerySet":
        return self.filter(status=SeatStatus.ENROLLED)

    def waitlisted(self) -> "SeatQuerySet":
        return self.filter(status=SeatStatus.WAITLISTED).order_by("requested_at", "pk")

    def attended(self) -> "SeatQuerySet":
        return self.filter(status=SeatStatus.ENROLLED, attended=True)


class Seat(models.Model):
    """A learner's place in a session: enrolled, waiting, or cancelled; then whether
    they attended. One per person and session."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_seats")
    status = models.CharField(_("status"), max_length=16, choices=SeatStatus.choices)
    source = models.CharField(
        _("enrolled by"), max_length=16, choices=SeatSource.choices, default=SeatSource.SELF
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["session", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_seat_per_person")
        ]
        indexes = [models.Index(fields=["session", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.session_id} ({self.status})"


class ReactionSurvey(models.Model):
    """Kirkpatrick level 1, right after the session: three 1-5 answers and a comment."""

    seat = models.OneToOneField(Seat, on_delete=models.CASCADE, related_name="reaction")
    relevance = models.PositiveSmallIntegerField(
        _("How relevant was this to your work?"),
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    engagement = models.PositiveSmallIntegerField(
        _("How engaging was the session?"),
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    intent_to_apply = models.PositiveSmallIntegerField(
        _("How likely are you to apply it in the next month?"),
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(relevance__gte=1, relevance__lte=5)
                & Q(engagement__gte=1, engagement__lte=5)
                & Q(intent_to_apply__gte=1, intent_to_apply__lte=5),
                name="reaction_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"reaction of seat {self.seat_id}"


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    SCENARIO = "scenario", _("Scenario")


class Question(models.Model):
    """A knowledge-check question for one objective, written by an admin. Used in the
    checks before and after the session, and as a recall question in bursts. A
    scenario question describes a situation and asks for the best response."""

    objective = models.ForeignKey(
        LearningObjective, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.MULTIPLE_CHOICE
    )
    prompt = models.TextField(_("question"), max_length=2000)
    options = models.JSONField(_("options"), default=list)
    correct = models.PositiveSmallIntegerField(_("correct option (from 1)"))
    explanation = models.TextField(
        _("why"), blank=True, max_length=2000, help_text=_("Shown after answering.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["objective", "pk"]

    def __str__(self) -> str:
        return self.prompt[:80]

    def clean(self) -> None:
        options = self.options
        if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
            raise ValidationError({"options": _("Between 2 and 6 options.")})
        if not all(isinstance(o, str) and o.strip() for o in options):
            raise ValidationError({"options": _("Every option needs some text.")})
        if not 1 <= self.correct <= len(options):
            message = _("Pick one of the options (1 to %d).") % len(options)
            raise ValidationError({"correct": message})

    def is_right(self, chosen: int) -> bool:
        return chosen == self.correct


class CheckPhase(models.TextChoices):
    BEFORE = "before", _("Before the session")
    AFTER = "after", _("After the session")


CHECK_PHASES = [CheckPhase.BEFORE, CheckPhase.AFTER]


class CheckAttempt(models.Model):
    """A knowledge check taken by a learner, before or after the session; scored per
    objective from its answers."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="checks")
    phase = models.CharField(_("when"), max_length=8, choices=CheckPhase.choices)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seat", "taken_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seat", "phase"], name="one_check_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.phase} check of seat {self.seat_id}"

    def scores(self) -> dict[int, float]:
        """Share of right answers per objective id."""
        totals: dict[int, list[int]] = {}
        for objective_id, right in self.answers.values_list("question__objective_id", "right"):
            totals.setdefault(objective_id, []).append(int(right))
        return {k: sum(v) / len(v) for k, v in totals.items()}


class CheckAnswer(models.Model):
    attempt = models.ForeignKey(CheckAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    chosen = models.PositiveSmallIntegerField()
    right = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id} ({'right' if self.right else 'wrong'})"
