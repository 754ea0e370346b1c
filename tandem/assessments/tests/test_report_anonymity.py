"""The anonymity proofs for the 360 report: a group with 2 responses is absent from the
page, the API and the PDF, and from every aggregate that would let it be subtracted back
out; its comments are absent; no route shows one rater's answers.

The review (report_data.anonymity_review): 4 peers scoring 4 on everything, 2 direct
reports scoring 1 on everything, the manager scoring 2 (not shown: the program does not
allow it), self 4. Had the direct reports been pooled, "all others" would be 3.00."""

import json

import pytest
from django.contrib import admin
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.assessments.models import Rating, Response
from tandem.assessments.report import build_report
from tandem.assessments.tests.pdf_tools import pdf_text, require_weasyprint
from tandem.assessments.tests.report_data import (
    HIDDEN_COMMENT,
    MANAGER_COMMENT,
    add_response,
    anonymity_review,
    answers,
    make_review,
)
from tandem.lib.anonymity import recoverable

pytestmark = pytest.mark.django_db

# Numbers only the hidden raters could produce: their mean (1.00), the manager's (2.00),
# "all others" with them pooled (3.00), the gap self minus that (1.00), their count.
FORBIDDEN = ("1.00", "2.00", "3.00", "n=2", "n=6", "n=7", "n=1", HIDDEN_COMMENT, MANAGER_COMMENT)


@pytest.fixture
def review(org):
    return anonymity_review(org.report)


def test_it_keeps_all_others_to_the_shown_groups_when_one_group_is_hidden(review):
    report = build_report(review)
    for competency in report.competencies:
        for result in (competency, *competency.items):
            peers, others = result.figure("peers"), result.figure("all_others")
            direct = result.figure("direct_reports")
            assert not direct.shown and direct.mean is None and direct.n == 0
            assert direct.reason == "not enough responses"
            # All others is exactly the peers: all others minus peers gives nothing.
            assert (others.mean, others.n) == (peers.mean, peers.n) == (4.0, 4)
            assert not result.figure("manager").shown
        assert competency.others_interval.n == 4
        for item in competency.items:
            assert sum(point.count for point in item.spread) == 4
            assert {p.point: p.count for p in item.spread}[1] == 0  # no direct report 1s


def test_it_drops_the_hidden_groups_comments(review):
    report = build_report(review)
    for competency in report.competencies:
        assert {g.group for g in competency.comments} <= {"peers"}
        texts = [text for g in competency.comments for text in g.comments]
        assert HIDDEN_COMMENT not in texts and MANAGER_COMMENT not in texts
    assert len(report.competencies[0].comments[0].comments) == 4


def test_the_page_shows_no_trace_of_the_hidden_group(client, org, review):
    client.force_login(org.report.user)
    page = client.get(reverse("assessments:review-report", args=[review.pk])).content.decode()
    assert "not enough responses" in page
    assert "4.00" in page
    for text in FORBIDDEN:
        assert text not in page, text


def test_the_api_shows_no_trace_of_the_hidden_group(org, review):
    response = token_client(org.report.user).get(f"/api/v1/reviews/{review.pk}/report")
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body)
    assert HIDDEN_COMMENT not in text and MANAGER_COMMENT not in text
    for competency in body["competencies"]:
        for result in (competency, *competency["items"]):
            by_group = {f["group"]: f for f in result["figures"]}
            assert by_group["direct_reports"] == {
                "group": "direct_reports",
                "shown": False,
                "reason": "not enough responses",
            }
            assert by_group["manager"]["shown"] is False and "mean" not in by_group["manager"]
            assert by_group["all_others"]["mean"] == by_group["peers"]["mean"] == 4.0
            assert by_group["all_others"]["n"] == 4
    assert 1.0 not in _numbers(body) and 3.0 not in _numbers(body) and 2.0 not in _numbers(body)


def _numbers(value):
    if isinstance(value, dict):
        return [n for key, v in value.items() if key != "scale" for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    if isinstance(value, float):
        return [value]
    return []


def test_the_pdf_shows_no_trace_of_the_hidden_group(client, org, review):
    require_weasyprint()
    client.force_login(org.report.user)
    response = client.get(reverse("assessments:review-report-pdf", args=[review.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "not enough responses" in text and "4.00" in text
    for forbidden in FORBIDDEN:
        assert forbidden not in text, forbidden


def test_no_route_shows_a_row_per_rater(client, org, program_admin, review):
    """A per-rater row would be a figure over one rater (n=1) of an anonymous group, or
    a rater's name next to scores. The report shows groups only, to admins too."""
    client.force_login(program_admin)
    page = client.get(reverse("assessments:review-report", args=[review.pk])).content.decode()
    body = token_client(program_admin).get(f"/api/v1/reviews/{review.pk}/report").json()
    assert "n=1" not in page
    for competency in body["competencies"]:
        for result in (competency, *competency["items"]):
            for figure in result["figures"]:
                assert figure["group"] == "self" or figure.get("n", 0) != 1
    for text in (page, json.dumps(body)):
        assert "Rater 1" not in text and "rater1-" not in text


def test_two_small_groups_show_only_pooled_together(org):
    """3 peers, 2 direct reports, 2 others: both small groups feed "all others", so
    only their sum is shown; neither can be worked out from the shown figures."""
    review = make_review(org.report)
    raters = []
    for group, count in (("peers", 3), ("direct_reports", 2), ("others", 2)):
        for _ in range(count):
            raters.append((group, add_response(review, group, answers(3, 3, 3, 3)).pk))
    report = build_report(review)
    for competency in report.competencies:
        for item in competency.items:
            shown = [
                [pk for group, pk in raters if group == figure.group]
                for figure in item.figures
                if figure.shown and figure.group != "all_others"
            ]
            assert item.figure("all_others").n == 7
            shown.append([pk for _, pk in raters])
            for hidden in ("direct_reports", "others"):
                assert not item.figure(hidden).shown
                target = [pk for group, pk in raters if group == hidden]
                assert not recoverable(target, shown)


def test_the_admin_has_no_response_model():
    assert Response not in admin.site._registry
    assert Rating not in admin.site._registry
