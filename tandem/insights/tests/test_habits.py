"""The habit figures (tandem.insights.habits), each on a hand-computed case, and the
cascade of coached managers against the others.

The case: org.manager holds a fortnightly series with Rita (org.report, their only
direct report) from the period's first day; over the 90-day period that plans days
0, 14, ..., 84: 7 dates. Four meetings completed in the period (three with a next
step, one written without), one still planned, one completed before the period; an
inactive series with the outsider plans nothing."""

import datetime

import pytest

from tandem.coaching.models import Engagement, EngagementStatus
from tandem.coaching.tests.factories import CoachFactory
from tandem.conversations.models import (
    Feedback,
    Meeting,
    MeetingStatus,
    NextStep,
    OneOnOneSeries,
)
from tandem.insights import habits, pulse_items
from tandem.insights.models import Pulse, PulseResponse, PulseStatus
from tandem.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 6, 30)
PERIOD = habits.Period.last(90, end=END)
START = PERIOD.start


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def meeting(series, day, *, status=MeetingStatus.COMPLETED, steps=1):
    found = Meeting.objects.create(series=series, on=day, status=status)
    for number in range(steps):
        NextStep.objects.create(
            meeting=found, title=f"Step {number}", owner=series.report, due_date=day
        )
    return found


def give(giver, recipient, day, **kwargs):
    return Feedback.objects.create(
        giver=giver,
        recipient=recipient,
        kind="positive",
        text="Thanks",
        created_at=_at(day),
        **kwargs,
    )


@pytest.fixture
def case(org):
    series = OneOnOneSeries.objects.create(manager=org.manager, report=org.report, first_on=START)
    OneOnOneSeries.objects.create(
        manager=org.manager, report=org.outsider, first_on=START, active=False
    )
    for offset in (0, 14, 28):
        meeting(series, START + datetime.timedelta(days=offset))
    meeting(series, START + datetime.timedelta(days=42), steps=0)
    meeting(series, START + datetime.timedelta(days=56), status=MeetingStatus.PLANNED, steps=0)
    meeting(series, START - datetime.timedelta(days=14))
    for offset in (1, 20, 60):
        give(org.manager, org.report, START + datetime.timedelta(days=offset))
    give(org.manager, org.report, START - datetime.timedelta(days=1))
    give(org.manager, org.outsider, START + datetime.timedelta(days=2))
    give(org.report, org.manager, START + datetime.timedelta(days=3))
    return org


def test_it_counts_the_period_in_days_and_months():
    assert (PERIOD.start, PERIOD.days) == (datetime.date(2026, 4, 2), 90)
    assert PERIOD.months == pytest.approx(90 / 30.4375)


def test_it_counts_held_against_planned_1on1s(case):
    figures = habits.habits_of([case.manager.pk], PERIOD)[case.manager.pk]
    assert (figures.held, figures.planned) == (4, 7)
    assert figures.held_share == pytest.approx(4 / 7)


def test_it_counts_1on1s_with_next_steps_against_planned(case):
    figures = habits.habits_of([case.manager.pk], PERIOD)[case.manager.pk]
    assert figures.with_next_steps == 3
    assert figures.next_steps_share == pytest.approx(3 / 7)


def test_it_counts_feedback_per_direct_report_per_month(case):
    figures = habits.habits_of([case.manager.pk], PERIOD)[case.manager.pk]
    assert (figures.feedback_given, figures.reports) == (3, 1)
    assert figures.feedback_per_report_month == pytest.approx(3 / 1 / (90 / 30.4375))


def test_it_gives_no_shares_without_plans_or_reports(org):
    figures = habits.habits_of([org.report.pk], PERIOD)[org.report.pk]
    assert (figures.planned, figures.held_share, figures.next_steps_share) == (0, None, None)
    assert figures.feedback_per_report_month is None


def _pulse(name="Pulse 1", closes_on=END):
    return Pulse.objects.create(
        name=name,
        opens_on=closes_on - datetime.timedelta(days=14),
        closes_on=closes_on,
        status=PulseStatus.CLOSED,
    )


def _responses(pulse, lead, answers, *, own=True, index=60.0):
    PulseResponse.objects.bulk_create(
        PulseResponse(
            pulse=pulse,
            team_lead=lead,
            level="emerging",
            answers=answer,
            index=index,
            enps=8,
            own_team_cell=own,
        )
        for answer in answers
    )


def test_it_shows_the_teams_habit_answers_as_share_agreeing(org):
    pulse = _pulse()
    questions = [5, 4, 4, 3, 2, 5]
    feedback = [4, 4, 1, 2]  # only four answered it: not enough
    rows = [{"manager_questions": q} for q in questions]
    for row, value in zip(rows, feedback, strict=False):
        row["feedback_fortnightly"] = value
    _responses(pulse, org.manager, rows)
    items = {item.key: item for item in habits.manager_habits(org.manager, PERIOD).items}
    assert set(items) == {item.key for item in pulse_items.habit_items()}
    agreeing = items["manager_questions"].agreeing
    assert (agreeing.enough, agreeing.n, agreeing.value) == (True, 6, pytest.approx(4 / 6))
    assert agreeing.low < 4 / 6 < agreeing.high
    assert not items["feedback_fortnightly"].agreeing.enough


