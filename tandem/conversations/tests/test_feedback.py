"""Everyday feedback: giving (SBI or free text), asking (on one's own goal only),
answering and declining, and who reads what — on the pages and in the admin.

Personas (tandem/conftest.py `org`, plus):
colleague   a peer of org.report (same manager) who gives org.report feedback
shared      colleague -> report, developmental SBI, shared with their manager
private     colleague -> report, positive free text, not shared
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts import navigation
from tandem.accounts.models import AuditLog
from tandem.conversations import feedback
from tandem.conversations.models import Feedback, FeedbackRequest
from tandem.conversations.tests.conftest import SBI, goal_of

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


# Giving ----------------------------------------------------------------------------


def test_it_gives_sbi_feedback(org, colleague, shared):
    assert (shared.giver, shared.recipient, shared.kind) == (colleague, org.report, "developmental")
    assert shared.situation == SBI["situation"] and shared.text == ""


def test_it_refuses_incomplete_sbi_per_field_and_writes_nothing(org, colleague):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_give(
            giver=colleague, recipient=org.report, kind="positive", situation="At lunch"
        )
    assert set(refused.value.message_dict) == {"behaviour", "impact"}
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_give(giver=colleague, recipient=org.report, kind="positive")
    assert set(refused.value.message_dict) == {"text"}
    assert not Feedback.objects.exists()


def test_it_refuses_feedback_to_oneself_or_someone_departed(org, colleague):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_give(giver=colleague, recipient=colleague, kind="positive", text="Me")
    assert "recipient" in refused.value.message_dict
    org.outsider.exit_date = datetime.date(2021, 1, 1)
    org.outsider.save()
    with pytest.raises(ValidationError):
        feedback.feedback_give(giver=colleague, recipient=org.outsider, kind="positive", text="Hi")
    assert not Feedback.objects.exists()


# Asking ----------------------------------------------------------------------------


def test_it_asks_on_a_goal_of_my_plan_and_emails_after_commit(
    org, colleague, django_capture_on_commit_callbacks
):
    goal = goal_of(org.report)
    with django_capture_on_commit_callbacks(execute=True):
        request = feedback.feedback_request_create(
            requester=org.report, asked=colleague, message="How do I delegate?", goal=goal
        )
    assert request.goal == goal
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [colleague.email]
    assert "How do I delegate?" in mail.outbox[0].body and goal.title in mail.outbox[0].body


def test_it_refuses_a_goal_of_someone_elses_plan(org, colleague):
    theirs = goal_of(org.outsider)
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_request_create(
            requester=org.report, asked=colleague, message="On this?", goal=theirs
        )
    assert set(refused.value.message_dict) == {"goal"}
    assert not FeedbackRequest.objects.exists()


def test_it_answers_a_request_only_to_its_requester_once(org, colleague):
    request = feedback.feedback_request_create(
        requester=org.report, asked=colleague, message="My demo?"
    )
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_give(
            giver=colleague, recipient=org.manager, kind="positive", text="Hi", request=request
        )
    assert "request" in refused.value.message_dict
    answer = feedback.feedback_give(
        giver=colleague, recipient=org.report, kind="positive", text="Clear", request=request
    )
    assert answer.request == request
    with pytest.raises(ValidationError):
        feedback.feedback_give(
            giver=colleague, recipient=org.report, kind="positive", text="Again", request=request
        )
    assert Feedback.objects.count() == 1


def test_it_declines_only_an_open_request_asked_of_me(org, colleague):
    request = feedback.feedback_request_create(requester=org.report, asked=colleague, message="?")
    with pytest.raises(ValidationError):
        feedback.feedback_request_decline(request=request, by=org.report)
    feedback.feedback_request_decline(request=request, by=colleague)
    request.refresh_from_db()
    assert request.declined


# Pages: who reads what -------------------------------------------------------------


def test_it_shows_the_recipient_their_feedback_and_filters_by_kind(
    client, org, shared, private, django_assert_max_num_queries
):
    signed_in(client, org.report.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("conversations:feedback"))
    assert response.status_code == 200
    assert SBI["behaviour"] in response.text and "Thanks for the cover." in response.text
    response = client.get(reverse("conversations:feedback"), {"kind": "positive"})
    assert "Thanks for the cover." in response.text and SBI["behaviour"] not in response.text


def test_it_shows_the_giver_what_they_gave(client, colleague, shared):
    response = signed_in(client, colleague.user).get(reverse("conversations:feedback-given"))
    assert SBI["impact"] in response.text


def test_it_shows_the_manager_only_what_was_shared(client, org, shared, private):
    response = signed_in(client, org.manager.user).get(reverse("conversations:feedback-shared"))
    assert SBI["behaviour"] in response.text and "Thanks for the cover." not in response.text
    detail = reverse("conversations:feedback-detail", args=[shared.pk])
    assert client.get(detail).status_code == 200
    detail = reverse("conversations:feedback-detail", args=[private.pk])
    assert client.get(detail).status_code == 404


def test_it_audits_the_managers_reads_and_not_the_partys_own(client, org, shared):
    detail = reverse("conversations:feedback-detail", args=[shared.pk])
    signed_in(client, org.report.user).get(detail)
    assert not AuditLog.objects.exists()
    signed_in(client, org.manager.user).get(detail)
    client.get(reverse("conversations:feedback-shared"))
    entries = list(AuditLog.objects.order_by("at", "pk"))
    assert [(e.actor, e.action) for e in entries] == [(org.manager.user, "read")] * 2
    assert entries[0].target_id == str(shared.pk)
    assert entries[0].subject_person_id == org.report.pk
    assert SBI["behaviour"] not in entries[0].summary


@pytest.mark.parametrize("who", ["ceo", "outsider", "executive"])
def test_it_hides_feedback_from_everyone_else(client, org, shared, who):
    signed_in(client, getattr(org, who).user)
    detail = reverse("conversations:feedback-detail", args=[shared.pk])
    assert client.get(detail).status_code == 404
    for name in ("feedback", "feedback-given", "feedback-shared"):
        assert SBI["behaviour"] not in client.get(reverse(f"conversations:{name}")).text


def test_it_hides_feedback_from_program_admins(client, program_admin, shared):
    signed_in(client, program_admin)
    detail = reverse("conversations:feedback-detail", args=[shared.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("conversations:feedback")).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, shared):
    for url in (
        reverse("conversations:feedback"),
        reverse("conversations:feedback-detail", args=[shared.pk]),
        reverse("conversations:feedback-give"),
        reverse("conversations:feedback-requests"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_it_gives_feedback_through_the_form(client, org, colleague):
    signed_in(client, colleague.user)
    assert client.get(reverse("conversations:feedback-give")).status_code == 200
    response = client.post(
        reverse("conversations:feedback-give"),
        {"recipient": org.report.pk, "kind": "positive", "share_with_manager": "on", **SBI},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().share_with_manager


def test_it_shows_field_errors_and_writes_nothing(client, org, colleague):
    signed_in(client, colleague.user)
    response = client.post(
        reverse("conversations:feedback-give"),
        {"recipient": colleague.pk, "kind": "positive", "situation": "Lunch"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"recipient", "behaviour", "impact"} <= set(form.errors)
    assert not Feedback.objects.exists()


def test_it_asks_for_feedback_through_the_form_refusing_others_goals(client, org, colleague):
    mine, theirs = goal_of(org.report, "Mine"), goal_of(org.outsider, "Theirs")
    signed_in(client, org.report.user)
    page = client.get(reverse("conversations:feedback-request-create"))
    assert "Mine" in page.text and "Theirs" not in page.text
    url = reverse("conversations:feedback-request-create")
    response = client.post(url, {"asked": colleague.pk, "message": "?", "goal": theirs.pk})
    assert response.status_code == 400 and "goal" in response.context["form"].errors
    assert not FeedbackRequest.objects.exists()
    response = client.post(url, {"asked": colleague.pk, "message": "Delegation?", "goal": mine.pk})
    assert response.status_code == 302
    assert FeedbackRequest.objects.get().goal == mine


def test_it_lets_the_asked_answer_or_decline_and_no_one_else(client, org, colleague):
    request = feedback.feedback_request_create(
        requester=org.report, asked=colleague, message="My demo?"
    )
    decline = reverse("conversations:feedback-request-decline", args=[request.pk])
    assert signed_in(client, org.outsider.user).post(decline).status_code == 404
    assert signed_in(client, org.manager.user).post(decline).status_code == 404
    assert signed_in(client, org.report.user).post(decline).status_code == 403
    page = signed_in(client, colleague.user).get(reverse("conversations:feedback-requests"))
    assert "My demo?" in page.text
    give = client.get(reverse("conversations:feedback-give"), {"request": "9" * 30})
    assert give.status_code == 200 and give.context["answering"] is None
    give = client.get(reverse("conversations:feedback-give"), {"request": request.pk})
    assert give.context["form"].initial["recipient"] == org.report.pk
    assert client.post(decline).status_code == 302
    assert FeedbackRequest.objects.get().declined
    assert client.post(decline).status_code == 403


def test_it_offers_feedback_in_the_navigation_to_people_only(org, program_admin):
    labels = [str(item.label) for item in navigation.items_for(org.report.user)]
    assert "Feedback" in labels
    assert "Feedback" not in [str(item.label) for item in navigation.items_for(program_admin)]


# The Django admin ------------------------------------------------------------------


def test_the_admin_shows_metadata_never_the_text(client, shared, private):
    from tandem.tests.factories import UserFactory

    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    signed_in(client, superuser)
    listing = client.get(reverse("admin:conversations_feedback_changelist"))
    assert listing.status_code == 200 and shared.giver.full_name in listing.text
    change = client.get(reverse("admin:conversations_feedback_change", args=[shared.pk]))
    assert change.status_code == 200
    for said in (*SBI.values(), "Thanks for the cover."):
        assert said not in listing.text and said not in change.text


def test_it_hides_shared_feedback_from_a_manager_who_is_an_executive_viewer(client, org, colleague):
    org.report.manager = org.executive
    org.report.save()
    given = feedback.feedback_give(
        giver=colleague,
        recipient=org.report,
        kind="positive",
        text="Great",
        share_with_manager=True,
    )
    signed_in(client, org.executive.user)
    assert client.get(reverse("conversations:feedback-detail", args=[given.pk])).status_code == 404
    assert "Great" not in client.get(reverse("conversations:feedback-shared")).text
