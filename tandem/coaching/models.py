"""Coaches, engagements and sessions.

A coaching engagement pairs a coach with a coachee (DESIGN.md: coaching works on
present performance and self-awareness). It takes one of the coach's places from the
moment it is paired until it ends; a coach never has more open engagements than places
(`services.engagement_pair` locks the coach's row to count them).

What is confidential lives apart from what is not: a Session holds metadata only
(when, how long, held or not, the coachee's rating), which program admins may see;
what was said lives in SessionNotes and ActionItem (and the reflection journal in
JournalEntry), encrypted at rest and read only through `coaching.confidential`.
"""

import uuid
import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import global_settings, settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.encryption import EncryptedTextField
from tandem.people.models import Level, Person
from tandem.programs.models import Competency, DevelopmentPlan, Goal

MAX_CAPACITY = 50
MAX_PLANNED_SESSIONS = 24
MIN_SESSION_MINUTES, MAX_SESSION_MINUTES = 15, 240
RATING_MIN, RATING_MAX = 1, 5


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def language_choices() -> list[tuple[str, str]]:
    """Languages a coach may work in: Django's list, by code ("en", "pt-br"), by name."""
    return sorted(global_settings.LANGUAGES, key=lambda pair: str(pair[1]))


def language_name(code: str) -> str:
    return str(dict(global_settings.LANGUAGES).get(code, code))


# Coaches ----------------------------------------------------------------------------


class CoachKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class Certification(models.TextChoices):
    """ICF credentials, from the first level to the highest."""

    NONE = "none", _("None")
    OTHER = "other", _("Other certification")
    ICF_ACC = "icf_acc", _("ICF ACC")
    ICF_PCC = "icf_pcc", _("ICF PCC")
    ICF_MCC = "icf_mcc", _("ICF MCC")


class CoachStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class CoachQuerySet(models.QuerySet["Coach"]):
    def active(self) -> "CoachQuerySet":
        return self.filter(status=CoachStatus.ACTIVE, user__is_active=True)

    def with_load(self) -> "CoachQuerySet":
        """Annotate `load`: the engagements that take one of the coach's places."""
        return self.annotate(
            load=Count("engagements", filter=Q(engagements__status__in=OPEN_STATUSES))
        )

    def with_free_places(self) -> "CoachQuerySet":
        return self.with_load().filter(load__lt=models.F("capacity"))  # type: ignore[misc]


class Coach(models.Model):
    """A coach on the roster: internal (an employee, who then also has a person record)
    or external. Coaches sign in with their own login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coach_profile",
        verbose_name=_("login"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CoachKind.choices)
    bio = models.TextField(_("bio"), blank=True, max_length=4000)
    specialties = models.ManyToManyField(
        Competency,
        blank=True,
        related_name="+",
        verbose_name=_("specialties"),
        help_text=_("The competencies and development areas the coach works on."),
    )
    certification = models.CharField(
        _("certification"), max_length=16, choices=Certification.choices, default="none"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=_time_zone_choices
    )
    levels = models.JSONField(
        _("leader levels"), default=list, blank=True, help_text=_("Leader levels they coach.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many coachees at most at a time."),
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What an hour costs the organization (for the return on investment)."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=16, choices=CoachStatus.choices, default=CoachStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CoachQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="coach_capacity_in_range",
            ),
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="coach_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def person(self) -> Person | None:
        """The coach's own person record (internal coaches), or None."""
        return Person.objects.filter(user_id=self.user_id).first()

    def coachee_count(self) -> int:
        """Open engagements: those that take one of the coach's places."""
        return self.engagements.filter(status__in=OPEN_STATUSES).count()

    def free_places(self) -> int:
        return max(0, self.capacity - self.coachee_count())

    def level_labels(self) -> list[str]:
        return [str(Level(level).label) for level in self.levels if level in Level.values]

    def language_labels(self) -> list[str]:
        return [language_name(code) for code in self.languages]


# Engagements ------------------------------------------------------------------------


class EngagementStatus(models.TextChoices):
    AGREEMENT = "agreement", _("Awaiting the agreement")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")


# An engagement in these states takes one of the coach's places.
OPEN_STATUSES = (EngagementStatus.AGREEMENT, EngagementStatus.ACTIVE)


