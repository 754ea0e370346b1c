"""Retention settings: how long raw survey data, rater links and the audit log are kept.

One row (pk 1), edited by program admins on /privacy/ or in the Django admin; the
periodic job in `privacy.tasks` applies it (see `privacy.retention` for what each
setting removes and why the figures do not move)."""

from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_MONTHS = 1200  # a hundred years: anything longer is "keep forever" (0)


class RetentionSettings(models.Model):
    """A singleton: `RetentionSettings.current()` reads it, creating the defaults."""

    rater_tokens_months = models.PositiveSmallIntegerField(
        _("rater and pulse links (months after closing)"),
        default=3,
        validators=[MaxValueValidator(MAX_MONTHS)],
        help_text=_(
            "Single-use links of closed 360 reviews and pulses, and with them the tie "
            "between a 360 answer and the rater who gave it. 0 keeps them forever."
        ),
    )
    raw_survey_answers_months = models.PositiveSmallIntegerField(
        _("raters' names and comments (months after closing)"),
        default=24,
        validators=[MaxValueValidator(MAX_MONTHS)],
        help_text=_(
            "Raters' names and emails and their free-text comments in closed 360 "
            "reviews. The scores stay, unlinked from anyone, so reports and before/after "
            "figures do not change. 0 keeps them forever."
        ),
    )
    audit_log_months = models.PositiveSmallIntegerField(
        _("audit log (months)"),
        default=36,
        validators=[MaxValueValidator(MAX_MONTHS)],
        help_text=_("Audit entries older than this are deleted. 0 keeps them forever."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")

    def __str__(self) -> str:
        return str(_("Retention settings"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # one row, whoever saves it
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "RetentionSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
