"""The relationship pages: the parties see everything of theirs (each side's notes to
its author), an admin metadata only, an outsider nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.mentoring import relationships as services
from tandem.mentoring.models import Meeting, Relationship
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_content(active):
    meeting = services.meeting_log(
        relationship=active,
        user=active.mentor.user,
        record=services.MeetingRecord(
            timezone.localdate(), 50, "video", topics="TOPIC-X", notes="MENTOR-NOTE"
        ),
    )
    services.meeting_notes_save(meeting=meeting, user=active.mentee.user, notes="MENTEE-NOTE")
    return active


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_the_mentee_sees_the_meeting_and_only_their_own_notes(client, with_content):
    body = page(
        client, with_content.mentee.user, "mentoring:relationship-detail", with_content.pk
    ).content.decode()
    assert "TOPIC-X" in body and "MENTEE-NOTE" in body and "MENTOR-NOTE" not in body


def test_the_admin_sees_metadata_only(client, with_content, program_admin):
    response = page(client, program_admin, "mentoring:relationship-detail", with_content.pk)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="meeting-count">1<' in body
    for secret in ("TOPIC-X", "MENTEE-NOTE", "MENTOR-NOTE", "management role"):
        assert secret not in body


def test_an_outsider_gets_404_everywhere(client, with_content, org):
    meeting = Meeting.objects.get()
    client.force_login(org.outsider.user)
    pk = with_content.pk
    for name, args in [
        ("mentoring:relationship-detail", [pk]),
        ("mentoring:agreement", [pk]),
        ("mentoring:meeting-create", [pk]),
        ("mentoring:relationship-close", [pk]),
        ("mentoring:relationship-exit", [pk]),
        ("mentoring:closing-survey", [pk]),
        ("mentoring:introduction-create", [pk]),
        ("mentoring:meeting-notes", [meeting.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("mentoring:relationship-accept", "mentoring:relationship-decline"):
        assert client.post(reverse(name, args=[pk])).status_code == 404
    with_content.refresh_from_db()
    assert with_content.status == "active"


def test_the_list_shows_own_relationships_and_admins_see_all(
    client, active, program_admin, django_assert_max_num_queries
):
    body = page(client, active.mentee.user, "mentoring:relationship-list").content.decode()
    assert active.mentor.full_name in body
    client.force_login(program_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mentoring:relationship-list"))
    assert active.mentee.full_name in response.content.decode()


def test_the_request_is_accepted_and_agreed_through_the_pages(client, proposed):
    for user in (proposed.mentee.user, proposed.mentor.user):
        client.force_login(user)
        client.post(reverse("mentoring:relationship-accept", args=[proposed.pk]))
    response = client.post(
        reverse("mentoring:agreement", args=[proposed.pk]),
        {"goals": "Lead a team\nKnow sales", "cadence": "weekly", "confidentiality": "Ours."},
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == "active" and proposed.goals == ["Lead a team", "Know sales"]


def test_bad_meeting_input_shows_field_errors_and_writes_nothing(client, active):
    client.force_login(active.mentee.user)
    response = client.post(
        reverse("mentoring:meeting-create", args=[active.pk]),
        {"held_on": "2999-01-01", "duration_minutes": "0", "mode": "video"},
    )
    assert response.status_code == 400
    assert "duration_minutes" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_the_mentor_asks_a_question_on_the_page(client, proposed):
    client.force_login(proposed.mentor.user)
    client.post(
        reverse("mentoring:mentor-question-ask", args=[proposed.pk]), {"question": "Why me?"}
    )
    body = page(
        client, proposed.mentee.user, "mentoring:relationship-detail", proposed.pk
    ).content.decode()
    assert "Why me?" in body and Relationship.objects.get().questions.count() == 1
