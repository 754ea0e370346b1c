"""The pulse pages: list, new pulse, settings, a pulse's results with filters, open and
close, a manager's own team, and the answer page through the emailed link; a denied
case for each reader (anonymous, a person who leads nobody, an executive viewer who may
read but not run pulses, a manager who sees their own team only)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.insights import pulses
from tandem.insights.models import Pulse, PulseInvitation, PulseResponse, PulseSettings, PulseStatus
from tandem.insights.tests.test_pulses_setup import answer_everyone, answers, opened, pulse_org

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(org):
    return pulse_org(org)


@pytest.fixture
def admin_client(program_admin):
    return client_for(program_admin)


@pytest.fixture
def closed(people, program_admin):
    pulse, raw = opened(program_admin, name="Pulse Q1 2026")
    answer_everyone(raw)
    return pulses.pulse_close(pulse=pulse, closed_by=program_admin)


def page(name, *args):
    return reverse(f"insights:{name}", args=args)


# Who gets in ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, closed):
    for url in (page("pulse-list"), page("pulse-detail", closed.pk), page("pulse-team")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_who_leads_nobody_finds_no_pulse_pages(people, closed):
    for person in (people.org.report, people.org.outsider):
        client = client_for(person.user)
        for url in (
            page("pulse-list"),
            page("pulse-detail", closed.pk),
            page("pulse-team"),
            page("pulse-create"),
            page("pulse-settings"),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(page("pulse-close", closed.pk)).status_code == 404


def test_an_executive_viewer_reads_results_but_does_not_run_pulses(people, closed):
    client = client_for(people.org.executive.user)
    response = client.get(page("pulse-list"))
    assert response.status_code == 200 and b"Pulse Q1 2026" in response.content
    assert b"New pulse" not in response.content
    response = client.get(page("pulse-detail", closed.pk))
    assert response.status_code == 200 and b"Close the pulse" not in response.content
    assert client.get(page("pulse-create")).status_code == 403
    assert client.get(page("pulse-settings")).status_code == 403
    draft = pulses.pulse_create(
        name="Draft", org_unit=None, closes_on=closed.closes_on, created_by=None
    )
    assert client.post(page("pulse-open", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == PulseStatus.DRAFT


def test_the_pulses_entry_shows_for_readers_and_managers_only(people, closed):
    assert b'href="/impact/pulses/"' in client_for(people.org.manager.user).get("/").content
    assert b'href="/impact/pulses/"' in client_for(people.org.executive.user).get("/").content
    assert b'href="/impact/pulses/"' not in client_for(people.org.report.user).get("/").content


# Running pulses -------------------------------------------------------------------------


def test_an_admin_creates_opens_and_closes_a_pulse(
    people, admin_client, django_capture_on_commit_callbacks
):
    closes = (timezone.now().date() + datetime.timedelta(days=10)).isoformat()
    response = admin_client.post(
        page("pulse-create"), {"name": "Spring pulse", "closes_on": closes}
    )
    pulse = Pulse.objects.get()
    assert response.status_code == 302 and response["Location"] == page("pulse-detail", pulse.pk)
    assert pulse.status == PulseStatus.DRAFT and pulse.org_unit is None
    response = admin_client.get(page("pulse-detail", pulse.pk))
    assert b"Open and send the links" in response.content

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(page("pulse-open", pulse.pk), follow=True)
    assert b"17 people were sent their link" in response.content
    assert len(mail.outbox) == 17
    assert b"Results show once the pulse is closed" in response.content

    response = admin_client.post(page("pulse-close", pulse.pk), follow=True)
    assert b"The pulse is closed" in response.content
    pulse.refresh_from_db()
    assert pulse.status == PulseStatus.CLOSED


def test_a_bad_new_pulse_shows_field_errors_and_writes_nothing(people, admin_client):
    yesterday = (timezone.now().date() - datetime.timedelta(days=1)).isoformat()
    response = admin_client.post(
        page("pulse-create"), {"name": " ", "closes_on": yesterday, "org_unit": "999999"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name", "org_unit"}
    response = admin_client.post(page("pulse-create"), {"name": "Late", "closes_on": yesterday})
    assert response.status_code == 422
    assert "closes_on" in response.context["form"].errors
    assert not Pulse.objects.exists()


def test_opening_twice_says_why_and_sends_nothing_more(people, admin_client, closed):
    mail.outbox.clear()
    response = admin_client.post(page("pulse-open", closed.pk), follow=True)
    assert b"Only a draft pulse can be opened" in response.content
    assert mail.outbox == []


def test_the_settings_form_saves_and_refuses_bad_values(admin_client):
    response = admin_client.post(
        page("pulse-settings"), {"every_months": "6", "open_days": "10", "automatic": "on"}
    )
    assert response.status_code == 302
    assert (PulseSettings.current().every_months, PulseSettings.current().open_days) == (6, 10)
    response = admin_client.post(page("pulse-settings"), {"every_months": "0", "open_days": "90"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"every_months", "open_days"}
    assert PulseSettings.current().every_months == 6


# Results ----------------------------------------------------------------------------------


def test_the_list_shows_response_rates_and_the_trend(people, admin_client, closed):
    response = admin_client.get(page("pulse-list"))
    assert response.status_code == 200
    assert b"100%" in response.content and b"data:image/svg+xml;base64," in response.content


def test_the_list_takes_the_same_queries_for_more_pulses(
    people, admin_client, closed, django_assert_max_num_queries, program_admin
):
    with django_assert_max_num_queries(20) as one:
        admin_client.get(page("pulse-list"))
    for number in range(3):
        later, raw = opened(program_admin, name=f"Later {number}")
        answer_everyone(raw)
        pulses.pulse_close(pulse=later)
    with django_assert_max_num_queries(len(one.captured_queries)):
        admin_client.get(page("pulse-list"))


def test_an_open_pulse_shows_no_results(people, admin_client, program_admin):
    pulse, raw = opened(program_admin)
    answer_everyone(raw)
    response = admin_client.get(page("pulse-detail", pulse.pk))
    assert response.status_code == 200 and "figures" not in response.context
    assert b"Engagement index" not in response.content


def test_a_closed_pulse_shows_figures_and_breakdowns(people, admin_client, closed):
    response = admin_client.get(page("pulse-detail", closed.pk))
    content = response.content.decode()
    assert response.context["figures"].n == 17
    assert "n=17" in content and "100%" in content
    teams = {label: figures for label, _query, figures in response.context["parts"]["team"]}
    assert teams[f"Team of {people.org.manager.full_name}"].n == 6
    assert not teams[f"Team of {people.org.ceo.full_name}"].shown
    levels = {label: figures for label, _query, figures in response.context["parts"]["level"]}
    assert levels["Emerging leader"].n == 12 and not levels["Mid-level manager"].shown
    assert "not enough data" in content


def test_every_filter_goes_through_the_cells(people, admin_client, closed):
    url = page("pulse-detail", closed.pk)
    response = admin_client.get(url, {"team_lead": people.org.ceo.pk})
    assert not response.context["figures"].shown
    assert b"Not enough data" in response.content
    response = admin_client.get(url, {"level": "mid", "org_unit": people.org.ceo.org_unit_id})
    assert not response.context["figures"].shown
    response = admin_client.get(url, {"team_lead": people.lead.pk, "level": "emerging"})
    assert response.context["figures"].n == 6
    response = admin_client.get(url, {"level": "boss", "team_lead": "x"})
    assert response.status_code == 400


def test_a_manager_sees_their_own_team_only(people, closed):
    client = client_for(people.org.manager.user)
    assert client.get(page("pulse-list"))["Location"] == page("pulse-team")
    response = client.get(page("pulse-team"))
    assert response.status_code == 200
    ((pulse, figures),) = response.context["trend"]
    assert pulse == closed and figures.n == 6
    response = client.get(page("pulse-detail", closed.pk), {"team_lead": people.lead.pk})
    assert response.status_code == 200 and response.context["figures"].n == 6
    content = response.content.decode()
    assert people.lead.full_name not in content and "n=17" not in content
    assert client.post(page("pulse-close", closed.pk)).status_code == 403
    assert client.get(page("pulse-create")).status_code == 403


# Answering through the link ------------------------------------------------------------------


@pytest.fixture
def link(people, program_admin):
    _pulse, raw = opened(program_admin)
    return page("pulse-answer", raw[people.org.report.email])


def test_a_person_answers_through_their_link_without_signing_in(client, link):
    response = client.get(link)
    assert response.status_code == 200
    content = response.content.decode()
    assert "I know what is expected of me at work." in content
    assert "as a place to work?" in content and "anonymous" in content
    response = client.post(link, answers(level=4, enps=8))
    assert response.status_code == 302 and response["Location"] == page("pulse-answer-done")
    assert PulseResponse.objects.get().enps == 8
    response = client.get(link)
    assert response.status_code == 410 and b"already been used" in response.content
    response = client.post(link, answers())
    assert response.status_code == 410 and PulseResponse.objects.count() == 1


def test_missing_answers_are_marked_and_nothing_is_written(client, link):
    incomplete = answers()
    del incomplete["growth"]
    incomplete["enps"] = "11"
    response = client.post(link, incomplete)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"growth", "enps"}
    assert b"Please answer every question" in response.content
    assert not PulseResponse.objects.exists()
    assert not PulseInvitation.objects.filter(used=True).exists()


def test_an_unknown_expired_or_closed_link_gets_a_clear_page(client, link, people):
    response = client.get(page("pulse-answer", "not-a-token"))
    assert response.status_code == 404 and b"This link is not valid" in response.content
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        response = client.get(link)
    assert response.status_code == 410 and b"This link has expired" in response.content
    pulses.pulse_close(pulse=Pulse.objects.get())
    response = client.post(link, answers())
    assert response.status_code == 410 and b"This pulse is closed" in response.content


def test_the_done_page_thanks_without_an_account(client):
    response = client.get(page("pulse-answer-done"))
    assert response.status_code == 200 and b"Thank you" in response.content
