"""The admins' match page: run, progress, the draft with explanations, change a mentor,
lock, publish. Nobody else sees any of it."""

import pytest
from django.urls import reverse

from tandem.mentoring.models import MatchRun, Relationship
from tandem.mentoring.tests.factories import make_mentor, mentoring_program


@pytest.fixture
def admin_client(client, program_admin):
    client.force_login(program_admin)
    return client


@pytest.fixture
def draft(admin_client, program, mentee, mentor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("mentoring:match-start", args=[program.pk]))
    return MatchRun.objects.get(program=program)


def test_an_admin_runs_the_match_and_sees_why(admin_client, program, draft, mentee, mentor):
    assert draft.status == "done"
    page = admin_client.get(reverse("mentoring:match", args=[program.pk])).content.decode()
    assert f"{mentee.person.full_name} with {mentor.person.full_name}" in page
    assert "Which competencies do you most want to develop?" in page
    assert "Publish the match" in page and "Lock" in page


def test_the_progress_panel_polls_until_the_run_is_done(admin_client, program):
    run = MatchRun.objects.create(program=program, objective="optimal", status="running")
    url = reverse("mentoring:run-progress", args=[run.pk])
    assert 'hx-trigger="every 1s"' in admin_client.get(url).content.decode()
    run.status = "done"
    run.save()
    response = admin_client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_an_admin_locks_and_publishes(admin_client, program, draft, mentee, mentor):
    proposal = draft.proposals.get()
    admin_client.post(reverse("mentoring:proposal-lock", args=[proposal.pk]), {"locked": "1"})
    proposal.refresh_from_db()
    assert proposal.locked
    admin_client.post(reverse("mentoring:run-publish", args=[draft.pk]))
    relationship = Relationship.objects.get()
    assert (relationship.mentee, relationship.mentor) == (mentee.person, mentor.person)


def test_changing_a_mentor_shows_the_pair_and_its_warnings_first(
    admin_client, org, program, draft, mentee
):
    boss = make_mentor(program, org.manager)
    url = reverse("mentoring:pair-edit", args=[draft.pk, mentee.pk])
    preview = admin_client.get(url, {"mentor": boss.pk})
    assert "breaks a hard rule" in preview.content.decode()
    assert draft.proposals.get().mentor != boss
    admin_client.post(url, {"mentor": boss.pk, "confirm": "1"})
    changed = draft.proposals.get()
    assert changed.mentor == boss and changed.locked and changed.breaks_rule == "reporting_chain"


def test_a_mentor_of_another_program_is_a_field_error(admin_client, program, draft, mentee):
    other = make_mentor(mentoring_program(name="Other"))
    url = reverse("mentoring:pair-edit", args=[draft.pk, mentee.pk])
    response = admin_client.post(url, {"mentor": other.pk, "confirm": "1"})
    assert response.status_code == 400
    assert draft.proposals.get().mentor != other


def test_mentors_and_mentees_see_nothing_of_the_draft(client, org, program, draft, mentor):
    proposal = draft.proposals.get()
    for user in (mentor.person.user, org.report.user, org.outsider.user):
        client.force_login(user)
        assert client.get(reverse("mentoring:run-progress", args=[draft.pk])).status_code == 404
        assert (
            client.get(
                reverse("mentoring:pair-edit", args=[draft.pk, proposal.mentee_id])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("mentoring:proposal-lock", args=[proposal.pk]), {"locked": "1"}
            ).status_code
            == 404
        )
        assert client.post(reverse("mentoring:run-publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("mentoring:match-start", args=[program.pk])).status_code == 404
    proposal.refresh_from_db()
    assert not proposal.locked and not Relationship.objects.exists()


def test_the_match_page_reads_in_a_fixed_number_of_queries(
    admin_client, program, draft, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        admin_client.get(reverse("mentoring:match", args=[program.pk]))
