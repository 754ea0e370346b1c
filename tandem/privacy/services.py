"""Privacy workflows: the audited data-subject export and the erasure of a person.

Erasure removes what identifies a person and what they (or others, about them) wrote,
and keeps every record that feeds a figure, so aggregates do not move:
- kept: job history dates and kinds (turnover, retention, promotion), levels and units,
  360 scores (Response answers and Rating rows: other subjects' reports), self-assessment
  scores, session and meeting dates, ratings, attendance, seats, pulse invitations
  (pulse answers were never linked to anyone);
- replaced: names, email, employee id, title, location ("Erased person 123"); the
  login is deactivated, its password made unusable (which also ends its sessions) and its
  tokens, calendar feed, roles and login attempts deleted; the person as a 360 rater
  becomes "Erased rater";
- deleted or emptied: free text they wrote or that was written about them: journal,
  coaching notes, next steps, private one-on-one notes, agenda items, shared notes,
  feedback text, plan comments and check-in notes, mentoring notes, questions and
  comments, 360 comments, practice logs, succession notes;
- finally every remaining text column in the database that still mentions the full
  name, email or username has it replaced with the pseudonym (audit log summaries,
  free text elsewhere).
All of it runs in one transaction: a failure at any step leaves nothing changed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.accounts.encryption import EncryptedTextField
from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import Person
from tandem.privacy import export

ERASED_DOMAIN = "erased.invalid"  # .invalid never resolves: no mail can reach it
ERASED_TEXT = "(erased)"


def pseudonym(person: Person) -> str:
    return f"Erased person {person.pk}"


def is_erased(person: Person) -> bool:
    return person.email.endswith("@" + ERASED_DOMAIN)


def person_export(
    *, person: Person, actor: Any, confidential: bool = False, ip: str | None = None
) -> dict[str, Any]:
    """The data-subject export of `person`, recorded in the audit log."""
    document = export.person_export(person, confidential=confidential)
    AuditLog.objects.record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=person,
        subject_person_id=person.pk,
        summary="Data-subject export"
        + (" with confidential text" if confidential else " (confidential text withheld)"),
        ip=ip,
    )
    return document


@dataclass
class Erasure:
    person_id: int
    pseudonym: str
    changed: dict[str, int] = field(default_factory=dict)


def _m(label: str) -> Any:  # the model class; mypy cannot follow get_model
    return apps.get_model(label)


def _count(erasure: Erasure, what: str, n: int) -> None:
    if n:
        erasure.changed[what] = erasure.changed.get(what, 0) + n


@transaction.atomic
def person_erase(*, person: Person, actor: Any, ip: str | None = None) -> Erasure:
    """Erase `person` (see the module). Refuses someone already erased."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if is_erased(person):
        raise ValidationError(_("This person has already been erased."))
    mentions = _mentions_of(person)
    erasure = Erasure(person_id=person.pk, pseudonym=pseudonym(person))
    for step in ERASURE_STEPS:
        step(person, erasure)
    _replace_mentions(mentions, erasure.pseudonym, erasure)
    AuditLog.objects.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=person,
        subject_person_id=person.pk,
        summary=f"Erased {erasure.pseudonym}: "
        + ", ".join(f"{what} {n}" for what, n in sorted(erasure.changed.items())),
        ip=ip,
    )
    return erasure


def _mentions_of(person: Person) -> list[str]:
    """The strings that name the person, longest first."""
    found = {person.full_name, person.email}
    if person.user is not None:
        found |= {person.user.email, person.user.get_full_name()}
    # Ids and usernames ("e00012") are left out: they are substrings of other ids.
    return sorted((s for s in found if len(s.strip()) >= 4), key=len, reverse=True)


# Steps ---------------------------------------------------------------------------------


def erase_account(person: Person, erasure: Erasure) -> None:
    user = person.user
    if user is None:
        return
    _count(erasure, "api tokens", user.api_tokens.all().delete()[0])
    _count(
        erasure, "calendar feeds", _m("accounts.CalendarFeed").objects.filter(user=user).delete()[0]
    )
    _count(erasure, "roles", user.role_grants.all().delete()[0])
    attempts = _m("accounts.LoginAttempt").objects.filter(
        Q(username__iexact=user.username) | Q(username__iexact=user.email)
    )
    _count(erasure, "login attempts", attempts.delete()[0])
    user.username = f"erased-{user.pk}"
    user.email = f"erased-user-{user.pk}@{ERASED_DOMAIN}"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    # A new (unusable) password hash also invalidates every session of this login.
    user.set_unusable_password()
    user.save()
    _count(erasure, "accounts deactivated", 1)


