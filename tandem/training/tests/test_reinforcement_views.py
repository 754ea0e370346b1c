"""The reinforcement pages: the burst (one screen, htmx per item or all at once), the
home panel, practice logs and confirmation, retention and flags, with a denied case
for each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.training import reinforcement
from tandem.training.models import Card, PracticeLog, Review
from tandem.training.tests.factories import learners
from tandem.training.tests.reinforcement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _client(client, person):
    client.force_login(person.user)
    return client


def _make_due(seat):
    seat.cards.update(due=timezone.now() - datetime.timedelta(hours=1))


def test_the_learner_sees_their_due_burst_on_one_screen(client, seat, org):
    _make_due(seat)
    response = _client(client, org.report).get(reverse("training:burst"))
    assert response.status_code == 200
    assert response.content.count(b'class="card burst-item"') == 2
    assert b"How sure are you?" in response.content
    home = client.get(reverse("home"))
    assert b"learning burst" in home.content and reverse("training:burst").encode() in home.content


def test_an_item_answered_with_htmx_shows_right_or_wrong_and_the_next_date(client, seat, org):
    _make_due(seat)
    card = seat.cards.first()
    question = card.objective.questions.first()
    data = {
        "kind": "question",
        "item": question.pk,
        f"c{card.pk}-chosen": question.correct,
        f"c{card.pk}-confidence": 2,
    }
    response = _client(client, org.report).post(
        reverse("training:burst-answer", args=[card.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Right" in response.content and b"Next on" in response.content
    assert Review.objects.filter(card=card, right=True).count() == 1


def test_a_missing_answer_is_a_field_error_and_writes_nothing(client, seat, org):
    _make_due(seat)
    card = seat.cards.first()
    question = card.objective.questions.first()
    response = _client(client, org.report).post(
        reverse("training:burst-answer", args=[card.pk]),
        {"kind": "question", "item": question.pk, f"c{card.pk}-chosen": 9},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert b"field-errors" in response.content
    assert Review.objects.count() == 0


def test_the_whole_burst_is_submitted_at_once(client, seat, org):
    _make_due(seat)
    data = {}
    for card in seat.cards.all():
        question = card.objective.questions.first()
        data[f"c{card.pk}-chosen"] = question.correct
        data[f"c{card.pk}-confidence"] = 3
    response = _client(client, org.report).post(reverse("training:burst"), data)
    assert response.status_code == 200
    assert Review.objects.count() == 2


def test_nobody_answers_someone_elses_card(client, seat, org):
    _make_due(seat)
    card = seat.cards.first()
    question = card.objective.questions.first()
    for person in (org.manager, org.outsider):
        response = _client(client, person).post(
            reverse("training:burst-answer", args=[card.pk]),
            {"kind": "question", "item": question.pk, f"c{card.pk}-chosen": 1},
        )
        assert response.status_code == 404
    assert Review.objects.count() == 0


def test_a_login_without_a_person_has_no_burst(client, program_admin):
    client.force_login(program_admin)
    assert client.get(reverse("training:burst")).status_code == 404


def test_practice_is_logged_and_confirmed_by_the_manager(client, seat, org, course):
    objective = course.objectives.first()
    learner = _client(client, org.report)
    bad = learner.post(
        reverse("training:practice-new"), {"objective": objective.pk, "what_i_did": ""}
    )
    assert bad.status_code == 200 and b"field-errors" in bad.content
    assert PracticeLog.objects.count() == 0
    response = learner.post(
        reverse("training:practice-new"),
        {"objective": objective.pk, "what_i_did": "Named it", "practiced_on": timezone.localdate()},
    )
    assert response.status_code == 302
    log = PracticeLog.objects.get()
    assert learner.post(reverse("training:practice-confirm", args=[log.pk])).status_code == 403
    outsider = _client(client, org.outsider)
    assert outsider.post(reverse("training:practice-confirm", args=[log.pk])).status_code == 404
    manager = _client(client, org.manager)
    assert b"Named it" in manager.get(reverse("training:practice-list")).content
    manager.post(reverse("training:practice-confirm", args=[log.pk]), {"note": "Seen"})
    log.refresh_from_db()
    assert log.confirmed_by == org.manager


def test_someone_who_did_not_attend_cannot_log_practice_on_the_course(client, seat, org, course):
    response = _client(client, org.outsider).post(
        reverse("training:practice-new"),
        {
            "objective": course.objectives.first().pk,
            "what_i_did": "x",
            "practiced_on": timezone.localdate(),
        },
    )
    assert response.status_code == 200 and b"field-errors" in response.content
    assert PracticeLog.objects.count() == 0


def test_retention_of_a_learner_for_them_their_managers_and_admins(
    client, seat, org, program_admin
):
    url = reverse("training:retention-learner", args=[org.report.pk])
    for person in (org.report, org.manager, org.ceo):
        response = _client(client, person).get(url)
        assert response.status_code == 200
        assert b"data:image/svg+xml;base64," in response.content
    client.force_login(program_admin)
    assert client.get(url).status_code == 200
    for person in (org.outsider, org.executive):
        assert _client(client, person).get(url).status_code == 404


def test_cohort_retention_for_admins_and_executives_only(client, held, org, program_admin):
    for person in learners(5):
        attend(held, person)  # noqa: F405
    session_url = reverse("training:retention-session", args=[held.pk])
    course_url = reverse("training:retention-course", args=[held.course_id])
    for url in (session_url, course_url):
        client.force_login(program_admin)
        response = client.get(url)
        assert response.status_code == 200 and b"data:image/svg+xml" in response.content
        assert _client(client, org.executive).get(url).status_code == 200
        assert _client(client, org.report).get(url).status_code == 404


def test_a_small_cohort_says_not_enough_data(client, seat, held, program_admin):
    client.force_login(program_admin)
    response = client.get(reverse("training:retention-session", args=[held.pk]))
    assert b"Not enough data (n=1)" in response.content


def test_flags_are_for_program_admins(client, seat, course, org, program_admin):
    at = seat.session.starts_at + datetime.timedelta(days=course.escalate_after_days + 1)
    flag = reinforcement.flags_raise(at)[0]
    assert _client(client, org.manager).get(reverse("training:flag-list")).status_code == 404
    resolve = reverse("training:flag-resolve", args=[flag.pk])
    assert client.post(resolve, {"resolution": "x"}).status_code == 404
    client.force_login(program_admin)
    page = client.get(reverse("training:flag-list"))
    assert page.status_code == 200 and b"Suggested next" in page.content
    client.post(resolve, {"resolution": "Coach assigned"})
    flag.refresh_from_db()
    assert flag.resolution == "Coach assigned"


def test_the_burst_page_has_an_empty_state(client, seat, org):
    Card.objects.update(due=timezone.now() + datetime.timedelta(days=3))
    response = _client(client, org.report).get(reverse("training:burst"))
    assert b"Nothing due today" in response.content


def test_the_plan_shows_bursts_and_practice_in_the_apply_step(seat, org, course):
    from tandem.programs.models import Stage
    from tandem.tests.factories import enroll, running_program
    from tandem.training.reinforcement_panels import apply_plan_panel

    plan = enroll(running_program(name="Accelerator"), org.report)
    cycle = plan.current_cycle()
    seat.cards.update(due=timezone.now() - datetime.timedelta(hours=1))

    class Request:
        user = org.report.user

    cycle.stage = Stage.LEARN
    assert apply_plan_panel(Request(), plan, cycle) is None  # type: ignore[arg-type]
    cycle.stage = Stage.APPLY
    panel = apply_plan_panel(Request(), plan, cycle)  # type: ignore[arg-type]
    assert panel is not None
    assert panel.context["burst_due"] == 2 and panel.context["is_learner"]
    Request.user = org.manager.user
    panel = apply_plan_panel(Request(), plan, cycle)  # type: ignore[arg-type]
    assert panel is not None and not panel.context["is_learner"]
