"""The matching half of mentoring: a program's settings and questionnaire, the mentor
pool and the mentees with their answers and intent, match runs with their proposals,
and the suggestions offered to mentees who choose their own mentor.

A mentee states what they want from the relationship (goals, the kinds of help)
before they can be matched; those goals become the relationship's goals. The matching
itself is `tandem.lib.matching` (pure, no Django); `tandem.mentoring.matching` turns
these records into its Problem and its result back into proposals.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.programs.models import Enrollment, Program

__all__ = [
    "MAX_CAPACITY",
    "MAX_WEIGHT",
    "HelpKind",
    "MatchObjective",
    "MatchProposal",
    "MatchRun",
    "MatchingMode",
    "Mentee",
    "MenteeQuerySet",
    "Mentor",
    "MentorQuerySet",
    "MentoringFormat",
    "MentoringSettings",
    "Question",
    "QuestionAudience",
    "QuestionKind",
    "RunStatus",
    "Suggestion",
    "SuggestionStatus",
    "UnitPreference",
    "UnmatchedMentee",
    "UnmatchedReason",
]

MAX_CAPACITY = 50
MAX_WEIGHT = 10
MAX_TOP_N = 10
MAX_LEVEL_GAP = 3  # four leader levels: a gap of 3 is the most there can be


# Settings ---------------------------------------------------------------------------


class MentoringFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One-to-one")
    GROUP = "group", _("Group (one mentor, several mentees)")
    FLASH = "flash", _("Flash (one-off sessions)")


class MatchingMode(models.TextChoices):
    ADMIN_REVIEW = "admin_review", _("Admins review a draft, then publish it")
    MENTEE_CHOICE = "mentee_choice", _("Each mentee chooses from their top suggestions")


class MatchObjective(models.TextChoices):
    OPTIMAL = "optimal", _("Best total compatibility")
    MOST_MATCHED = "most_matched", _("Most people matched, then best total")


class UnitPreference(models.TextChoices):
    NONE = "none", _("No preference")
    SAME = "same", _("Same unit")
    DIFFERENT = "different", _("Different unit")


class MentoringSettings(models.Model):
    """How a mentoring program matches: its format, mode, objective, hard rules and
    capacities. Every mentoring program has one (made with its default questionnaire)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="mentoring_settings"
    )
    format = models.CharField(
        _("format"), max_length=16, choices=MentoringFormat.choices, default="one_to_one"
    )
    matching_mode = models.CharField(
        _("matching mode"), max_length=16, choices=MatchingMode.choices, default="admin_review"
    )
    objective = models.CharField(
        _("objective"), max_length=16, choices=MatchObjective.choices, default="optimal"
    )
    suggestions_count = models.PositiveSmallIntegerField(
        _("suggestions per mentee"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TOP_N)],
        help_text=_("When mentees choose: how many mentors each is offered."),
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Pairs scoring below it (0-100) are never proposed. Leave empty for none."),
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many mentees a mentor takes at a time (in a group: the group size)."),
    )
    never_in_reporting_chain = models.BooleanField(
        _("never within the mentee's reporting chain"),
        default=True,
        help_text=_("A mentor is never the mentee's manager, above them, or below them."),
    )
    min_level_gap = models.PositiveSmallIntegerField(
        _("mentor at least this many levels above"),
        null=True,
        blank=True,
        default=1,
        validators=[MaxValueValidator(MAX_LEVEL_GAP)],
        help_text=_("Leave empty to allow reverse mentoring (a mentor at any level)."),
    )
    no_repeat_pairing = models.BooleanField(
        _("no repeat of a past pairing"),
        default=True,
        help_text=_("A mentee is never matched again with a mentor they have had."),
    )
    unit_preference = models.CharField(
        _("unit"), max_length=16, choices=UnitPreference.choices, default="none"
    )
    unit_weight = models.PositiveSmallIntegerField(
        _("unit weight"), default=3, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    must_share_language = models.BooleanField(
        _("must share a language"),
        default=False,
        help_text=_("Only with a languages question: mentor and mentee speak one in common."),
    )
    prefer_high_potential = models.BooleanField(
        _("match high potentials first"),
        default=False,
        help_text=_(
            "When places are short, mentees rated high potential in the latest talent review "
            "are matched first. Their scores and explanations stay as they are: nobody is "
            "shown who was preferred."
        ),
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("requests expire after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A proposed relationship nobody answers expires; the next mentor is offered."),
    )
    inactivity_weeks = models.PositiveSmallIntegerField(
        _("inactive after (weeks without a meeting)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring settings")
        verbose_name_plural = _("mentoring settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__isnull=True) | Q(min_score__lte=100),
                name="mentoring_min_score_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(default_capacity__gte=1, default_capacity__lte=MAX_CAPACITY),
                name="mentoring_capacity_in_range",
            ),
            models.CheckConstraint(
                condition=Q(min_level_gap__isnull=True) | Q(min_level_gap__lte=MAX_LEVEL_GAP),
                name="mentoring_level_gap_in_range",
            ),
            models.CheckConstraint(
                condition=Q(unit_weight__lte=MAX_WEIGHT), name="mentoring_unit_weight_in_range"
            ),
            models.CheckConstraint(
                condition=Q(suggestions_count__gte=1, suggestions_count__lte=MAX_TOP_N),
                name="mentoring_suggestions_count_in_range",
            ),
            models.CheckConstraint(
                condition=Q(request_expiry_days__gte=1) & Q(inactivity_weeks__gte=1),
                name="mentoring_periods_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"mentoring settings of {self.program}"

    @property
    def mentees_choose(self) -> bool:
        return self.matching_mode == MatchingMode.MENTEE_CHOICE


# The questionnaire ------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    SKILLS = "skills", _("Competencies (to develop / offered)")
    FUNCTION = "function", _("Function (wanted / the mentor's)")
    LOCATION = "location", _("Location")
    TIME_ZONE = "time_zone", _("Time zone")
    LANGUAGES = "languages", _("Languages")
    AVAILABILITY = "availability", _("Availability")
    SENIORITY = "seniority", _("Preferred mentor seniority")
    FREE_TEXT = "free_text", _("Free text (shown, not scored)")


class QuestionAudience(models.TextChoices):
    BOTH = "both", _("Mentees and mentors")
    MENTEES = "mentees", _("Mentees only")
    MENTORS = "mentors", _("Mentors only")


# Kinds whose options the admin lists (skills take the competency model's names,
# languages and time zones have built-in lists when none are given).
KINDS_WITH_OPTIONS = ("single_choice", "multiple_choice", "function", "availability")
SCORED_KINDS = tuple(kind for kind in QuestionKind.values if kind != "free_text")


class Question(models.Model):
    """One question of a program's matching questionnaire. Every scored question is
    asked of both sides (the mentee's answer against the mentor's), except seniority,
    which only mentees answer (against the mentor's level); free text is shown to the
    other side and never scored."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="mentoring_questions"
    )
    key = models.SlugField(_("key"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question to mentees"), max_length=300)
    mentor_text = models.CharField(
        _("question to mentors"),
        max_length=300,
        blank=True,
        help_text=_("How mentors are asked; leave empty to ask them the same."),
    )
    help = models.CharField(_("help"), max_length=500, blank=True)
    audience = models.CharField(
        _("asked of"), max_length=8, choices=QuestionAudience.choices, default="both"
    )
    options = models.JSONField(_("options"), default=list, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=5,
        validators=[MaxValueValidator(MAX_WEIGHT)],
        help_text=_("0-10: how much this criterion counts in the score (0: not scored)."),
    )
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["program_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key"], name="mentoring_question_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__lte=MAX_WEIGHT), name="mentoring_question_weight_in_range"
            ),
            models.CheckConstraint(
                condition=Q(kind="free_text")
                | Q(kind="seniority", audience="mentees")
                | (~Q(kind="seniority") & Q(audience="both")),
                name="mentoring_question_audience_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scored(self) -> bool:
        return self.kind != QuestionKind.FREE_TEXT

    def asks(self, side: str) -> bool:
        """Whether the mentee ("mentee") or mentor ("mentor") side answers it."""
        return self.audience == QuestionAudience.BOTH or self.audience == f"{side}s"

    def text_for(self, side: str) -> str:
        return self.mentor_text if side == "mentor" and self.mentor_text else self.text

    def clean(self) -> None:
        super().clean()
        problems: dict[str, str] = {}
        if self.kind == QuestionKind.SENIORITY and self.audience != QuestionAudience.MENTEES:
            problems["audience"] = str(
                _("Preferred seniority is asked of mentees only (the mentor's level is known).")
            )
        elif self.kind not in ("free_text", "seniority") and self.audience != "both":
            problems["audience"] = str(
                _("A scored question is asked of both sides: the answers are compared.")
            )
        if self.kind in KINDS_WITH_OPTIONS:
            options = self.options if isinstance(self.options, list) else []
            if len([o for o in options if str(o).strip()]) < 2:
                problems["options"] = str(_("Give at least two options, one a line."))
            elif len(options) > 63:
                problems["options"] = str(_("At most 63 options."))
        if problems:
            raise ValidationError(problems)


# Mentors and mentees --------------------------------------------------------------


class MentorQuerySet(models.QuerySet["Mentor"]):
    def active(self) -> "MentorQuerySet":
        return self.filter(active=True)


class Mentor(models.Model):
    """A person in a program's mentor pool, with their answers to the questionnaire."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentors")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentor_roles", verbose_name=_("mentor")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("Mentees at a time; leave empty for the program's default."),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive mentors are not matched.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MentorQuerySet.as_manager()

    class Meta:
        ordering = ["program_id", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_mentor_per_program"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="mentor_capacity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def effective_capacity(self, mentoring: MentoringSettings) -> int:
        return self.capacity or mentoring.default_capacity


class HelpKind(models.TextChoices):
    CAREER = "career", _("Career navigation")
    ORGANIZATION = "organization", _("Knowledge of the organization")
    EXPOSURE = "exposure", _("Exposure (visibility, introductions)")
    SKILL = "skill", _("A skill")


class MenteeQuerySet(models.QuerySet["Mentee"]):
    def intent_stated(self) -> "MenteeQuerySet":
        return self.filter(intent_stated_at__isnull=False)


class Mentee(models.Model):
    """A person enrolled in a mentoring program, as a mentee: their answers and their
    intent. `program` and `person` repeat the enrollment's, for cheap lookups."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="mentee")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentees")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentee_roles", verbose_name=_("mentee")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    goals = models.JSONField(
        _("goals"), default=list, blank=True, help_text=_("What the mentee wants to achieve.")
    )
    help_wanted = models.JSONField(_("kinds of help wanted"), default=list, blank=True)
    intent_stated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MenteeQuerySet.as_manager()

    class Meta:
        ordering = ["program_id", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_mentee_per_program"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.program_id = self.enrollment.program_id
        self.person_id = self.enrollment.person_id
        super().save(*args, **kwargs)

    @property
    def intent_stated(self) -> bool:
        """A mentee cannot be matched before saying what they want."""
        return self.intent_stated_at is not None and bool(self.goals)

    def help_wanted_labels(self) -> list[str]:
        return [str(HelpKind(kind).label) for kind in self.help_wanted if kind in HelpKind.values]


# Match runs -----------------------------------------------------------------------


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchRun(models.Model):
    """One run of the matching engine over a program. A finished run is a draft that
    admins review, edit and lock; publishing it creates the relationships. `stats`
    holds the summary: matched, unmatched by reason, mean and lowest score, seconds,
    and whether the optimum is certified."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objective = models.CharField(_("objective"), max_length=16, choices=MatchObjective.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress_phase = models.CharField(max_length=40, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="done"),
                name="match_run_published_only_when_done",
            )
        ]

    def __str__(self) -> str:
        return f"match run {self.pk} of {self.program}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DONE and self.published_at is None

    def progress_percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))


