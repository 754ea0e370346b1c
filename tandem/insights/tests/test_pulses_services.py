"""The pulse workflows: create, open (links by email), answer once through a link,
close (the safe cells), and the reads (slice figures, team figures, trend)."""

import datetime
import statistics

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from tandem.accounts.models import AuditLog
from tandem.assessments import tokens
from tandem.insights import pulse_items, pulses
from tandem.insights.models import Pulse, PulseInvitation, PulseResponse, PulseStatus
from tandem.insights.tests.test_pulses_setup import answer_everyone, answers, opened, pulse_org
from tandem.lib import impact, stats
from tandem.programs.services import Refused
from tandem.tests.factories import OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    return pulse_org(org)


# The items ------------------------------------------------------------------------------


def test_it_asks_five_index_statements_and_the_enps_question():
    keys = [item.key for item in pulse_items.index_items()]
    assert len(keys) == 5 and len(set(keys)) == 5
    assert "Acme" in pulse_items.enps_question("Acme")


def test_a_respondents_index_is_the_rule_of_lib_impact():
    sets = [[1, 2, 3, 4, 5], [5, 5, 5, 5, 5], [1, 1, 1, 1, 2], [3, 4, 3, 4, 3]]
    keys = [item.key for item in pulse_items.index_items()]
    mine = [pulse_items.respondent_index(dict(zip(keys, s, strict=True))) for s in sets]
    assert mine[:3] == [50.0, 100.0, pytest.approx(5.0)]
    assert impact.engagement_index(sets, minimum=2).value == pytest.approx(statistics.fmean(mine))


def test_another_app_can_add_an_index_item(monkeypatch):
    monkeypatch.setattr(pulse_items, "_INDEX", list(pulse_items.index_items()))
    pulse_items.register(pulse_items.PulseItem("one_on_ones", "We meet one on one regularly."))
    pulse_items.register(pulse_items.PulseItem("one_on_ones", "Twice."))
    assert [item.key for item in pulse_items.index_items()][-1] == "one_on_ones"
    assert len(pulse_items.index_items()) == 6
    with pytest.raises(ValueError):
        pulse_items.register(pulse_items.PulseItem("enps", "no"))


# Creating and opening -------------------------------------------------------------------


def test_a_pulse_with_a_blank_name_or_past_closing_date_is_refused_and_not_written(
    program_admin,
):
    with pytest.raises(ValidationError) as caught:
        pulses.pulse_create(
            name="  ",
            org_unit=None,
            closes_on=timezone.now().date() - datetime.timedelta(days=1),
            created_by=program_admin,
        )
    assert set(caught.value.message_dict) == {"name", "closes_on"}
    assert not Pulse.objects.exists()


def test_opening_emails_each_active_person_in_scope_a_link_of_their_own(people, program_admin):
    gone = PersonFactory(exit_date=datetime.date(2020, 2, 1), manager=people.lead)
    pulse, raw = opened(program_admin)
    invited = set(
        PulseInvitation.objects.filter(pulse=pulse).values_list("person__email", flat=True)
    )
    assert gone.email not in invited
    assert invited == {person.email for person in people.everyone}
    assert len(mail.outbox) == len(invited) == pulse.invited == 17
    assert set(raw) == invited and len(set(raw.values())) == 17
    assert pulse.status == PulseStatus.OPEN and pulse.opens_on == timezone.now().date()
    # Only hashes are stored.
    stored = set(PulseInvitation.objects.values_list("token_hash", flat=True))
    assert stored == {tokens.hash_token(token) for token in raw.values()}
    message = mail.outbox[0]
    assert "anonymous" in message.body and message.alternatives
    assert AuditLog.objects.filter(
        target_type="insights.pulse", summary__startswith="Opened"
    ).exists()


def test_a_pulse_to_one_unit_asks_its_subtree_only(people, program_admin):
    sales = OrgUnitFactory(name="Sales")
    emea = OrgUnitFactory(name="EMEA", parent=sales)
    inside = [PersonFactory(org_unit=sales), PersonFactory(org_unit=emea)]
    pulse, raw = opened(program_admin, org_unit=sales)
    assert set(raw) == {person.email for person in inside} and pulse.invited == 2


def test_the_emails_go_only_once_the_opening_commits(people, program_admin):
    mail.outbox.clear()
    pulse = pulses.pulse_create(
        name="Q2",
        org_unit=None,
        closes_on=timezone.now().date() + datetime.timedelta(days=7),
        created_by=program_admin,
    )
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        pulses.pulse_open(pulse=pulse, opened_by=program_admin)
    assert mail.outbox == [] and len(callbacks) == 1


def test_only_a_draft_opens(people, program_admin):
    pulse, _raw = opened(program_admin)
    with pytest.raises(Refused):
        pulses.pulse_open(pulse=pulse, opened_by=program_admin)
    assert PulseInvitation.objects.count() == 17


