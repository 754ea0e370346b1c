"""Mentoring relationships: from the request to the closing survey.

A relationship pairs a mentee with a mentor in a mentoring program. It is proposed (by
a published match, a mentee's choice or an admin), accepted by both — the mentor may
ask the mentee a question first — and becomes active once the agreement is confirmed
(the mentee's goals, a meeting cadence, what stays confidential). A request not
accepted in time expires and the mentee is offered the next suggestion.

What is confidential lives apart from what is not (DESIGN.md: mentoring notes belong
to the mentor and the mentee; admins see cadence and satisfaction only): a Meeting's
date and length are metadata, its topics, next step and each side's private notes are
encrypted and read only through `mentoring.relationship_access`; so are the mentor's
questions, check-in and closing comments and the introductions' notes.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.encryption import EncryptedTextField
from tandem.mentoring.models.matching import MentoringFormat
from tandem.people.models import Person
from tandem.programs.models import Program

__all__ = [
    "CHECK_IN_EVERY_DAYS",
    "CHECK_IN_FIRST_DAYS",
    "DEFAULT_CONFIDENTIALITY",
    "DEFAULT_INACTIVITY_WEEKS",
    "OPEN_RELATIONSHIP_STATUSES",
    "CheckIn",
    "ClosingSurvey",
    "Introduction",
    "IntroductionKind",
    "Meeting",
    "MeetingAttendance",
    "MeetingCadence",
    "MeetingMode",
    "MentorQuestion",
    "ProposedVia",
    "Relationship",
    "RelationshipExitReason",
    "RelationshipOutcome",
    "RelationshipQuerySet",
    "RelationshipSide",
    "RelationshipStatus",
]

RATING_MIN, RATING_MAX = 1, 5
CHECK_IN_FIRST_DAYS = 30  # the first pulse, after activation
CHECK_IN_EVERY_DAYS = 60  # then every 60 days
DEFAULT_INACTIVITY_WEEKS = 6
MAX_GOALS = 10
GOAL_MAX_LENGTH = 300


class RelationshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


# A relationship in these states takes one of the mentor's places.
OPEN_RELATIONSHIP_STATUSES = (RelationshipStatus.PROPOSED, RelationshipStatus.ACTIVE)


class ProposedVia(models.TextChoices):
    MATCH = "match", _("Published match")
    CHOICE = "choice", _("Chosen by the mentee")
    ADMIN = "admin", _("Assigned by an admin")


class RelationshipSide(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")
    ADMIN = "admin", _("Program admin")


SIDES = [
    (RelationshipSide.MENTEE.value, RelationshipSide.MENTEE.label),
    (RelationshipSide.MENTOR.value, RelationshipSide.MENTOR.label),
]


class MeetingCadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class RelationshipOutcome(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    PARTLY_MET = "partly_met", _("Goals partly met")
    NOT_MET = "not_met", _("Goals not met")
    EXITED = "exited", _("Ended early, without fault")


class RelationshipExitReason(models.TextChoices):
    """Why a relationship ended early: never anyone's fault."""

    NOT_A_FIT = "not_a_fit", _("Not the right fit")
    TIME = "time", _("No time to give it")
    ROLE_CHANGE = "role_change", _("A change of role or location")
    GOALS_CHANGED = "goals_changed", _("The goals changed")
    LEFT = "left", _("Someone left the organization")
    OTHER = "other", _("Another reason")


