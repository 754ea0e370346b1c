"""One-on-one pages: My 1:1s, starting a series, the meeting page (agenda, notes, my
private note, completing with a next step), the guide and the .ics. Others get 404."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts import navigation
from tandem.conversations import oneonones
from tandem.conversations.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    NextStep,
    OneOnOneSeries,
    PrivateNote,
)
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def series(org):
    return oneonones.series_start(
        manager=org.manager,
        report=org.report,
        cadence="weekly",
        first_on=TODAY(),
        starts_at=datetime.time(10, 0),
        duration_minutes=30,
        time_zone="UTC",
    )


@pytest.fixture
def meeting(org, series):
    meeting = oneonones.meeting_next(series)
    oneonones.agenda_add(meeting=meeting, author=org.report, text="Career growth talk")
    oneonones.shared_notes_save(meeting=meeting, text="Agreed on the roadmap", by=org.manager)
    oneonones.private_note_save(meeting=meeting, author=org.manager, body="MANAGER-SECRET")
    oneonones.private_note_save(meeting=meeting, author=org.report, body="REPORT-SECRET")
    return meeting


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def outsiders(org, program_admin, superuser):
    """The manager's own manager, another person, a program admin and a superuser."""
    return [org.ceo.user, org.outsider.user, program_admin, superuser]


def test_it_lists_my_series_with_the_next_date(org, series):
    response = client_for(org.report.user).get(reverse("conversations:oneonones"))
    assert response.status_code == 200
    assert "Max Manager" in response.text
    assert "Start a 1:1" not in response.text
    assert (
        "Start a 1:1" in client_for(org.manager.user).get(reverse("conversations:oneonones")).text
    )


def test_it_offers_the_menu_to_people_with_a_manager_or_reports(org, program_admin):
    def labels(user):
        return [str(item.label) for item in navigation.items_for(user)]

    assert "1:1s" in labels(org.report.user) and "1:1s" in labels(org.ceo.user)
    assert "1:1s" not in labels(org.executive.user)
    assert "1:1s" not in labels(program_admin)


def test_it_shows_the_next_one_on_one_on_home(org, series):
    response = client_for(org.report.user).get("/")
    assert "Your next 1:1" in response.text and "Max Manager" in response.text


def test_a_manager_starts_a_series_with_a_direct_report_only(org):
    client = client_for(org.manager.user)
    data = {
        "cadence": "fortnightly",
        "first_on": TODAY().isoformat(),
        "starts_at": "09:00",
        "duration_minutes": 30,
        "time_zone": "Europe/Berlin",
    }
    url = reverse("conversations:oneonone-create")
    response = client.post(url, data | {"report": org.outsider.pk})
    assert response.status_code == 400 and not OneOnOneSeries.objects.exists()
    response = client.post(url, data | {"report": org.report.pk, "time_zone": "Nowhere/Land"})
    assert response.status_code == 400 and "time zone" in response.text
    response = client.post(url, data | {"report": org.report.pk})
    series = OneOnOneSeries.objects.get()
    assert response.status_code == 302 and series.cadence == "fortnightly"
    assert client_for(org.outsider.user).get(url).status_code == 403


def test_either_side_changes_the_cadence_and_the_manager_ends_it(org, series):
    client_for(org.report.user).post(
        reverse("conversations:oneonone-cadence", args=[series.pk]), {"cadence": "monthly"}
    )
    series.refresh_from_db()
    assert series.cadence == "monthly"
    end = reverse("conversations:oneonone-end", args=[series.pk])
    assert client_for(org.report.user).post(end).status_code == 403
    client_for(org.manager.user).post(end)
    series.refresh_from_db()
    assert not series.active


