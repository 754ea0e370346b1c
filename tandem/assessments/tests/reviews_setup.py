"""Shared set-up for the 360 review tests: a review of the `org` report, opened with
raters in every group, and the raw tokens read back from the emails sent."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from tandem.assessments import services
from tandem.assessments.models import Instrument, RaterGroup, Review

TOKEN_IN_LINK = re.compile(r"/assessments/rate/([A-Za-z0-9_-]{20,})/")


def closes_on(days: int = 14) -> datetime.date:
    return timezone.now().date() + datetime.timedelta(days=days)


def start(org, *, by=None) -> Review:
    return services.review_start(
        subject=org.report, closes_on=closes_on(), started_by=by or org.manager.user
    )


def nominate_peers(review: Review, by, count: int = 3, group: str = RaterGroup.PEERS) -> None:
    for n in range(count):
        services.nominate(
            review=review, group=group, by=by, name=f"{group} {n}", email=f"{group}{n}@example.org"
        )


def opened(org, peers: int = 3) -> tuple[Review, dict[str, str]]:
    """A review with the manager and `peers` peers approved and invited; returns the
    review and {email: raw token} from the invitation emails."""
    review = start(org)
    nominate_peers(review, org.report.user, peers)
    services.submit_for_approval(review=review, by=org.report.user)
    mail.outbox.clear()
    services.approve(review=review, approved_by=org.manager.user)
    review.refresh_from_db()
    return review, tokens_from_outbox()


def tokens_from_outbox() -> dict[str, str]:
    found = {}
    for message in mail.outbox:
        match = TOKEN_IN_LINK.search(message.body)
        if match:
            found[message.to[0]] = match.group(1)
    return found


def full_answers(review: Review, value=4) -> dict[str, object]:
    return {key: value for key in review.instrument.item_keys()}


def competency_keys() -> list[str]:
    instrument = Instrument.objects.filter(key="leadership-360").order_by("-version").first()
    return [c["key"] for c in instrument.document["competencies"]]
