"""The emails of mentoring relationships, sent by background jobs.

Important: no email carries what is said in mentoring — no note, question, answer,
comment or goal. They say who and what happened, and link to Tandem, where only the
mentor and the mentee read the rest. Jobs take record ids and read the current state,
so a job that runs late sends what is true when it runs; services enqueue them inside
their transaction, so a refused or rolled-back step sends nothing.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from tandem.mentoring.models import CheckIn, Relationship, RelationshipSide

# What happened: each kind names who hears about it and what they read.
PROPOSED = "proposed"
ACCEPTED = "accepted"
QUESTION = "question"
ANSWER = "answer"
DECLINED = "declined"
EXPIRED = "expired"
ACTIVE = "active"
CLOSED = "closed"
EXITED = "exited"
NUDGE = "nudge"
KINDS = (PROPOSED, ACCEPTED, QUESTION, ANSWER, DECLINED, EXPIRED, ACTIVE, CLOSED, EXITED, NUDGE)


def absolute(url_name: str, *args: Any) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse(url_name, args=args)


def _notice(user: Any, subject: str, lines: list[str], link: str) -> EmailMessage | None:
    if user is None or not user.is_active or not user.email:
        return None
    body = render_to_string(
        "mentoring/email/relationship_notice.txt",
        {"name": user.first_name or str(user), "lines": lines, "link": link},
    )
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _messages(relationship: Relationship, kind: str, side: str) -> list[EmailMessage | None]:
    """The emails for `kind`; `side` is who acted (their counterpart is told)."""
    mentee, mentor = relationship.mentee, relationship.mentor
    program = relationship.program.name
    link = absolute("mentoring:relationship-detail", relationship.pk)
    names = {"mentee": mentee.full_name, "mentor": mentor.full_name, "program": program}
    other = mentor.user if side == RelationshipSide.MENTEE else mentee.user
    acted = names["mentee"] if side == RelationshipSide.MENTEE else names["mentor"]
    if kind == PROPOSED:
        return [
            _notice(
                mentee.user,
                _("Your proposed mentor: %(mentor)s") % names,
                [
                    _("%(program)s proposes %(mentor)s as your mentor.") % names,
                    _("Accept (or decline) the request in Tandem; you start once you both have."),
                ],
                link,
            ),
            _notice(
                mentor.user,
                _("Mentoring request: %(mentee)s") % names,
                [
                    _("%(program)s proposes that you mentor %(mentee)s.") % names,
                    _(
                        "Read what they hope for, ask them a question if you like, "
                        "then accept or decline."
                    ),
                ],
                link,
            ),
        ]
    if kind == ACCEPTED:
        return [
            _notice(
                user,
                _("Mentoring: you have both accepted"),
                [
                    _("%(mentee)s and %(mentor)s have both accepted.") % names,
                    _("Next: agree your goals, how often you meet and what stays confidential."),
                ],
                link,
            )
            for user in (mentee.user, mentor.user)
        ]
    if kind == QUESTION:
        return [
            _notice(
                mentee.user,
                _("%(mentor)s has a question for you") % names,
                [
                    _("Before accepting, %(mentor)s asks you a question. Answer it in Tandem.")
                    % names
                ],
                link,
            )
        ]
    if kind == ANSWER:
        return [
            _notice(
                mentor.user,
                _("%(mentee)s answered your question") % names,
                [_("Read the answer in Tandem, then accept or decline the request.")],
                link,
            )
        ]
    if kind == DECLINED:
        return [
            _notice(
                other,
                _("Mentoring request declined"),
                [
                    _("%(name)s has declined the mentoring request, without fault.")
                    % {"name": acted},
                    _("The program offers the mentee another mentor where one is free."),
                ],
                link,
            )
        ]
    if kind == EXPIRED:
        return [
            _notice(
                user,
                _("Mentoring request expired"),
                [
                    _("The request for %(mentor)s to mentor %(mentee)s was not accepted in time.")
                    % names,
                    _("The program offers the mentee another mentor where one is free."),
                ],
                link,
            )
            for user in (mentee.user, mentor.user)
        ]
    if kind == ACTIVE:
        return [
            _notice(
                user,
                _("Your mentoring has started"),
                [
                    _("The agreement between %(mentee)s and %(mentor)s is confirmed.") % names,
                    _(
                        "Log each meeting in Tandem; you will both get a short check-in "
                        "after 30 days."
                    ),
                ],
                link,
            )
            for user in (mentee.user, mentor.user)
        ]
    if kind in (CLOSED, EXITED):
        return [
            _notice(
                user,
                _("Your mentoring has closed"),
                [
                    _("The mentoring between %(mentee)s and %(mentor)s has closed.") % names,
                    _("Please answer the short closing survey: it helps the program."),
                ],
                absolute("mentoring:closing-survey", relationship.pk),
            )
            for user in (mentee.user, mentor.user)
        ]
    if kind == NUDGE:
        return [
            _notice(
                user,
                _("Time for your next mentoring meeting?"),
                [
                    _("%(mentee)s and %(mentor)s have not logged a meeting for a while.") % names,
                    _("Set a date for the next one, or log the last one if you met."),
                ],
                link,
            )
            for user in (mentee.user, mentor.user)
        ]
    raise ValueError(f"unknown relationship email {kind!r}")


@task()
def send_relationship_emails(relationship_id: int, kind: str, side: str = "") -> int:
    """Tell the mentee and the mentor (as `kind` says) what happened; returns the count."""
    relationship = (
        Relationship.objects.select_related("mentee__user", "mentor__user", "program")
        .filter(pk=relationship_id)
        .first()
    )
    if relationship is None:
        return 0
    sent = 0
    for message in _messages(relationship, kind, side):
        if message is not None:
            message.send()
            sent += 1
    return sent


@task()
def send_check_in_request(check_in_id: int) -> bool:
    check_in = (
        CheckIn.objects.select_related("relationship__mentee__user", "relationship__mentor__user")
        .filter(pk=check_in_id, answered_at__isnull=True)
        .first()
    )
    if check_in is None:
        return False
    relationship = check_in.relationship
    is_mentee = check_in.side == RelationshipSide.MENTEE
    user = relationship.mentee.user if is_mentee else relationship.mentor.user
    other = relationship.mentor.full_name if is_mentee else relationship.mentee.full_name
    message = _notice(
        user,
        _("Mentoring check-in: how is it going?"),
        [
            _(
                "Four quick questions about your mentoring with %(name)s: how satisfied you "
                "are, how far the goals have moved, and whether you meet often enough."
            )
            % {"name": other},
            _("The program admin sees the ratings only; your comment stays in the relationship."),
        ],
        absolute("mentoring:check-in", check_in.pk),
    )
    if message is None:
        return False
    message.send()
    return True


def relationship_event(relationship: Relationship, kind: str, side: str = "") -> None:
    send_relationship_emails.enqueue(relationship.pk, kind, side)


def check_in_requested(check_in: CheckIn) -> None:
    send_check_in_request.enqueue(check_in.pk)