def test_it_reads_the_latest_closed_pulse_only(org):
    _responses(
        _pulse("Old", END - datetime.timedelta(days=100)),
        org.manager,
        [{"manager_questions": 5}] * 5,
    )
    latest = _pulse("Latest")
    Pulse.objects.create(
        name="Open",
        opens_on=END,
        closes_on=END + datetime.timedelta(days=7),
        status=PulseStatus.OPEN,
    )
    figures = habits.manager_habits(org.manager, PERIOD)
    assert figures.pulse == latest
    assert not any(item.agreeing.enough for item in figures.items)


def test_it_shows_nothing_when_the_team_is_not_whole_cells(org):
    pulse = _pulse()
    _responses(pulse, org.manager, [{"manager_questions": 5}] * 5)
    _responses(pulse, org.manager, [{"manager_questions": 5}], own=False)
    assert not any(item.agreeing.enough for item in habits.team_habit_items(pulse, org.manager.pk))


def test_it_shows_nothing_under_five_answers(org):
    pulse = _pulse()
    _responses(pulse, org.manager, [{"manager_questions": 5}] * 4)
    assert not any(item.agreeing.enough for item in habits.team_habit_items(pulse, org.manager.pk))


def test_the_habit_items_are_asked_but_not_in_the_index():
    keys = [item.key for item in pulse_items.index_items()]
    habit_keys = [item.key for item in pulse_items.habit_items()]
    assert len(keys) == 5 and not set(keys) & set(habit_keys)
    assert [item.key for item in pulse_items.asked_items()] == keys + habit_keys
    answers = dict.fromkeys(keys, 3) | dict.fromkeys(habit_keys, 5)
    assert pulse_items.respondent_index(answers) == 50.0


# The cascade -----------------------------------------------------------------------


@pytest.fixture
def cascade_org(org):
    """Three coached managers whose teams score 80 and three others whose teams score
    60, each team of 5 in its own cells, in two closed pulses; the coached hold every
    planned 1:1, the others half (over the period, one series each)."""
    coach = CoachFactory()
    coached, others = [], []
    for number in range(6):
        lead = PersonFactory(level="mid", manager=org.ceo)
        team = PersonFactory.create_batch(5, level="emerging", manager=lead)
        series = OneOnOneSeries.objects.create(
            manager=lead, report=team[0], first_on=START, cadence="monthly"
        )
        # Monthly from day 0 over 90 days: days 0, 28, 56, 84, so 4 planned.
        held = 4 if number < 3 else 2
        for offset in range(held):
            meeting(series, START + datetime.timedelta(days=28 * offset))
        for member in team[: 1 + number % 3]:
            give(lead, member, START + datetime.timedelta(days=5))
        if number < 3:
            Engagement.objects.create(coach=coach, coachee=lead, status=EngagementStatus.ACTIVE)
            coached.append(lead)
        else:
            others.append(lead)
    for name, closes in (("Q1", END - datetime.timedelta(days=90)), ("Q2", END)):
        pulse = _pulse(name, closes)
        for lead in coached:
            _responses(pulse, lead, [{}] * 5, index=80.0)
        for lead in others:
            _responses(pulse, lead, [{}] * 5, index=60.0)
    return coached, others


def test_it_compares_coached_managers_teams_with_the_others(cascade_org):
    result = habits.cascade(PERIOD)
    assert result.labels == ["Q1", "Q2"]
    assert result.coached.managers == 3
    assert [e.value for e in result.coached.engagement] == [pytest.approx(80.0)] * 2
    assert [e.value for e in result.others.engagement] == [pytest.approx(60.0)] * 2
    assert result.coached.held_share.value == pytest.approx(1.0)
    assert result.others.held_share.value == pytest.approx(0.5)
    months = 90 / 30.4375
    # Feedback to 1, 2, 3 of 5 reports: 0.2, 0.4, 0.6 per report per period.
    assert result.coached.feedback_per_report_month.value == pytest.approx(0.4 / months)


def test_the_cascade_needs_three_teams_per_group(cascade_org):
    coached, _others = cascade_org
    Engagement.objects.filter(coachee=coached[0]).delete()
    result = habits.cascade(PERIOD)
    assert result.coached.managers == 2
    assert not any(e.enough for e in result.coached.engagement)
    assert not result.coached.held_share.enough


def test_the_cascade_chart_is_an_svg(cascade_org):
    assert "<svg" in habits.cascade_chart(habits.cascade(PERIOD))