def test_a_pulse_whose_closing_date_passed_does_not_open(people, program_admin):
    pulse = pulses.pulse_create(
        name="Late",
        org_unit=None,
        closes_on=timezone.now().date(),
        created_by=program_admin,
    )
    later = timezone.now() + datetime.timedelta(days=2)
    with time_machine.travel(later), pytest.raises(Refused):
        pulses.pulse_open(pulse=pulse, opened_by=program_admin)
    assert not PulseInvitation.objects.exists()
    pulse.refresh_from_db()
    assert pulse.status == PulseStatus.DRAFT


# Answering --------------------------------------------------------------------------------


def test_an_answer_keeps_the_slice_keys_and_nothing_that_points_back(people, program_admin):
    _pulse, raw = opened(program_admin)
    rita = people.org.report
    pulses.pulse_answer(raw_token=raw[rita.email], answers=answers(level=5, enps=10))
    response = PulseResponse.objects.get()
    assert (response.team_lead, response.org_unit, response.level) == (
        rita.manager,
        rita.org_unit,
        rita.level,
    )
    assert (response.index, response.enps, response.cell) == (100.0, 10, None)
    assert response.answers == {item.key: 5 for item in pulse_items.asked_items()}
    fields = {f.name for f in PulseResponse._meta.get_fields()}
    assert not fields & {"person", "invitation", "created_at", "submitted_at", "answered_at"}
    invitation = PulseInvitation.objects.get(person=rita)
    assert invitation.used
    assert {f.name for f in PulseInvitation._meta.get_fields()} >= {"used"}
    assert not {f.name for f in PulseInvitation._meta.get_fields()} & {"used_at", "answered_at"}


def test_a_link_answers_once(people, program_admin):
    _pulse, raw = opened(program_admin)
    token = raw[people.org.report.email]
    pulses.pulse_answer(raw_token=token, answers=answers())
    with pytest.raises(pulses.LinkRefused) as caught:
        pulses.pulse_answer(raw_token=token, answers=answers(level=1))
    assert caught.value.problem == pulses.USED
    assert PulseResponse.objects.count() == 1


def test_an_expired_link_is_refused(people, program_admin):
    _pulse, raw = opened(program_admin, days=3)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5)):
        assert pulses.pulse_link(raw[people.org.report.email]).problem == pulses.EXPIRED
        with pytest.raises(pulses.LinkRefused) as caught:
            pulses.pulse_answer(raw_token=raw[people.org.report.email], answers=answers())
    assert caught.value.problem == pulses.EXPIRED
    assert not PulseResponse.objects.exists()


def test_an_unknown_link_is_refused():
    for token in ("nope", "", "x" * 500):
        assert pulses.pulse_link(token).problem == pulses.UNKNOWN
        with pytest.raises(pulses.LinkRefused):
            pulses.pulse_answer(raw_token=token, answers=answers())


def test_bad_answers_name_each_question_and_write_nothing(people, program_admin):
    _pulse, raw = opened(program_admin)
    keys = [item.key for item in pulse_items.index_items()]
    bad = {keys[0]: 6, keys[1]: "3", keys[2]: True, keys[3]: 0, "enps": 11, "mood": 3}
    with pytest.raises(ValidationError) as caught:
        pulses.pulse_answer(raw_token=raw[people.org.report.email], answers=bad)
    unanswered = {item.key for item in pulse_items.habit_items()}
    assert set(caught.value.message_dict) == {
        keys[0],
        keys[2],
        keys[3],
        keys[4],
        "enps",
        "mood",
        *unanswered,
    }
    assert not PulseResponse.objects.exists()
    assert not PulseInvitation.objects.filter(used=True).exists()


# Closing ----------------------------------------------------------------------------------


def test_closing_sets_each_responses_safe_cell_and_stops_the_links(people, program_admin):
    pulse, raw = opened(program_admin)
    rita = raw.pop(people.org.report.email)
    answer_everyone(raw)
    pulses.pulse_close(pulse=pulse, closed_by=program_admin)
    pulse.refresh_from_db()
    assert pulse.status == PulseStatus.CLOSED
    cells = list(PulseResponse.objects.values_list("cell", flat=True))
    assert len(cells) == 16 and None not in cells
    # Every cell has 5 responses or more.
    assert min(cells.count(cell) for cell in set(cells)) >= 5
    with pytest.raises(pulses.LinkRefused) as caught:
        pulses.pulse_answer(raw_token=rita, answers=answers())
    assert caught.value.problem == pulses.CLOSED
    with pytest.raises(Refused):
        pulses.pulse_close(pulse=pulse)


def test_a_draft_does_not_close(program_admin):
    pulse = pulses.pulse_create(
        name="Q3",
        org_unit=None,
        closes_on=timezone.now().date(),
        created_by=program_admin,
    )
    with pytest.raises(Refused):
        pulses.pulse_close(pulse=pulse)


# Reading results ----------------------------------------------------------------------------