def test_the_meeting_page_shows_my_private_note_and_never_the_other_ones(org, meeting):
    url = reverse("conversations:oneonone-meeting", args=[meeting.pk])
    manager_page = client_for(org.manager.user).get(url).text
    report_page = client_for(org.report.user).get(url).text
    for page in (manager_page, report_page):
        assert "Career growth talk" in page and "Agreed on the roadmap" in page
        assert "Listen before you answer" in page
    assert "MANAGER-SECRET" in manager_page and "REPORT-SECRET" not in manager_page
    assert "REPORT-SECRET" in report_page and "MANAGER-SECRET" not in report_page


def test_both_add_to_the_agenda_and_mark_items_discussed(org, meeting):
    url = reverse("conversations:oneonone-agenda-add", args=[meeting.pk])
    assert client_for(org.manager.user).post(url, {"text": "Budget"}).status_code == 302
    assert client_for(org.manager.user).post(url, {"text": ""}).status_code == 400
    item = AgendaItem.objects.get(text="Budget")
    client_for(org.report.user).post(
        reverse("conversations:oneonone-agenda-done", args=[item.pk]), {"done": "1"}
    )
    item.refresh_from_db()
    assert item.done


def test_it_saves_shared_notes_and_my_own_private_note(org, meeting):
    client = client_for(org.report.user)
    client.post(
        reverse("conversations:oneonone-shared-notes", args=[meeting.pk]),
        {"shared_notes": "New shared"},
    )
    client.post(
        reverse("conversations:oneonone-private-note", args=[meeting.pk]), {"body": "Mine only"}
    )
    meeting.refresh_from_db()
    assert meeting.shared_notes == "New shared"
    assert oneonones.private_note_read(meeting=meeting, author=org.report) == "Mine only"
    assert oneonones.private_note_read(meeting=meeting, author=org.manager) == "MANAGER-SECRET"


def steps(*rows):
    """The complete form as a browser posts it: two rows, an owner chosen in each."""
    data = {"steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0"}
    data |= {"steps-0-owner": "report", "steps-1-owner": "report"}
    for index, (title, owner, due) in enumerate(rows):
        data |= {
            f"steps-{index}-title": title,
            f"steps-{index}-owner": owner,
            f"steps-{index}-due_date": due,
        }
    return data


def test_completing_needs_a_next_step_on_the_page(org, meeting):
    url = reverse("conversations:oneonone-complete", args=[meeting.pk])
    client = client_for(org.manager.user)
    response = client.post(url, steps())
    assert response.status_code == 400 and "at least one next step" in response.text
    response = client.post(url, steps(("Write it up", "report", "")))
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not NextStep.objects.exists()
    response = client.post(url, steps(("Write it up", "report", TODAY().isoformat())))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.COMPLETED
    assert NextStep.objects.get().owner == org.report


