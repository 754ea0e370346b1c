"""The audit log, for program admins only: the page at /accounts/audit/ with filters
(who, action, record type, person, dates) and pages, its CSV export (safe from formula
injection, and itself audited), and GET /api/v1/audit-log with the same filters.
Participants, managers, executive viewers and anonymous visitors are refused."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.api import AuditActionName
from tandem.accounts.models import AuditAction, AuditLog
from tandem.api.testing import token_client
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:audit-log")
EXPORT = reverse("accounts:audit-log-export")
API = "/api/v1/audit-log"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def entries(org, program_admin):
    """Three entries on three days: a coach reading Rita's note, the admin exporting
    impact figures, and a job deleting an old rater token."""
    coach = UserFactory(username="cleo", first_name="Cleo", last_name="Coach")
    days = [timezone.now() - datetime.timedelta(days=n) for n in (3, 2, 1)]
    with time_machine.travel(days[0], tick=False):
        AuditLog.objects.record(
            actor=coach,
            action=AuditAction.READ,
            target_type="coaching.sessionnote",
            target_id="17",
            subject_person_id=org.report.pk,
            summary="Read a session note",
        )
    with time_machine.travel(days[1], tick=False):
        AuditLog.objects.record(
            actor=program_admin,
            action=AuditAction.EXPORT,
            target_type="insights.program",
            target_id="4",
            summary='=HYPERLINK("http://evil.example/")',
        )
    with time_machine.travel(days[2], tick=False):
        AuditLog.objects.record(
            actor=None, action=AuditAction.DELETE, target_type="assessments.raterinvitation"
        )
    return days


class TestWhoMayRead:
    def test_a_program_admin_reads_the_log(self, program_admin, entries):
        response = client_for(program_admin).get(PAGE)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "coaching.sessionnote" in html and "Rita Report" in html

    def test_a_superuser_reads_the_log(self, entries):
        root = UserFactory(is_superuser=True, is_staff=True)
        assert client_for(root).get(PAGE).status_code == 200
        assert token_client(root).get(API).status_code == 200

    @pytest.mark.parametrize("who", ["report", "manager", "executive", "ceo"])
    def test_anyone_else_signed_in_is_refused(self, org, entries, who):
        user = getattr(org, who).user
        assert client_for(user).get(PAGE).status_code == 403
        assert client_for(user).get(EXPORT).status_code == 403
        assert token_client(user).get(API).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, entries):
        for url in (PAGE, EXPORT):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        assert client.get(API).status_code == 401


class TestFilters:
    def rows(self, program_admin, **query):
        response = client_for(program_admin).get(PAGE, query)
        assert response.status_code == 200
        return [entry for entry, _subject in response.context["entries"]]

    def test_newest_first_without_filters(self, program_admin, entries):
        rows = self.rows(program_admin)
        assert [row.action for row in rows] == ["delete", "export", "read"]

    def test_by_actor_username_or_name(self, program_admin, entries):
        assert [r.action for r in self.rows(program_admin, actor="cleo")] == ["read"]
        assert [r.action for r in self.rows(program_admin, actor="coach")] == ["read"]

    def test_by_action_type_and_person(self, program_admin, entries, org):
        assert [r.action for r in self.rows(program_admin, action="export")] == ["export"]
        by_type = self.rows(program_admin, target_type="coaching.sessionnote")
        assert [r.target_id for r in by_type] == ["17"]
        about = self.rows(program_admin, subject_person=org.report.pk)
        assert [r.action for r in about] == ["read"]

    def test_by_dates_both_ends_included(self, program_admin, entries):
        middle = entries[1].date()
        assert [r.action for r in self.rows(program_admin, since=middle, until=middle)] == [
            "export"
        ]
        assert [r.action for r in self.rows(program_admin, since=middle)] == ["delete", "export"]

    def test_a_bad_filter_is_a_400_with_the_message_at_its_field(self, program_admin, entries):
        response = client_for(program_admin).get(
            PAGE, {"since": "2026-05-02", "until": "2026-05-01", "action": "steal"}
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert "until" in form.errors and "action" in form.errors
        assert response.context["entries"] == []

    def test_it_pages_fifty_entries_at_a_time(self, program_admin):
        AuditLog.objects.bulk_create(
            [AuditLog(action=AuditAction.READ, target_type="x.y") for _ in range(51)]
        )
        client = client_for(program_admin)
        first = client.get(PAGE)
        assert len(first.context["entries"]) == 50
        assert len(client.get(PAGE, {"page": 2}).context["entries"]) == 1

    def test_a_page_costs_the_same_queries_however_many_people_it_names(self, program_admin, org):
        client = client_for(program_admin)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(PAGE).status_code == 200
            return len(captured)

        AuditLog.objects.record(actor=None, action="read", subject_person_id=org.report.pk)
        few = queries()
        for person in (org.ceo, org.manager, org.outsider, org.executive):
            AuditLog.objects.record(actor=None, action="read", subject_person_id=person.pk)
        assert queries() == few


class TestExport:
    def test_it_exports_the_filtered_entries_as_safe_csv(self, program_admin, entries):
        response = client_for(program_admin).get(EXPORT, {"action": "export"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0][:3] == ["at", "actor", "action"]
        assert len(rows) == 2
        assert rows[1][2] == "export"
        # The summary started with "=": a spreadsheet would run it as a formula.
        assert rows[1][6] == '\'=HYPERLINK("http://evil.example/")'

    def test_the_export_is_itself_recorded(self, program_admin, entries):
        client_for(program_admin).get(EXPORT, {"actor": "cleo"})
        last = AuditLog.objects.first()
        assert last.actor == program_admin
        assert last.action == AuditAction.EXPORT
        assert last.target_type == "accounts.auditlog"
        assert "actor=cleo" in last.summary

    def test_a_bad_filter_exports_nothing(self, program_admin, entries):
        before = AuditLog.objects.count()
        response = client_for(program_admin).get(EXPORT, {"subject_person": "abc"})
        assert response.status_code == 400
        assert AuditLog.objects.count() == before


class TestApi:
    def test_it_lists_entries_newest_first_with_a_count(self, program_admin, entries):
        body = token_client(program_admin).get(API).json()
        assert body["count"] == 3
        assert [item["action"] for item in body["items"]] == ["delete", "export", "read"]
        read = body["items"][2]
        assert read["actor"] == "Cleo Coach"
        assert read["target_type"] == "coaching.sessionnote"

    def test_it_filters_like_the_page(self, program_admin, entries, org):
        client = token_client(program_admin)
        middle = entries[1].date().isoformat()
        for query, expected in [
            ({"actor": "cleo"}, ["read"]),
            ({"action": "delete"}, ["delete"]),
            ({"target_type": "insights.program"}, ["export"]),
            ({"subject_person": org.report.pk}, ["read"]),
            ({"since": middle, "until": middle}, ["export"]),
        ]:
            body = client.get(API, query).json()
            assert [item["action"] for item in body["items"]] == expected, query

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"action": "steal"}, "action"),
            ({"since": "2026-05-02", "until": "2026-05-01"}, "until"),
            ({"subject_person": "0"}, "subject_person"),
            ({"since": "yesterday"}, "since"),
        ],
    )
    def test_bad_filters_are_a_422_naming_the_field(self, program_admin, query, field):
        response = token_client(program_admin).get(API, query)
        assert response.status_code == 422
        assert any(error["loc"][-1] == field for error in response.json()["detail"])

    def test_the_api_knows_every_audit_action(self):
        assert set(AuditActionName.__args__) == set(AuditAction.values)