@pytest.fixture
def closed(people, program_admin):
    """Everyone answered: the manager's team 5/10 (promoters), the lead's team 2/3
    (detractors) and the rest 3/7."""
    pulse, raw = opened(program_admin)
    teams = {
        **{p.email: (5, 10) for p in people.manager_team},
        **{p.email: (2, 3) for p in people.lead_team},
    }
    for email, token in raw.items():
        level, enps = teams.get(email, (3, 7))
        pulses.pulse_answer(raw_token=token, answers=answers(level, enps))
    pulses.pulse_close(pulse=pulse, closed_by=program_admin)
    pulse.refresh_from_db()
    return pulse


def test_an_open_pulses_results_are_not_shown(people, program_admin):
    pulse, raw = opened(program_admin)
    answer_everyone(raw)
    figures = pulses.slice_figures(pulse)
    assert not figures.shown and figures.n is None and figures.index is None
    assert figures.note == pulses.NOT_CLOSED
    assert pulses.team_figures(pulse, [people.org.manager.pk]) == {}


def test_the_whole_pulse_matches_the_statistics_of_its_answers(closed):
    figures = pulses.slice_figures(closed)
    indexes = list(PulseResponse.objects.values_list("index", flat=True))
    scores = list(PulseResponse.objects.values_list("enps", flat=True))
    expected = stats.mean_ci(indexes)
    assert figures.shown and figures.n == 17 and figures.response_rate == 1.0
    assert figures.index.value == pytest.approx(expected.value)
    assert (figures.index.low, figures.index.high) == (
        pytest.approx(expected.low),
        pytest.approx(expected.high),
    )
    assert figures.enps == impact.enps(scores)
    assert "n=17" in figures.index_text


def test_a_team_of_six_shows_and_a_mixed_group_of_three_does_not(closed, people):
    mine = pulses.slice_figures(closed, team_lead=people.org.manager)
    assert mine.shown and mine.n == 6 and mine.index.value == 100.0 and mine.enps.value == 100.0
    ceo = pulses.slice_figures(closed, team_lead=people.org.ceo)
    assert not ceo.shown and ceo.n is None and ceo.note == pulses.NOT_ENOUGH
    assert ceo.index_text == "not enough data"
    # The outsider is the only individual contributor; the two teams are all emerging.
    assert not pulses.slice_figures(closed, level="individual_contributor").shown
    assert not pulses.slice_figures(closed, level="mid").shown
    assert pulses.slice_figures(closed, level="emerging").n == 12


def test_team_figures_give_whole_cell_teams_only(closed, people):
    figures = pulses.team_figures(
        closed, [people.org.manager.pk, people.lead.pk, people.org.ceo.pk, 999_999]
    )
    assert set(figures) == {people.org.manager.pk, people.lead.pk}
    lead = figures[people.lead.pk]
    assert (lead.n, lead.index_mean) == (6, 25.0)
    assert lead.enps.value == -100.0
    assert lead.index == pulses.slice_figures(closed, team_lead=people.lead).index
    pooled = figures[people.lead.pk].tally + figures[people.org.manager.pk].tally
    assert pooled.n == 12 and pooled.index_estimate().value == pytest.approx(62.5)


def test_team_figures_take_one_query(closed, people, django_assert_num_queries):
    with django_assert_num_queries(1):
        pulses.team_figures(closed, [people.org.manager.pk])


def test_slice_figures_take_three_queries_or_one(closed, people, django_assert_num_queries):
    # The unit's subtree, the slice's part of each cell, the cells' sizes.
    with django_assert_num_queries(3):
        pulses.slice_figures(closed, org_unit=people.org.manager.org_unit)
    with django_assert_num_queries(1):
        pulses.slice_figures(closed)


def test_the_trend_takes_the_same_queries_for_any_number_of_pulses(
    closed, people, program_admin, django_assert_num_queries
):
    for name in ("Q2", "Q3"):
        later, raw = opened(program_admin, name=name)
        answer_everyone(raw)
        pulses.pulse_close(pulse=later)
    with django_assert_num_queries(3):  # the pulses, the parts, the sizes
        points = pulses.trend(team_lead=people.org.manager)
    assert [figures.n for _pulse, figures in points] == [6, 6, 6]


def test_the_trend_lists_closed_pulses_oldest_first(closed, people, program_admin):
    later, raw = opened(program_admin, name="Pulse Q2")
    answer_everyone(raw, level=1, enps=0)
    assert [p for p, _f in pulses.trend()] == [closed]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        pulses.pulse_close(pulse=later)
    points = pulses.trend(team_lead=people.org.manager)
    assert [p.name for p, _f in points] == [closed.name, "Pulse Q2"]
    assert [f.index.value for _p, f in points] == [100.0, 0.0]
    assert all(not f.shown for _p, f in pulses.trend(team_lead=people.org.ceo))


def test_the_schedule_names_quarters_or_months():
    day = datetime.date(2026, 5, 20)
    assert pulses.next_pulse_name(day, 3) == "Pulse Q2 2026"
    assert pulses.next_pulse_name(day, 1) == "Pulse May 2026"
    assert pulses.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert pulses.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert pulses.add_months(datetime.date(2026, 3, 15), -4) == datetime.date(2025, 11, 15)