def test_it_opens_the_next_meeting_and_serves_the_guide_and_the_ics(org, series):
    response = client_for(org.report.user).post(
        reverse("conversations:oneonone-next", args=[series.pk])
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("conversations:oneonone-meeting", args=[meeting.pk])
    guide = client_for(org.report.user).get(reverse("conversations:guide"))
    assert guide.status_code == 200 and "Career conversation" in guide.text
    ics = client_for(org.manager.user).get(reverse("conversations:oneonone-ics", args=[series.pk]))
    assert ics["Content-Type"] == "text/calendar" and b"RRULE:FREQ=WEEKLY" in ics.content


def test_anyone_else_gets_404_on_every_page(org, program_admin, superuser, meeting):
    series = meeting.series
    item = meeting.agenda.get()
    step = NextStep.objects.create(meeting=meeting, title="x", owner=org.report, due_date=TODAY())
    gets = [
        reverse("conversations:oneonone-series", args=[series.pk]),
        reverse("conversations:oneonone-ics", args=[series.pk]),
        reverse("conversations:oneonone-meeting", args=[meeting.pk]),
    ]
    posts = [
        (reverse("conversations:oneonone-cadence", args=[series.pk]), {"cadence": "monthly"}),
        (reverse("conversations:oneonone-end", args=[series.pk]), {}),
        (reverse("conversations:oneonone-next", args=[series.pk]), {}),
        (reverse("conversations:oneonone-agenda-add", args=[meeting.pk]), {"text": "x"}),
        (reverse("conversations:oneonone-agenda-done", args=[item.pk]), {"done": "1"}),
        (reverse("conversations:oneonone-shared-notes", args=[meeting.pk]), {"shared_notes": "x"}),
        (reverse("conversations:oneonone-private-note", args=[meeting.pk]), {"body": "x"}),
        (reverse("conversations:oneonone-complete", args=[meeting.pk]), steps()),
        (reverse("conversations:oneonone-cancel", args=[meeting.pk]), {}),
        (reverse("conversations:oneonone-next-step-done", args=[step.pk]), {"done": "1"}),
    ]
    for user in outsiders(org, program_admin, superuser):
        client = client_for(user)
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (user, url)
        assert "Career growth" not in client.get(reverse("conversations:oneonones")).text
    anonymous = Client()
    assert anonymous.get(gets[2]).status_code == 302
    meeting.refresh_from_db()
    assert meeting.shared_notes == "Agreed on the roadmap"
    assert PrivateNote.objects.count() == 2 and AgendaItem.objects.count() == 1
    assert meeting.status == MeetingStatus.PLANNED
    step.refresh_from_db()
    assert step.done_on is None


def test_the_admin_shows_metadata_and_never_a_note(org, superuser, meeting):
    assert PrivateNote not in site._registry and AgendaItem not in site._registry
    client = client_for(superuser)
    series = meeting.series
    for url in (
        reverse("admin:conversations_oneononeseries_changelist"),
        reverse("admin:conversations_oneononeseries_change", args=[series.pk]),
        reverse("admin:conversations_meeting_changelist"),
        reverse("admin:conversations_meeting_change", args=[meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in ("MANAGER-SECRET", "REPORT-SECRET", "Agreed on the roadmap", "Career growth"):
            assert secret not in response.text, (url, secret)


def test_either_side_cancels_a_meeting_and_marks_next_steps_done(org, meeting):
    report = client_for(org.report.user)
    response = report.post(reverse("conversations:oneonone-cancel", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    page = report.get(reverse("conversations:oneonone-meeting", args=[meeting.pk])).text
    assert "Cancelled" in page and 'id="cancel-meeting"' not in page
    following = oneonones.meeting_next(meeting.series)
    assert [i.text for i in following.agenda.all()] == ["Career growth talk"]
    oneonones.meeting_complete(
        meeting=following,
        next_steps=[oneonones.NextStepInput("Book the course", "report", following.on)],
        by=org.manager,
    )
    step = following.next_steps.get()
    series_url = reverse("conversations:oneonone-series", args=[meeting.series_id])
    assert "Book the course" in report.get(series_url).text
    done_url = reverse("conversations:oneonone-next-step-done", args=[step.pk])
    response = client_for(org.manager.user).post(done_url, {"done": "1", "back": "series"})
    assert response.status_code == 302 and response["Location"] == series_url
    step.refresh_from_db()
    assert step.done_on == TODAY()
    assert "Every next step is done." in report.get(series_url).text
    response = report.post(done_url, {"done": "0"})
    assert response["Location"] == reverse("conversations:oneonone-meeting", args=[following.pk])
    step.refresh_from_db()
    assert step.done_on is None


def test_the_start_form_preselects_a_report_from_the_team_page_link(org):
    url = reverse("conversations:oneonone-create")
    page = client_for(org.manager.user).get(url, {"report": org.report.pk}).text
    assert f'<option value="{org.report.pk}" selected>' in page
    # Someone who is not their report is simply not offered.
    page = client_for(org.manager.user).get(url, {"report": org.outsider.pk}).text
    assert "selected>" not in page.split('name="report"')[1].split("</select>")[0]
