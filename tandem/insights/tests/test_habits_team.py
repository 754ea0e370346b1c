"""A manager's team (tandem.insights.habits.team_of) on a hand-built case.

The case, over the 90 days to END: Max (org.manager) manages Rita, Paula and Quinn;
Nora left before END. With Rita he holds a weekly series from the period's first day
(so the next planned date after END is END + 2) and had an earlier one, ended, whose
open step must not count. Rita's active series: completed on END - 21 and END - 14, a
planned meeting on END + 9; open steps due END - 10 (overdue), END (due today: not
overdue) and END + 5, one done. Paula has no series; Quinn only an ended one. Max gave
Rita feedback twice in the period and once before it, gave Otto (not his report) some,
and Cora gave Rita some: only Max's two in the period to Rita count."""

import datetime

import pytest

from tandem.conversations.models import Meeting, MeetingStatus, NextStep, OneOnOneSeries
from tandem.insights import habits
from tandem.insights.tests.test_habits import END, PERIOD, START, give
from tandem.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def step(meeting, due, *, done_on=None):
    return NextStep.objects.create(
        meeting=meeting,
        title="Follow up",
        owner=meeting.series.report,
        due_date=due,
        done_on=done_on,
    )


@pytest.fixture
def team_case(org):
    paula = PersonFactory(first_name="Paula", last_name="Park", manager=org.manager)
    quinn = PersonFactory(first_name="Quinn", last_name="Quill", manager=org.manager)
    PersonFactory(first_name="Nora", last_name="Gone", manager=org.manager, exit_date=END - DAY)

    ended = OneOnOneSeries.objects.create(
        manager=org.manager, report=org.report, first_on=START - 200 * DAY, active=False
    )
    old = Meeting.objects.create(series=ended, on=START - 100 * DAY, status=MeetingStatus.COMPLETED)
    step(old, START - 90 * DAY)

    series = OneOnOneSeries.objects.create(
        manager=org.manager, report=org.report, first_on=START, cadence="weekly"
    )
    first = Meeting.objects.create(series=series, on=END - 21 * DAY, status="completed")
    step(first, END - 10 * DAY)
    step(first, END + 5 * DAY)
    second = Meeting.objects.create(series=series, on=END - 14 * DAY, status="completed")
    step(second, END - 12 * DAY, done_on=END - 13 * DAY)
    step(second, END)
    Meeting.objects.create(series=series, on=END + 9 * DAY, status=MeetingStatus.PLANNED)

    quinns = OneOnOneSeries.objects.create(
        manager=org.manager, report=quinn, first_on=START, active=False
    )
    Meeting.objects.create(series=quinns, on=START + 7 * DAY, status="completed")

    give(org.manager, org.report, START + 3 * DAY)
    give(org.manager, org.report, END)
    give(org.manager, org.report, START - DAY)
    give(org.manager, org.outsider, START + 4 * DAY)
    give(org.ceo, org.report, START + 5 * DAY)
    org.paula, org.quinn, org.series, org.quinns = paula, quinn, series, quinns
    return org


def rows(manager):
    return {member.name: member for member in habits.team_of(manager, PERIOD)}


def test_it_lists_the_active_direct_reports_by_name(team_case):
    names = [member.name for member in habits.team_of(team_case.manager, PERIOD)]
    assert names == ["Paula Park", "Quinn Quill", "Rita Report"]


def test_it_shows_the_active_series_its_last_and_next_1on1(team_case):
    rita = rows(team_case.manager)["Rita Report"]
    assert (rita.series_id, rita.cadence) == (team_case.series.pk, "weekly")
    assert rita.last_held == END - 14 * DAY
    assert rita.next_on == END + 2 * DAY


def test_it_counts_the_series_open_and_overdue_next_steps(team_case):
    rita = rows(team_case.manager)["Rita Report"]
    assert (rita.open_next_steps, rita.overdue_next_steps) == (3, 1)


def test_it_counts_only_the_feedback_the_manager_gave_the_report_in_the_period(team_case):
    team = rows(team_case.manager)
    assert team["Rita Report"].feedback_given == 2
    assert team["Paula Park"].feedback_given == 0


def test_a_report_without_a_series_has_none(team_case):
    paula = rows(team_case.manager)["Paula Park"]
    assert (paula.series, paula.series_id, paula.cadence) == (None, None, None)
    assert (paula.last_held, paula.next_on, paula.open_next_steps) == (None, None, 0)


def test_an_ended_series_shows_with_no_next_date(team_case):
    quinn = rows(team_case.manager)["Quinn Quill"]
    assert quinn.series_id == team_case.quinns.pk
    assert (quinn.last_held, quinn.next_on) == (START + 7 * DAY, None)


def test_nobody_reporting_to_someone_else_shows(team_case):
    ceo_team = [member.name for member in habits.team_of(team_case.ceo, PERIOD)]
    assert ceo_team == ["Max Manager", "Otto Outsider"]
    assert habits.team_of(team_case.report, PERIOD) == []


def test_it_takes_a_bounded_number_of_queries(team_case, django_assert_num_queries):
    # Reports, series, last meetings, next steps, feedback; then one per active series.
    with django_assert_num_queries(6):
        habits.team_of(team_case.manager, PERIOD)
    for _number in range(3):
        report = PersonFactory(manager=team_case.manager)
        OneOnOneSeries.objects.create(manager=team_case.manager, report=report, first_on=START)
    with django_assert_num_queries(9):
        habits.team_of(team_case.manager, PERIOD)