DEFAULT_CONFIDENTIALITY = _(
    "What we say stays between us. Each of us keeps private notes that only the author "
    "reads; the notes belong to the mentor and the mentee. The program admin sees only "
    "our meeting cadence, when we met, and how satisfied we are in the check-ins — never "
    "notes, questions or comments."
)


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    def open(self) -> "RelationshipQuerySet":
        """Proposed or active: these take one of the mentor's places."""
        return self.filter(status__in=OPEN_RELATIONSHIP_STATUSES)

    def active(self) -> "RelationshipQuerySet":
        return self.filter(status=RelationshipStatus.ACTIVE)

    def requests(self) -> "RelationshipQuerySet":
        """Proposed and not yet accepted by both."""
        return self.filter(status=RelationshipStatus.PROPOSED).filter(
            Q(mentee_accepted_at__isnull=True) | Q(mentor_accepted_at__isnull=True)
        )

    def past_expiry(self, now: datetime | None = None) -> "RelationshipQuerySet":
        return self.requests().filter(expires_at__lt=now or timezone.now())

    def for_user(self, user: Any) -> "RelationshipQuerySet":
        """Relationships where `user` is the mentee or the mentor."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(mentee__user=user) | Q(mentor__user=user))

    def for_mentor(self, person: Person) -> "RelationshipQuerySet":
        return self.filter(mentor=person)

    def for_mentee(self, person: Person) -> "RelationshipQuerySet":
        return self.filter(mentee=person)

    def with_meeting_stats(self) -> "RelationshipQuerySet":
        """Annotate `meeting_count` and `last_met_on` (metadata only)."""
        return self.annotate(
            meeting_count=Count("attendances", distinct=True),
            last_met_on=Max("attendances__meeting__held_on"),
        )

    def with_health(self) -> "RelationshipQuerySet":
        """Annotate what admins see, in the same query: meetings, the last meeting, the
        mean check-in satisfaction and how many answered it. Never content."""
        return self.with_meeting_stats().annotate(
            mean_satisfaction=Avg(
                "check_ins__satisfaction", filter=Q(check_ins__answered_at__isnull=False)
            ),
            satisfaction_count=Count(
                "check_ins", filter=Q(check_ins__answered_at__isnull=False), distinct=True
            ),
        )

    def inactive(self, weeks: int, today: date | None = None) -> "RelationshipQuerySet":
        """Active relationships with no meeting for `weeks` weeks (counted from the
        activation when they have never met)."""
        since = (today or timezone.localdate()) - timedelta(weeks=weeks)
        return (
            self.active()
            .annotate(last_met=Max("attendances__meeting__held_on"))
            .filter(Q(last_met__lt=since) | Q(last_met__isnull=True, activated_at__date__lt=since))
        )


def _no_goals() -> list[str]:
    return []


class Relationship(models.Model):
    """A mentee and a mentor in a mentoring program."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="mentoring_relationships",
        verbose_name=_("program"),
    )
    mentee = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="mentoring_as_mentee",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="mentoring_as_mentor",
        verbose_name=_("mentor"),
    )
    format = models.CharField(
        _("format"),
        max_length=16,
        choices=MentoringFormat.choices,
        default=MentoringFormat.ONE_TO_ONE,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.PROPOSED,
    )
    via = models.CharField(_("proposed by"), max_length=16, choices=ProposedVia.choices)
    score = models.FloatField(_("compatibility score"), null=True, blank=True)
    explanation = models.JSONField(
        _("explanation"),
        default=list,
        blank=True,
        help_text=_("Each criterion's contribution to the score."),
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        _("request expires at"),
        null=True,
        blank=True,
        help_text=_("A request not accepted by both by then expires."),
    )
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.CharField(max_length=16, choices=RelationshipSide.choices, blank=True)
    # The agreement
    goals = models.JSONField(_("goals"), default=_no_goals, blank=True)
    cadence = models.CharField(
        _("meeting cadence"), max_length=16, choices=MeetingCadence.choices, blank=True
    )
    confidentiality = models.TextField(
        _("what stays confidential"), default=DEFAULT_CONFIDENTIALITY, max_length=4000
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # The end
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=16, choices=RelationshipSide.choices, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=RelationshipOutcome.choices, blank=True
    )
    exit_reason = models.CharField(
        _("reason for ending early"),
        max_length=16,
        choices=RelationshipExitReason.choices,
        blank=True,
    )
    rematch_requested = models.BooleanField(_("rematch requested"), default=False)
    # Nudges: the last reminder of an inactive relationship, so each period sends one.
    last_nudged_at = models.DateTimeField(null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["proposed", "active"]),
                name="one_open_mentoring_relationship_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="mentoring_not_own_mentor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RELATIONSHIP_STATUSES

    @property
    def accepted_by_both(self) -> bool:
        return self.mentee_accepted_at is not None and self.mentor_accepted_at is not None

    @property
    def is_request(self) -> bool:
        """Proposed and waiting for one side (or both) to accept."""
        return self.status == RelationshipStatus.PROPOSED and not self.accepted_by_both

    @property
    def awaits_agreement(self) -> bool:
        return self.status == RelationshipStatus.PROPOSED and self.accepted_by_both

    @property
    def is_flash(self) -> bool:
        return self.format == MentoringFormat.FLASH

    def accepted_by(self, side: str) -> bool:
        if side == RelationshipSide.MENTEE:
            return self.mentee_accepted_at is not None
        if side == RelationshipSide.MENTOR:
            return self.mentor_accepted_at is not None
        return False

    def check_in_dates(self, until: date) -> list[date]:
        """The pulse's due dates up to `until`: 30 days after activation, then every 60."""
        if self.activated_at is None:
            return []
        due = timezone.localdate(self.activated_at) + timedelta(days=CHECK_IN_FIRST_DAYS)
        dates = []
        while due <= until:
            dates.append(due)
            due += timedelta(days=CHECK_IN_EVERY_DAYS)
        return dates

    def goal_list(self) -> list[str]:
        return [str(goal) for goal in (self.goals or []) if str(goal).strip()]


