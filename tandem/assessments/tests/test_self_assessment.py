"""The self-assessment pages: starting one (optionally for an enrollment), saving a
draft, submitting, the result with its before/after change, and who may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.assessments import self_service
from tandem.assessments.models import Instrument, SelfAssessment
from tandem.tests.factories import enroll, running_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def built_in_instruments(db):
    """Loaded by a migration, but a transactional test elsewhere may have flushed them."""
    Instrument.load_built_in()


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def item_keys():
    return self_service.self_instrument().item_keys()


def all_answers(value=4):
    return dict.fromkeys(item_keys(), value)


def post_data(answers, action):
    return {**{key: str(value) for key, value in answers.items()}, "action": action}


@pytest.fixture
def enrollment(org):
    return enroll(running_program(name="Rising leaders"), org.report).enrollment


def start(person, enrollment=None):
    return self_service.self_assessment_start(person=person, enrollment=enrollment)


def submitted(person, answers, enrollment=None):
    assessment = start(person, enrollment)
    self_service.self_assessment_submit(assessment=assessment, answers=answers)
    return assessment


class TestTakingIt:
    def test_it_starts_one_for_an_enrollment_and_freezes_the_instrument(
        self, client, org, enrollment
    ):
        client.force_login(org.report.user)
        page = client.get(url("self-list"))
        assert page.status_code == 200
        assert "Rising leaders" in page.content.decode()

        response = client.post(url("self-list"), {"enrollment": enrollment.pk})
        assessment = SelfAssessment.objects.get(person=org.report)
        assert response.url == url("self-detail", assessment.pk)
        assert assessment.enrollment == enrollment
        assert assessment.instrument == self_service.self_instrument()
        assert assessment.instrument.is_frozen

    def test_it_uses_the_newest_version(self, org):
        newer = self_service.self_instrument().new_version()
        assert start(org.report).instrument == newer

    def test_it_refuses_someone_elses_enrollment(self, client, org):
        theirs = enroll(running_program(), org.outsider).enrollment
        client.force_login(org.report.user)
        response = client.post(url("self-list"), {"enrollment": theirs.pk})
        assert response.status_code == 400
        assert not SelfAssessment.objects.exists()

    def test_it_shows_items_grouped_by_competency_with_the_scale_labels(self, client, org):
        assessment = start(org.report)
        client.force_login(org.report.user)
        html = client.get(url("self-detail", assessment.pk)).content.decode()
        assert html.count('type="radio"') == 40 * 5
        assert '<fieldset class="card" id="group-self-awareness"' in html
        assert "Almost always" in html and "Rarely" in html
        assert "I ask for feedback on how my behaviour affects others." in html

    def test_it_saves_a_draft_with_some_answers(self, client, org):
        assessment = start(org.report)
        client.force_login(org.report.user)
        response = client.post(
            url("self-detail", assessment.pk), post_data({"sa-1": 2, "sa-2": 5}, "save")
        )
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.answers == {"sa-1": 2, "sa-2": 5}
        assert assessment.submitted_at is None
        page = client.get(url("self-detail", assessment.pk)).content.decode()
        assert "2 of 40 answered" in page

    def test_it_submits_and_then_shows_it_read_only(self, client, org):
        assessment = start(org.report)
        client.force_login(org.report.user)
        response = client.post(
            url("self-detail", assessment.pk), post_data(all_answers(), "submit")
        )
        assert response.url == url("self-result", assessment.pk)
        assessment.refresh_from_db()
        assert assessment.submitted_at is not None
        assert assessment.answers == all_answers()

        html = client.get(url("self-detail", assessment.pk)).content.decode()
        assert 'type="radio"' not in html
        assert html.count('class="nowrap">Usually</td>') == 40
        again = client.post(url("self-detail", assessment.pk), post_data(all_answers(2), "save"))
        assert again.status_code == 302
        assessment.refresh_from_db()
        assert assessment.answers == all_answers()


class TestBadAnswers:
    def test_submit_needs_every_item_and_writes_nothing(self, client, org):
        assessment = start(org.report)
        answers = all_answers()
        del answers["co-3"]
        client.force_login(org.report.user)
        response = client.post(url("self-detail", assessment.pk), post_data(answers, "submit"))
        assert response.status_code == 400
        assert response.context["form"].errors.keys() == {"co-3"}
        assert "Choose an answer for this statement." in response.content.decode()
        assessment.refresh_from_db()
        assert assessment.answers == {} and assessment.submitted_at is None

    @pytest.mark.parametrize("value", ["0", "6", "x", "3.5"])
    def test_a_value_off_the_scale_is_refused_next_to_its_item(self, client, org, value):
        assessment = start(org.report)
        client.force_login(org.report.user)
        response = client.post(
            url("self-detail", assessment.pk), {"sa-1": value, "sa-2": "3", "action": "save"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors.keys() == {"sa-1"}
        assessment.refresh_from_db()
        assert assessment.answers == {}

    def test_the_service_refuses_unknown_keys_and_values_and_writes_nothing(self, org):
        assessment = start(org.report)
        with pytest.raises(self_service.AnswersInvalid) as caught:
            self_service.self_assessment_save(
                assessment=assessment, answers={"nope": 3, "sa-1": 9, "sa-2": True, "sa-3": 3}
            )
        assert caught.value.problems.keys() == {"nope", "sa-1", "sa-2"}
        assessment.refresh_from_db()
        assert assessment.answers == {}


class TestResult:
    def test_it_shows_the_mean_per_competency_with_reverse_items_turned_round(self, client, org):
        answers = all_answers(4)
        answers["sa-5"] = 1  # reverse-keyed: "I become defensive…" rarely counts as 5
        assessment = submitted(org.report, answers)
        scores = {s.key: s.mean for s in self_service.competency_scores(assessment)}
        assert scores["self-awareness"] == pytest.approx((4 * 4 + 5) / 5)
        assert scores["inclusion"] == pytest.approx(4.0)

        client.force_login(org.report.user)
        html = client.get(url("self-result", assessment.pk)).content.decode()
        assert "4.2" in html
        assert "Take another self-assessment for Rising leaders" not in html

    def test_it_shows_the_change_between_before_and_after_on_one_enrollment(
        self, client, org, enrollment
    ):
        before = submitted(org.report, all_answers(2), enrollment)
        start(org.report, enrollment)  # a draft in between does not count
        after_answers = all_answers(2)
        for key in [k for k in item_keys() if k.startswith("co-")]:
            after_answers[key] = 4
        after = submitted(org.report, after_answers, enrollment)
        other = submitted(org.report, all_answers(5))  # not on the enrollment

        assert self_service.before_and_after(after) == (before, after)
        assert self_service.before_and_after(before) == (before, after)
        assert self_service.before_and_after(other) is None
        changes = {c.key: c for c in self_service.competency_changes(before, after)}
        # co-* has no reverse item: 2 -> 4. Self-awareness unchanged.
        assert changes["coaching-others"].change == pytest.approx(2.0)
        assert changes["coaching-others"].signed == "+2.0"
        assert changes["self-awareness"].signed == "0.0"

        client.force_login(org.report.user)
        html = client.get(url("self-result", after.pk)).content.decode()
        assert 'id="changes"' in html and "+2.0" in html

    def test_a_lone_assessment_on_an_enrollment_says_how_to_see_a_change(
        self, client, org, enrollment
    ):
        assessment = submitted(org.report, all_answers(), enrollment)
        client.force_login(org.report.user)
        html = client.get(url("self-result", assessment.pk)).content.decode()
        assert "Take another self-assessment for Rising leaders" in html

    def test_a_draft_result_goes_back_to_the_form(self, client, org):
        assessment = start(org.report)
        client.force_login(org.report.user)
        response = client.get(url("self-result", assessment.pk))
        assert response.url == url("self-detail", assessment.pk)


class TestAccess:
    def test_the_manager_chain_and_admins_read_submitted_results(self, client, org, program_admin):
        assessment = submitted(org.report, all_answers())
        for user in (org.manager.user, org.ceo.user, program_admin):
            client.force_login(user)
            for name in ("self-detail", "self-result"):
                assert client.get(url(name, assessment.pk)).status_code == 200, (user, name)
        reads = AuditLog.objects.filter(action="read", subject_person_id=org.report.pk)
        assert reads.count() == 6

    def test_the_manager_cannot_answer_for_their_report(self, client, org):
        assessment = submitted(org.report, all_answers())
        client.force_login(org.manager.user)
        response = client.post(url("self-detail", assessment.pk), post_data(all_answers(1), "save"))
        assert response.status_code == 403

    def test_a_draft_is_the_persons_alone(self, client, org, program_admin):
        assessment = start(org.report)
        for user in (org.manager.user, program_admin):
            client.force_login(user)
            assert client.get(url("self-detail", assessment.pk)).status_code == 404

    @pytest.mark.parametrize("who", ["outsider", "executive"])
    def test_anyone_else_gets_not_found(self, client, org, who):
        assessment = submitted(org.report, all_answers())
        client.force_login(getattr(org, who).user)
        for name in ("self-detail", "self-result"):
            assert client.get(url(name, assessment.pk)).status_code == 404
        response = client.post(url("self-detail", assessment.pk), post_data(all_answers(), "save"))
        assert response.status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, org):
        assessment = submitted(org.report, all_answers())
        for path in (
            url("self-list"),
            url("self-detail", assessment.pk),
            url("self-result", assessment.pk),
        ):
            response = client.get(path)
            assert response.status_code == 302 and "login" in response.url

    def test_my_list_shows_only_mine_in_few_queries(self, client, org, enrollment):
        for _ in range(3):
            submitted(org.report, all_answers(), enrollment)
        submitted(org.outsider, all_answers())
        client.force_login(org.report.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("self-list"))
        assert len(response.context["assessments"]) == 3
        assert len(queries) <= 12

    def test_a_login_without_a_person_gets_an_explanation(self, client, program_admin):
        client.force_login(program_admin)
        assert "not linked to a person" in client.get(url("self-list")).content.decode()
        assert client.post(url("self-list"), {}).status_code == 403


def test_the_navigation_offers_both_to_people_only(client, org, program_admin):
    client.force_login(org.report.user)
    html = client.get(reverse("home")).content.decode()
    assert url("self-list") in html and url("style-profile") in html
    client.force_login(program_admin)
    html = client.get(reverse("home")).content.decode()
    assert url("self-list") not in html
