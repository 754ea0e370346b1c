"""/api/v1 check-ins, next steps (action items) and the manager's team."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.api.testing import token_client
from tandem.programs import services
from tandem.programs.models import ActionItem, CheckIn
from tandem.tests.factories import PersonFactory, enroll, running_program

TODAY = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def plan(org):
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC), tick=False):
        return enroll(running_program(), org.report)


def checkins_url(plan):
    return f"/api/v1/plans/{plan.pk}/check-ins"


def new_checkin(org, **overrides):
    body = {
        "held_on": "2026-03-02",
        "attendee_ids": [org.report.pk, org.manager.pk],
        "progress": "Delegated the weekly report twice",
        "blockers": "",
        "next_steps": [
            {"title": "Review the report together", "owner_id": org.report.pk,
             "due_date": "2026-03-16"},
        ],
    }  # fmt: skip
    body.update(overrides)
    return body


def counts():
    return CheckIn.objects.count(), ActionItem.objects.count()


def error_locs(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def record(plan, org, title="Step", due=datetime.date(2026, 3, 16), owner=None, **kw):
    return services.checkin_record(
        plan=plan,
        held_on=kw.pop("held_on", TODAY),
        attendees=[org.report],
        progress="p",
        blockers="",
        next_steps=[services.NextStep(title, owner or org.report, due)],
        recorded_by=org.manager.user,
    )


class TestCreate:
    def test_it_records_a_checkin_and_answers_201(self, org, plan):
        response = token_client(org.manager.user).post(
            checkins_url(plan), new_checkin(org), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        checkin = CheckIn.objects.get()
        step = checkin.next_steps.get()
        assert body == {
            "id": checkin.pk,
            "plan_id": plan.pk,
            "cycle_number": 1,
            "held_on": "2026-03-02",
            "attendees": [
                {"id": org.manager.pk, "full_name": "Max Manager"},
                {"id": org.report.pk, "full_name": "Rita Report"},
            ],
            "progress": "Delegated the weekly report twice",
            "blockers": "",
            "next_steps": [
                {
                    "id": step.pk,
                    "plan_id": plan.pk,
                    "checkin_id": checkin.pk,
                    "title": "Review the report together",
                    "owner": {"id": org.report.pk, "full_name": "Rita Report"},
                    "due_date": "2026-03-16",
                    "done_on": None,
                    "is_overdue": False,
                }
            ],
        }

    def test_it_refuses_a_checkin_without_a_next_step_and_writes_nothing(self, org, plan):
        response = token_client(org.manager.user).post(
            checkins_url(plan), new_checkin(org, next_steps=[]), content_type="application/json"
        )
        assert error_locs(response) == {("body", "payload", "next_steps")}
        assert counts() == (0, 0)

    def test_it_refuses_a_checkin_missing_its_next_steps_and_writes_nothing(self, org, plan):
        body = new_checkin(org)
        del body["next_steps"]
        response = token_client(org.manager.user).post(
            checkins_url(plan), body, content_type="application/json"
        )
        assert ("body", "payload", "next_steps") in error_locs(response)
        assert counts() == (0, 0)

    def test_it_refuses_a_next_step_due_before_the_checkin(self, org, plan):
        steps = [{"title": "Late", "owner_id": org.report.pk, "due_date": "2026-03-01"}]
        response = token_client(org.manager.user).post(
            checkins_url(plan), new_checkin(org, next_steps=steps), content_type="application/json"
        )
        assert error_locs(response) == {("body", "payload", "next_steps", 0, "due_date")}
        assert counts() == (0, 0)

    def test_it_names_each_bad_field(self, org, plan):
        steps = [
            {"title": "Fine", "owner_id": org.report.pk, "due_date": "2026-03-10"},
            {"title": "  ", "owner_id": org.outsider.pk, "due_date": "2026-03-10"},
        ]
        body = new_checkin(
            org, held_on="2026-03-03", attendee_ids=[org.outsider.pk], next_steps=steps
        )
        response = token_client(org.manager.user).post(
            checkins_url(plan), body, content_type="application/json"
        )
        assert error_locs(response) == {
            ("body", "payload", "held_on"),
            ("body", "payload", "attendee_ids"),
            ("body", "payload", "next_steps", 1, "title"),
            ("body", "payload", "next_steps", 1, "owner_id"),
        }
        assert counts() == (0, 0)

    def test_its_inputs_are_strict(self, org, plan):
        body = new_checkin(org, held_on="2026-03-02T10:00:00", progress=1, extra="x")
        response = token_client(org.manager.user).post(
            checkins_url(plan), body, content_type="application/json"
        )
        assert {loc[-1] for loc in error_locs(response)} == {"held_on", "progress", "extra"}
        assert counts() == (0, 0)

    def test_a_program_admin_may_name_anyone(self, org, plan, program_admin):
        mentor = PersonFactory(manager=org.ceo)
        steps = [{"title": "Intro", "owner_id": mentor.pk, "due_date": "2026-03-10"}]
        response = token_client(program_admin).post(
            checkins_url(plan),
            new_checkin(org, attendee_ids=[org.report.pk, mentor.pk], next_steps=steps),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    def test_an_outsider_gets_404_and_writes_nothing(self, org, plan):
        for person in (org.outsider, org.executive):
            response = token_client(person.user).post(
                checkins_url(plan), new_checkin(org), content_type="application/json"
            )
            assert response.status_code == 404
        assert counts() == (0, 0)

    def test_anonymous_is_refused(self, client, org, plan):
        response = client.post(
            checkins_url(plan), new_checkin(org), content_type="application/json"
        )
        assert response.status_code == 401
        assert counts() == (0, 0)


class TestList:
    def test_it_lists_a_plans_checkins_newest_first(self, org, plan):
        older = record(plan, org, held_on=datetime.date(2026, 2, 16))
        newer = record(plan, org)
        response = token_client(org.report.user).get(checkins_url(plan))
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 2
        assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
        assert body["items"][0]["next_steps"][0]["title"] == "Step"

    def test_an_outsider_gets_404(self, org, plan):
        assert token_client(org.outsider.user).get(checkins_url(plan)).status_code == 404

    def test_its_queries_do_not_grow_with_the_checkins(self, org, plan):
        api = token_client(org.report.user)
        record(plan, org)
        api.get(checkins_url(plan))  # the token's first use is recorded
        with CaptureQueriesContext(connection) as few:
            api.get(checkins_url(plan))
        for n in range(5):
            record(plan, org, held_on=datetime.date(2026, 2, 3 + n))
        with CaptureQueriesContext(connection) as many:
            assert api.get(checkins_url(plan)).json()["count"] == 6
        assert len(many) == len(few)


class TestActionItems:
    @pytest.fixture
    def items(self, org, plan):
        late = record(plan, org, "Late", due=datetime.date(2026, 2, 20)).next_steps.get()
        managers = record(plan, org, "Manager's", owner=org.manager).next_steps.get()
        done = record(plan, org, "Done").next_steps.get()
        done.complete(on=TODAY)
        return late, managers, done

    def titles(self, user, query=""):
        response = token_client(user).get(f"/api/v1/action-items{query}")
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["items"]]

    def test_it_lists_the_steps_of_plans_the_caller_may_see(self, org, items, plan):
        assert self.titles(org.report.user) == ["Late", "Manager's", "Done"]
        assert self.titles(org.ceo.user) == ["Late", "Manager's", "Done"]
        assert self.titles(org.outsider.user) == []
        assert self.titles(org.executive.user) == []

    def test_it_filters(self, org, items, plan):
        user = org.manager.user
        assert self.titles(user, "?mine=true") == ["Manager's"]
        assert self.titles(user, "?mine=false") == ["Late", "Done"]
        assert self.titles(user, "?overdue=true") == ["Late"]
        assert self.titles(user, "?overdue=false") == ["Manager's", "Done"]
        assert self.titles(user, "?done=true") == ["Done"]
        assert self.titles(user, f"?plan={plan.pk}&done=false") == ["Late", "Manager's"]
        assert self.titles(user, f"?plan={plan.pk + 1}") == []

    def test_it_marks_overdue_steps(self, org, items):
        response = token_client(org.report.user).get(f"/api/v1/action-items/{items[0].pk}")
        assert response.status_code == 200
        assert response.json()["is_overdue"] is True

    def test_an_owner_sees_their_step_in_a_plan_they_cannot_see(self, org, plan):
        step = ActionItem.objects.create(
            plan=plan, title="Intro", owner=org.outsider, due_date=TODAY
        )
        assert self.titles(org.outsider.user) == ["Intro"]
        patch = token_client(org.outsider.user).patch(
            f"/api/v1/action-items/{step.pk}", {"done": True}, content_type="application/json"
        )
        assert patch.status_code == 200
        assert patch.json()["done_on"] == "2026-03-02"

    def test_the_owner_ticks_a_step_off_and_reopens_it(self, org, items):
        api = token_client(org.manager.user)
        url = f"/api/v1/action-items/{items[1].pk}"
        response = api.patch(url, {"done": True}, content_type="application/json")
        assert response.status_code == 200
        assert response.json()["done_on"] == "2026-03-02"
        response = api.patch(url, {"done": False}, content_type="application/json")
        assert response.json()["done_on"] is None
        items[1].refresh_from_db()
        assert items[1].done_on is None

    def test_done_must_be_a_boolean(self, org, items):
        response = token_client(org.report.user).patch(
            f"/api/v1/action-items/{items[0].pk}", {"done": 1}, content_type="application/json"
        )
        assert error_locs(response) == {("body", "payload", "done")}

    def test_an_outsider_gets_404_and_changes_nothing(self, org, items):
        api = token_client(org.outsider.user)
        url = f"/api/v1/action-items/{items[0].pk}"
        assert api.get(url).status_code == 404
        assert api.patch(url, {"done": True}, content_type="application/json").status_code == 404
        items[0].refresh_from_db()
        assert items[0].done_on is None

    def test_anonymous_is_refused(self, client, items):
        assert client.get("/api/v1/action-items").status_code == 401
        url = f"/api/v1/action-items/{items[0].pk}"
        assert client.patch(url, {"done": True}, content_type="application/json").status_code == 401


class TestTeam:
    def test_a_manager_gets_their_teams_plans(self, org, plan):
        record(
            plan, org, "Late", due=datetime.date(2026, 2, 20), held_on=datetime.date(2026, 2, 10)
        )
        response = token_client(org.manager.user).get("/api/v1/team")
        assert response.status_code == 200
        assert response.json() == {
            "count": 1,
            "items": [
                {
                    "plan_id": plan.pk,
                    "person": {"id": org.report.pk, "full_name": "Rita Report"},
                    "is_direct_report": True,
                    "program_id": plan.enrollment.program_id,
                    "program_name": plan.enrollment.program.name,
                    "cycle_number": 1,
                    "stage": "assess",
                    "goals_achieved": 0,
                    "goals_total": 0,
                    "last_checkin_on": "2026-02-10",
                    "next_checkin_due": "2026-02-24",
                    "checkin_overdue": True,
                    "open_items": 1,
                    "overdue_items": 1,
                }
            ],
        }

    def test_someone_without_reports_gets_an_empty_list(self, org, plan):
        response = token_client(org.report.user).get("/api/v1/team")
        assert response.json() == {"count": 0, "items": []}

    def test_the_ceo_sees_the_indirect_report(self, org, plan):
        [row] = token_client(org.ceo.user).get("/api/v1/team").json()["items"]
        assert (row["plan_id"], row["is_direct_report"]) == (plan.pk, False)

    def test_anonymous_is_refused(self, client):
        assert client.get("/api/v1/team").status_code == 401
