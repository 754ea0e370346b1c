"""The match API: start a run, read its status and proposals with explanations, lock,
change a pair, publish; suggestions. Runs are for program admins only."""

import pytest

from tandem.api.testing import token_client
from tandem.mentoring import matching
from tandem.mentoring.models import MatchRun, Relationship, Suggestion
from tandem.mentoring.tests.factories import make_mentor

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def draft(program, mentee, mentor):
    run = MatchRun.objects.create(program=program, objective="optimal")
    return matching.run_execute(run=run)


def test_an_admin_runs_reviews_locks_and_publishes(
    program_admin, program, mentee, mentor, django_capture_on_commit_callbacks
):
    api = token_client(program_admin)
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"/api/v1/mentoring/programs/{program.pk}/match-runs")
    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    status = api.get(f"/api/v1/mentoring/match-runs/{run_id}").json()
    assert status["status"] == "done" and status["stats"]["matched"] == 1
    proposals = api.get(f"/api/v1/mentoring/match-runs/{run_id}/proposals").json()["items"]
    assert proposals[0]["mentor_name"] == mentor.person.full_name
    assert sum(c["points"] for c in proposals[0]["explanation"]) == pytest.approx(
        proposals[0]["score"], abs=0.05
    )
    locked = api.put(
        f"/api/v1/mentoring/match-proposals/{proposals[0]['id']}/lock",
        {"locked": True},
        content_type=JSON,
    )
    assert locked.json()["locked"] is True
    published = api.post(f"/api/v1/mentoring/match-runs/{run_id}/publish")
    assert published.status_code == 200, published.content
    assert published.json()["relationship_ids"] == [Relationship.objects.get().pk]
    again = api.post(f"/api/v1/mentoring/match-runs/{run_id}/publish")
    assert again.status_code == 422


def test_a_pair_is_checked_before_it_is_changed(program_admin, org, program, draft, mentee):
    boss = make_mentor(program, org.manager)
    api = token_client(program_admin)
    url = f"/api/v1/mentoring/match-runs/{draft.pk}/pairs"
    check = api.post(
        url, {"mentee_id": mentee.pk, "mentor_id": boss.pk, "dry_run": True}, content_type=JSON
    )
    assert check.status_code == 200, check.content
    assert check.json()["breaks_rule"] == "reporting_chain" and check.json()["warnings"]
    assert draft.proposals.get().mentor != boss
    changed = api.post(url, {"mentee_id": mentee.pk, "mentor_id": boss.pk}, content_type=JSON)
    assert changed.json()["changed"] is True
    assert draft.proposals.get().mentor == boss


def test_a_mentee_lists_and_chooses_suggestions(org, program, mentee, mentor):
    mentoring = matching.settings_of(program)
    mentoring.matching_mode = "mentee_choice"
    mentoring.save()
    matching.suggestions_refresh(program=program)
    api = token_client(org.report.user)
    listed = api.get(f"/api/v1/mentoring/programs/{program.pk}/suggestions").json()
    assert [s["mentor_name"] for s in listed] == [mentor.person.full_name]
    chosen = api.post(f"/api/v1/mentoring/suggestions/{listed[0]['id']}/choose")
    assert chosen.json()["relationship_id"] == Relationship.objects.get().pk


def test_mentors_mentees_and_outsiders_see_no_run(org, program, draft, mentor):
    proposal = draft.proposals.get()
    for user in (mentor.person.user, org.report.user, org.outsider.user):
        api = token_client(user)
        assert api.get(f"/api/v1/mentoring/match-runs/{draft.pk}").status_code == 404
        assert api.get(f"/api/v1/mentoring/match-runs/{draft.pk}/proposals").status_code == 404
        assert (
            api.put(
                f"/api/v1/mentoring/match-proposals/{proposal.pk}/lock",
                {"locked": True},
                content_type=JSON,
            ).status_code
            == 404
        )
        assert api.post(f"/api/v1/mentoring/match-runs/{draft.pk}/publish").status_code == 404
    assert (
        token_client(org.outsider.user)
        .post(f"/api/v1/mentoring/programs/{program.pk}/match-runs")
        .status_code
        == 404
    )
    assert not Relationship.objects.exists() and MatchRun.objects.count() == 1


def test_someone_elses_suggestion_is_not_found(org, program, mentee, mentor, program_admin):
    mentoring = matching.settings_of(program)
    mentoring.matching_mode = "mentee_choice"
    mentoring.save()
    matching.suggestions_refresh(program=program)
    suggestion = Suggestion.objects.get()
    for user in (org.outsider.user, program_admin, mentor.person.user):
        assert (
            token_client(user)
            .post(f"/api/v1/mentoring/suggestions/{suggestion.pk}/choose")
            .status_code
            == 404
        )
    assert not Relationship.objects.exists()