class PairedVia(models.TextChoices):
    ADMIN = "admin", _("Assigned by an admin")
    CHOICE = "choice", _("Chosen by the coachee")


class Party(models.TextChoices):
    """Who in an engagement did something."""

    COACH = "coach", _("Coach")
    COACHEE = "coachee", _("Coachee")
    SPONSOR = "sponsor", _("Sponsor")
    ADMIN = "admin", _("Program admin")


DEFAULT_AGREEMENT = _(
    "Coaching agreement\n\n"
    "1. Confidentiality. What is said in our sessions, the session notes and the "
    "coachee's takeaways stay between the coach and the coachee. The coachee's manager, "
    "the sponsor and program admins see only that sessions took place, when, and the "
    "coachee's ratings. Notes are encrypted and every read of them is logged.\n"
    "2. Goals. The coaching goals are agreed in a three-way meeting with the sponsor and "
    "linked to the coachee's development plan. Progress on them is shared with the sponsor.\n"
    "3. Sessions. Each session ends with at least one next step, with an owner and a due "
    "date. Sessions cancelled with less than 24 hours' notice count as held.\n"
    "4. Limits. The coach will break confidentiality only where the law requires it or "
    "someone is at risk of harm, and will say so first.\n"
    "5. Ending. Either of us may end the engagement at any time, without giving a reason "
    "and without fault; the coachee may then be paired with another coach."
)


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def open(self) -> "EngagementQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def for_coach_user(self, user: Any) -> "EngagementQuerySet":
        return self.filter(coach__user=user)

    def with_health(self) -> "EngagementQuerySet":
        """Annotate what the admins' engagement list shows, in the same query:
        `held_count`, `scheduled_count`, `last_held_at`, `mean_rating`, `rated_count`.
        Metadata only: nothing of what was said."""
        held = Q(sessions__status=SessionStatus.HELD)
        return self.annotate(
            held_count=Count("sessions", filter=held),
            scheduled_count=Count("sessions", filter=Q(sessions__status=SessionStatus.SCHEDULED)),
            last_held_at=Max("sessions__starts_at", filter=held),
            mean_rating=Avg("sessions__rating", filter=held),
            rated_count=Count("sessions__rating", filter=held),
        )


def _six_months_on() -> date:
    return timezone.localdate() + timedelta(days=182)