class MentorQuestion(models.Model):
    """A question the mentor asks the mentee before accepting, and the answer. For the
    two of them only (encrypted)."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="questions"
    )
    question = EncryptedTextField(_("question"))
    asked_at = models.DateTimeField(default=timezone.now, editable=False)
    answer = EncryptedTextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        # Never the content: this string reaches logs and admin pages.
        return f"question {self.pk} of relationship {self.relationship_id}"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")


MIN_MEETING_MINUTES, MAX_MEETING_MINUTES = 5, 480


class Meeting(models.Model):
    """A meeting the mentor held: one record for the whole group in the group format
    (each mentee's attendance carries that mentee's private notes). The date and the
    length are metadata; the topics, the next step and the mentor's notes are for the
    parties only (the mentor's notes for the mentor only)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relationships = models.ManyToManyField(
        Relationship, through="MeetingAttendance", related_name="meetings"
    )
    held_on = models.DateField(_("held on"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_MEETING_MINUTES), MaxValueValidator(MAX_MEETING_MINUTES)],
    )
    mode = models.CharField(
        _("format"), max_length=16, choices=MeetingMode.choices, default=MeetingMode.VIDEO
    )
    topics = EncryptedTextField(_("topics"), blank=True)
    next_step = EncryptedTextField(_("next step"), blank=True)
    mentor_notes = EncryptedTextField(_("the mentor's private notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["mentor", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MEETING_MINUTES)
                & Q(duration_minutes__lte=MAX_MEETING_MINUTES),
                name="mentoring_meeting_duration_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"mentoring meeting {self.pk} on {self.held_on}"


class MeetingAttendance(models.Model):
    """A mentee's part in a meeting, with the mentee's own private notes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="attendances"
    )
    mentee_notes = EncryptedTextField(_("the mentee's private notes"), blank=True)

    class Meta:
        ordering = ["meeting_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "relationship"], name="one_attendance_per_relationship"
            )
        ]

    def __str__(self) -> str:
        return f"attendance of relationship {self.relationship_id} at meeting {self.meeting_id}"


class CheckIn(models.Model):
    """The pulse each side answers 30 days after activation, then every 60 days. The
    program admin sees the ratings; the comment is for the relationship only."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="check_ins"
    )
    side = models.CharField(max_length=16, choices=SIDES)
    due_on = models.DateField(_("due on"))
    satisfaction = models.PositiveSmallIntegerField(
        _("How satisfied are you with the mentoring?"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    goal_progress = models.PositiveSmallIntegerField(
        _("How far have the goals moved?"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    frequency_ok = models.BooleanField(_("Do you meet often enough?"), null=True, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "side", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "side", "due_on"], name="one_check_in_per_side_and_date"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="check_in_satisfaction_in_range",
            ),
            models.CheckConstraint(
                condition=Q(goal_progress__isnull=True)
                | Q(goal_progress__gte=1, goal_progress__lte=5),
                name="check_in_progress_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in of relationship {self.relationship_id} ({self.side}, {self.due_on})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ClosingSurvey(models.Model):
    """Each side's survey when the relationship closes. The ratings reach the program
    admin; what changed is for the relationship only."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="closing_surveys"
    )
    side = models.CharField(max_length=16, choices=SIDES)
    satisfaction = models.PositiveSmallIntegerField(
        _("How satisfied are you with the mentoring?"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    goals_met = models.PositiveSmallIntegerField(
        _("How far were the goals met?"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    would_recommend = models.BooleanField(_("Would you recommend mentoring to a colleague?"))
    what_changed = EncryptedTextField(_("What changed for you?"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["relationship_id", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "side"], name="one_closing_survey_per_side"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5, goals_met__gte=1)
                & Q(goals_met__lte=5),
                name="closing_survey_ratings_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"closing survey of relationship {self.relationship_id} ({self.side})"


class IntroductionKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction to someone")
    SPONSORSHIP = "sponsorship", _("Sponsorship (spoke up for the mentee)")
    EVENT = "event", _("Invitation to an event")


class Introduction(models.Model):
    """A door the mentor opened: an introduction, sponsorship or an event invitation.
    Whom and the note are for the two parties; admins count them by kind."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="introductions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IntroductionKind.choices)
    whom = EncryptedTextField(_("whom, or which event"))
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    note = EncryptedTextField(_("note"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for relationship {self.relationship_id}"
