"""The 360 review workflow: start, nominate, manager approval, invitations by email
with a single-use link stored only hashed, reminders, closing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.assessments import services, tasks, tokens
from tandem.assessments.models import (
    Nomination,
    NominationStatus,
    RaterGroup,
    RaterInvitation,
    Review,
    ReviewStatus,
)
from tandem.assessments.tests.reviews_setup import (
    closes_on,
    full_answers,
    nominate_peers,
    opened,
    start,
)

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_nominates_the_manager_automatically(org):
    review = start(org)
    assert review.status == ReviewStatus.NOMINATING
    manager = review.nominations.get()
    assert (manager.group, manager.person, manager.email) == (
        RaterGroup.MANAGER,
        org.manager,
        org.manager.email,
    )


def test_the_self_column_is_the_subjects_own_self_assessment(org):
    review = start(org)
    assert review.self_assessment.person == org.report
    assert review.self_assessment.submitted_at is None
    html = (
        client_for(org.report.user)
        .get(reverse("assessments:review-detail", args=[review.pk]))
        .content.decode()
    )
    assert reverse("assessments:self-detail", args=[review.self_assessment.pk]) in html


def test_it_lets_the_subject_start_their_own_review_but_not_an_outsider(org):
    review = services.review_start(
        subject=org.report, closes_on=closes_on(), started_by=org.report.user
    )
    assert review.subject == org.report
    with pytest.raises(PermissionDenied):
        services.review_start(
            subject=org.manager, closes_on=closes_on(), started_by=org.outsider.user
        )


def test_it_refuses_a_closing_date_in_the_past(org):
    with pytest.raises(ValidationError):
        services.review_start(
            subject=org.report, closes_on=closes_on(-1), started_by=org.manager.user
        )
    assert not Review.objects.exists()


def test_it_refuses_duplicates_the_subject_and_the_self_group(org):
    review = start(org)
    by = org.report.user
    services.nominate(review=review, group="peers", by=by, name="Pat", email="pat@example.org")
    with pytest.raises(ValidationError, match="already nominated"):
        services.nominate(review=review, group="others", by=by, name="P", email="PAT@example.org")
    with pytest.raises(ValidationError, match="cannot rate themselves"):
        services.nominate(review=review, group="peers", by=by, person=org.report)
    with pytest.raises(ValidationError):
        services.nominate(review=review, group="self", by=by, name="Me", email="me@example.org")
    with pytest.raises(ValidationError):
        services.nominate(review=review, group="peers", by=by, name="X", email="not-an-email")
    assert review.nominations.count() == 2  # the manager and Pat


def test_it_refuses_nominations_from_an_outsider(org):
    review = start(org)
    with pytest.raises(PermissionDenied):
        services.nominate(
            review=review, group="peers", by=org.outsider.user, name="X", email="x@example.org"
        )


def test_it_needs_the_manager_to_approve(org):
    review = start(org)
    nominate_peers(review, org.report.user)
    services.submit_for_approval(review=review, by=org.report.user)
    with pytest.raises(PermissionDenied):
        services.approve(review=review, approved_by=org.report.user)
    review.refresh_from_db()
    assert review.status == ReviewStatus.AWAITING_APPROVAL
    assert not RaterInvitation.objects.exists()
    assert [m.to for m in mail.outbox] == [[org.manager.email]]  # only the approval request


def test_submitting_the_list_asks_the_manager_by_email(org):
    review = start(org)
    nominate_peers(review, org.report.user)
    services.submit_for_approval(review=review, by=org.report.user)
    (message,) = mail.outbox
    assert message.to == [org.manager.email]
    assert "Rita Report" in message.subject
    assert f"/assessments/reviews/{review.pk}/" in message.body


def test_it_lets_anyone_above_or_an_admin_approve(org, program_admin):
    review = start(org)
    nominate_peers(review, org.report.user)
    services.approve(review=review, approved_by=org.ceo.user)
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    other = services.review_start(
        subject=org.manager, closes_on=closes_on(), started_by=program_admin
    )
    nominate_peers(other, program_admin)
    services.approve(review=other, approved_by=program_admin)


def test_it_opens_freezes_and_invites_each_approved_rater(org):
    review = start(org)
    nominate_peers(review, org.report.user, 4)
    declined = review.nominations.get(email="peers3@example.org")
    services.nomination_set_status(
        nomination=declined, status=NominationStatus.DECLINED, by=org.manager.user
    )
    services.submit_for_approval(review=review, by=org.report.user)
    mail.outbox.clear()
    services.approve(review=review, approved_by=org.manager.user)
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    assert review.approved_by == org.manager.user
    assert review.instrument.is_frozen
    invited = set(RaterInvitation.objects.values_list("nomination__email", flat=True).order_by())
    assert invited == {
        org.manager.email,
        "peers0@example.org",
        "peers1@example.org",
        "peers2@example.org",
    }
    expected_expiry = datetime.datetime.combine(
        review.closes_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    assert set(RaterInvitation.objects.values_list("expires_at", flat=True)) == {expected_expiry}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(invited)


def test_the_email_names_the_subject_the_deadline_and_says_answers_are_anonymous(org):
    review, raw = opened(org)
    message = next(m for m in mail.outbox if m.to == ["peers0@example.org"])
    assert "Rita Report" in message.subject
    assert "Rita Report" in message.body
    assert review.closes_on.strftime("%Y") in message.body
    assert "anonymous" in message.body
    assert "shown only as a group" in message.body
    link = f"http://127.0.0.1:8000/assessments/rate/{raw['peers0@example.org']}/"
    assert tokens.rater_url(raw["peers0@example.org"]).endswith(
        f"/assessments/rate/{raw['peers0@example.org']}/"
    )
    assert raw["peers0@example.org"] in message.alternatives[0][0]
    assert link.split("/assessments")[1] in message.body


def test_it_stores_tokens_only_hashed(org):
    _review, raw = opened(org)
    token = raw["peers0@example.org"]
    invitation = RaterInvitation.objects.get(nomination__email="peers0@example.org")
    assert invitation.token_hash == tokens.hash_token(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM assessments_raterinvitation")
        rows = cursor.fetchall()
    assert not any(token in str(value) for row in rows for value in row)


def test_it_closes_by_hand_and_by_date(org):
    review, _ = opened(org)
    with pytest.raises(PermissionDenied):
        services.review_close(review=review, by=org.report.user)
    services.review_close(review=review, by=org.manager.user)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED and review.closed_at is not None
    with pytest.raises(services.Refused):
        services.review_close(review=review, by=org.manager.user)

    later = start(org)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        assert tasks.close_past_reviews.call() == 1
    later.refresh_from_db()
    assert later.status == ReviewStatus.CLOSED


def test_it_reminds_raters_who_have_not_answered_at_most_every_three_days(org):
    review, _raw = opened(org)
    invitation = RaterInvitation.objects.get(nomination__email="peers0@example.org")
    services.response_submit(invitation=invitation, answers=full_answers(review), comments={})
    mail.outbox.clear()
    assert tasks.send_rater_reminders.call()["sent"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        result = tasks.send_rater_reminders.call()
        assert result["sent"] == 3  # the manager and two peers; peers0 answered
        assert "peers0@example.org" not in [m.to[0] for m in mail.outbox]
        reminder = next(m for m in mail.outbox if m.to == ["peers1@example.org"])
        assert "Reminder" in reminder.subject
        assert "/assessments/rate/" in reminder.body
        assert tasks.send_rater_reminders.call()["sent"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5)):
        assert tasks.send_rater_reminders.call()["sent"] == 0
    services.review_close(review=review, by=org.manager.user)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        assert tasks.send_rater_reminders.call()["sent"] == 0


def test_a_reminder_link_replaces_the_old_one_and_keeps_the_draft(org):
    _review, raw = opened(org)
    old = raw["peers1@example.org"]
    invitation = RaterInvitation.objects.get(nomination__email="peers1@example.org")
    services.response_save_draft(invitation=invitation, answers={"sa-1": 2}, comments={})
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        tasks.send_rater_reminders.call()
    new = next(m for m in mail.outbox if m.to == ["peers1@example.org"])
    assert services.rater_link(old).problem == services.UNKNOWN
    token = new.body.split("/assessments/rate/")[1].split("/")[0]
    link = services.rater_link(token)
    assert link.problem is None
    assert services.draft_of(link.invitation).answers == {"sa-1": 2}


def test_progress_shows_group_counts_only_from_the_minimum(org):
    review, _ = opened(org, peers=2)
    for invitation in RaterInvitation.objects.filter(nomination__group="peers"):
        services.response_submit(invitation=invitation, answers=full_answers(review), comments={})
    progress = services.review_progress(review)
    peers = next(g for g in progress.groups if g.group == "peers")
    assert (peers.approved, peers.minimum, peers.answered) == (2, 3, None)
    assert (progress.invited, progress.answered) == (3, 2)
    manager = next(g for g in progress.groups if g.group == "manager")
    assert manager.answered is None


def test_progress_shows_a_group_that_reaches_its_minimum(org):
    review, _ = opened(org, peers=3)
    invitation = RaterInvitation.objects.filter(nomination__group="peers").first()
    services.response_submit(invitation=invitation, answers=full_answers(review), comments={})
    peers = next(g for g in services.review_progress(review).groups if g.group == "peers")
    assert (peers.approved, peers.answered) == (3, 1)


def test_nomination_status_is_for_the_manager(org):
    review = start(org)
    nominate_peers(review, org.report.user, 1)
    nomination = Nomination.objects.get(group="peers")
    with pytest.raises(PermissionDenied):
        services.nomination_set_status(nomination=nomination, status="declined", by=org.report.user)
