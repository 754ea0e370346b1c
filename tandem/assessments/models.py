"""Assessment instruments: the 360, the self-assessment and the style profile.

An instrument is a versioned JSON document (format: tandem/assessments/instruments/
README.md, checked by tandem.lib.instruments.validate). Once an instrument has been
used it is frozen: answers refer to its items by key, so its text and scoring must
never change under them. Editing a frozen instrument means saving a new version.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.lib import instruments as rules

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
