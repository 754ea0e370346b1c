"""Assessment instruments: the 360, the self-assessment and the style profile.

An instrument is a versioned JSON document (format: tandem/assessments/instruments/
README.md, checked by tandem.lib.instruments.validate). Once an instrument has been
used it is frozen: answers refer to its items by key, so its text and scoring must
never change under them. Editing a frozen instrument means saving a new version.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.lib import instruments as rules
from tandem.programs.models import anonymity_minimum_errors

BUILT_IN_DIR = Path(__file__).parent / "instruments"


class InstrumentKind(models.TextChoices):
    FEEDBACK_360 = "360", _("360 feedback")
    SELF = "self", _("Self-assessment")
    STYLE = "style", _("Behavioural-style profile")


class InstrumentQuerySet(models.QuerySet["Instrument"]):
    def latest_versions(self) -> "InstrumentQuerySet":
        """The newest version of each instrument key."""
        newest = self.filter(key=models.OuterRef("key")).order_by("-version").values("pk")[:1]
        return self.filter(pk=models.Subquery(newest))


class Instrument(models.Model):
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=InstrumentKind.choices)
    document = models.JSONField(_("document"))
    frozen_at = models.DateTimeField(
        _("frozen at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when first used; a frozen instrument changes only as a new version."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Header fields always come from the document, so they cannot disagree."""
        self.full_clean(exclude=["key", "version", "name", "kind"])
        self.key = self.document["key"]
        self.version = self.document["version"]
        self.name = self.document["name"]
        self.kind = self.document["kind"]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problems = rules.validate(self.document)
        if problems:
            raise ValidationError({"document": problems})
        if self.pk and self.frozen_at:
            stored = Instrument.objects.filter(pk=self.pk).values_list("document", flat=True).get()
            if stored != self.document:
                raise ValidationError(
                    {"document": _("This version is in use and frozen; save it as a new version.")}
                )

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def freeze(self) -> None:
        if self.frozen_at is None:
            self.frozen_at = timezone.now()
            Instrument.objects.filter(pk=self.pk).update(frozen_at=self.frozen_at)

    def as_json(self) -> str:
        return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"

    @transaction.atomic
    def new_version(self, document: dict[str, Any] | None = None) -> "Instrument":
        """A copy (or `document`) saved as the next version of this instrument's key."""
        newest = (
            Instrument.objects.filter(key=self.key).aggregate(v=models.Max("version"))["v"] or 0
        )
        doc = dict(document if document is not None else self.document)
        doc["key"], doc["version"] = self.key, newest + 1
        return Instrument.objects.create(document=doc)

    def item_keys(self) -> list[str]:
        if self.kind == InstrumentKind.STYLE:
            return [item["key"] for item in self.document["items"]]
        return [item["key"] for c in self.document["competencies"] for item in c["items"]]

    @classmethod
    def import_document(cls, document: Any) -> tuple["Instrument", bool]:
        """Store a document as its key and version. The same document again is a
        no-op; a different document under an existing key and version is refused
        (versions never change), as is an invalid one. Returns (instrument, created)."""
        problems = rules.validate(document)
        if problems:
            raise ValidationError(problems)
        existing = cls.objects.filter(key=document["key"], version=document["version"]).first()
        if existing is not None:
            if existing.document != document:
                raise ValidationError(
                    _(
                        "%(key)s version %(version)s exists with other content; "
                        "give it a new version."
                    )
                    % {"key": document["key"], "version": document["version"]}
                )
            return existing, False
        return cls.objects.create(document=document), True

    @classmethod
    def load_built_in(cls) -> list["Instrument"]:
        """The instruments shipped with Tandem (idempotent)."""
        return [
            cls.import_document(rules.load(path))[0] for path in sorted(BUILT_IN_DIR.glob("*.json"))
        ]


class RaterGroup(models.TextChoices):
    SELF = "self", _("Self")
    MANAGER = "manager", _("Manager")
    PEERS = "peers", _("Peers")
    DIRECT_REPORTS = "direct_reports", _("Direct reports")
    OTHERS = "others", _("Others")


class ReviewStatus(models.TextChoices):
    NOMINATING = "nominating", _("Nominating raters")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the manager's approval")
    OPEN = "open", _("Collecting answers")
    CLOSED = "closed", _("Closed")


class Review(models.Model):
    """A 360 review of one subject. The subject nominates raters by group, the manager
    approves the list, raters answer through single-use links, and the report shows
    only what the anonymity rules allow (tandem.lib.anonymity)."""

    subject = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="reviews_received"
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="reviews",
        limit_choices_to={"kind": InstrumentKind.FEEDBACK_360},
    )
    enrollment = models.ForeignKey(
        "programs.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The subject's earlier review this one is compared with."),
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.NOMINATING
    )
    closes_on = models.DateField(_("closes on"))
    # Anonymity minimums (never below 3; checked by lib.anonymity.Thresholds.validated).
    min_peers = models.PositiveSmallIntegerField(default=3)
    min_direct_reports = models.PositiveSmallIntegerField(default=3)
    min_others = models.PositiveSmallIntegerField(default=3)
    min_all_others = models.PositiveSmallIntegerField(default=4)
    show_manager = models.BooleanField(
        _("show the manager as a group of one"),
        default=False,
        help_text=_("Only where the program says so."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    min_peers__gte=3,
                    min_direct_reports__gte=3,
                    min_others__gte=3,
                    min_all_others__gte=3,
                ),
                name="anonymity_minimums_at_least_3",
            )
        ]

    def __str__(self) -> str:
        return f"360 of {self.subject} ({self.created_at:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        problems = anonymity_minimum_errors(
            {
                "min_peers": ("peers", self.min_peers),
                "min_direct_reports": ("direct_reports", self.min_direct_reports),
                "min_others": ("others", self.min_others),
                "min_all_others": ("all_others", self.min_all_others),
            }
        )
        if problems:
            raise ValidationError(problems)


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


