import datetime

import pytest
from django.utils import timezone

from tandem import scheduler
from tandem.accounts.models import AuditAction, AuditLog
from tandem.assessments.models import Nomination, RaterInvitation, Response
from tandem.assessments.report import build_report
from tandem.assessments.tests import report_data
from tandem.insights.models import Pulse, PulseInvitation, PulseStatus
from tandem.privacy.models import RetentionSettings
from tandem.privacy.retention import retention_apply
from tandem.privacy.tasks import apply_retention
from tandem.privacy.tests.test_erasure import figures_of
from tandem.tests.factories import PersonFactory, UserFactory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 2, 12, 0))


def months_ago(months):
    return NOW - datetime.timedelta(days=31 * months)


def linked_review(subject, *, closed_at):
    """A closed 360 whose answers came through rater links (as in production)."""
    review = report_data.hand_worked_review(subject, closed_at=closed_at)
    nominations = list(Nomination.objects.filter(review=review).order_by("pk"))
    responses = list(Response.objects.filter(review=review).order_by("pk"))
    for number, (nomination, response) in enumerate(zip(nominations, responses, strict=True)):
        response.invitation = RaterInvitation.objects.create(
            nomination=nomination,
            token_hash=f"{review.pk:032d}{number:032d}",
            expires_at=closed_at,
            submitted_at=closed_at,
        )
        response.save()
    return review


@pytest.fixture
def old_review(db):
    return linked_review(PersonFactory(), closed_at=months_ago(30))


@pytest.fixture
def recent_review(db):
    return linked_review(PersonFactory(), closed_at=months_ago(1))


def test_it_unlinks_old_raters_and_keeps_the_figures(old_review, recent_review):
    before = figures_of(build_report(old_review))
    recent_before = list(Response.objects.filter(review=recent_review).values_list("comments"))

    run = retention_apply(now=NOW)

    assert run.removed["rater invitations"] == 7
    assert not RaterInvitation.objects.filter(nomination__review=old_review).exists()
    assert not Response.objects.filter(review=old_review, comments__listening__isnull=False)
    assert set(Nomination.objects.filter(review=old_review).values_list("name", flat=True)) == {
        "Rater"
    }
    assert figures_of(build_report(old_review)) == before
    # A review closed a month ago keeps its links, names and comments.
    assert RaterInvitation.objects.filter(nomination__review=recent_review).count() == 7
    assert (
        list(Response.objects.filter(review=recent_review).values_list("comments")) == recent_before
    )


def test_it_deletes_the_links_of_old_pulses_but_keeps_the_count(db):
    pulse = Pulse.objects.create(
        name="Spring",
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 3, 15),
        status=PulseStatus.CLOSED,
        created_by=UserFactory(),
    )
    PulseInvitation.objects.create(
        pulse=pulse, person=PersonFactory(), token_hash="a" * 64, expires_at=months_ago(19)
    )
    Pulse.objects.filter(pk=pulse.pk).update(invited=1)

    retention_apply(now=NOW)

    assert not PulseInvitation.objects.exists()
    assert Pulse.objects.get(pk=pulse.pk).invited == 1


def test_it_deletes_old_audit_entries(db):
    old = AuditLog.objects.record(actor=None, action=AuditAction.READ, summary="old")
    AuditLog.objects.filter(pk=old.pk).update(at=months_ago(40))
    new = AuditLog.objects.record(actor=None, action=AuditAction.READ, summary="new")

    retention_apply(now=NOW)

    assert list(AuditLog.objects.values_list("pk", flat=True)) == [new.pk]


def test_zero_keeps_everything_forever(old_review):
    settings = RetentionSettings.current()
    settings.rater_tokens_months = settings.raw_survey_answers_months = 0
    settings.audit_log_months = 0
    settings.save()
    old = AuditLog.objects.record(actor=None, action=AuditAction.READ, summary="old")
    AuditLog.objects.filter(pk=old.pk).update(at=months_ago(400))

    assert retention_apply(now=NOW).removed == {}
    assert RaterInvitation.objects.count() == 7
    assert AuditLog.objects.filter(pk=old.pk).exists()


def test_a_second_run_finds_nothing(old_review):
    retention_apply(now=NOW)

    assert set(retention_apply(now=NOW).removed.values()) == {0}


def test_it_runs_as_a_daily_periodic_job(old_review):
    assert "tandem.privacy.tasks.apply_retention" in scheduler.registered()

    result = apply_retention.enqueue()

    assert result.return_value["rater invitations"] == 7


def test_the_settings_are_one_row_with_defaults(db):
    first = RetentionSettings.current()
    RetentionSettings(audit_log_months=12).save()

    assert RetentionSettings.objects.count() == 1
    assert RetentionSettings.current().audit_log_months == 12
    assert (first.rater_tokens_months, first.raw_survey_answers_months) == (3, 24)