def erase_plan_text(person: Person, erasure: Erasure) -> None:
    plans = _m("programs.DevelopmentPlan").objects.filter(person=person)
    comments = Q(plan__in=plans)
    if person.user_id is not None:
        comments |= Q(author_id=person.user_id)
    _count(
        erasure, "plan comments", _m("programs.PlanComment").objects.filter(comments).delete()[0]
    )
    checkins = _m("programs.CheckIn").objects.filter(plan__in=plans)
    _count(erasure, "check-in notes", checkins.update(progress=ERASED_TEXT, blockers=""))
    _m("programs.PlanCycle").objects.filter(plan__in=plans).exclude(outcome="").update(outcome="")


def erase_assessment_text(person: Person, erasure: Erasure) -> None:
    Nomination = _m("assessments.Nomination")
    Response = _m("assessments.Response")
    as_rater = Nomination.objects.filter(Q(person=person) | Q(email__iexact=person.email))
    # Their answers to other people's 360s keep their scores (those subjects' reports
    # must not change) but lose the comments they wrote and who gave them.
    given = Response.objects.filter(invitation__nomination__in=as_rater)
    _count(erasure, "360 comments given", given.exclude(comments={}).update(comments={}))
    for nomination in as_rater:
        Nomination.objects.filter(pk=nomination.pk).update(
            name="Erased rater", email=f"erased-rater-{nomination.pk}@{ERASED_DOMAIN}", person=None
        )
        _count(erasure, "360 nominations as rater", 1)
    received = Response.objects.filter(review__subject=person).exclude(comments={})
    _count(erasure, "360 comments received", received.update(comments={}))


def erase_coaching_text(person: Person, erasure: Erasure) -> None:
    engagements = _m("coaching.Engagement").objects.filter(coachee=person)
    _count(erasure, "journal entries", person.journal_entries.all().delete()[0])
    if person.user_id is not None:  # an internal coach: their bio is their own words
        _m("coaching.Coach").objects.filter(user_id=person.user_id).update(bio="")
    notes = _m("coaching.SessionNotes").objects.filter(session__engagement__in=engagements)
    _count(erasure, "coaching session notes", notes.delete()[0])
    steps = _m("coaching.ActionItem").objects.filter(engagement__in=engagements)
    for step in steps:
        step.title = ERASED_TEXT
        step.save(update_fields=["title"])
        _count(erasure, "coaching next steps", 1)
    goals = _m("coaching.EngagementGoal").objects.filter(engagement__in=engagements)
    _count(erasure, "coaching goals", goals.update(title=ERASED_TEXT))


def erase_mentoring_text(person: Person, erasure: Erasure) -> None:
    both = _m("mentoring.Relationship").objects.filter(Q(mentee=person) | Q(mentor=person))
    _count(
        erasure,
        "mentoring questions",
        _m("mentoring.MentorQuestion").objects.filter(relationship__in=both).delete()[0],
    )
    meetings = _m("mentoring.Meeting").objects.filter(
        Q(mentor=person) | Q(attendances__relationship__in=both)
    )
    _count(
        erasure,
        "mentoring meeting notes",
        _m("mentoring.Meeting")
        .objects.filter(pk__in=meetings.values("pk"))
        .update(topics="", next_step="", mentor_notes=""),
    )
    _m("mentoring.MeetingAttendance").objects.filter(relationship__in=both).update(mentee_notes="")
    _m("mentoring.CheckIn").objects.filter(relationship__in=both).update(comment="")
    _m("mentoring.ClosingSurvey").objects.filter(relationship__in=both).update(what_changed="")
    intros = _m("mentoring.Introduction").objects.filter(relationship__in=both)
    _count(erasure, "introductions", intros.update(whom=ERASED_TEXT, note=""))
    both.update(goals=[])
    _m("mentoring.Mentee").objects.filter(person=person).update(goals=[])


