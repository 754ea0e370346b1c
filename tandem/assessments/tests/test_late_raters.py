"""Raters added after a review opened: the subject or an admin nominates them, the
manager (or an admin) approves each one, and only an approved rater gets a link, by
email through the same background job as the first invitations."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.assessments import services
from tandem.assessments.models import (
    Nomination,
    NominationStatus,
    RaterInvitation,
    ReviewStatus,
)
from tandem.assessments.tests.reviews_setup import full_answers, opened, tokens_from_outbox

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def late(review, by, email="late@example.org", group="peers"):
    return services.nominate(review=review, group=group, by=by, name="Lee Late", email=email)


class TestTheWorkflow:
    def test_the_subject_adds_a_rater_who_waits_for_approval(self, org):
        review, _ = opened(org)
        mail.outbox.clear()
        nomination = late(review, org.report.user)
        assert nomination.status == NominationStatus.PROPOSED
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()
        # The manager is asked to approve; the rater hears nothing yet.
        (request,) = mail.outbox
        assert request.to == [org.manager.email]
        assert "added 1 rater to their open 360" in request.body

    def test_an_approved_late_rater_gets_a_working_link(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        mail.outbox.clear()
        services.nomination_set_status(
            nomination=nomination, status=NominationStatus.APPROVED, by=org.manager.user
        )
        invitation = RaterInvitation.objects.get(nomination=nomination)
        assert invitation.sent_at is not None
        assert [m.to for m in mail.outbox] == [["late@example.org"]]
        raw = tokens_from_outbox()["late@example.org"]
        link = services.rater_link(raw)
        assert link.problem is None and link.invitation == invitation
        services.response_submit(invitation=invitation, answers=full_answers(review), comments={})
        peers = next(g for g in services.review_progress(review).groups if g.group == "peers")
        assert (peers.approved, peers.answered) == (4, 1)

    def test_a_declined_late_rater_gets_no_link(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        mail.outbox.clear()
        services.nomination_set_status(
            nomination=nomination, status=NominationStatus.DECLINED, by=org.manager.user
        )
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()
        assert mail.outbox == []
        assert "late@example.org" not in tokens_from_outbox()

    def test_an_admin_adds_and_approves_a_rater(self, org, program_admin):
        review, _ = opened(org)
        mail.outbox.clear()
        nomination = late(review, program_admin, group="others")
        assert mail.outbox == []  # an admin approves it themselves: nobody to ask
        services.nomination_set_status(
            nomination=nomination, status=NominationStatus.APPROVED, by=program_admin
        )
        assert [m.to for m in mail.outbox] == [["late@example.org"]]

    def test_the_subject_cannot_approve_their_own_late_rater(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        with pytest.raises(PermissionDenied):
            services.nomination_set_status(
                nomination=nomination, status=NominationStatus.APPROVED, by=org.report.user
            )
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()

    def test_nobody_else_adds_raters_once_it_is_open(self, org):
        review, _ = opened(org)
        for user in (org.outsider.user, org.executive.user, org.manager.user):
            with pytest.raises(PermissionDenied):
                late(review, user)
        assert not Nomination.objects.filter(email="late@example.org").exists()

    def test_an_invited_rater_stays_on_the_list(self, org):
        opened(org)
        invited = Nomination.objects.get(email="peers0@example.org")
        with pytest.raises(services.Refused):
            services.nomination_set_status(
                nomination=invited, status=NominationStatus.DECLINED, by=org.manager.user
            )
        invited.refresh_from_db()
        assert invited.status == NominationStatus.APPROVED

    def test_no_rater_is_added_after_the_review_closed(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        services.review_close(review=review, by=org.manager.user)
        with pytest.raises(PermissionDenied):
            late(review, org.report.user, email="later@example.org")
        with pytest.raises(PermissionDenied):
            services.nomination_set_status(
                nomination=nomination, status=NominationStatus.APPROVED, by=org.manager.user
            )
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()

    def test_a_declined_rater_can_still_be_approved_and_invited(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        for status in (NominationStatus.DECLINED, NominationStatus.APPROVED):
            services.nomination_set_status(nomination=nomination, status=status, by=org.ceo.user)
        assert RaterInvitation.objects.filter(nomination=nomination).exists()


class TestThePage:
    def test_the_subject_adds_and_the_manager_approves(self, org):
        review, _ = opened(org)
        detail = reverse("assessments:review-detail", args=[review.pk])
        subject = client_for(org.report.user)
        page = subject.get(detail).content.decode()
        assert "Add a rater" in page
        response = subject.post(
            reverse("assessments:review-nominate", args=[review.pk]),
            {"group": "direct_reports", "name": "Lee Late", "email": "late@example.org"},
        )
        assert response.status_code == 302
        nomination = Nomination.objects.get(email="late@example.org")
        assert "Added after opening" in subject.get(detail).content.decode()
        assert "Approve and invite" not in subject.get(detail).content.decode()

        manager = client_for(org.manager.user)
        page = manager.get(detail).content.decode()
        assert "Approve and invite" in page
        mail.outbox.clear()
        status_url = reverse("assessments:nomination-status", args=[review.pk, nomination.pk])
        response = manager.post(status_url, {"status": "approved"})
        assert response.status_code == 302
        assert [m.to for m in mail.outbox] == [["late@example.org"]]
        assert manager.post(status_url, {"status": "declined"}).status_code == 400

    def test_a_declined_nomination_gets_no_link(self, org):
        review, _ = opened(org)
        late(review, org.report.user)
        nomination = Nomination.objects.get(email="late@example.org")
        mail.outbox.clear()
        response = client_for(org.manager.user).post(
            reverse("assessments:nomination-status", args=[review.pk, nomination.pk]),
            {"status": "declined"},
        )
        assert response.status_code == 302
        assert mail.outbox == []
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()

    def test_the_outsider_can_neither_add_nor_approve(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        client = client_for(org.outsider.user)
        response = client.post(
            reverse("assessments:review-nominate", args=[review.pk]),
            {"group": "peers", "name": "X", "email": "x@example.org"},
        )
        assert response.status_code == 404
        response = client.post(
            reverse("assessments:nomination-status", args=[review.pk, nomination.pk]),
            {"status": "approved"},
        )
        assert response.status_code == 404
        assert not Nomination.objects.filter(email="x@example.org").exists()
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()

    def test_the_subject_cannot_approve_through_the_page(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        response = client_for(org.report.user).post(
            reverse("assessments:nomination-status", args=[review.pk, nomination.pk]),
            {"status": "approved"},
        )
        assert response.status_code == 403
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()


class TestTheApi:
    def test_the_subject_adds_and_the_manager_approves(self, org):
        review, _ = opened(org)
        base = f"{API}/reviews/{review.pk}"
        created = token_client(org.report.user).post(
            f"{base}/nominations",
            {"group": "peers", "name": "Lee Late", "email": "late@example.org"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        assert created.json()["status"] == "proposed"
        mail.outbox.clear()
        manager = token_client(org.manager.user)
        approved = manager.patch(
            f"{base}/nominations/{created.json()['id']}",
            {"status": "approved"},
            content_type="application/json",
        )
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        assert [m.to for m in mail.outbox] == [["late@example.org"]]
        assert manager.get(base).json()["invited"] == 5
        again = manager.patch(
            f"{base}/nominations/{created.json()['id']}",
            {"status": "declined"},
            content_type="application/json",
        )
        assert again.status_code == 400
        assert "already been invited" in again.json()["detail"]

    def test_a_declined_nomination_gets_no_link(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        mail.outbox.clear()
        response = token_client(org.manager.user).patch(
            f"{API}/reviews/{review.pk}/nominations/{nomination.pk}",
            {"status": "declined"},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert mail.outbox == []
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()

    def test_the_outsider_gets_404(self, org):
        review, _ = opened(org)
        nomination = late(review, org.report.user)
        client = token_client(org.outsider.user)
        base = f"{API}/reviews/{review.pk}"
        response = client.post(
            f"{base}/nominations",
            {"group": "peers", "name": "X", "email": "x@example.org"},
            content_type="application/json",
        )
        assert response.status_code == 404
        response = client.patch(
            f"{base}/nominations/{nomination.pk}",
            {"status": "approved"},
            content_type="application/json",
        )
        assert response.status_code == 404
        assert not RaterInvitation.objects.filter(nomination=nomination).exists()

    def test_a_closed_review_takes_no_more_raters(self, org):
        review, _ = opened(org)
        services.review_close(review=review, by=org.manager.user)
        response = token_client(org.report.user).post(
            f"{API}/reviews/{review.pk}/nominations",
            {"group": "peers", "name": "X", "email": "x@example.org"},
            content_type="application/json",
        )
        assert response.status_code == 403
        review.refresh_from_db()
        assert review.status == ReviewStatus.CLOSED
