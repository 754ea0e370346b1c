"""The 360 report's numbers, worked out by hand on a small review (report_data.py).

Scores: i2 is reverse-keyed (score = 6 - rating). Per item, by group:
    i1  self 5, manager 5, peers 4,5,3 -> 4.0, direct reports 2,3,4 -> 3.0, all 3.5
    i2  self 5, manager 5, peers 4,5,3 -> 4.0, direct reports 2,3,4 -> 3.0, all 3.5
    j1  self 3, manager 4, peers 5,4,3 -> 4.0, direct reports 2,1,3 -> 2.0, all 3.0
    j2  self 2, manager 4, peers 3,4 (one "not observed": 2 answers, hidden),
        direct reports 2,1,3 -> 2.0 shown; all others would be the direct reports
        alone (3 < 4): not shown.
Competencies (means of the shown item means, never pooled raw answers):
    listening  self 5, manager 5, peers 4.0, direct reports 3.0, all 3.5, gap 1.5
    deciding   self 2.5, manager 4, peers 4.0 (j1 only; pooling would give 3.8),
               direct reports 2.0, all 3.0 (j1 only), gap -0.5
"""

import math

import pytest

from tandem.assessments.models import ReviewStatus
from tandem.assessments.report import ReportNotReady, build_report
from tandem.assessments.tests.report_data import (
    add_response,
    add_self,
    answers,
    hand_worked_review,
    make_review,
)
from tandem.lib.stats import mean_change_ci, t_critical

pytestmark = pytest.mark.django_db


def figures(result):
    return {f.group: (f.mean, f.n) if f.shown else f.reason for f in result.figures}


@pytest.fixture
def report(org):
    return build_report(hand_worked_review(org.report))


def item(report, key):
    return next(i for c in report.competencies for i in c.items if i.key == key)


def test_it_computes_item_figures_per_group_with_reverse_keying(report):
    assert figures(item(report, "i1")) == {
        "self": (5.0, 1),
        "manager": (5.0, 1),
        "peers": (4.0, 3),
        "direct_reports": (3.0, 3),
        "all_others": (3.5, 6),
    }
    assert item(report, "i2").mean("peers") == 4.0  # ratings 2, 1, 3 reversed


def test_it_plans_each_item_from_its_own_answer_counts(report):
    j2 = figures(item(report, "j2"))
    assert j2["peers"] == "not enough responses"  # 3 peers, but one did not observe j2
    assert j2["direct_reports"] == (2.0, 3)
    assert j2["all_others"] == "not enough responses"  # direct reports alone: 3 < 4


def test_it_builds_competencies_from_shown_item_means_only(report):
    listening, deciding = report.competencies
    assert figures(listening) == {
        "self": (5.0, 1),
        "manager": (5.0, 1),
        "peers": (4.0, 3),
        "direct_reports": (3.0, 3),
        "all_others": (3.5, 6),
    }
    assert deciding.mean("peers") == 4.0  # j1 only, not (5+4+3+3+4)/5 = 3.8
    assert deciding.mean("direct_reports") == 2.0
    assert deciding.mean("all_others") == 3.0
    assert deciding.self_score == 2.5
    assert listening.gap == 1.5 and deciding.gap == -0.5


def test_it_classifies_the_johari_view_with_a_third_of_the_range(report):
    view = {q.key: [i.key for i in q.items] for q in report.johari}
    assert view["blind_spot"] == ["i1", "i2"]  # gap 1.5 >= 4/3
    assert view["consistent"] == ["j1"]  # gap 0, others 3.0
    assert view["not_enough_data"] == ["j2"]
    assert [c.quadrant for c in report.competencies] == ["blind_spot", "consistent"]


def test_it_takes_much_as_configured(org):
    report = build_report(hand_worked_review(org.report), much=2.0)
    assert report.competencies[0].quadrant == "consistent"  # gap 1.5 < 2, others 3.5


def test_it_ranks_top_and_bottom_behaviours_by_others_mean(report):
    assert [i.key for i in report.top] == ["i1", "i2", "j1"]
    assert [i.key for i in report.bottom] == ["j1", "i1", "i2"]


def test_it_counts_the_spread_only_where_all_others_shows(report):
    spread = {p.point: p.count for p in item(report, "i1").spread}
    assert spread == {1: 0, 2: 1, 3: 2, 4: 2, 5: 1}
    assert item(report, "j2").spread is None


def test_it_gives_all_others_an_interval_over_raters_competency_scores(report):
    interval = report.competencies[0].others_interval
    # Raters' listening scores: peers 4, 5, 3; direct reports 2, 3, 4 -> mean 3.5,
    # sample variance 5.5 / 5 = 1.1.
    half = t_critical(0.95, 5) * math.sqrt(1.1 / 6)
    assert interval.n == 6 and interval.value == pytest.approx(3.5)
    assert interval.low == pytest.approx(3.5 - half) and interval.high == pytest.approx(3.5 + half)


def test_it_shows_comments_under_shown_groups_only(report):
    listening = report.competencies[0]
    assert {g.group: g.comments for g in listening.comments} == {
        "manager": ("Manager view.",),
        "peers": ("Listens well.",),
        "direct_reports": ("Interrupts.",),
    }


def test_it_compares_with_the_previous_review(org):
    before = make_review(org.report)
    for ratings in ((3, 3, 3, 3), (4, 2, 2, 2), (2, 4, 3, 3)):
        add_response(before, "peers", answers(*ratings))
    for ratings in ((2, 4, 2, 2), (2, 4, 1, 1), (3, 3, 2, 2)):
        add_response(before, "direct_reports", answers(*ratings))
    add_self(before, answers(5, 1, 3, 2))
    report = build_report(hand_worked_review(org.report, previous=before))
    listening = report.competencies[0]
    # Raters' listening scores before: peers 3, 4, 2; direct reports 2, 2, 3.
    expected = mean_change_ci([3, 4, 2, 2, 2, 3], [4, 5, 3, 2, 3, 4], paired=False)
    assert listening.change == expected
    assert listening.direct_reports_change == mean_change_ci([2, 2, 3], [2, 3, 4], paired=False)
    assert report.previous == before


def test_it_leaves_out_the_direct_report_change_when_they_were_hidden_before(org):
    before = make_review(org.report)
    for _ in range(4):
        add_response(before, "peers", answers(3, 3, 3, 3))
    for _ in range(2):
        add_response(before, "direct_reports", answers(1, 5, 1, 1))
    report = build_report(hand_worked_review(org.report, previous=before))
    assert report.competencies[0].direct_reports_change is None
    assert report.competencies[0].change.sizes == (4, 6)  # peers only before


def test_it_has_no_report_before_the_review_closes(org):
    review = make_review(org.report, status=ReviewStatus.OPEN)
    with pytest.raises(ReportNotReady):
        build_report(review)
