"""Mentees who choose: suggestions within the mentors' free places, choosing one, and
the rematch after a request ends."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.mentoring import matching
from tandem.mentoring.models import Relationship, Suggestion
from tandem.mentoring.tests.factories import make_mentee


@pytest.fixture
def choosing(program):
    mentoring = matching.settings_of(program)
    mentoring.matching_mode = "mentee_choice"
    mentoring.save()
    return program


def test_no_mentor_is_offered_to_more_mentees_than_free_places(choosing, mentor, mentor2):
    for _ in range(4):
        make_mentee(choosing)
    matching.suggestions_refresh(program=choosing)
    offered = Suggestion.objects.filter(status="offered")
    assert offered.filter(mentor=mentor).count() <= 2
    assert offered.filter(mentor=mentor2).count() <= 1
    assert offered.exists()


def test_a_mentee_sees_their_suggestions_and_chooses(client, org, choosing, mentee, mentor):
    matching.suggestions_refresh(program=choosing)
    client.force_login(org.report.user)
    page = client.get(reverse("mentoring:suggestions", args=[choosing.pk])).content.decode()
    assert f"Choose {mentor.person.full_name}" in page
    suggestion = Suggestion.objects.get(mentee=mentee)
    response = client.post(reverse("mentoring:suggestion-choose", args=[suggestion.pk]))
    assert response.status_code == 302
    relationship = Relationship.objects.get()
    assert (relationship.mentor, relationship.via) == (mentor.person, "choice")
    suggestion.refresh_from_db()
    assert suggestion.status == "chosen"


def test_nobody_else_sees_or_chooses_a_suggestion(
    client, org, choosing, mentee, mentor, program_admin
):
    matching.suggestions_refresh(program=choosing)
    suggestion = Suggestion.objects.get(mentee=mentee)
    for user in (org.outsider.user, mentor.person.user, program_admin):
        client.force_login(user)
        assert (
            client.post(reverse("mentoring:suggestion-choose", args=[suggestion.pk])).status_code
            == 404
        )
    assert not Relationship.objects.exists()


def test_a_full_mentor_cannot_be_chosen(choosing, mentee, mentor2):
    matching.suggestions_refresh(program=choosing)
    suggestion = Suggestion.objects.get(mentee=mentee)
    other = make_mentee(choosing)
    Relationship.objects.create(
        program=choosing, mentee=other.person, mentor=mentor2.person, via="admin"
    )
    with pytest.raises(ValidationError):
        matching.suggestion_choose(suggestion=suggestion, chosen_by=None)


def test_a_rematch_offers_fresh_suggestions_without_the_mentor(choosing, mentee, mentor, mentor2):
    matching.suggestions_refresh(program=choosing)
    fresh = matching.rematch(
        program=choosing, mentee=mentee.person, exclude_mentor=mentor.person, reason="declined"
    )
    assert [s.mentor for s in fresh] == [mentor2]
    assert not Suggestion.objects.filter(mentee=mentee, mentor=mentor, status="offered").exists()


def test_a_rematch_in_admin_review_proposes_the_next_mentor(program, mentee, mentor, mentor2):
    relationship = matching.rematch(
        program=program, mentee=mentee.person, exclude_mentor=mentor.person, reason="expired"
    )
    assert relationship.mentor == mentor2.person and relationship.status == "proposed"


def test_a_rematch_with_nobody_left_waits(program, mentee, mentor):
    assert (
        matching.rematch(
            program=program, mentee=mentee.person, exclude_mentor=mentor.person, reason="declined"
        )
        is None
    )
    assert not Relationship.objects.exists()