class MatchProposal(models.Model):
    """A pair in a run's draft. `explanation` is the engine's contributions, one per
    criterion ({key, label, weight, similarity, points}); `breaks_rule` names the hard
    rule an admin's change breaks, if any (the engine itself never proposes one)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="proposals")
    score = models.FloatField(_("score"))
    explanation = models.JSONField(default=list, blank=True)
    breaks_rule = models.CharField(max_length=40, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    edited_by_admin = models.BooleanField(default=False)

    class Meta:
        ordering = ["run_id", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_proposal_per_mentee"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="proposal_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.score:.0f})"


class UnmatchedReason(models.TextChoices):
    NO_ELIGIBLE_MENTOR = "no_eligible_mentor", _("No mentor passes the hard rules")
    BELOW_MIN_SCORE = "below_min_score", _("No eligible mentor reaches the minimum score")
    CAPACITY = "capacity", _("Mentors' places went to better overall matches")
    NO_INTENT = "no_intent", _("Has not stated their intent yet")


class UnmatchedMentee(models.Model):
    """A mentee a run could not match, with why."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=24, choices=UnmatchedReason.choices)

    class Meta:
        ordering = ["run_id", "reason", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_unmatched_row_per_mentee"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} unmatched: {self.reason}"


# Suggestions (mentees choose) -------------------------------------------------------


class SuggestionStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    CHOSEN = "chosen", _("Chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Suggestion(models.Model):
    """A mentor offered to a mentee who chooses their own, best first (`rank` 1)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="suggestions")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="suggestions")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(_("score"))
    explanation = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SuggestionStatus.choices, default="offered"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mentee_id", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "rank"],
                condition=Q(status="offered"),
                name="one_offered_suggestion_per_rank",
            ),
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="offered"),
                name="one_offered_suggestion_per_mentor",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="suggestion_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} suggested to {self.mentee} (#{self.rank})"
