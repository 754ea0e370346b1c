"""/api/v1/self-assessments and /api/v1/style-profiles: mine, create, draft answers,
submit, the scored style profile; 422s naming the bad answers with nothing written;
404 for anyone outside the person's line, 401 for anonymous callers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.api.testing import token_client
from tandem.assessments import self_service
from tandem.assessments.models import Instrument, SelfAssessment, StyleProfile
from tandem.lib.instruments import score_style
from tandem.tests.factories import enroll, running_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def built_in_instruments(db):
    """Loaded by a migration, but a transactional test elsewhere may have flushed them."""
    Instrument.load_built_in()


SELF = "/api/v1/self-assessments"
STYLE = "/api/v1/style-profiles"


def all_answers(value=4):
    return dict.fromkeys(self_service.self_instrument().item_keys(), value)


def style_answers(value=4):
    return {item["key"]: value for item in self_service.style_instrument().document["items"]}


def error_locs(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def submitted(person, answers, enrollment=None):
    assessment = self_service.self_assessment_start(person=person, enrollment=enrollment)
    self_service.self_assessment_submit(assessment=assessment, answers=answers)
    return assessment


@pytest.fixture
def enrollment(org):
    return enroll(running_program(), org.report).enrollment


class TestSelfAssessments:
    def test_it_creates_saves_a_draft_and_submits(self, org, enrollment):
        client = token_client(org.report.user)
        created = client.post(
            SELF, {"enrollment_id": enrollment.pk}, content_type="application/json"
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["enrollment_id"] == enrollment.pk and body["submitted_at"] is None
        path = f"{SELF}/{body['id']}"

        saved = client.put(path, {"answers": {"sa-1": 5}}, content_type="application/json")
        assert saved.status_code == 200
        assert saved.json()["answers"] == {"sa-1": 5}

        missing = client.post(f"{path}/submit", content_type="application/json")
        locs = error_locs(missing)
        assert len(locs) == 39 and ("body", "payload", "answers", "sa-2") in locs
        assert SelfAssessment.objects.get().submitted_at is None

        done = client.post(
            f"{path}/submit", {"answers": all_answers(3)}, content_type="application/json"
        )
        assert done.status_code == 200, done.content
        result = done.json()
        assert result["submitted_at"] is not None
        assert {c["key"]: c["mean"] for c in result["competencies"]}["inclusion"] == 3.0

        again = client.put(path, {"answers": {"sa-1": 1}}, content_type="application/json")
        assert again.status_code == 400
        assert SelfAssessment.objects.get().answers == all_answers(3)

        mine = client.get(SELF).json()
        assert mine["count"] == 1 and mine["items"][0]["id"] == body["id"]

    def test_it_submits_the_saved_draft_without_a_body(self, org):
        client = token_client(org.report.user)
        created = client.post(SELF, {}, content_type="application/json").json()
        path = f"{SELF}/{created['id']}"
        client.put(path, {"answers": all_answers()}, content_type="application/json")
        response = client.post(f"{path}/submit", {}, content_type="application/json")
        assert response.status_code == 200, response.content

    @pytest.mark.parametrize(
        ("answers", "bad_key"),
        [({"nope": 3}, "nope"), ({"sa-1": 0}, "sa-1"), ({"sa-1": 6}, "sa-1")],
    )
    def test_bad_answers_are_422s_naming_the_item_and_write_nothing(self, org, answers, bad_key):
        assessment = self_service.self_assessment_start(person=org.report)
        client = token_client(org.report.user)
        response = client.put(
            f"{SELF}/{assessment.pk}",
            {"answers": {"sa-2": 3, **answers}},
            content_type="application/json",
        )
        assert error_locs(response) == {("body", "payload", "answers", bad_key)}
        assessment.refresh_from_db()
        assert assessment.answers == {}

    @pytest.mark.parametrize("value", ["3", 3.5, True, None])
    def test_answers_must_be_whole_numbers(self, org, value):
        assessment = self_service.self_assessment_start(person=org.report)
        response = token_client(org.report.user).put(
            f"{SELF}/{assessment.pk}", {"answers": {"sa-1": value}}, content_type="application/json"
        )
        assert response.status_code == 422
        assessment.refresh_from_db()
        assert assessment.answers == {}

    def test_unknown_fields_and_other_peoples_enrollments_are_refused(self, org):
        theirs = enroll(running_program(), org.outsider).enrollment
        client = token_client(org.report.user)
        response = client.post(SELF, {"enrollment_id": theirs.pk}, content_type="application/json")
        assert error_locs(response) == {("body", "payload", "enrollment_id")}
        response = client.post(SELF, {"person_id": 1}, content_type="application/json")
        assert response.status_code == 422
        assert not SelfAssessment.objects.exists()

    def test_it_shows_the_change_between_before_and_after(self, org, enrollment):
        before = submitted(org.report, all_answers(2), enrollment)
        after = submitted(org.report, all_answers(3), enrollment)
        body = token_client(org.manager.user).get(f"{SELF}/{after.pk}").json()
        pair = body["before_after"]
        assert (pair["before_id"], pair["after_id"]) == (before.pk, after.pk)
        changes = {c["key"]: c["change"] for c in pair["competencies"]}
        assert changes["decision-making"] == pytest.approx(1.0)

    def test_the_list_is_mine_only_in_constant_queries(self, org):
        for _ in range(3):
            submitted(org.report, all_answers())
        submitted(org.outsider, all_answers())
        client = token_client(org.report.user)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(SELF).json()
        assert body["count"] == 3
        assert len(queries) <= 8


class TestStyleProfiles:
    def test_it_scores_the_answers_as_score_style_does(self, org):
        answers = style_answers(4)
        answers["sp-1"] = 1
        client = token_client(org.report.user)
        response = client.post(STYLE, {"answers": answers}, content_type="application/json")
        assert response.status_code == 201, response.content
        body = response.json()
        style_key, scores = score_style(self_service.style_instrument().document, answers)
        assert body["style_key"] == style_key
        assert body["axis_scores"] == pytest.approx(scores)
        assert body["style_name"]
        assert client.get(f"{STYLE}/{body['id']}").json()["style_key"] == style_key
        assert client.get(STYLE).json()["count"] == 1

    def test_bad_answers_are_422s_naming_each_item(self, org):
        answers = style_answers()
        del answers["sp-3"]
        answers["sp-4"] = 9
        answers["sp-99"] = 2
        response = token_client(org.report.user).post(
            STYLE, {"answers": answers}, content_type="application/json"
        )
        assert error_locs(response) == {
            ("body", "payload", "answers", "sp-3"),
            ("body", "payload", "answers", "sp-4"),
            ("body", "payload", "answers", "sp-99"),
        }
        assert not StyleProfile.objects.exists()

    def test_a_login_without_a_person_cannot_take_it(self, program_admin):
        response = token_client(program_admin).post(
            STYLE, {"answers": style_answers()}, content_type="application/json"
        )
        assert response.status_code == 403
        assert not StyleProfile.objects.exists()


class TestAccess:
    @pytest.fixture
    def records(self, org):
        assessment = submitted(org.report, all_answers())
        profile = self_service.style_profile_submit(person=org.report, answers=style_answers())
        return assessment, profile

    def test_the_chain_and_admins_read_them(self, org, records, program_admin):
        assessment, profile = records
        for user in (org.manager.user, org.ceo.user, program_admin):
            client = token_client(user)
            assert client.get(f"{SELF}/{assessment.pk}").status_code == 200
            assert client.get(f"{STYLE}/{profile.pk}").status_code == 200

    def test_the_manager_cannot_change_them(self, org, records):
        assessment, _ = records
        client = token_client(org.manager.user)
        response = client.put(
            f"{SELF}/{assessment.pk}", {"answers": {}}, content_type="application/json"
        )
        assert response.status_code == 403

    def test_a_draft_is_not_found_for_the_manager(self, org):
        draft = self_service.self_assessment_start(person=org.report)
        assert token_client(org.manager.user).get(f"{SELF}/{draft.pk}").status_code == 404

    @pytest.mark.parametrize("who", ["outsider", "executive"])
    def test_anyone_else_gets_not_found_and_changes_nothing(self, org, records, who):
        assessment, profile = records
        client = token_client(getattr(org, who).user)
        requests = [
            ("get", f"{SELF}/{assessment.pk}", None),
            ("put", f"{SELF}/{assessment.pk}", {"answers": {}}),
            ("post", f"{SELF}/{assessment.pk}/submit", None),
            ("get", f"{STYLE}/{profile.pk}", None),
        ]
        for method, path, body in requests:
            response = getattr(client, method)(path, body, content_type="application/json")
            assert response.status_code == 404, (method, path, response.content)
            assert "detail" in response.json()
        assessment.refresh_from_db()
        assert assessment.answers == all_answers()
        assert client.get(SELF).json()["count"] == 0

    def test_anonymous_callers_get_401(self, client, records):
        assessment, profile = records
        requests = [
            ("get", SELF, None),
            ("post", SELF, {}),
            ("get", f"{SELF}/{assessment.pk}", None),
            ("put", f"{SELF}/{assessment.pk}", {"answers": {}}),
            ("post", f"{SELF}/{assessment.pk}/submit", None),
            ("get", STYLE, None),
            ("post", STYLE, {"answers": {}}),
            ("get", f"{STYLE}/{profile.pk}", None),
        ]
        for method, path, body in requests:
            response = getattr(client, method)(path, body, content_type="application/json")
            assert response.status_code == 401, (method, path)
