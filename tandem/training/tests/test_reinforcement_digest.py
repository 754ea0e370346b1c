"""The daily digest: one email per learner with bursts due (plain and HTML, naming the
objectives and linking to the burst page), none for the others, in a fixed number
of queries whatever the number of learners."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.training.reinforcement_digest import digests_build, digests_send
from tandem.training.reinforcement_tasks import send_burst_digests
from tandem.training.tests.factories import learners
from tandem.training.tests.reinforcement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _due_now(seat):
    return max(seat.cards.values_list("due", flat=True)) + datetime.timedelta(minutes=1)


def test_it_sends_one_email_per_learner_with_due_bursts(seat, held, org):
    other = attend(held, learners(1)[0])  # noqa: F405
    nobody = attend(held, org.outsider)  # noqa: F405
    nobody.cards.update(due=timezone.now() + datetime.timedelta(days=30))
    digests = digests_build(_due_now(seat))
    assert sorted(d.person_id for d in digests) == sorted([seat.person_id, other.person_id])
    assert digests_send(digests) == 2
    assert len(mail.outbox) == 2
    email = next(m for m in mail.outbox if m.to == [org.report.email])
    assert email.subject == "2 learning bursts are due"
    assert "Hello Rita," in email.body
    assert "- Name the behaviour\n- Ask before advising" in email.body
    assert "http://testserver/training/burst/" in email.body or "/training/burst/" in email.body
    html, kind = email.alternatives[0]
    assert kind == "text/html"
    assert "<li>Name the behaviour</li>" in html and "/training/burst/" in html


def test_it_escapes_names_in_html(seat, org):
    org.report.first_name = "<b>Rita</b>"
    org.report.save()
    (digest,) = digests_build(_due_now(seat))
    assert "&lt;b&gt;Rita&lt;/b&gt;" in digest.html
    assert "Hello <b>Rita</b>," in digest.text


def test_it_builds_every_digest_in_a_fixed_number_of_queries(seat, held):
    for person in learners(4):
        attend(held, person)  # noqa: F405
    at = _due_now(seat)
    with CaptureQueriesContext(connection) as queries:
        digests = digests_build(at)
    assert len(digests) == 5
    assert len(queries) == 3  # the objectives with something to ask (2), the due cards


def test_the_daily_job_sends_them(seat, time_machine):
    time_machine.move_to(_due_now(seat))
    result = send_burst_digests.call()
    assert result == {"learners": 1, "sent": 1}
    assert len(mail.outbox) == 1


def test_nobody_gets_a_digest_when_nothing_is_due(seat):
    assert digests_build(seat.session.starts_at) == []


def test_an_objective_with_nothing_to_ask_is_left_out(seat):
    card = seat.cards.order_by("pk").first()
    card.objective.questions.update(active=False)
    card.objective.challenges.update(active=False)
    (digest,) = digests_build(_due_now(seat))
    assert card.objective.title not in digest.message().body
    assert digest.message().subject == "One learning burst is due"
