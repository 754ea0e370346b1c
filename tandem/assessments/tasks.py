"""Background jobs of 360 reviews: the rater emails, the reminders, and closing
reviews whose date has passed.

Important: a rater's raw token is never stored, not in the database and not in a
job's arguments (the task queue is a table too). The job that sends an email mints a
fresh token, stores its hash and puts the raw token only in the email; a reminder
mints a new one, which replaces the earlier link (a draft belongs to the invitation,
not to the link, so it is kept).
"""

import logging
from datetime import timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from tandem.assessments import tokens
from tandem.assessments.models import RaterInvitation, ReviewStatus
from tandem.scheduler import periodic

logger = logging.getLogger(__name__)

REMIND_EVERY = timedelta(days=3)


def rater_email(invitation: RaterInvitation, raw: str, *, reminder: bool) -> EmailMultiAlternatives:
    review = invitation.nomination.review
    context = {
        "name": invitation.nomination.name,
        "subject_name": review.subject.full_name,
        "closes_on": review.closes_on,
        "link": tokens.rater_url(raw),
        "reminder": reminder,
    }
    subject = " ".join(
        render_to_string("assessments/email/rater_invitation_subject.txt", context).split()
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("assessments/email/rater_invitation.txt", context),
        to=[invitation.nomination.email],
    )
    message.attach_alternative(
        render_to_string("assessments/email/rater_invitation.html", context), "text/html"
    )
    return message


def _mint_and_send(invitation: RaterInvitation, *, reminder: bool) -> None:
    raw = tokens.new_token()
    invitation.token_hash = tokens.hash_token(raw)
    invitation.save(update_fields=["token_hash"])
    rater_email(invitation, raw, reminder=reminder).send()


@task()
def send_rater_invitation(invitation_id: int) -> bool:
    """Email one approved rater their link. Sent once: a second run finds it sent."""
    with transaction.atomic():
        invitation = (
            RaterInvitation.objects.select_for_update()
            .select_related("nomination__review__subject")
            .filter(pk=invitation_id, sent_at__isnull=True, submitted_at__isnull=True)
            .first()
        )
        if invitation is None or invitation.nomination.review.status != ReviewStatus.OPEN:
            return False
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        # Inside the transaction: if the email fails, the claim and the new hash roll
        # back and the next run retries.
        _mint_and_send(invitation, reminder=False)
    return True


@task()
def send_approval_request(review_id: int) -> bool:
    """Ask the subject's manager to approve the rater list (names and groups only), or,
    once the review is open, the raters added since that still wait for approval."""
    from django.conf import settings
    from django.urls import reverse

    from tandem.assessments.models import NominationStatus, Review

    review = Review.objects.select_related("subject__manager").filter(pk=review_id).first()
    if review is None or review.status not in (ReviewStatus.AWAITING_APPROVAL, ReviewStatus.OPEN):
        return False
    manager = review.subject.manager
    if manager is None or not manager.is_active:
        return False
    late = review.status == ReviewStatus.OPEN
    if late:
        count = review.nominations.filter(status=NominationStatus.PROPOSED).count()
        if not count:
            return False
    else:
        count = review.nominations.count()
    context = {
        "manager": manager,
        "subject_name": review.subject.full_name,
        "closes_on": review.closes_on,
        "count": count,
        "late": late,
        "link": settings.TANDEM_BASE_URL.rstrip("/")
        + reverse("assessments:review-detail", args=[review.pk]),
    }
    subject = " ".join(
        render_to_string("assessments/email/review_approval_subject.txt", context).split()
    )
    EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("assessments/email/review_approval.txt", context),
        to=[manager.email],
    ).send()
    return True


def pending_reminders(now: Any) -> Any:
    """Invitations whose rater has not answered, on a review still open, with a link not
    yet expired, last emailed at least three days ago."""
    return (
        RaterInvitation.objects.filter(
            submitted_at__isnull=True,
            sent_at__isnull=False,
            expires_at__gt=now,
            nomination__review__status=ReviewStatus.OPEN,
        )
        .annotate(last_contact=Coalesce("reminded_at", "sent_at"))
        .filter(last_contact__lte=now - REMIND_EVERY)
        .order_by("pk")
    )


@periodic(every=timedelta(hours=24))
@task()
def send_rater_reminders() -> dict[str, int]:
    """Remind raters who have not answered, at most every three days, never after the
    review closes. Each reminder claims its invitation under a lock, so two workers
    never send the same one."""
    now = timezone.now()
    sent = failed = 0
    for pk in list(pending_reminders(now).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                invitation = (
                    pending_reminders(now)
                    .select_for_update(of=("self",))
                    .select_related("nomination__review__subject")
                    .filter(pk=pk)
                    .first()
                )
                if invitation is None:
                    continue
                invitation.reminded_at = now
                invitation.save(update_fields=["reminded_at"])
                _mint_and_send(invitation, reminder=True)
        except Exception:  # one bad address must not stop everyone else's reminder
            logger.exception("rater reminder for invitation %s failed", pk)
            failed += 1
            continue
        sent += 1
    return {"sent": sent, "failed": failed}


@periodic(every=timedelta(hours=1))
@task()
def close_past_reviews() -> int:
    """Close every review whose closing date has passed (in UTC, like the links)."""
    from tandem.assessments import services

    today = timezone.now().date()
    closed = 0
    for review in services.reviews_due_to_close(today).order_by("pk"):
        try:
            services.review_close(review=review, by=None)
        except services.Refused:  # closed meanwhile by hand or by another worker
            continue
        closed += 1
    return closed
