"""Closing with an outcome and each side's survey; a no-fault exit with a rematch;
introductions by the mentor."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.mentoring import relationship_access as access
from tandem.mentoring import relationships as services
from tandem.mentoring.models import ClosingSurvey, Introduction
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
SURVEY = services.SurveyAnswer(5, 4, True, "SECRET change")


def test_it_closes_with_the_closers_survey_and_the_other_answers_later(active):
    services.relationship_close(
        relationship=active, user=active.mentee.user, outcome="goals_met", survey=SURVEY
    )
    active.refresh_from_db()
    assert active.status == "closed" and active.outcome == "goals_met"
    services.closing_survey_submit(relationship=active, user=active.mentor.user, answer=SURVEY)
    with pytest.raises(services.Refused):
        services.closing_survey_submit(relationship=active, user=active.mentor.user, answer=SURVEY)
    assert ClosingSurvey.objects.count() == 2
    assert access.admin_summary(active).closing_satisfaction == {"mentee": 5, "mentor": 5}


def test_an_admin_closes_without_a_survey_and_an_outsider_cannot(active, program_admin, org):
    with pytest.raises(services.Refused):
        services.relationship_close(relationship=active, user=org.outsider.user, outcome="not_met")
    services.relationship_close(relationship=active, user=program_admin, outcome="partly_met")
    active.refresh_from_db()
    assert active.closed_by == "admin" and not ClosingSurvey.objects.exists()


def test_a_no_fault_exit_rematches_on_request(active, stub_rematch):
    with pytest.raises(ValidationError):
        services.relationship_exit(
            relationship=active, user=active.mentee.user, reason="blame", rematch=True
        )
    services.relationship_exit(
        relationship=active, user=active.mentee.user, reason="time", rematch=True
    )
    active.refresh_from_db()
    assert (active.status, active.outcome, active.exit_reason) == ("closed", "exited", "time")
    assert active.rematch_requested and stub_rematch[0]["reason"] == "exit"
    assert stub_rematch[0]["exclude_mentor"] == active.mentor


def test_the_mentor_logs_introductions(active):
    with pytest.raises(services.Refused):
        services.introduction_log(
            relationship=active,
            user=active.mentee.user,
            kind="introduction",
            whom="x",
            happened_on=timezone.localdate(),
            note="",
        )
    services.introduction_log(
        relationship=active,
        user=active.mentor.user,
        kind="sponsorship",
        whom="SECRET-CFO",
        happened_on=timezone.localdate(),
        note="",
    )
    assert Introduction.objects.get().whom == "SECRET-CFO"
    assert access.admin_summary(active).introductions_by_kind == {"sponsorship": 1}
