"""The advisor page: questions, the recommendation with its reasons next to the answers
that caused them, and adding the advice to a plan's "learn" step."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.utils.html import escape

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.lib.advisor import INPUTS
from tandem.programs import advisor as advising
from tandem.programs import services
from tandem.programs.forms.advisor import AdvisorForm
from tandem.programs.models import Goal, LearningActivity, Stage
from tandem.tests.factories import ObjectiveFactory, enroll, running_program, self_assessed

URL = "/programs/advisor/"

ANSWERS = {
    "level": "emerging",
    "need": "skill_or_knowledge",
    "customization": "low",
    "time_available": "some",
    "budget_per_person": "600",
    "people_sharing_need": "12",
    "practice_and_feedback": "no",
}


def with_answers(**changes):
    return {**ANSWERS, **changes}


@pytest.fixture
def plan(org):
    return enroll(running_program(), org.report)


def move_to_learn(plan, user):
    self_assessed(plan.person)  # the assess step's result
    services.plan_advance(plan=plan, advanced_by=user)  # -> set goals
    Goal.objects.create(
        cycle=plan.current_cycle(),
        title="Delegate the weekly report",
        measure="The team runs it without me for 4 weeks",
        objective=ObjectiveFactory(),
        due_date=datetime.date(2026, 6, 30),
    )
    services.plan_advance(plan=plan, advanced_by=user)  # -> learn
    assert plan.current_cycle().stage == Stage.LEARN


def test_it_asks_the_questions_with_labels(client, org):
    client.force_login(org.outsider.user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for field in ANSWERS:
        assert f'for="id_{field}"' in html
    assert "How many people share this need?" in html
    assert "advice" not in response.context


def test_it_recommends_from_answers_in_the_address(client, org):
    client.force_login(org.outsider.user)
    response = client.get(URL, ANSWERS)
    assert response.status_code == 200
    advice = response.context["advice"]
    assert advice["recommendation"] == "training_reinforcement"
    html = response.content.decode()
    assert "Training followed by reinforcement" in html
    assert escape(advice["reasons"][0]["text"]) in html


def test_it_recommends_from_a_posted_form(client, org):
    client.force_login(org.outsider.user)
    response = client.post(URL, with_answers(practice_and_feedback="yes"))
    assert response.status_code == 200
    assert response.context["advice"]["recommendation"] == "training"


def test_it_lists_each_reason_next_to_the_answer_that_caused_it(client, org):
    client.force_login(org.outsider.user)
    response = client.get(URL, ANSWERS)
    reasons = response.context["reasons"]
    people = next(r for r in reasons if r["input"] == "people_sharing_need")
    assert people["question"] == "How many people share this need?"
    assert people["answer"] == "12"
    assert people["text"].startswith("12 people share this need")
    html = response.content.decode()
    item = html[html.index('data-input="people_sharing_need"') :]
    item = item[: item.index("</li>")]
    assert "People sharing the need: <strong>12</strong>" in item
    assert "training transfers it at scale" in item
    budget = next(r for r in reasons if r["input"] == "budget_per_person")
    assert budget["answer"] == "600"


def test_it_shows_errors_next_to_their_fields(client, org):
    client.force_login(org.outsider.user)
    response = client.get(URL, with_answers(budget_per_person="-5", people_sharing_need="0"))
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"budget_per_person", "people_sharing_need"}
    html = response.content.decode()
    assert 'id="id_budget_per_person_error"' in html
    assert 'id="id_people_sharing_need_error"' in html
    assert "advice" not in response.context


def test_it_asks_for_every_answer(client, org):
    client.force_login(org.outsider.user)
    response = client.post(URL, {"level": "mid"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == set(ANSWERS) - {"level"}


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL, ANSWERS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_starts_from_the_level_of_the_plans_participant(client, org, plan):
    client.force_login(org.report.user)
    response = client.get(URL, {"plan": plan.pk})
    assert response.status_code == 200
    assert response.context["form"]["level"].value() == "emerging"
    assert "The plan is at the “Assess” step of cycle 1." in response.content.decode()


def test_it_lets_the_manager_open_a_reports_plan(client, org, plan):
    client.force_login(org.manager.user)
    response = client.get(URL, {"plan": plan.pk, **ANSWERS})
    assert response.status_code == 200
    assert response.context["plan"] == plan


def test_it_hides_someone_elses_plan_from_an_outsider(client, org, plan):
    move_to_learn(plan, org.report.user)
    client.force_login(org.outsider.user)
    assert client.get(URL, {"plan": plan.pk}).status_code == 404
    response = client.post(f"{URL}?plan={plan.pk}", {**ANSWERS, "add_to_plan": "1"})
    assert response.status_code == 404
    assert not LearningActivity.objects.exists()


def test_it_answers_not_found_for_a_plan_that_is_not_a_number(client, org):
    client.force_login(org.report.user)
    assert client.get(URL, {"plan": "x"}).status_code == 404


def test_it_offers_no_button_before_the_learn_step(client, org, plan):
    client.force_login(org.report.user)
    response = client.get(URL, {"plan": plan.pk, **ANSWERS})
    html = response.content.decode()
    assert "Add to my plan" not in html
    assert "Learning activities are added at the “Learn” step" in html


def test_it_adds_the_recommended_modalities_to_the_learn_step(client, org, plan):
    move_to_learn(plan, org.report.user)
    client.force_login(org.report.user)
    answers = with_answers(customization="medium", budget_per_person="2500")
    page = client.get(URL, {"plan": plan.pk, **answers})
    assert "Add to my plan" in page.content.decode()

    response = client.post(f"{URL}?plan={plan.pk}", {**answers, "add_to_plan": "1"}, follow=True)

    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200
    activities = LearningActivity.objects.filter(cycle=plan.current_cycle())
    assert list(activities.values_list("modality", flat=True)) == [
        "training",
        "reinforcement",
        "coaching",
    ]
    html = response.content.decode()
    assert escape("Added 3 learning activities to Rita Report's plan.") in html
    assert "Add to my plan" not in html
    assert "These learning activities are in the “Learn” step of the plan." in html
    assert AuditLog.objects.filter(summary__contains="from the advisor").exists()


def test_it_does_not_add_the_same_advice_twice(client, org, plan):
    move_to_learn(plan, org.report.user)
    client.force_login(org.manager.user)
    for _ in range(2):
        response = client.post(
            f"{URL}?plan={plan.pk}", {**ANSWERS, "add_to_plan": "1"}, follow=True
        )
    assert LearningActivity.objects.count() == 2
    assert "The plan already has these learning activities." in response.content.decode()


def test_it_refuses_to_add_outside_the_learn_step_and_writes_nothing(client, org, plan):
    client.force_login(org.report.user)
    response = client.post(f"{URL}?plan={plan.pk}", {**ANSWERS, "add_to_plan": "1"})
    assert response.status_code == 409
    assert "Learning activities are added at the “Learn” step" in response.content.decode()
    assert not LearningActivity.objects.exists()


def test_it_refuses_to_add_without_a_plan(client, org):
    client.force_login(org.report.user)
    response = client.post(URL, {**ANSWERS, "add_to_plan": "1"})
    assert response.status_code == 400
    assert "Open the advisor from a plan" in response.content.decode()
    assert not LearningActivity.objects.exists()


def test_it_adds_nothing_from_invalid_answers(client, org, plan):
    move_to_learn(plan, org.report.user)
    client.force_login(org.report.user)
    bad = with_answers(need="charisma")
    response = client.post(f"{URL}?plan={plan.pk}", {**bad, "add_to_plan": "1"})
    assert response.status_code == 400
    assert not LearningActivity.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"practice_and_feedback": "yes"},
        {"customization": "medium", "budget_per_person": "2500"},
        {"need": "career_navigation", "people_sharing_need": "1", "customization": "medium"},
        {
            "level": "senior",
            "need": "career_navigation",
            "customization": "high",
            "budget_per_person": "8000",
            "people_sharing_need": "1",
        },
        {
            "level": "senior",
            "need": "self_awareness",
            "customization": "high",
            "time_available": "plenty",
            "budget_per_person": "10000.50",
            "people_sharing_need": "1",
        },
    ],
)
def test_the_page_and_the_api_say_the_same(client, org, changes):
    client.force_login(org.outsider.user)
    answers = with_answers(**changes)
    page = client.get(f"{URL}?{urlencode(answers)}")
    payload = {
        **answers,
        "budget_per_person": float(answers["budget_per_person"]),
        "people_sharing_need": int(answers["people_sharing_need"]),
        "practice_and_feedback": answers["practice_and_feedback"] == "yes",
    }
    api = token_client(org.outsider.user).post(
        "/api/v1/advisor", json.dumps(payload), content_type="application/json"
    )
    assert api.status_code == 200, api.content
    assert page.context["advice"] == api.json()
    html = page.content.decode()
    assert escape(api.json()["label"]) in html
    positions = [html.index(escape(reason["text"])) for reason in api.json()["reasons"]]
    assert positions == sorted(positions), "the page lists the reasons in the API's order"


def test_every_input_of_the_advisor_has_a_question_and_a_name():
    assert tuple(advising.QUESTIONS) == INPUTS == tuple(AdvisorForm.base_fields)
    assert set(advising.INPUT_NAMES) == set(INPUTS)
