import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from tandem.accounts.models import ApiToken, AuditAction, AuditLog, CalendarFeed
from tandem.assessments.report import build_report, report_as_dict
from tandem.coaching.models import JournalEntry, SessionNotes
from tandem.conversations.models import PrivateNote
from tandem.insights import metrics
from tandem.people.models import JobChange, Person
from tandem.privacy import services
from tandem.privacy.tests.conftest import EMAIL
from tandem.programs.models import Enrollment, EnrollmentStatus
from tandem.tests.factories import PersonFactory

PASSWORD = "correct horse battery staple"

ON = datetime.date(2026, 11, 2)


def figures_of(report):
    """A 360 report's figures, without its comments (free text, which erasure removes)."""
    result = report_as_dict(report)
    for competency in result["competencies"]:
        competency.pop("comments")
    return result


def program_figures(program):
    pop = metrics.population(program, ON)
    return (
        metrics.retained(pop, pop.participants),
        metrics.promoted(pop, pop.participants),
        metrics.goal_completion_rate(pop),
    )


@pytest.fixture
def cohort(data, leaver):
    """Five more participants, so the program's figures are big enough to show."""
    for _ in range(5):
        Enrollment.objects.create(
            program=data.program,
            person=PersonFactory(level="emerging"),
            status=EnrollmentStatus.ACTIVE,
        )
    return data.program


def test_it_keeps_every_aggregate_the_person_fed(data, cohort, subject, org, program_admin):
    other_report_before = figures_of(build_report(data.rated_review))
    program_before = program_figures(cohort)
    assert program_before[0].enough  # the retention figure is really shown

    services.person_erase(person=subject, actor=program_admin)

    assert figures_of(build_report(data.rated_review)) == other_report_before
    assert program_figures(cohort) == program_before
    # Her own 360 keeps its figures too (her name in it does not).
    assert build_report(data.own_review).competencies


def dump_text():
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    return dump.getvalue().lower()


def test_it_leaves_nothing_that_names_the_person(data, subject, org, program_admin):
    assert "quixote" in dump_text()  # the search below would find her

    services.person_erase(person=subject, actor=program_admin)

    text = dump_text()
    for mention in ("Zelda", "Quixote", EMAIL, "Quixotic"):
        assert mention.lower() not in text, mention
    person = Person.objects.get(pk=subject.pk)
    assert person.full_name == f"Erased person {subject.pk}"
    assert JobChange.objects.filter(person=person).count() == 1  # dates kept, title gone


def test_it_deletes_what_she_wrote_and_what_was_written_about_her(
    data, subject, org, program_admin
):
    services.person_erase(person=subject, actor=program_admin)

    assert not JournalEntry.objects.filter(author=subject).exists()
    assert not SessionNotes.objects.filter(session=data.session).exists()
    # Her manager's private notes of their one-on-ones are about her: deleted too.
    assert not PrivateNote.objects.filter(meeting=data.meeting).exists()
    data.given.refresh_from_db()
    assert data.given.comments == {}
    assert data.given.answers  # the scores stay


def test_it_closes_the_account(data, subject, program_admin):
    user = subject.user
    services.person_erase(person=subject, actor=program_admin)

    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert not Client().login(username=user.username, password=PASSWORD)


def test_it_is_audited_without_the_name(data, subject, program_admin):
    services.person_erase(person=subject, actor=program_admin)

    entry = AuditLog.objects.filter(action=AuditAction.DELETE).get()
    assert entry.subject_person_id == subject.pk
    assert "Erased person" in entry.summary and "Zelda" not in entry.summary


def test_it_refuses_to_erase_twice(data, subject, program_admin):
    services.person_erase(person=subject, actor=program_admin)

    with pytest.raises(ValidationError):
        services.person_erase(person=Person.objects.get(pk=subject.pk), actor=program_admin)


def test_a_failing_step_leaves_nothing_changed(data, subject, program_admin, monkeypatch):
    def breaks(person, erasure):
        raise RuntimeError("disk full")

    # After the pseudonym step, so every earlier step has written before it fails.
    monkeypatch.setattr(services, "ERASURE_STEPS", [*services.ERASURE_STEPS, breaks])

    with pytest.raises(RuntimeError):
        services.person_erase(person=subject, actor=program_admin)

    person = Person.objects.get(pk=subject.pk)
    assert person.full_name == "Zelda Quixote" and person.email == EMAIL
    assert person.user.is_active and person.user.has_usable_password()
    assert ApiToken.objects.filter(user=person.user).exists()
    assert JournalEntry.objects.filter(author=subject).exists()
    data.given.refresh_from_db()
    assert data.given.comments
    assert not AuditLog.objects.filter(action=AuditAction.DELETE).exists()
