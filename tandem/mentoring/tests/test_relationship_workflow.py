"""A relationship's life: proposed -> accepted by both (after a question, perhaps) ->
agreement confirmed (active); or declined or expired, and the next mentor offered."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.mentoring import relationships as services
from tandem.mentoring.models import MentoringSettings, Relationship
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403
from tandem.mentoring.tests.relationship_fixtures import propose

pytestmark = pytest.mark.django_db


def test_it_proposes_with_the_programs_format_and_expiry_and_emails_both(
    mentoring_program, mentee, mentor
):
    MentoringSettings.objects.filter(program=mentoring_program).update(
        format="group", request_expiry_days=3
    )
    relationship = propose(mentoring_program, mentee, mentor)
    assert relationship.status == "proposed" and relationship.format == "group"
    assert relationship.expires_at - relationship.proposed_at == datetime.timedelta(days=3)
    assert relationship.goals == ["Find my path to a first management role", "Know sales"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    for message in mail.outbox:
        assert "management role" not in message.body  # goals never go into an email


def test_it_refuses_a_second_open_relationship_in_the_program(proposed, org):
    with pytest.raises(services.Refused):
        propose(proposed.program, proposed.mentee, org.executive)
    assert Relationship.objects.count() == 1


def test_it_refuses_ones_own_mentor(mentoring_program, mentee):
    with pytest.raises(services.Refused):
        propose(mentoring_program, mentee, mentee)


def test_both_accept_then_the_agreement_starts_it(proposed):
    services.relationship_accept(relationship=proposed, user=proposed.mentee.user)
    proposed.refresh_from_db()
    assert proposed.is_request and proposed.mentee_accepted_at
    with pytest.raises(services.Refused):  # not before both have accepted
        services.relationship_agree(
            relationship=proposed,
            user=proposed.mentee.user,
            goals=["x"],
            cadence="weekly",
            confidentiality="ours",
        )
    services.relationship_accept(relationship=proposed, user=proposed.mentor.user)
    proposed.refresh_from_db()
    assert proposed.awaits_agreement
    active = services.relationship_agree(
        relationship=proposed,
        user=proposed.mentor.user,
        goals=["Lead a team", " ", "Know the sales org"],
        cadence="monthly",
        confidentiality="Notes are ours.",
    )
    assert active.status == "active" and active.activated_at and active.agreed_at
    assert active.goals == ["Lead a team", "Know the sales org"]


def test_bad_agreement_input_is_a_field_error_and_nothing_changes(accepted):
    with pytest.raises(ValidationError) as error:
        services.relationship_agree(
            relationship=accepted,
            user=accepted.mentee.user,
            goals=[],
            cadence="daily",
            confidentiality=" ",
        )
    assert set(error.value.message_dict) == {"goals", "cadence", "confidentiality"}
    accepted.refresh_from_db()
    assert accepted.status == "proposed" and accepted.cadence == ""


def test_an_outsider_cannot_accept(proposed, org):
    with pytest.raises(services.Refused):
        services.relationship_accept(relationship=proposed, user=org.outsider.user)
    proposed.refresh_from_db()
    assert proposed.mentee_accepted_at is None and proposed.mentor_accepted_at is None


def test_the_mentor_asks_and_the_mentee_answers_before_accepting(proposed):
    mail.outbox.clear()
    question = services.question_ask(
        relationship=proposed, user=proposed.mentor.user, text="SECRET-Q: what do you want?"
    )
    with pytest.raises(services.Refused):  # only the mentee answers
        services.question_answer(question=question, user=proposed.mentor.user, answer="x")
    services.question_answer(question=question, user=proposed.mentee.user, answer="SECRET-A")
    question.refresh_from_db()
    assert question.answer == "SECRET-A" and question.answered_at
    assert [m.to[0] for m in mail.outbox] == [proposed.mentee.email, proposed.mentor.email]
    assert not any("SECRET" in m.subject + m.body for m in mail.outbox)
    with pytest.raises(services.Refused):  # the mentee does not ask
        services.question_ask(relationship=proposed, user=proposed.mentee.user, text="?")


def test_declining_offers_the_next_mentor(proposed, stub_rematch):
    services.relationship_decline(relationship=proposed, user=proposed.mentor.user)
    proposed.refresh_from_db()
    assert proposed.status == "declined" and proposed.declined_by == "mentor"
    assert stub_rematch == [
        {
            "program": proposed.program,
            "mentee": proposed.mentee,
            "exclude_mentor": proposed.mentor,
            "reason": "declined",
        }
    ]


def test_a_failing_rematch_does_not_undo_the_decline(proposed, monkeypatch, stub_rematch):
    import sys

    def broken(**kwargs):
        raise RuntimeError("matching is down")

    monkeypatch.setattr(sys.modules["tandem.mentoring.matching"], "rematch", broken)
    services.relationship_decline(relationship=proposed, user=proposed.mentee.user)
    proposed.refresh_from_db()
    assert proposed.status == "declined"


def test_requests_expire_and_the_next_mentor_is_offered(proposed, accepted, stub_rematch, org):
    # `accepted` is the same request, accepted by both: it never expires.
    other = propose(accepted.program, org.outsider, proposed.mentor)
    later = timezone.now() + datetime.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        assert services.relationships_expire() == 1
        assert services.relationships_expire() == 0
        with pytest.raises(services.Refused):
            services.relationship_accept(relationship=other, user=org.outsider.user)
    other.refresh_from_db()
    accepted.refresh_from_db()
    assert other.status == "expired" and accepted.status == "proposed"
    assert [call["mentee"] for call in stub_rematch] == [org.outsider]
    assert stub_rematch[0]["reason"] == "expired"


def test_a_decline_proposes_the_next_mentor_through_the_matching_half(org):
    from tandem.mentoring.tests import factories

    program = factories.mentoring_program(name="Rematch program")
    factories.make_mentee(program, org.report, goals=("Lead my first team",))
    first = factories.make_mentor(program, factories.person("senior", first_name="First"))
    second = factories.make_mentor(program, factories.person("senior", first_name="Second"))
    relationship = propose(program, org.report, first.person)
    services.relationship_decline(relationship=relationship, user=first.person.user)
    following = Relationship.objects.open().get(program=program, mentee=org.report)
    assert following.mentor == second.person and following.goals == ["Lead my first team"]