def normalize_email(email: str) -> str:
    """One spelling per address, so `Ana@X.com` and `ana@x.com` are one rater."""
    return email.strip().lower()


class Nomination(models.Model):
    """A rater the subject (or an admin) proposes, in a group; the manager approves.
    One nomination per email address and review, whatever its case."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="nominations")
    group = models.CharField(max_length=16, choices=RaterGroup.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    status = models.CharField(
        max_length=16, choices=NominationStatus.choices, default=NominationStatus.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["review_id", "group", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "review",
                name="one_nomination_per_email_any_case",
                violation_error_message=_("This email address is already nominated."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)
        if self.review_id is not None and self.email:
            twins = Nomination.objects.filter(review_id=self.review_id, email__iexact=self.email)
            if twins.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "email": _("%(email)s is already nominated.") % {"email": self.email},
                    }
                )


class RaterInvitation(models.Model):
    """A single-use, unguessable, expiring link for one approved rater. Only the
    token's hash is stored; the raw token goes out once, in the email."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.CASCADE, related_name="invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["nomination_id"]

    def __str__(self) -> str:
        return f"invitation for nomination {self.nomination_id}"


class Response(models.Model):
    """One rater's answers ({item key: 1..max or "n/o"}) and comments
    ({competency key: text}). Never shown to anyone one by one: reports read them
    only through the anonymity rules, and the admin does not list them."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(max_length=16, choices=RaterGroup.choices)
    invitation = models.OneToOneField(
        RaterInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    answers = models.JSONField(default=dict)
    comments = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review_id", "group"]

    def __str__(self) -> str:
        return f"a {self.get_group_display()} response"


class SelfAssessment(models.Model):
    """A person's own ratings on the competency model (kind "self"), before and after a
    program; also the "self" column of a 360 when linked to a review."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="self_assessments"
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": InstrumentKind.SELF},
    )
    enrollment = models.ForeignKey(
        "programs.Enrollment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.OneToOneField(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="self_assessment"
    )
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["person_id", "-created_at"]

    def __str__(self) -> str:
        return f"self-assessment of {self.person} ({self.created_at:%Y-%m-%d})"


class StyleProfile(models.Model):
    """A person's behavioural-style profile: answers, and the style they score."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="style_profiles"
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": InstrumentKind.STYLE},
    )
    answers = models.JSONField(default=dict)
    style_key = models.CharField(max_length=60, blank=True)
    axis_scores = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["person_id", "-created_at"]

    def __str__(self) -> str:
        return f"style profile of {self.person}"


# Rater groups as the small integers Rating rows store.
GROUP_CODES: dict[str, int] = {
    RaterGroup.MANAGER.value: 1,
    RaterGroup.PEERS.value: 2,
    RaterGroup.DIRECT_REPORTS.value: 3,
    RaterGroup.OTHERS.value: 4,
}
GROUP_NAMES = {code: group for group, code in GROUP_CODES.items()}


class RatingQuerySet(models.QuerySet["Rating"]):
    def record(self, responses: Iterable[Response]) -> list["Rating"]:
        """The rating rows of submitted responses, written in one go. Call it in the
        transaction that submits them; the instrument is frozen by then, so an item's
        place and score never change afterwards."""
        rows: list[Rating] = []
        for response in responses:
            document = response.review.instrument.document
            group = GROUP_CODES[response.group]
            rows += [
                Rating(
                    review_id=response.review_id,
                    response=response,
                    group=group,
                    item=answer.item_number,
                    competency=answer.competency_number,
                    value=answer.value,
                    score=answer.score,
                )
                for answer in rules.scored_answers(document, response.answers or {})
            ]
        return Rating.objects.bulk_create(rows, batch_size=2000)


class Rating(models.Model):
    """One rated answer of a submitted response, as a row, so that every 360 figure is a
    GROUP BY in the database (tandem.assessments.aggregates) rather than a loop over
    JSON. Written once, when the response is submitted. Like Response, never shown one
    by one to anyone, and not in the admin.

    Only small integers: the group's code (GROUP_CODES), the item's and competency's
    places in the review's (frozen) instrument. Narrow rows keep the covering indexes
    small; grouping ten thousand reviews' answers is a third faster than on text."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    group = models.PositiveSmallIntegerField(help_text=_("The rater group's code."))
    item = models.PositiveSmallIntegerField(help_text=_("The item's place in the instrument."))
    competency = models.PositiveSmallIntegerField(
        help_text=_("The competency's place in the instrument.")
    )
    value = models.SmallIntegerField(help_text=_("The point of the scale as the rater chose it."))
    score = models.SmallIntegerField(
        help_text=_("Reverse-keyed items turned round: higher is always better.")
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        # Each index covers one of the two aggregate queries, so both read the index
        # in order and never the table.
        indexes = [
            models.Index(
                fields=["review", "item", "group", "value", "score"], name="rating_item_figures"
            ),
            models.Index(
                fields=["review", "competency", "response", "group", "score"],
                name="rating_rater_scores",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_rating_per_item")
        ]

    def __str__(self) -> str:
        return "a rating"
