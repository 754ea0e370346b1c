"""Data-subject export: everything Tandem holds about one person, as JSON.

What is in it, and what is not (DESIGN.md, "Confidentiality rules"):
- The person's own records in full: their person record, job history, account, plans,
  self-assessments, training, one-on-ones, feedback given and received, succession
  records about them, and the audit entries about them.
- Their 360 reviews as the subject, with how many answers came in and the report as
  they read it (through the anonymity rules), but never a rater's answers or who the
  raters were; their own answers as a rater are counted only (the
  subjects they rated are other people's data).
- Confidential text (coaching notes, journal, mentoring notes, private one-on-one
  notes: every `EncryptedTextField`) is readable by its parties only, "not admins, not
  exports". The web page and the API, used by program admins, therefore mark it
  "withheld". An operator on the server, who holds the encryption keys anyway, can add
  the decrypted text with `tandem privacy export --include-confidential` to hand it to
  the person; that is audited like every other export.
- Secrets never: password hashes, token and link hashes.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.accounts.encryption import EncryptedTextField
from tandem.accounts.models import AuditLog
from tandem.assessments.models import ReviewStatus
from tandem.assessments.report import build_report, report_as_dict
from tandem.people.models import Person

FORMAT = "tandem-data-subject-export"
VERSION = 1
WITHHELD = "[withheld: confidential to its parties]"
# Credentials and link hashes: nobody's business, not even the person's.
SECRET_FIELDS = frozenset({"password", "token_hash", "key_hash"})


def _model(label: str) -> Any:  # the model class; mypy cannot follow get_model
    return apps.get_model(label)


def record(obj: models.Model, *, confidential: bool, omit: Iterable[str] = ()) -> dict[str, Any]:
    """One row as a dict of its columns (foreign keys as ids)."""
    skipped = SECRET_FIELDS | set(omit)
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skipped:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, EncryptedTextField) and value and not confidential:
            value = WITHHELD
        row[field.attname] = value
    return row


def records(
    queryset: models.QuerySet[Any], *, confidential: bool, omit: Iterable[str] = ()
) -> list[dict[str, Any]]:
    return [record(obj, confidential=confidential, omit=omit) for obj in queryset.order_by("pk")]


def person_export(person: Person, *, confidential: bool = False) -> dict[str, Any]:
    """The export document for `person` (not audited: see `services.person_export`)."""
    c = confidential
    user = person.user
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": timezone.now(),
        "person_id": person.pk,
        "confidential_text": "included" if c else "withheld",
        "person": record(person, confidential=c),
        "job_history": records(person.job_history.all(), confidential=c),
        "account": _account(user, confidential=c) if user is not None else None,
        "programs": _programs(person, confidential=c),
        "assessments": _assessments(person, confidential=c),
        "coaching": _coaching(person, confidential=c),
        "mentoring": _mentoring(person, confidential=c),
        "training": _training(person, confidential=c),
        "conversations": _conversations(person, confidential=c),
        "succession": _succession(person, confidential=c),
        "insights": _insights(person, confidential=c),
        "audit_log": records(_audit_entries(person), confidential=c),
    }


def _audit_entries(person: Person) -> models.QuerySet[AuditLog]:
    about = Q(subject_person_id=person.pk)
    if person.user_id is not None:
        about |= Q(actor_id=person.user_id)
    # Earlier exports included: the person may learn who asked for their data.
    return AuditLog.objects.filter(about)


def _account(user: Any, *, confidential: bool) -> dict[str, Any]:
    return {
        "user": record(user, confidential=confidential),
        "roles": list(user.role_grants.values_list("role", flat=True)),
        "api_tokens": records(user.api_tokens.all(), confidential=confidential),
        "calendar_feed": records(
            _model("accounts.CalendarFeed").objects.filter(user=user), confidential=confidential
        ),
        "login_attempts": records(
            _model("accounts.LoginAttempt").objects.filter(
                Q(username__iexact=user.username) | Q(username__iexact=user.email)
            ),
            confidential=confidential,
        ),
    }


def _programs(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    plans = _model("programs.DevelopmentPlan").objects.filter(person=person)
    cycles = _model("programs.PlanCycle").objects.filter(plan__in=plans)
    goals = _model("programs.Goal").objects.filter(cycle__in=cycles)
    comments = _model("programs.PlanComment").objects.filter(plan__in=plans)
    if person.user_id is not None:
        comments = _model("programs.PlanComment").objects.filter(
            Q(plan__in=plans) | Q(author_id=person.user_id)
        )
    return {
        "enrollments": records(person.enrollments.all(), confidential=c),
        "plans": records(plans, confidential=c),
        "plan_cycles": records(cycles, confidential=c),
        "goals": records(goals, confidential=c),
        "milestones": records(
            _model("programs.Milestone").objects.filter(goal__in=goals), confidential=c
        ),
        "measurements": records(
            _model("programs.Measurement").objects.filter(cycle__in=cycles), confidential=c
        ),
        "learning_activities": records(
            _model("programs.LearningActivity").objects.filter(cycle__in=cycles), confidential=c
        ),
        "plan_comments": records(comments, confidential=c),
        "check_ins": records(
            _model("programs.CheckIn").objects.filter(plan__in=plans), confidential=c
        ),
        "action_items": records(
            _model("programs.ActionItem").objects.filter(Q(plan__in=plans) | Q(owner=person)),
            confidential=c,
        ),
    }


def _assessments(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    reviews = []
    for review in _model("assessments.Review").objects.filter(subject=person).order_by("pk"):
        row = record(review, confidential=c)
        # How many answered, never who or what: a rater's answers are nobody's to read.
        row["answers_received"] = review.responses.filter(submitted_at__isnull=False).count()
        # The report as the subject reads it: only what the anonymity rules show.
        row["report"] = (
            report_as_dict(build_report(review)) if review.status == ReviewStatus.CLOSED else None
        )
        reviews.append(row)
    given = _model("assessments.Response").objects.filter(
        Q(invitation__nomination__person=person)
        | Q(invitation__nomination__email__iexact=person.email)
    )
    return {
        "reviews_as_subject": reviews,
        "self_assessments": records(person.self_assessments.all(), confidential=c),
        "style_profiles": records(person.style_profiles.all(), confidential=c),
        "answers_given_as_rater": given.filter(submitted_at__isnull=False).count(),
    }


def _coaching(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    engagements = _model("coaching.Engagement").objects.filter(coachee=person)
    sessions = _model("coaching.Session").objects.filter(engagement__in=engagements)
    coach = _model("coaching.Coach").objects.filter(user_id=person.user_id)
    evaluations = _model("coaching.Evaluation").objects.filter(engagement__in=engagements)
    return {
        "coach_profile": records(coach, confidential=c) if person.user_id else [],
        "engagements": records(engagements, confidential=c),
        "engagement_goals": records(
            _model("coaching.EngagementGoal").objects.filter(engagement__in=engagements),
            confidential=c,
        ),
        "chemistry_calls": records(
            _model("coaching.ChemistryCall").objects.filter(coachee=person), confidential=c
        ),
        "sessions": records(sessions, confidential=c),
        "session_notes": records(
            _model("coaching.SessionNotes").objects.filter(session__in=sessions), confidential=c
        ),
        "next_steps": records(
            _model("coaching.ActionItem").objects.filter(engagement__in=engagements),
            confidential=c,
        ),
        "evaluations": records(evaluations, confidential=c),
        "journal_entries": records(person.journal_entries.all(), confidential=c),
    }


def _mentoring(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    Relationship = _model("mentoring.Relationship")
    as_mentee = Relationship.objects.filter(mentee=person)
    as_mentor = Relationship.objects.filter(mentor=person)
    both = Relationship.objects.filter(Q(mentee=person) | Q(mentor=person))
    side = Q(relationship__in=as_mentee, side="mentee") | Q(
        relationship__in=as_mentor, side="mentor"
    )
    attendances = _model("mentoring.MeetingAttendance").objects.filter(relationship__in=both)
    meetings = (
        _model("mentoring.Meeting")
        .objects.filter(Q(mentor=person) | Q(attendances__relationship__in=as_mentee))
        .distinct()
    )
    meeting_rows = []
    for meeting in meetings.order_by("pk"):
        # The mentor's private notes are the mentor's alone.
        omit = () if meeting.mentor_id == person.pk else ("mentor_notes",)
        meeting_rows.append(record(meeting, confidential=c, omit=omit))
    return {
        "mentor_profiles": records(
            _model("mentoring.Mentor").objects.filter(person=person), confidential=c
        ),
        "mentee_profiles": records(
            _model("mentoring.Mentee").objects.filter(person=person), confidential=c
        ),
        "relationships": records(both, confidential=c),
        "questions": records(
            _model("mentoring.MentorQuestion").objects.filter(relationship__in=both),
            confidential=c,
        ),
        "meetings": meeting_rows,
        # Each mentee's private notes are that mentee's alone.
        "attendances": records(attendances.filter(relationship__in=as_mentee), confidential=c)
        + records(
            attendances.filter(relationship__in=as_mentor), confidential=c, omit=["mentee_notes"]
        ),
        "check_ins": records(_model("mentoring.CheckIn").objects.filter(side), confidential=c),
        "closing_surveys": records(
            _model("mentoring.ClosingSurvey").objects.filter(side), confidential=c
        ),
        "introductions": records(
            _model("mentoring.Introduction").objects.filter(relationship__in=both),
            confidential=c,
        ),
    }


def _training(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    seats = _model("training.Seat").objects.filter(person=person)
    return {
        "seats": records(seats, confidential=c),
        "reaction_surveys": records(
            _model("training.ReactionSurvey").objects.filter(seat__in=seats), confidential=c
        ),
        "knowledge_checks": records(
            _model("training.CheckAttempt").objects.filter(seat__in=seats), confidential=c
        ),
        "reinforcement_cards": records(
            _model("training.Card").objects.filter(seat__in=seats), confidential=c
        ),
        "practice_logs": records(person.practice_logs.all(), confidential=c),
        "flags": records(
            _model("training.LearnerFlag").objects.filter(seat__in=seats), confidential=c
        ),
    }


def _conversations(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    series = _model("conversations.OneOnOneSeries").objects.filter(
        Q(manager=person) | Q(report=person)
    )
    meetings = _model("conversations.Meeting").objects.filter(series__in=series)
    Feedback = _model("conversations.Feedback")
    FeedbackRequest = _model("conversations.FeedbackRequest")
    return {
        "one_on_one_series": records(series, confidential=c),
        "one_on_one_meetings": records(meetings, confidential=c),
        "agenda_items": records(
            _model("conversations.AgendaItem").objects.filter(meeting__in=meetings),
            confidential=c,
        ),
        # Each side's private notes are the author's alone: only the person's own.
        "private_notes": records(
            _model("conversations.PrivateNote").objects.filter(author=person), confidential=c
        ),
        "next_steps": records(
            _model("conversations.NextStep").objects.filter(meeting__in=meetings),
            confidential=c,
        ),
        "feedback_given": records(Feedback.objects.filter(giver=person), confidential=c),
        "feedback_received": records(Feedback.objects.filter(recipient=person), confidential=c),
        "feedback_requests_made": records(
            FeedbackRequest.objects.filter(requester=person), confidential=c
        ),
        "feedback_requests_received": records(
            FeedbackRequest.objects.filter(asked=person), confidential=c
        ),
    }


def _succession(person: Person, *, confidential: bool) -> dict[str, Any]:
    c = confidential
    successions = _model("succession.Successor").objects.filter(person=person)
    return {
        "placements": records(person.placements.all(), confidential=c),
        "successor_records": records(successions, confidential=c),
        "development_actions": records(
            _model("succession.DevelopmentAction").objects.filter(successor__in=successions),
            confidential=c,
        ),
        "critical_roles_held": records(
            _model("succession.CriticalRole").objects.filter(incumbent=person), confidential=c
        ),
    }


def _insights(person: Person, *, confidential: bool) -> dict[str, Any]:
    # Pulse answers are not linked to anyone, by design; only who was invited is. Whether
    # the link was used is left out, as on the admin pages: it would say who answered.
    invitations = _model("insights.PulseInvitation").objects.filter(person=person)
    return {"pulse_invitations": records(invitations, confidential=confidential, omit=["used"])}
