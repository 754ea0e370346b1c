"""Pairing: a coach's capacity is never exceeded, one open engagement per coachee,
ending frees the place without fault, and the coachee can be paired again."""

import pytest
from django.core import mail

from tandem.accounts.models import AuditLog
from tandem.coaching import services
from tandem.coaching.models import (
    ChemistryCall,
    ChemistryStatus,
    Engagement,
    EngagementStatus,
    Party,
    SessionStatus,
)
from tandem.coaching.tests.factories import CoachFactory, active, booked, paired
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = pytest.mark.django_db


def person_with_login(**kwargs):
    person = PersonFactory(**kwargs)
    make_user_for(person)
    return person


def test_it_pairs_with_the_manager_as_sponsor_and_the_plan_linked(org, coach, coaching_plan):
    engagement = paired(coach, org.report)
    assert engagement.status == EngagementStatus.AGREEMENT
    assert engagement.sponsor == org.manager
    assert engagement.plan == coaching_plan
    assert coach.free_places() == coach.capacity - 1
    log = AuditLog.objects.get(target_type="coaching.engagement")
    assert log.subject_person_id == org.report.pk


def test_it_tells_coach_coachee_and_sponsor_without_any_content(org, coach):
    paired(coach, org.report)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([coach.user.email, org.report.user.email, org.manager.user.email])


def test_it_refuses_a_coach_with_no_free_place_and_writes_nothing(org):
    coach = CoachFactory(capacity=1)
    paired(coach, person_with_login())
    with pytest.raises(services.Refused, match="no free place"):
        paired(coach, org.report)
    assert Engagement.objects.count() == 1


def test_a_paused_coach_takes_nobody(org):
    coach = CoachFactory(status="paused")
    with pytest.raises(services.Refused, match="not taking coachees"):
        paired(coach, org.report)


def test_one_open_engagement_per_coachee(org, coach):
    paired(coach, org.report)
    with pytest.raises(services.Refused, match="already has a coach"):
        paired(CoachFactory(), org.report)


def test_a_coachee_needs_a_login_to_accept_the_agreement(coach):
    with pytest.raises(services.Refused, match="no login"):
        paired(coach, PersonFactory())


def test_a_manager_does_not_coach_someone_in_their_own_line(org):
    internal = CoachFactory(user=org.manager.user, kind="internal")
    with pytest.raises(services.Refused, match="manages"):
        paired(internal, org.report)


def test_either_side_ends_without_fault_and_the_coachee_is_paired_again(org, coach):
    engagement = active(coach, org.report)
    upcoming = booked(engagement)
    mail.outbox.clear()
    services.engagement_end(engagement=engagement, ended_by=org.report.user, completed=False)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ENDED
    assert engagement.ended_by_party == Party.COACHEE
    upcoming.refresh_from_db()
    assert upcoming.status == SessionStatus.CANCELLED
    assert coach.free_places() == coach.capacity
    again = paired(CoachFactory(), org.report)
    assert again.status == EngagementStatus.AGREEMENT


def test_ending_twice_is_refused(org, coach):
    engagement = paired(coach, org.report)
    services.engagement_end(engagement=engagement, ended_by=coach.user, completed=True)
    with pytest.raises(services.Refused):
        services.engagement_end(engagement=engagement, ended_by=coach.user, completed=True)


def test_the_agreement_activates_the_engagement_once_both_accept(org, coach):
    engagement = paired(coach, org.report)
    services.agreement_accept(engagement=engagement, user=coach.user)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREEMENT
    services.agreement_accept(engagement=engagement, user=org.report.user)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    assert engagement.agreement_accepted


def test_the_sponsor_cannot_accept_for_anyone(org, coach):
    engagement = paired(coach, org.report)
    with pytest.raises(services.Refused):
        services.agreement_accept(engagement=engagement, user=org.manager.user)


def test_choosing_after_chemistry_calls_closes_them(org, coach, coaching_plan):
    other = CoachFactory()
    services.chemistry_call_request(coach=coach, coachee=org.report, requested_by=org.report.user)
    services.chemistry_call_request(coach=other, coachee=org.report, requested_by=org.report.user)
    assert any(coach.user.email in m.to for m in mail.outbox)
    with pytest.raises(services.Refused, match="already requested"):
        services.chemistry_call_request(
            coach=coach, coachee=org.report, requested_by=org.report.user
        )
    paired(coach, org.report, by=org.report.user, via="choice")
    statuses = dict(ChemistryCall.objects.values_list("coach_id", "status"))
    assert statuses == {coach.pk: ChemistryStatus.CHOSEN, other.pk: ChemistryStatus.NOT_CHOSEN}


def test_the_evaluation_comes_after_the_end_from_coachee_and_sponsor(org, coach):
    engagement = active(coach, org.report)
    with pytest.raises(services.Refused):
        services.evaluation_submit(
            engagement=engagement, author=org.report.user, goals_rating=4, value_rating=5
        )
    services.engagement_end(engagement=engagement, ended_by=coach.user, completed=True)
    services.evaluation_submit(
        engagement=engagement, author=org.report.user, goals_rating=4, value_rating=5
    )
    services.evaluation_submit(
        engagement=engagement, author=org.manager.user, goals_rating=3, value_rating=4
    )
    with pytest.raises(services.Refused, match="already"):
        services.evaluation_submit(
            engagement=engagement, author=org.manager.user, goals_rating=3, value_rating=4
        )
    with pytest.raises(services.Refused):
        services.evaluation_submit(
            engagement=engagement, author=coach.user, goals_rating=5, value_rating=5
        )
    assert engagement.evaluations.count() == 2
