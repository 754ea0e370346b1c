"""The daily digest: one email to each learner with bursts due, linking to the burst page.

Built for scale (100,000 learners x 10 objectives in well under 30 s on SQLite): one
indexed query over the due cards returns plain tuples, grouped by learner in Python;
each message is filled into skeletons that Django rendered once per run (one per
number of due items, so translations and plurals stay Django's), by string
replacement, never a template render or a query per learner. Sending reuses one
connection per batch.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from tandem.training.models import Card, PracticeChallenge, Question

# Placeholders survive HTML escaping (letters and digits only).
NAME, ITEMS, MORE = "TANDEMNAME7Q", "TANDEMITEMS7Q", "TANDEMMORE7Q"
LISTED = 5  # objectives named in the email; the rest are counted
SEND_BATCH = 500


@dataclass(frozen=True)
class Digest:
    """One learner's email, ready to send."""

    person_id: int
    to: str
    subject: str
    text: str
    html: str
    due: int

    def message(self, connection: object = None) -> EmailMultiAlternatives:
        email = EmailMultiAlternatives(self.subject, self.text, to=[self.to], connection=connection)
        email.attach_alternative(self.html, "text/html")
        return email


def burst_link() -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("training:burst")


def due_rows(now: datetime) -> list[tuple[int, str, str, str]]:
    """(person id, first name, email, objective title) of every due, unretired card
    of a learner still in the organization, grouped by person. One query, on the
    (retired, due) index. An objective with nothing to ask (no active question or
    challenge) is left out, as the burst page leaves it out."""
    askable = set(
        Question.objects.filter(active=True).values_list("objective_id", flat=True)
    ) | set(PracticeChallenge.objects.filter(active=True).values_list("objective_id", flat=True))
    return list(
        Card.objects.filter(
            retired=False,
            due__lte=now,
            seat__person__exit_date__isnull=True,
            objective_id__in=askable,
        )
        # Within a learner: the course's order of objectives (due times often tie).
        .order_by("seat__person_id", "objective__course_id", "objective__order", "objective_id")
        .values_list(
            "seat__person_id", "seat__person__first_name", "seat__person__email", "objective__title"
        )
    )


def due_learners(now: datetime) -> dict[int, tuple[str, str, list[str]]]:
    """Every learner with due cards: person id -> (first name, email, objective titles)."""
    learners: dict[int, tuple[str, str, list[str]]] = {}
    for person_id, first_name, email, title in due_rows(now):
        entry = learners.get(person_id)
        if entry is None:
            learners[person_id] = (first_name, email, [title])
        else:
            entry[2].append(title)
    return learners


class _Skeletons:
    """The digest's subject, text and HTML rendered once per count of due items, with
    placeholders for the name and the list."""

    def __init__(self, link: str) -> None:
        self.link = link
        self._cache: dict[int, tuple[str, str, str]] = {}

    def __call__(self, count: int) -> tuple[str, str, str]:
        if count not in self._cache:
            context = {
                "name": NAME,
                "items": ITEMS,
                "more": MORE,
                "count": count,
                "link": self.link,
            }
            subject = ngettext(
                "One learning burst is due", "%(count)d learning bursts are due", count
            ) % {"count": count}
            self._cache[count] = (
                subject,
                render_to_string("training/email/burst_digest.txt", context),
                render_to_string("training/email/burst_digest.html", context),
            )
        return self._cache[count]


def _more(count: int) -> str:
    extra = count - LISTED
    if extra <= 0:
        return ""
    return ngettext("and one more", "and %(n)d more", extra) % {"n": extra}


def digests_build(now: datetime) -> list[Digest]:
    """One digest per learner with due cards."""
    skeletons = _Skeletons(burst_link())
    digests = []
    more_cache: dict[int, str] = {}
    for person_id, (first_name, email, titles) in due_learners(now).items():
        count = len(titles)
        subject, text, html = skeletons(count)
        listed = titles[:LISTED]
        more = more_cache.get(count)
        if more is None:
            more = more_cache[count] = _more(count)
        digests.append(
            Digest(
                person_id,
                email,
                subject,
                text.replace(NAME, first_name)
                .replace(ITEMS, "\n".join(f"- {t}" for t in listed))
                .replace(MORE, more),
                html.replace(NAME, escape(first_name))
                .replace(ITEMS, "".join(f"<li>{escape(t)}</li>" for t in listed))
                .replace(MORE, escape(more)),
                count,
            )
        )
    return digests


def _batches(digests: Sequence[Digest], size: int) -> Iterator[Sequence[Digest]]:
    for start in range(0, len(digests), size):
        yield digests[start : start + size]


def digests_send(digests: Sequence[Digest], *, batch: int = SEND_BATCH) -> int:
    """Send the digests, one connection per batch; returns how many were sent."""
    sent = 0
    for chunk in _batches(digests, batch):
        connection = get_connection()
        sent += connection.send_messages([d.message(connection) for d in chunk]) or 0
    return sent
