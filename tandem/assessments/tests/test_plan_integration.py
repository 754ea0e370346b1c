"""The assessments feed the development cycle: the assess step's gate, the plan page's
suggested goal areas and strengths, the shift since the previous 360, the
self-assessment before and after, the measure step's follow-up 360, the same on the
API, and who sees which part."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.assessments import self_service, services
from tandem.assessments.models import Review, ReviewStatus, SelfAssessment
from tandem.assessments.report import build_report
from tandem.assessments.tests.plan_data import (
    ACCOUNTABILITY,
    COACHING,
    DECIDING,
    INCLUSION,
    OTHERS,
    closed_review,
    competency_model,
    johari_review,
)
from tandem.programs import services as programs_services
from tandem.programs.models import Competency, PlanCycle, Stage
from tandem.tests.factories import (
    PersonFactory,
    enroll,
    make_user_for,
    running_program,
    self_assessed,
)

pytestmark = pytest.mark.django_db

READING_360 = "360 report (plan page)"


@pytest.fixture(autouse=True)
def built_in_data(db):
    """The instruments and the competency model: loaded by migrations, but a
    transactional test elsewhere may have flushed them."""
    competency_model()


@pytest.fixture
def plan(org):
    return enroll(running_program(name="Rising leaders"), org.report)


@pytest.fixture
def pat(org):
    """Someone whose manager is an executive viewer: the executive may see Pat's plan
    (the management chain) but never a 360 report (aggregates only)."""
    person = PersonFactory(first_name="Pat", last_name="Partner", manager=org.executive)
    make_user_for(person)
    return person


def at_stage(plan, stage):
    PlanCycle.objects.filter(plan=plan, closed_on__isnull=True).update(stage=stage)
    return plan.current_cycle()


def plan_page(client, user, plan):
    client.force_login(user)
    response = client.get(reverse("programs:plan-detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def competency(name):
    return Competency.objects.get(name=name)


def goal_link(plan, name):
    new_goal = reverse("programs:goal-create", args=[plan.pk])
    return f'href="{new_goal}?competency={competency(name).pk}"'


def section(page, element_id):
    """The HTML of the element with `element_id` up to the next card (good enough to
    check what sits inside it)."""
    start = page.index(f'id="{element_id}"')
    end = page.find('<section class="card', start)
    return page[start : end if end != -1 else len(page)]


def reads_of_360(user):
    return AuditLog.objects.filter(actor=user, summary__startswith="360 report (plan")


# The assess step's gate -------------------------------------------------------------------

GATE = (
    "Submit a self-assessment (or finish a 360 review) first, so the goals build on what "
    "the assessment shows."
)


class TestTheAssessGate:
    def test_it_refuses_to_leave_assess_without_results_and_says_why(self, client, org, plan):
        client.force_login(org.report.user)
        response = client.post(reverse("programs:plan-advance", args=[plan.pk]))
        assert response.status_code == 400
        assert escape(GATE) in response.content.decode()
        assert plan.current_cycle().stage == Stage.ASSESS

    def test_it_lists_the_gate_before_moving_on(self, client, org, plan):
        page = plan_page(client, org.report.user, plan)
        assert "Before moving on to Set goals:" in page and escape(GATE) in page

    def test_a_draft_self_assessment_is_not_enough(self, org, plan):
        self_service.self_assessment_start(person=org.report, enrollment=plan.enrollment)
        with pytest.raises(programs_services.Refused) as refused:
            programs_services.plan_advance(plan=plan, advanced_by=org.report.user)
        assert refused.value.messages == [GATE]

    def test_a_submitted_self_assessment_opens_it(self, org, plan):
        self_assessed(org.report)
        cycle = programs_services.plan_advance(plan=plan, advanced_by=org.report.user)
        assert cycle.stage == Stage.SET_GOALS

    def test_a_closed_360_opens_it(self, org, plan):
        closed_review(org.report, self_levels=None)
        cycle = programs_services.plan_advance(plan=plan, advanced_by=org.manager.user)
        assert cycle.stage == Stage.SET_GOALS

    def test_a_360_still_open_is_not_enough(self, org, plan):
        Review.objects.filter(pk=closed_review(org.report, self_levels=None).pk).update(
            status=ReviewStatus.OPEN
        )
        with pytest.raises(programs_services.Refused):
            programs_services.plan_advance(plan=plan, advanced_by=org.report.user)

    def test_someone_elses_results_do_not_count(self, org, plan):
        self_assessed(org.manager)
        closed_review(org.outsider)
        with pytest.raises(programs_services.Refused):
            programs_services.plan_advance(plan=plan, advanced_by=org.report.user)

    def test_it_asks_the_person_to_take_the_self_assessment_for_this_program(
        self, client, org, plan
    ):
        page = plan_page(client, org.report.user, plan)
        ask = section(page, "assessment")
        assert "Take the self-assessment" in ask
        assert f'action="{reverse("assessments:self-list")}"' in ask
        assert f'name="enrollment" value="{plan.enrollment_id}"' in ask

    def test_starting_it_from_the_plan_ties_it_to_the_enrollment(self, client, org, plan):
        client.force_login(org.report.user)
        response = client.post(reverse("assessments:self-list"), {"enrollment": plan.enrollment_id})
        assessment = SelfAssessment.objects.get(person=org.report)
        assert response["Location"] == reverse("assessments:self-detail", args=[assessment.pk])
        assert assessment.enrollment_id == plan.enrollment_id
        page = plan_page(client, org.report.user, plan)
        assert "Continue your self-assessment" in page

    def test_a_manager_is_not_asked_to_take_it(self, client, org, plan):
        page = plan_page(client, org.manager.user, plan)
        assert "Take the self-assessment" not in page


# Suggested goal areas and strengths ------------------------------------------------------


class TestSuggestions:
    def test_it_suggests_blind_spots_and_agreed_development_areas_as_goal_areas(
        self, client, org, plan
    ):
        review = johari_review(org.report)
        at_stage(plan, Stage.SET_GOALS)
        page = plan_page(client, org.report.user, plan)
        panel = section(page, "assessment")
        suggested = panel[panel.index("Suggested goal areas") : panel.index("Strengths to")]
        assert "Coaching others" in suggested and "Blind spot" in suggested
        assert "Decision-making" in suggested and "Agreed development area" in suggested
        assert "Inclusion" not in suggested and "Accountability" not in suggested
        assert "Strategic thinking" not in suggested  # consistent: neither
        assert suggested.index("Coaching others") < suggested.index("Decision-making")
        assert goal_link(plan, "Coaching others") in suggested
        assert goal_link(plan, "Decision-making") in suggested
        assert reverse("assessments:review-report", args=[review.pk]) in panel

    def test_it_shows_hidden_and_agreed_strengths_to_build_on(self, client, org, plan):
        johari_review(org.report)
        page = plan_page(client, org.report.user, plan)
        panel = section(page, "assessment")
        strengths = panel[panel.index("Strengths to build on") :]
        assert "Inclusion" in strengths and "Hidden strength" in strengths
        assert "Accountability" in strengths and "Agreed strength" in strengths
        assert "Coaching others" not in strengths and "Strategic thinking" not in strengths
        assert "?competency=" not in strengths  # strengths are not goal links

    def test_while_assessing_the_suggestions_wait_for_the_set_goals_step(self, client, org, plan):
        johari_review(org.report)
        page = plan_page(client, org.report.user, plan)
        panel = section(page, "assessment")
        assert "Coaching others" in panel
        assert "?competency=" not in panel
        assert "Goals come after the assessment" in panel

    def test_it_uses_the_latest_closed_review(self, client, org, plan):
        closed_review(org.report, closed_days_ago=200)  # coaching others a blind spot then
        later = closed_review(  # coaching others an agreed strength now (self 5, others 4)
            org.report, others={**OTHERS, COACHING: 4}, closed_days_ago=3
        )
        Review.objects.create(  # under way: no results yet
            subject=org.report,
            instrument=later.instrument,
            status=ReviewStatus.OPEN,
            closes_on=timezone.localdate() + datetime.timedelta(days=9),
            created_by=org.manager.user,
        )
        at_stage(plan, Stage.SET_GOALS)
        panel = section(plan_page(client, org.report.user, plan), "assessment")
        assert reverse("assessments:review-report", args=[later.pk]) in panel
        suggested = panel[panel.index("Suggested goal areas") : panel.index("Strengths to")]
        assert "Coaching others" not in suggested

    def test_without_a_360_it_says_what_comes(self, client, org, plan):
        self_assessed(org.report)
        panel = section(plan_page(client, org.report.user, plan), "assessment")
        assert "No assessment results to show here yet" in panel
        assert "Suggested goal areas" not in panel

    def test_the_goal_form_starts_with_the_suggested_competency(self, client, org, plan):
        johari_review(org.report)
        at_stage(plan, Stage.SET_GOALS)
        client.force_login(org.report.user)
        coaching = competency("Coaching others")
        response = client.get(
            reverse("programs:goal-create", args=[plan.pk]), {"competency": coaching.pk}
        )
        assert response.status_code == 200
        assert re.search(rf'<option value="{coaching.pk}" selected>', response.content.decode())

    @pytest.mark.parametrize("value", ["abc", "999999", "-1", "9" * 40])
    def test_the_goal_form_ignores_a_competency_it_cannot_use(self, client, org, plan, value):
        at_stage(plan, Stage.SET_GOALS)
        client.force_login(org.report.user)
        new_goal = reverse("programs:goal-create", args=[plan.pk])
        response = client.get(new_goal, {"competency": value})
        assert response.status_code == 200
        select = response.content.decode().split('name="competency"')[1].split("</select>")[0]
        assert "selected" not in select.replace('<option value="" selected>', "")


# Who sees what ---------------------------------------------------------------------------


class TestConfidentiality:
    @pytest.mark.parametrize("who", ["report", "manager", "ceo"])
    def test_the_person_and_their_management_chain_see_the_360_part(self, client, org, plan, who):
        johari_review(org.report)
        user = getattr(org, who).user
        page = plan_page(client, user, plan)
        assert "Suggested goal areas" in page and "Blind spot" in page

    def test_a_program_admin_sees_the_360_part(self, client, program_admin, org, plan):
        johari_review(org.report)
        assert "Suggested goal areas" in plan_page(client, program_admin, plan)

    def test_each_read_of_the_360_is_audited(self, client, org, plan):
        review = johari_review(org.report)
        plan_page(client, org.manager.user, plan)
        [read] = reads_of_360(org.manager.user)
        assert read.summary == READING_360
        assert (read.target_id, read.subject_person_id) == (str(review.pk), org.report.pk)
        assert read.ip == "127.0.0.1"

    def test_someone_who_may_see_the_plan_but_not_the_report_sees_no_360_part(
        self, client, org, pat
    ):
        pats_plan = enroll(running_program(), pat)
        review = johari_review(pat)
        at_stage(pats_plan, Stage.SET_GOALS)
        page = plan_page(client, org.executive.user, pats_plan)  # the plan: yes
        panel = section(page, "assessment")
        for shown in ("Suggested goal areas", "Strengths to build on", "Blind spot", "360 closed"):
            assert shown not in panel
        assert "?competency=" not in page
        assert reverse("assessments:review-report", args=[review.pk]) not in page
        assert not reads_of_360(org.executive.user).exists()
        # The self-view follows the self-service rules, which let the management chain read it.
        assert "Self-assessment of" in section(page, "self-view")

    def test_an_outsider_sees_no_plan_at_all(self, client, org, plan):
        johari_review(org.report)
        client.force_login(org.outsider.user)
        assert client.get(reverse("programs:plan-detail", args=[plan.pk])).status_code == 404
        assert not reads_of_360(org.outsider.user).exists()

    def test_a_managers_read_of_the_self_view_is_audited_and_the_persons_own_is_not(
        self, client, org, plan
    ):
        assessment = self_assessed(org.report)
        plan_page(client, org.report.user, plan)
        assert not AuditLog.objects.filter(actor=org.report.user, action="read").exists()
        page = plan_page(client, org.manager.user, plan)
        assert "Self-assessment of" in section(page, "self-view")
        assert AuditLog.objects.filter(
            actor=org.manager.user, action="read", target_id=str(assessment.pk)
        ).exists()

    def test_a_draft_never_shows_to_anyone_else(self, client, org, plan):
        self_service.self_assessment_start(person=org.report)
        page = plan_page(client, org.manager.user, plan)
        assert "No submitted self-assessment yet" in section(page, "self-view")
        assert "Continue your self-assessment" not in page


# The measure step ------------------------------------------------------------------------


def next_month():
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


class TestMeasure:
    def test_it_offers_a_follow_up_360_compared_with_the_previous_one(self, client, org, plan):
        johari_review(org.report)
        at_stage(plan, Stage.MEASURE)
        panel = section(plan_page(client, org.manager.user, plan), "assessment")
        assert "Re-run the 360" in panel and "Start the follow-up 360" in panel
        assert f'action="{reverse("assessments:plan-follow-up", args=[plan.pk])}"' in panel

    def test_no_follow_up_before_the_measure_step(self, client, org, plan):
        johari_review(org.report)
        at_stage(plan, Stage.APPLY)
        assert "Start the follow-up 360" not in plan_page(client, org.manager.user, plan)

    def test_starting_it_links_the_previous_review_and_the_plans_enrollment(
        self, client, org, plan
    ):
        previous = johari_review(org.report)
        at_stage(plan, Stage.MEASURE)
        client.force_login(org.manager.user)
        response = client.post(
            reverse("assessments:plan-follow-up", args=[plan.pk]),
            {"follow-up-closes_on": next_month()},
        )
        follow_up = Review.objects.exclude(pk=previous.pk).get()
        assert response["Location"] == reverse("assessments:review-detail", args=[follow_up.pk])
        assert follow_up.previous_id == previous.pk
        assert follow_up.enrollment_id == plan.enrollment_id
        assert follow_up.instrument.key == previous.instrument.key
        panel = section(plan_page(client, org.manager.user, plan), "assessment")
        assert "A 360 is under way" in panel and "Start the follow-up 360" not in panel

    def test_it_refuses_a_closing_date_in_the_past_and_writes_nothing(self, client, org, plan):
        johari_review(org.report)
        at_stage(plan, Stage.MEASURE)
        client.force_login(org.report.user)
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        response = client.post(
            reverse("assessments:plan-follow-up", args=[plan.pk]),
            {"follow-up-closes_on": yesterday},
        )
        assert response.status_code == 400
        assert "Choose a closing date after today." in response.content.decode()
        assert Review.objects.count() == 1

    def test_it_refuses_a_second_one_under_way(self, client, org, plan):
        johari_review(org.report)
        services.review_start(
            subject=org.report,
            closes_on=timezone.localdate() + datetime.timedelta(days=9),
            started_by=org.manager.user,
        )
        client.force_login(org.manager.user)
        response = client.post(
            reverse("assessments:plan-follow-up", args=[plan.pk]),
            {"follow-up-closes_on": next_month()},
        )
        assert response.status_code == 400
        assert "already has a 360 under way" in response.content.decode()
        assert Review.objects.count() == 2

    def test_an_outsider_cannot_start_one(self, client, org, plan):
        johari_review(org.report)
        client.force_login(org.outsider.user)
        url = reverse("assessments:plan-follow-up", args=[plan.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"follow-up-closes_on": next_month()}).status_code == 404
        assert Review.objects.count() == 1

    def test_once_the_follow_up_closes_the_plan_shows_the_shift(self, client, org, plan):
        first = johari_review(org.report, closed_days_ago=200)
        second = closed_review(org.report, others={**OTHERS, COACHING: 3}, previous=first)
        at_stage(plan, Stage.MEASURE)
        panel = section(plan_page(client, org.report.user, plan), "assessment")
        assert "Shift since the previous 360" in panel
        coaching = next(c for c in build_report(second).competencies if c.key == COACHING)
        assert coaching.change is not None and coaching.change.value == pytest.approx(1.0)
        assert escape(coaching.change_text) in panel
        assert escape(coaching.direct_reports_change_text) in panel
        assert coaching.change_text.startswith("+1.00")

    def test_without_a_previous_review_there_is_no_shift(self, client, org, plan):
        johari_review(org.report)
        panel = section(plan_page(client, org.report.user, plan), "assessment")
        assert "Shift since the previous 360" not in panel

    def test_it_shows_the_self_assessment_before_and_after_in_the_program(self, client, org, plan):
        before = self_assessed(org.report, enrollment=plan.enrollment, rating=3)
        after = self_assessed(org.report, enrollment=plan.enrollment, rating=4)
        SelfAssessment.objects.filter(pk=before.pk).update(
            submitted_at=after.submitted_at - datetime.timedelta(days=90)
        )
        self_assessed(org.report, rating=1)  # not in this program: not part of the change
        panel = section(plan_page(client, org.manager.user, plan), "assessment")
        assert "Self-assessment before and after" in panel
        changes = self_service.competency_changes(before, after)
        assert len(changes) == 8 and "+1.0" in {c.signed for c in changes}  # items 3 -> 4
        for change in changes:
            assert f'<th scope="row">{escape(change.name)}</th>' in panel
            assert f'<td class="num">{change.signed}</td>' in panel


# The API ---------------------------------------------------------------------------------


def summary_url(plan):
    return f"/api/v1/plans/{plan.pk}/assessment-summary"


class TestTheApi:
    def test_it_returns_the_same_suggestions_as_the_page(self, org, plan):
        review = johari_review(org.report)
        self_assessed(org.report, enrollment=plan.enrollment)
        response = token_client(org.report.user).get(summary_url(plan))
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["plan_id"], body["person_id"]) == (plan.pk, org.report.pk)
        assert body["review"]["review_id"] == review.pk
        suggested = [(a["key"], a["johari"]) for a in body["review"]["suggested_goal_areas"]]
        assert suggested == [(COACHING, "blind_spot"), (DECIDING, "agreed_development")]
        coaching = body["review"]["suggested_goal_areas"][0]
        assert coaching["competency_id"] == competency("Coaching others").pk
        assert (coaching["self_score"], coaching["others_mean"], coaching["gap"]) == (5, 2, 3)
        strengths = [(a["key"], a["johari"]) for a in body["review"]["strengths"]]
        assert strengths == [(INCLUSION, "hidden_strength"), (ACCOUNTABILITY, "agreed_strength")]
        assert body["review"]["shifts"] == []
        assert body["self_assessment"]["competencies"][0]["mean"] == 3.0
        assert body["self_assessment_change"] is None
        assert body["style_profile"] is None
        [read] = AuditLog.objects.filter(actor=org.report.user, summary__startswith="360 report")
        assert read.summary == "360 report (plan api)"

    def test_it_reports_the_shift_with_its_interval(self, org, plan):
        first = johari_review(org.report, closed_days_ago=200)
        closed_review(org.report, others={**OTHERS, COACHING: 3}, previous=first)
        body = token_client(org.manager.user).get(summary_url(plan)).json()
        assert body["review"]["previous_review_id"] == first.pk
        shift = next(s for s in body["review"]["shifts"] if s["key"] == COACHING)
        assert shift["all_others"]["enough"] is True
        assert shift["all_others"]["value"] == 1.0
        assert shift["all_others"]["low"] < 1.0 < shift["all_others"]["high"]
        assert shift["direct_reports"]["value"] == 1.0

    def test_it_leaves_the_360_out_for_someone_who_may_not_read_the_report(self, org, pat):
        pats_plan = enroll(running_program(), pat)
        johari_review(pat)
        response = token_client(org.executive.user).get(summary_url(pats_plan))
        assert response.status_code == 200
        assert response.json()["review"] is None
        assert not AuditLog.objects.filter(summary__startswith="360 report").exists()

    @pytest.mark.parametrize("who", ["outsider", "executive"])
    def test_a_plan_the_caller_may_not_see_is_not_found(self, org, plan, who):
        johari_review(org.report)
        response = token_client(getattr(org, who).user).get(summary_url(plan))
        assert response.status_code == 404
        assert "detail" in response.json()

    def test_it_needs_credentials(self, client, plan):
        assert client.get(summary_url(plan)).status_code == 401

    def test_it_is_in_the_openapi_document(self, client):
        document = client.get("/api/v1/openapi.json").json()
        operation = document["paths"]["/api/v1/plans/{plan_id}/assessment-summary"]["get"]
        assert operation["operationId"] == "get_plan_assessment_summary"
        assert "404" in operation["responses"]


# The layers ------------------------------------------------------------------------------


def test_programs_reaches_the_assessments_only_through_its_extension_points():
    """DESIGN.md: programs sits below assessments and never imports it."""
    programs = Path(__file__).resolve().parents[2] / "programs"
    offenders = [
        str(path.relative_to(programs))
        for path in programs.rglob("*.py")
        if "tests" not in path.parts and "tandem.assessments" in path.read_text()
    ]
    assert offenders == []
