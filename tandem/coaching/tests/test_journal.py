"""The reflection journal: private to its author, shared entries read by their coach,
and trends (how often they paused, which triggers recur) for the author only."""

import datetime

import pytest
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.coaching.journal import trends_of
from tandem.coaching.models import JournalEntry

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 15)


def entry_data(**overrides):
    data = {
        "occurred_on": "2026-03-01",
        "trigger": "criticism",
        "situation": "A peer criticised my plan",
        "reaction": "Argued back",
        "paused": "",
        "options": "",
        "choice": "",
        "outcome": "",
        "shared_with_coach": "",
    }
    data.update(overrides)
    return data


def test_the_author_writes_reads_changes_and_deletes(client, org):
    client.force_login(org.report.user)
    response = client.post(reverse("coaching:journal-create"), entry_data(paused="on"))
    assert response.status_code == 302
    entry = JournalEntry.objects.get(author=org.report)
    assert entry.paused and entry.situation == "A peer criticised my plan"
    client.post(reverse("coaching:journal-edit", args=[entry.pk]), entry_data(outcome="We agreed"))
    entry.refresh_from_db()
    assert entry.outcome == "We agreed"
    assert client.get(reverse("coaching:journal")).status_code == 200
    client.post(reverse("coaching:journal-delete", args=[entry.pk]))
    assert not JournalEntry.objects.exists()


def test_an_empty_situation_or_a_future_day_is_refused_next_to_the_field(client, org):
    client.force_login(org.report.user)
    response = client.post(
        reverse("coaching:journal-create"), entry_data(situation="", occurred_on="2999-01-01")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"situation", "occurred_on"}
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("who", ["manager", "outsider", "executive"])
def test_nobody_else_reads_an_entry(client, org, who):
    entry = JournalEntry.objects.create(
        author=org.report, trigger="conflict", situation="x", shared_with_coach=True
    )
    client.force_login(getattr(org, who).user)
    assert client.get(reverse("coaching:journal-detail", args=[entry.pk])).status_code == 404
    assert client.post(reverse("coaching:journal-delete", args=[entry.pk])).status_code == 404
    assert (
        token_client(getattr(org, who).user).get(f"/api/v1/coaching/journal/{entry.pk}").status_code
        == 404
    )


def test_a_shared_entry_is_read_by_the_coach_only_while_coaching(client, org, engagement):
    entry = JournalEntry.objects.create(
        author=org.report, trigger="conflict", situation="x", shared_with_coach=True
    )
    client.force_login(engagement.coach.user)
    assert client.get(reverse("coaching:journal-detail", args=[entry.pk])).status_code == 200
    page = client.get(reverse("coaching:engagement-detail", args=[engagement.pk]))
    assert page.context["shared_entries"] == [entry]
    engagement.status = "ended"
    engagement.save()
    assert client.get(reverse("coaching:journal-detail", args=[entry.pk])).status_code == 404


def test_someone_without_a_person_record_has_no_journal(client, program_admin):
    client.force_login(program_admin)
    assert client.get(reverse("coaching:journal")).status_code == 403


def test_trends_count_pauses_per_month_and_recurring_triggers(org):
    for day, trigger, paused in [
        (datetime.date(2026, 1, 5), "criticism", False),
        (datetime.date(2026, 2, 9), "criticism", True),
        (datetime.date(2026, 3, 2), "criticism", True),
        (datetime.date(2026, 3, 4), "pressure", True),
        (datetime.date(2025, 1, 4), "pressure", False),  # too long ago
    ]:
        JournalEntry.objects.create(
            author=org.report, occurred_on=day, trigger=trigger, paused=paused, situation="s"
        )
    JournalEntry.objects.create(author=org.manager, trigger="pressure", situation="not theirs")
    trends = trends_of(org.report, TODAY)
    assert [(m.month.month, m.entries, m.paused) for m in trends.months][-3:] == [
        (1, 1, 0),
        (2, 1, 1),
        (3, 2, 2),
    ]
    assert (trends.total, trends.paused, trends.pause_share) == (4, 3, 75)
    assert [(t.trigger, t.count) for t in trends.recurring] == [("criticism", 3)]
    assert trends.pause_chart().startswith("data:image/svg+xml")


def test_the_api_serves_the_authors_own_entries_and_trends(org):
    api = token_client(org.report.user)
    created = api.post(
        "/api/v1/coaching/journal",
        {
            "occurred_on": "2026-03-01",
            "trigger": "setback",
            "situation": "Missed a deadline",
            "paused": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert api.get("/api/v1/coaching/journal").json()["count"] == 1
    assert api.get("/api/v1/coaching/journal/trends").json()["paused"] in (0, 1)
    bad = api.patch(
        f"/api/v1/coaching/journal/{entry_id}", {"situation": ""}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert api.delete(f"/api/v1/coaching/journal/{entry_id}").status_code == 204
    assert token_client(org.manager.user).get("/api/v1/coaching/journal").json()["count"] == 0
