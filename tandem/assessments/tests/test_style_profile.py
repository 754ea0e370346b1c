"""The style profile pages: taking it, the result (style, position on the two axes,
description, strengths, watch-outs, versatility tips), and who may see it."""

import re

import pytest
from django.urls import reverse

from tandem.assessments import self_service
from tandem.assessments.models import Instrument, StyleProfile
from tandem.lib.instruments import score_style

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def built_in_instruments(db):
    """Loaded by a migration, but a transactional test elsewhere may have flushed them."""
    Instrument.load_built_in()


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def document():
    return self_service.style_instrument().document


def answers_for(assertive: bool, people: bool):
    """Answers that land clearly in one quadrant: agree with the wanted pole."""
    wanted = {"assertiveness": assertive, "orientation": people}
    answers = {}
    for item in document()["items"]:
        towards_high = wanted[item["axis"]]
        agrees = towards_high != item["reverse"]
        answers[item["key"]] = 5 if agrees else 1
    return answers


def post_data(answers):
    return {key: str(value) for key, value in answers.items()}


def taken(person, answers):
    return self_service.style_profile_submit(person=person, answers=answers)


class TestTakingIt:
    def test_it_shows_the_twenty_statements_with_agreement_labels(self, client, org):
        client.force_login(org.report.user)
        html = client.get(url("style-profile")).content.decode()
        assert html.count('type="radio"') == 20 * 5
        assert "Strongly agree" in html and "Strongly disagree" in html

    @pytest.mark.parametrize(
        ("assertive", "people", "expected"),
        [
            (True, False, "pathfinder"),
            (True, True, "connector"),
            (False, True, "anchor"),
            (False, False, "craftsperson"),
        ],
    )
    def test_it_scores_the_style_as_score_style_does(
        self, client, org, assertive, people, expected
    ):
        answers = answers_for(assertive, people)
        client.force_login(org.report.user)
        response = client.post(url("style-profile"), post_data(answers))
        profile = StyleProfile.objects.get(person=org.report)
        assert response.url == url("style-detail", profile.pk)
        style_key, scores = score_style(document(), answers)
        assert (profile.style_key, profile.axis_scores) == (style_key, scores)
        assert style_key == expected
        assert profile.instrument.is_frozen

        html = client.get(response.url).content.decode()
        style = next(s for s in document()["styles"] if s["key"] == expected)
        assert re.search(rf'id="style-name">{style["name"]}<', html)
        assert style["strengths"][0] in html
        assert style["watch_outs"][0] in html
        for other_key, tip in style["flex_tips"].items():
            assert tip.replace("'", "&#x27;").replace('"', "&quot;") in html, other_key

    def test_it_places_the_dot_on_the_grid(self, client, org):
        answers = answers_for(True, False)  # 5.0 assertive, 1.0 people: top left
        profile = taken(org.report, answers)
        client.force_login(org.report.user)
        html = client.get(url("style-detail", profile.pk)).content.decode()
        assert 'class="style-dot" cx="0" cy="0"' in html

    def test_a_middle_score_says_it_is_close_to_the_midpoint(self, client, org):
        profile = taken(org.report, dict.fromkeys(answers_for(True, True), 3))
        assert profile.style_key == "connector"  # the midpoint counts as high
        client.force_login(org.report.user)
        html = client.get(url("style-detail", profile.pk)).content.decode()
        assert "Close to the middle" in html

    def test_every_statement_needs_an_answer_and_nothing_is_written(self, client, org):
        answers = answers_for(True, True)
        del answers["sp-7"]
        answers["sp-2"] = 6
        client.force_login(org.report.user)
        response = client.post(url("style-profile"), post_data(answers))
        assert response.status_code == 400
        assert response.context["form"].errors.keys() == {"sp-7", "sp-2"}
        assert not StyleProfile.objects.exists()

    def test_the_service_refuses_an_unknown_item(self, org):
        answers = {**answers_for(True, True), "sp-99": 3}
        with pytest.raises(self_service.AnswersInvalid) as caught:
            taken(org.report, answers)
        assert caught.value.problems.keys() == {"sp-99"}
        assert not StyleProfile.objects.exists()

    def test_earlier_profiles_are_listed(self, client, org):
        profile = taken(org.report, answers_for(False, True))
        client.force_login(org.report.user)
        html = client.get(url("style-profile")).content.decode()
        assert url("style-detail", profile.pk) in html


class TestAccess:
    def test_the_chain_and_admins_read_it(self, client, org, program_admin):
        profile = taken(org.report, answers_for(True, True))
        for user in (org.manager.user, org.ceo.user, program_admin):
            client.force_login(user)
            response = client.get(url("style-detail", profile.pk))
            assert response.status_code == 200
            assert "Rita Report\u2019s style profile" in response.content.decode()

    @pytest.mark.parametrize("who", ["outsider", "executive"])
    def test_anyone_else_gets_not_found(self, client, org, who):
        profile = taken(org.report, answers_for(True, True))
        client.force_login(getattr(org, who).user)
        assert client.get(url("style-detail", profile.pk)).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, org):
        profile = taken(org.report, answers_for(True, True))
        for path in (url("style-profile"), url("style-detail", profile.pk)):
            response = client.get(path)
            assert response.status_code == 302 and "login" in response.url

    def test_a_login_without_a_person_cannot_take_it(self, client, program_admin):
        client.force_login(program_admin)
        assert client.get(url("style-profile")).status_code == 200
        assert client.post(url("style-profile"), {}).status_code == 403


def test_the_summary_snippet_shows_the_latest_results(org):
    from django.template.loader import render_to_string

    taken(org.report, answers_for(False, False))
    assessment = self_service.self_assessment_start(person=org.report)
    self_service.self_assessment_submit(
        assessment=assessment,
        answers=dict.fromkeys(self_service.self_instrument().item_keys(), 3),
    )
    summary = self_service.latest_for(org.report)
    assert summary.style is not None and summary.style["key"] == "craftsperson"
    html = render_to_string("assessments/snippets/self_summary.html", {"summary": summary})
    assert "Craftsperson" in html
    assert url("self-result", assessment.pk) in html
    assert "Self-awareness: 3.0" in html