def erase_training_text(person: Person, erasure: Erasure) -> None:
    seats = _m("training.Seat").objects.filter(person=person)
    _m("training.ReactionSurvey").objects.filter(seat__in=seats).update(comment="")
    logs = person.practice_logs.all()
    _count(
        erasure,
        "practice logs",
        logs.update(what_i_did=ERASED_TEXT, what_happened="", manager_note=""),
    )
    _m("training.LearnerFlag").objects.filter(seat__in=seats).update(
        detail=ERASED_TEXT, resolution=""
    )


def erase_conversation_text(person: Person, erasure: Erasure) -> None:
    series = _m("conversations.OneOnOneSeries").objects.filter(Q(manager=person) | Q(report=person))
    meetings = _m("conversations.Meeting").objects.filter(series__in=series)
    _count(
        erasure,
        "private notes",
        # The other side's private notes of their meetings are about the person too.
        _m("conversations.PrivateNote")
        .objects.filter(Q(author=person) | Q(meeting__in=meetings))
        .delete()[0],
    )
    agenda = _m("conversations.AgendaItem").objects.filter(
        Q(author=person) | Q(meeting__in=meetings)
    )
    _count(erasure, "agenda items", agenda.delete()[0])
    _count(erasure, "shared notes", meetings.exclude(shared_notes="").update(shared_notes=""))
    _m("conversations.NextStep").objects.filter(meeting__in=meetings).update(title=ERASED_TEXT)
    feedback = _m("conversations.Feedback").objects.filter(Q(giver=person) | Q(recipient=person))
    _count(
        erasure,
        "feedback",
        feedback.update(text=ERASED_TEXT, situation="", behaviour="", impact=""),
    )
    _m("conversations.FeedbackRequest").objects.filter(
        Q(requester=person) | Q(asked=person)
    ).update(message=ERASED_TEXT)


def erase_succession_text(person: Person, erasure: Erasure) -> None:
    placements = person.placements.all()
    _count(erasure, "placement notes", placements.update(note="", calibration_note=""))
    successions = _m("succession.Successor").objects.filter(person=person)
    successions.update(note="")
    _m("succession.DevelopmentAction").objects.filter(successor__in=successions).update(
        description=ERASED_TEXT, link=""
    )


def pseudonymize_person(person: Person, erasure: Erasure) -> None:
    person.first_name = "Erased"
    person.last_name = f"person {person.pk}"
    person.email = f"erased-{person.pk}@{ERASED_DOMAIN}"
    person.employee_id = f"erased-{person.pk}"
    person.title = ""
    person.location = ""
    person.save()
    # Dates, kinds and levels stay (turnover, promotion); a title can name one person.
    person.job_history.update(title="", previous_title="")
    _count(erasure, "person records", 1)


ERASURE_STEPS: list[Callable[[Person, Erasure], None]] = [
    erase_account,
    erase_plan_text,
    erase_assessment_text,
    erase_coaching_text,
    erase_mentoring_text,
    erase_training_text,
    erase_conversation_text,
    erase_succession_text,
    pseudonymize_person,
]


# The safety net --------------------------------------------------------------------------


def _text_columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.local_concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        and not isinstance(f, EncryptedTextField)  # ciphertext: handled by the steps
        and not f.choices
        and not f.primary_key
    ]


def _replaced(value: Any, mentions: list[str], replacement: str) -> Any:
    if isinstance(value, str):
        for mention in mentions:
            # Whole words only: erasing "Ann Lee" must not touch "Ann Leeds".
            pattern = r"(?<!\w)" + re.escape(mention) + r"(?!\w)"
            value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_replaced(v, mentions, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, mentions, replacement) for k, v in value.items()}
    return value


def _replace_mentions(mentions: list[str], replacement: str, erasure: Erasure) -> None:
    """Replace every remaining mention of the person in any plain text column."""
    if not mentions:
        return
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for column in _text_columns(model):
            hit = Q()
            for mention in mentions:
                hit |= Q(**{f"{column.name}__icontains": mention})
            rows = model._default_manager.filter(hit).values_list("pk", column.attname)
            for pk, value in rows:
                new = _replaced(value, mentions, replacement)
                if new != value:
                    model._default_manager.filter(pk=pk).update(**{column.attname: new})
                    _count(erasure, "other mentions", 1)
