"""A data subject with something in every app, on top of the shared `org`.

subject    Zelda Quixote, reporting to org.manager, with a login, an API token and a
           calendar feed; a program enrollment and a plan (a comment by her manager
           naming her); a journal entry and coaching notes (encrypted); a one-on-one
           with org.manager with her private note and her manager's; feedback given
           and received; a 360 of her own (report_data.anonymity_review: two direct
           reports' comments stay hidden); and a peer answer, with a comment, in
           org.outsider's 360 (`data.rated_review`), through a rater link.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tandem.accounts.models import ApiToken, AuditAction, AuditLog, CalendarFeed, LoginAttempt
from tandem.assessments.models import Nomination, NominationStatus, RaterInvitation, Response
from tandem.assessments.tests import report_data
from tandem.coaching.models import JournalEntry, SessionNotes
from tandem.coaching.tests.factories import CoachFactory, active, booked
from tandem.conversations.models import AgendaItem, Feedback, Meeting, OneOnOneSeries, PrivateNote
from tandem.people.models import ChangeKind, ExitType, JobChange
from tandem.programs.models import DevelopmentPlan, Enrollment, EnrollmentStatus, PlanComment
from tandem.tests.factories import PersonFactory, ProgramFactory, make_user_for

NAME = "Zelda Quixote"
EMAIL = "zelda.quixote@example.com"
JOURNAL_SECRET = "I froze when the board asked about the budget"
PRIVATE_NOTE = "Zelda seems tired lately"


@pytest.fixture
def subject(org):
    person = PersonFactory(
        first_name="Zelda",
        last_name="Quixote",
        email=EMAIL,
        level="emerging",
        title="Head of Quixotic Projects",
        manager=org.manager,
        hire_date=datetime.date(2019, 3, 4),
    )
    user = make_user_for(person)
    JobChange.objects.create(
        person=person,
        kind=ChangeKind.HIRE,
        effective_date=person.hire_date,
        title=person.title,
        level=person.level,
    )
    ApiToken.issue(user=user, name="laptop")
    CalendarFeed.reset_for(user)
    LoginAttempt.objects.create(username=user.username, succeeded=True)
    return person


@pytest.fixture
def data(org, subject):
    """The subject's records in every app; returns the interesting ones."""
    program = ProgramFactory()
    enrollment = Enrollment.objects.create(
        program=program, person=subject, status=EnrollmentStatus.ACTIVE
    )
    plan = DevelopmentPlan.objects.create(enrollment=enrollment, person=subject)
    PlanComment.objects.create(
        plan=plan, author=org.manager.user, body=f"{NAME} should delegate more."
    )

    coach = CoachFactory()
    engagement = active(coach, subject)
    session = booked(engagement)
    SessionNotes.objects.create(session=session, goal="Speak up in board meetings")
    JournalEntry.objects.create(author=subject, trigger="pressure", situation=JOURNAL_SECRET)

    series = OneOnOneSeries.objects.create(
        manager=org.manager, report=subject, first_on=datetime.date(2026, 1, 5)
    )
    meeting = Meeting.objects.create(series=series, on=datetime.date(2026, 1, 5))
    AgendaItem.objects.create(meeting=meeting, author=subject, text="My promotion case")
    PrivateNote.objects.create(meeting=meeting, author=subject, body="Ask about the budget")
    PrivateNote.objects.create(meeting=meeting, author=org.manager, body=PRIVATE_NOTE)
    Feedback.objects.create(
        giver=subject, recipient=org.report, kind="positive", text="Great demo, Rita."
    )
    Feedback.objects.create(
        giver=org.report, recipient=subject, kind="developmental", text=f"{NAME} interrupts."
    )

    own_review = report_data.anonymity_review(subject)
    rated_review = report_data.hand_worked_review(org.outsider)
    # One of the peers in the outsider's review is the subject, through a rater link.
    nomination = Nomination.objects.create(
        review=rated_review,
        group="peers",
        person=subject,
        name=NAME,
        email=EMAIL,
        status=NominationStatus.APPROVED,
    )
    invitation = RaterInvitation.objects.create(
        nomination=nomination,
        token_hash="f" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=10),
        submitted_at=timezone.now(),
    )
    given = Response.objects.filter(review=rated_review, group="peers").first()
    given.invitation = invitation
    given.comments = {"listening": "Otto listens, says Zelda"}
    given.save()

    AuditLog.objects.record(
        actor=org.manager.user,
        action=AuditAction.READ,
        target=subject,
        subject_person_id=subject.pk,
        summary=f"Read the plan of {NAME}",
    )
    return SimpleNamespace(
        program=program,
        plan=plan,
        engagement=engagement,
        session=session,
        meeting=meeting,
        own_review=own_review,
        rated_review=rated_review,
        given=given,
    )


@pytest.fixture
def leaver(data, subject):
    """The subject left voluntarily: her exit feeds the program's retention figure."""
    subject.exit_date = datetime.date(2026, 5, 29)
    subject.exit_type = ExitType.VOLUNTARY
    subject.save()
    JobChange.objects.create(
        person=subject,
        kind=ChangeKind.EXIT,
        effective_date=subject.exit_date,
        exit_type=ExitType.VOLUNTARY,
    )
    return subject
