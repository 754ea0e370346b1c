"""Applying the retention settings (`RetentionSettings`), daily, from `privacy.tasks`.

360 reports, before/after comparisons and pulse figures are computed on the fly from
the stored scores, so deleting scores would change every figure built on them. The
choice here is therefore to keep the scores and strip what ties them to people:

- rater_tokens_months after a 360 review closes: its rater invitations go (the link
  token's hash and the tie between an answer and the nomination, i.e. the rater);
  after a pulse closes: its invitations go (`Pulse.invited` keeps the count, answers
  were never linked to anyone).
- raw_survey_answers_months after a 360 review closes: the raters' names and emails are
  replaced and their free-text comments deleted. The scores stay, now anonymous, so the
  report's figures (and the next review's "change since") do not move; its comment
  section is empty from then on.
- audit_log_months: older audit entries are deleted.
A setting of 0 keeps that data forever.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import AuditLog
from tandem.assessments.models import Nomination, RaterInvitation, Response, ReviewStatus
from tandem.insights.models import PulseInvitation, PulseStatus
from tandem.privacy.models import RetentionSettings

RETAINED_DOMAIN = "retention.invalid"
DAYS_PER_MONTH = 30.44


@dataclass
class RetentionRun:
    removed: dict[str, int] = field(default_factory=dict)


def months_before(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> RetentionRun:
    """Apply the current settings once; idempotent (a second run finds nothing)."""
    now = now or timezone.now()
    settings = RetentionSettings.current()
    run = RetentionRun()
    if settings.rater_tokens_months:
        before = months_before(now, settings.rater_tokens_months)
        invitations = RaterInvitation.objects.filter(
            nomination__review__status=ReviewStatus.CLOSED,
            nomination__review__closed_at__lt=before,
        )
        run.removed["rater invitations"] = invitations.delete()[0]
        pulse_links = PulseInvitation.objects.filter(
            pulse__status=PulseStatus.CLOSED, pulse__closes_on__lt=before.date()
        )
        run.removed["pulse invitations"] = pulse_links.delete()[0]
    if settings.raw_survey_answers_months:
        before = months_before(now, settings.raw_survey_answers_months)
        closed = {"review__status": ReviewStatus.CLOSED, "review__closed_at__lt": before}
        comments = Response.objects.filter(**closed).exclude(comments={})
        run.removed["360 comments"] = comments.update(comments={})
        raters = Nomination.objects.filter(**closed).exclude(email__endswith="@" + RETAINED_DOMAIN)
        named = 0
        for pk in raters.values_list("pk", flat=True).iterator():
            Nomination.objects.filter(pk=pk).update(
                name="Rater", email=f"rater-{pk}@{RETAINED_DOMAIN}", person=None
            )
            named += 1
        run.removed["360 rater names"] = named
    if settings.audit_log_months:
        before = months_before(now, settings.audit_log_months)
        run.removed["audit entries"] = AuditLog.objects.filter(at__lt=before).delete()[0]
    return run