class Engagement(models.Model):
    """A coach and a coachee working together, with an optional sponsor (usually the
    coachee's manager) who joins the three-way goal-setting meeting and evaluates the
    engagement at its end. Sessions start once both have accepted the agreement."""

    coach = models.ForeignKey(
        Coach, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("coach")
    )
    coachee = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="coaching_engagements",
        verbose_name=_("coachee"),
    )
    sponsor = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_engagements",
        verbose_name=_("sponsor"),
        help_text=_("Usually the coachee's manager: joins the goal-setting meeting."),
    )
    plan = models.ForeignKey(
        DevelopmentPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_engagements",
        verbose_name=_("development plan"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EngagementStatus.choices,
        default=EngagementStatus.AGREEMENT,
    )
    planned_sessions = models.PositiveSmallIntegerField(
        _("planned sessions"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLANNED_SESSIONS)],
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_SESSION_MINUTES), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), default=_six_months_on)
    goal_setting_on = models.DateField(
        _("three-way goal-setting meeting"),
        null=True,
        blank=True,
        help_text=_("When the coach, the coachee and the sponsor agree the coaching goals."),
    )
    agreement_terms = models.TextField(_("agreement"), default=DEFAULT_AGREEMENT)
    coach_accepted_at = models.DateTimeField(null=True, blank=True)
    coachee_accepted_at = models.DateTimeField(null=True, blank=True)
    paired_via = models.CharField(max_length=16, choices=PairedVia.choices)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Who ended it; never why: either side may end an engagement without fault.
    ended_by_party = models.CharField(max_length=16, choices=Party.choices, blank=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coachee"],
                condition=Q(status__in=["agreement", "active"]),
                name="one_open_engagement_per_coachee",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="engagement_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(planned_sessions__gte=1, planned_sessions__lte=MAX_PLANNED_SESSIONS),
                name="engagement_planned_sessions_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaching {self.coachee}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def agreement_accepted(self) -> bool:
        return self.coach_accepted_at is not None and self.coachee_accepted_at is not None

    def accepted_by(self, party: str) -> bool:
        if party == Party.COACH:
            return self.coach_accepted_at is not None
        if party == Party.COACHEE:
            return self.coachee_accepted_at is not None
        return False

    def sessions_held(self) -> int:
        return self.sessions.filter(status=SessionStatus.HELD).count()

    def sessions_remaining(self) -> int:
        """Planned sessions not yet held or scheduled."""
        used = self.sessions.filter(
            status__in=[SessionStatus.HELD, SessionStatus.SCHEDULED, SessionStatus.NO_SHOW]
        ).count()
        return max(0, self.planned_sessions - used)


class EngagementGoal(models.Model):
    """A coaching goal, agreed in the three-way meeting; linked to a goal of the
    coachee's development plan where there is one. Shared with the sponsor."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("coaching goal"), max_length=200)
    plan_goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_goals",
        verbose_name=_("goal in the development plan"),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["engagement_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="coaching_goal_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


EVALUATING_PARTIES = [
    (Party.COACHEE.value, Party.COACHEE.label),
    (Party.SPONSOR.value, Party.SPONSOR.label),
]


class Evaluation(models.Model):
    """The end-of-engagement evaluation by the coachee and by the sponsor: two ratings,
    which the coach and program admins see (ratings only, no free text)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="evaluations")
    party = models.CharField(max_length=16, choices=EVALUATING_PARTIES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    goals_rating = models.PositiveSmallIntegerField(
        _("How far did coaching move the goals?"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    value_rating = models.PositiveSmallIntegerField(
        _("How worthwhile was the engagement?"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["engagement_id", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "party"], name="one_evaluation_per_party"
            ),
            models.CheckConstraint(
                condition=Q(goals_rating__gte=1, goals_rating__lte=5, value_rating__gte=1)
                & Q(value_rating__lte=5),
                name="evaluation_ratings_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} evaluation of {self.engagement_id}"


class ChemistryStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CHOSEN = "chosen", _("Chosen")
    NOT_CHOSEN = "not_chosen", _("Not chosen")


class ChemistryCall(models.Model):
    """A short call before choosing a coach, to see whether the two work well together.
    It takes none of the coach's places; choosing the coach afterwards pairs them if a
    place is still free."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="chemistry_calls")
    coachee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=16, choices=ChemistryStatus.choices, default=ChemistryStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "coachee"],
                condition=Q(status="requested"),
                name="one_open_chemistry_call_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"chemistry call {self.coach} / {self.coachee}"


# Sessions ---------------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self, now: datetime | None = None) -> "SessionQuerySet":
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now or timezone.now())

    def awaiting_notes(self, now: datetime | None = None) -> "SessionQuerySet":
        """Scheduled sessions whose time is past: the coach has not yet closed them as
        held (with notes and a next step) or as a no-show."""
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__lt=now or timezone.now())

    def for_user(self, user: Any) -> "SessionQuerySet":
        """Sessions where `user` is the coach or the coachee."""
        return self.filter(Q(engagement__coach__user=user) | Q(engagement__coachee__user=user))


def _new_uid() -> str:
    return f"{uuid.uuid4()}@tandem"


class Session(models.Model):
    """A coaching session's metadata: when, how long, what became of it and the
    coachee's rating. What was said is in SessionNotes."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_SESSION_MINUTES), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    location = models.CharField(
        _("where"), max_length=300, blank=True, help_text=_("A room or a video-call link.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # iCalendar: the invite's UID stays the same; SEQUENCE grows with each change.
    uid = models.CharField(max_length=100, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("How useful was this session?"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="session_rating_in_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_SESSION_MINUTES)
                & Q(duration_minutes__lte=MAX_SESSION_MINUTES),
                name="session_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"session {self.starts_at:%Y-%m-%d %H:%M} ({self.engagement_id})"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_scheduled(self) -> bool:
        return self.status == SessionStatus.SCHEDULED

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at < (now or timezone.now())


# What is said: encrypted, for the coach and the coachee only ------------------------------


class SessionNotes(models.Model):
    """What was said in a session, shaped by GROW (Goal, Reality, Options, Will), and the
    coachee's own takeaways. Encrypted at rest; read only through coaching.confidential
    (the coach and the coachee), and every read is audited."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="notes")
    goal = EncryptedTextField(_("Goal: what the coachee wants from this session"), blank=True)
    reality = EncryptedTextField(_("Reality: where things stand now"), blank=True)
    options = EncryptedTextField(_("Options: what could be done"), blank=True)
    will = EncryptedTextField(_("Will: what the coachee will do"), blank=True)
    takeaways = EncryptedTextField(_("Takeaways, in the coachee's own words"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "session notes"

    def __str__(self) -> str:
        # Never the content: this string reaches logs and admin pages.
        return f"notes of session {self.session_id}"


class NextStepQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> "NextStepQuerySet":
        return self.filter(done_on__isnull=True)

    def overdue(self, today: date | None = None) -> "NextStepQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def owned_by(self, user: Any) -> "NextStepQuerySet":
        """Steps `user` owns: as the coach, or as the coachee, of their engagement."""
        return self.filter(
            Q(owner=Party.COACH, engagement__coach__user=user)
            | Q(owner=Party.COACHEE, engagement__coachee__user=user)
        )


OWNER_PARTIES = [(Party.COACHEE.value, Party.COACHEE.label), (Party.COACH.value, Party.COACH.label)]


class ActionItem(models.Model):
    """A next step agreed in a session: what (encrypted: it is part of what was said),
    whether the coach or the coachee owns it, and by when."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="action_items"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="next_steps")
    title = EncryptedTextField(_("next step"))
    owner = models.CharField(_("owner"), max_length=16, choices=OWNER_PARTIES)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"next step {self.pk} of session {self.session_id}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.done_on is None and self.due_date < (today or timezone.localdate())

    def owner_name(self) -> str:
        if self.owner == Party.COACH:
            return self.engagement.coach.name
        return self.engagement.coachee.full_name


class Trigger(models.TextChoices):
    """What set off an automatic reaction: the recurring ones show in the trends."""

    CRITICISM = "criticism", _("Criticism or feedback")
    CONFLICT = "conflict", _("Disagreement or conflict")
    PRESSURE = "pressure", _("Time pressure")
    SETBACK = "setback", _("A setback or mistake")
    NOT_HEARD = "not_heard", _("Not being heard")
    UNCERTAINTY = "uncertainty", _("Uncertainty or change")
    INTERRUPTION = "interruption", _("Interruptions")
    OTHER = "other", _("Something else")


class JournalEntry(models.Model):
    """A reflection shaped by STOP-LOOK-CHOOSE: the situation and the automatic reaction
    noticed (stop), the options seen (look), the choice made and how it went (choose).
    Private to the author; shared with the author's coach only if the author says so."""

    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="journal_entries")
    occurred_on = models.DateField(_("when it happened"), default=timezone.localdate)
    trigger = models.CharField(_("what set it off"), max_length=16, choices=Trigger.choices)
    paused = models.BooleanField(
        _("I paused before reacting"),
        default=False,
        help_text=_("Stop: did you catch the automatic reaction before acting on it?"),
    )
    situation = EncryptedTextField(_("Stop: the situation"))
    reaction = EncryptedTextField(_("Stop: the automatic reaction I noticed"), blank=True)
    options = EncryptedTextField(_("Look: the options I saw"), blank=True)
    choice = EncryptedTextField(_("Choose: what I chose to do"), blank=True)
    outcome = EncryptedTextField(_("How it went"), blank=True)
    shared_with_coach = models.BooleanField(
        _("Share with my coach"),
        default=False,
        help_text=_("Your coach (while you have one) may then read this entry. Nobody else."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["author", "occurred_on"])]

    def __str__(self) -> str:
        return f"journal entry {self.pk}"


class ReminderSent(models.Model):
    """The daily coaching reminder to one login on one day: the unique pair makes the
    periodic job idempotent across workers and reruns (see coaching.tasks)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_coaching_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"coaching reminder to {self.user_id} on {self.sent_on}"
