"""Reinforcement after a session: the forgetting curve, fought with spacing.

Each learner who attended a session of a reinforced course gets one card per learning
objective. A card carries its FSRS memory state (stability, difficulty, due date), as
`tandem.lib.reinforcement` computes it from the learner's own answers: a burst answered
well comes back later, one answered badly sooner. The day's due cards of a learner are
their burst: a recall question or a practice challenge per card, under two minutes.

Practice logs are Kirkpatrick level 3: "I applied this at work", what happened, and an
optional confirmation by the learner's manager. A learner whose retention or practice
stays low is flagged to the program admin with a suggestion (coaching or mentoring).
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.training.models.courses import LearningObjective, Question, Seat

__all__ = [
    "Card",
    "CardQuerySet",
    "FlagReason",
    "LearnerFlag",
    "PracticeChallenge",
    "PracticeLog",
    "Rating",
    "Review",
]


class Rating(models.IntegerChoices):
    """FSRS's four grades, from the learner's answer and how sure they were."""

    AGAIN = 1, _("Forgot")
    HARD = 2, _("Hard")
    GOOD = 3, _("Good")
    EASY = 4, _("Easy")


class PracticeChallenge(models.Model):
    """Something to try at work for one objective, offered in bursts between recall
    questions and logged as practice."""

    objective = models.ForeignKey(
        LearningObjective, on_delete=models.CASCADE, related_name="challenges"
    )
    prompt = models.TextField(_("challenge"), max_length=1000)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["objective", "pk"]

    def __str__(self) -> str:
        return self.prompt[:80]


class CardQuerySet(models.QuerySet["Card"]):
    def due(self, now: datetime | None = None) -> "CardQuerySet":
        return self.filter(retired=False, due__lte=now or timezone.now())

    def of_person(self, person: Person) -> "CardQuerySet":
        return self.filter(seat__person=person)


class Card(models.Model):
    """One learner's memory of one objective after one session, in FSRS terms. The
    state is stored in columns (not a blob) so the day's due cards are one indexed
    query."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="cards")
    objective = models.ForeignKey(LearningObjective, on_delete=models.CASCADE, related_name="+")
    # fsrs.State: 1 learning, 2 review, 3 relearning
    state = models.PositiveSmallIntegerField(default=1)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text=_("No more bursts: the reinforcement period is over.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seat", "objective"], name="one_card_per_objective")
        ]
        indexes = [models.Index(fields=["retired", "due"])]

    def __str__(self) -> str:
        return f"card {self.objective_id} of seat {self.seat_id} due {self.due:%Y-%m-%d}"


class Review(models.Model):
    """One answered burst item: what was asked, whether it was right, the grade given
    to FSRS and the due dates before and after (the schedule's history)."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="history")
    reviewed_at = models.DateTimeField(default=timezone.now)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    challenge = models.ForeignKey(
        PracticeChallenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    right = models.BooleanField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    seconds = models.PositiveIntegerField(null=True, blank=True)
    retrievability = models.FloatField(
        null=True, blank=True, help_text=_("Estimated chance of recall just before answering.")
    )
    due_before = models.DateTimeField()
    due_after = models.DateTimeField()

    class Meta:
        ordering = ["card", "reviewed_at", "pk"]
        indexes = [models.Index(fields=["reviewed_at"])]

    def __str__(self) -> str:
        return f"review of card {self.card_id} at {self.reviewed_at:%Y-%m-%d}"


class PracticeLog(models.Model):
    """ "I applied this at work": what the learner did and what happened, optionally
    confirmed by their manager (Kirkpatrick level 3)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="practice_logs")
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.CASCADE, related_name="practice_logs"
    )
    seat = models.ForeignKey(
        Seat, null=True, blank=True, on_delete=models.SET_NULL, related_name="practice_logs"
    )
    challenge = models.ForeignKey(
        PracticeChallenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what_i_did = models.TextField(_("what I did"), max_length=2000)
    what_happened = models.TextField(_("what happened"), max_length=2000, blank=True)
    practiced_on = models.DateField(_("when"), default=timezone.localdate)
    logged_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    manager_note = models.TextField(_("manager's note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-practiced_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="practice_confirmed_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} practiced {self.objective} on {self.practiced_on}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class FlagReason(models.TextChoices):
    LOW_RETENTION = "low_retention", _("Retention stays low")
    LOW_PRACTICE = "low_practice", _("Little practice logged")


class LearnerFlag(models.Model):
    """A learner whose retention or practice stays low after the set time, flagged to
    the program admin with a suggested next modality and the advisor's reasons."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    detail = models.CharField(_("detail"), max_length=300)
    suggestion = models.CharField(_("suggested next"), max_length=16, blank=True)
    suggestion_reasons = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("what was done"), max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "reason"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_flag_per_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.seat}"
