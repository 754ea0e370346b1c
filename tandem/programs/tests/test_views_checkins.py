"""The check-in pages: recording a check-in that ends in next steps, the list of a
plan's check-ins, ticking next steps off, and the plan page's check-ins panel."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import ActionItem, CheckIn, EnrollmentStatus
from tandem.tests.factories import PersonFactory, enroll, running_program

TODAY = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    """Every test runs on 2 March 2026, 10:00 UTC; plans start on 2 February."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def plan(org):
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC), tick=False):
        return enroll(running_program(), org.report)


def create_url(plan):
    return reverse("programs:checkin-create", args=[plan.pk])


def form_data(org, *, steps=(), **overrides):
    """A valid check-in form; `steps` are dicts for the next-step rows (3 rows in all)."""
    data = {
        "held_on": "2026-03-02",
        "attendees": [org.report.pk, org.manager.pk],
        "other_attendees": "",
        "progress": "Delegated the weekly report twice",
        "blockers": "The team lacks access to the data",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
    }
    for index in range(3):
        step = {"title": "", "owner": "participant", "owner_employee_id": "", "due_date": ""}
        if index < len(steps):
            step.update(steps[index])
        data.update({f"steps-{index}-{key}": value for key, value in step.items()})
    data.update(overrides)
    return data


ONE_STEP = ({"title": "Review the report together", "due_date": "2026-03-16"},)


def counts():
    return CheckIn.objects.count(), ActionItem.objects.count()


def record(plan, org, title="Review the report together", due=datetime.date(2026, 3, 16), **kw):
    defaults = {
        "held_on": TODAY,
        "attendees": [org.report, org.manager],
        "progress": "Talked it through",
        "blockers": "",
        "next_steps": [services.NextStep(title, org.report, due)],
        "recorded_by": org.manager.user,
    }
    defaults.update(kw)
    return services.checkin_record(plan=plan, **defaults)


class TestRecordPage:
    def test_it_redirects_anonymous_visitors_to_login(self, client, plan):
        response = client.get(create_url(plan))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_offers_the_participant_their_manager_and_three_empty_next_steps(
        self, client, org, plan
    ):
        client.force_login(org.report.user)
        response = client.get(create_url(plan))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Rita Report (participant)" in content
        assert "Max Manager (manager)" in content
        assert 'name="held_on" value="2026-03-02"' in content  # today by default
        assert 'name="steps-TOTAL_FORMS" value="3"' in content
        assert 'name="steps-2-title"' in content
        assert 'name="steps-3-title"' not in content
        assert reverse("programs:plan-detail", args=[plan.pk]) in content

    def test_it_records_a_checkin_with_its_next_steps_and_returns_to_the_plan(
        self, client, org, plan
    ):
        mentor = PersonFactory(first_name="Mia", manager=org.manager, employee_id="M0042")
        client.force_login(org.manager.user)
        steps = (
            {"title": "Review the report together", "due_date": "2026-03-16"},
            {"title": "Share the dashboard", "owner": "manager", "due_date": "2026-03-09"},
            {
                "title": "Pair on the analysis",
                "owner": "other",
                "owner_employee_id": "m0042",
                "due_date": "2026-03-02",
            },
        )
        response = client.post(
            create_url(plan), form_data(org, steps=steps, other_attendees="M0042")
        )
        assert response.status_code == 302, response.content.decode()
        assert response["Location"] == reverse("programs:plan-detail", args=[plan.pk])
        checkin = CheckIn.objects.get()
        assert checkin.plan == plan and checkin.held_on == TODAY
        assert checkin.recorded_by == org.manager.user
        assert checkin.blockers == "The team lacks access to the data"
        assert set(checkin.attendees.all()) == {org.report, org.manager, mentor}
        assert [(s.title, s.owner, s.due_date) for s in checkin.next_steps.order_by("pk")] == [
            ("Review the report together", org.report, datetime.date(2026, 3, 16)),
            ("Share the dashboard", org.manager, datetime.date(2026, 3, 9)),
            ("Pair on the analysis", mentor, TODAY),
        ]

    def test_it_refuses_a_checkin_without_a_next_step_and_writes_nothing(self, client, org, plan):
        client.force_login(org.manager.user)
        response = client.post(create_url(plan), form_data(org))
        assert response.status_code == 400
        content = response.content.decode()
        section = content[content.index('id="next-steps"') :]
        assert "Agree at least one next step, with an owner and a due date." in section
        assert counts() == (0, 0)
        # What was typed is kept.
        assert "Delegated the weekly report twice" in content

    def test_it_refuses_a_next_step_due_before_the_checkin(self, client, org, plan):
        client.force_login(org.manager.user)
        steps = ({"title": "Catch up", "due_date": "2026-03-01"},)
        response = client.post(create_url(plan), form_data(org, steps=steps))
        assert response.status_code == 400
        assert "A next step is due on or after the check-in" in response.content.decode()
        assert counts() == (0, 0)

    def test_it_checks_a_next_steps_fields(self, client, org, plan):
        client.force_login(org.manager.user)
        steps = ({"title": "Catch up"}, {"due_date": "2026-03-20"})
        response = client.post(create_url(plan), form_data(org, steps=steps))
        assert response.status_code == 400
        steps_form = response.context["steps"]
        assert "due_date" in steps_form.forms[0].errors
        assert "title" in steps_form.forms[1].errors
        assert counts() == (0, 0)

    def test_it_refuses_a_date_in_the_future(self, client, org, plan):
        client.force_login(org.manager.user)
        response = client.post(
            create_url(plan), form_data(org, steps=ONE_STEP, held_on="2026-03-03")
        )
        assert response.status_code == 400
        assert "held_on" in response.context["form"].errors
        assert counts() == (0, 0)

    def test_it_requires_what_progressed_and_who_met(self, client, org, plan):
        client.force_login(org.manager.user)
        response = client.post(
            create_url(plan), form_data(org, steps=ONE_STEP, progress=" ", attendees=[])
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"progress", "attendees"}
        assert counts() == (0, 0)

    def test_it_does_not_name_people_the_recorder_may_not_see(self, client, org, plan):
        """The participant cannot look up a colleague from another team by employee id."""
        client.force_login(org.report.user)
        outsider_id = org.outsider.employee_id
        steps = ({"title": "Ask a colleague", "owner": "other", "owner_employee_id": outsider_id,
                  "due_date": "2026-03-10"},)  # fmt: skip
        response = client.post(
            create_url(plan), form_data(org, steps=steps, other_attendees=outsider_id)
        )
        assert response.status_code == 400
        content = response.content.decode()
        assert f"No one you can name here has the employee id {outsider_id}." in content
        assert "Outsider" not in content
        assert counts() == (0, 0)

    def test_someone_else_as_owner_needs_their_employee_id(self, client, org, plan):
        client.force_login(org.manager.user)
        steps = ({"title": "Ask HR", "owner": "other", "due_date": "2026-03-10"},)
        response = client.post(create_url(plan), form_data(org, steps=steps))
        assert response.status_code == 400
        assert "owner_employee_id" in response.context["steps"].forms[0].errors

    def test_the_chain_and_admins_may_record(self, client, org, plan, program_admin):
        for user in (org.report.user, org.ceo.user, program_admin):
            client.force_login(user)
            response = client.post(create_url(plan), form_data(org, steps=ONE_STEP))
            assert response.status_code == 302, user
        assert counts() == (3, 3)

    def test_an_outsider_gets_not_found_and_writes_nothing(self, client, org, plan):
        for person in (org.outsider, org.executive):
            client.force_login(person.user)
            assert client.get(create_url(plan)).status_code == 404
            response = client.post(create_url(plan), form_data(org, steps=ONE_STEP))
            assert response.status_code == 404
        assert counts() == (0, 0)

    def test_it_adds_another_next_step_row_for_htmx(self, client, org, plan):
        client.force_login(org.manager.user)
        url = reverse("programs:next-step-row", args=[plan.pk])
        response = client.get(url, {"steps-TOTAL_FORMS": "3"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="steps-3-title"' in content
        assert "Next step 4" in content
        assert 'name="steps-TOTAL_FORMS" value="4"' in content
        assert 'hx-swap-oob="true"' in content

    def test_the_row_endpoint_stops_at_the_maximum_and_is_denied_to_outsiders(
        self, client, org, plan
    ):
        url = reverse("programs:next-step-row", args=[plan.pk])
        client.force_login(org.manager.user)
        assert client.get(url, {"steps-TOTAL_FORMS": "20"}).status_code == 204
        client.force_login(org.outsider.user)
        assert client.get(url, {"steps-TOTAL_FORMS": "3"}).status_code == 404


class TestCheckinList:
    def test_it_lists_a_plans_checkins_newest_first(self, client, org, plan):
        record(plan, org, "First step", held_on=datetime.date(2026, 2, 16))
        record(plan, org, "Second step")
        client.force_login(org.report.user)
        response = client.get(reverse("programs:checkin-list", args=[plan.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert content.index("Second step") < content.index("First step")
        assert "Max Manager" in content

    def test_it_shows_an_empty_state(self, client, org, plan):
        client.force_login(org.report.user)
        response = client.get(reverse("programs:checkin-list", args=[plan.pk]))
        assert "No check-ins yet" in response.content.decode()

    def test_an_outsider_gets_not_found(self, client, org, plan):
        client.force_login(org.outsider.user)
        assert client.get(reverse("programs:checkin-list", args=[plan.pk])).status_code == 404

    def test_its_queries_do_not_grow_with_the_checkins(self, client, org, plan):
        client.force_login(org.report.user)
        url = reverse("programs:checkin-list", args=[plan.pk])
        record(plan, org)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for n in range(5):
            record(plan, org, f"Step {n}", held_on=datetime.date(2026, 2, 3 + n))
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)


class TestActionItems:
    @pytest.fixture
    def items(self, org, plan):
        checkin = record(plan, org, due=datetime.date(2026, 3, 9))
        mine = checkin.next_steps.get()
        theirs = ActionItem.objects.create(
            plan=plan,
            checkin=checkin,
            title="Send the agenda",
            owner=org.manager,
            due_date=datetime.date(2026, 3, 9),
        )
        return mine, theirs

    def done_url(self, item):
        return reverse("programs:action-item-done", args=[item.pk])

    def test_anonymous_is_sent_to_login(self, client, items):
        response = client.post(self.done_url(items[0]))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_the_participant_ticks_a_step_off_and_returns_where_they_were(
        self, client, org, plan, items
    ):
        client.force_login(org.report.user)
        response = client.post(self.done_url(items[0]), {"next": "/programs/my-plan/"})
        assert response.status_code == 302
        assert response["Location"] == "/programs/my-plan/"
        items[0].refresh_from_db()
        assert items[0].done_on == TODAY

    def test_it_reopens_a_step(self, client, org, items):
        items[0].complete(on=TODAY)
        client.force_login(org.manager.user)
        response = client.post(reverse("programs:action-item-reopen", args=[items[0].pk]))
        assert response.status_code == 302
        items[0].refresh_from_db()
        assert items[0].done_on is None

    def test_the_chain_and_admins_may_tick_off(self, client, org, items, program_admin):
        for user in (org.manager.user, org.ceo.user, program_admin):
            items[1].done_on = None
            items[1].save()
            client.force_login(user)
            assert client.post(self.done_url(items[1])).status_code == 302
            items[1].refresh_from_db()
            assert items[1].done_on == TODAY

    def test_an_owner_outside_the_plans_readers_may_tick_off_their_own_step(
        self, client, org, plan, items
    ):
        step = ActionItem.objects.create(
            plan=plan, title="Introduce Rita", owner=org.outsider, due_date=TODAY
        )
        client.force_login(org.outsider.user)
        response = client.post(self.done_url(step))
        assert response.status_code == 302
        assert response["Location"] == reverse("programs:team")  # not the plan they cannot see
        step.refresh_from_db()
        assert step.done_on == TODAY
        # Other steps of the plan stay hidden.
        assert client.post(self.done_url(items[0])).status_code == 404

    def test_an_outsider_gets_not_found_and_changes_nothing(self, client, org, items):
        for person in (org.outsider, org.executive):
            client.force_login(person.user)
            assert client.post(self.done_url(items[0])).status_code == 404
            reopen = reverse("programs:action-item-reopen", args=[items[0].pk])
            assert client.post(reopen).status_code == 404
        items[0].refresh_from_db()
        assert items[0].done_on is None

    def test_it_only_answers_post(self, client, org, items):
        client.force_login(org.report.user)
        assert client.get(self.done_url(items[0])).status_code == 405

    def test_it_ignores_a_next_address_on_another_site(self, client, org, plan, items):
        client.force_login(org.report.user)
        response = client.post(self.done_url(items[0]), {"next": "https://evil.example.com/"})
        assert response["Location"] == reverse("programs:plan-detail", args=[plan.pk])

    def test_htmx_swaps_the_plans_panel(self, client, org, plan, items):
        client.force_login(org.report.user)
        response = client.post(
            self.done_url(items[0]),
            headers={"HX-Request": "true", "HX-Target": f"checkins-panel-{plan.pk}"},
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert f'id="checkins-panel-{plan.pk}"' in content
        assert "Send the agenda" in content  # still open
        assert "<strong>Review the report together</strong>" not in content  # done


class TestPanel:
    def render(self, plan, user):
        request = RequestFactory().get(f"/programs/plans/{plan.pk}/")
        request.user = user
        template = Template('{% include "programs/snippets/checkins_panel.html" %}')
        return template.render(Context({"plan": plan, "request": request}))

    def test_it_shows_the_next_checkin_and_the_open_steps_with_overdue_highlighted(self, org, plan):
        record(
            plan,
            org,
            "Late step",
            held_on=datetime.date(2026, 2, 16),
            due=datetime.date(2026, 2, 20),
        )
        record(
            plan,
            org,
            "Fresh step",
            held_on=datetime.date(2026, 2, 17),
            due=datetime.date(2026, 3, 20),
        )
        html = self.render(plan, org.report.user)
        assert "3 March 2026" in html or "March 3, 2026" in html  # 17 Feb + 14 days
        assert html.count("Overdue") == 2  # the late step in the list and in its check-in
        assert reverse("programs:checkin-create", args=[plan.pk]) in html
        assert (
            reverse(
                "programs:action-item-done", args=[ActionItem.objects.get(title="Late step").pk]
            )
            in html
        )

    def test_it_flags_an_overdue_checkin(self, org, plan):
        html = self.render(plan, org.report.user)  # started 2 Feb, due 16 Feb
        assert "badge-danger" in html
        assert "No check-ins yet" in html

    def test_a_finished_enrollment_has_no_next_checkin(self, org, plan):
        plan.enrollment.status = EnrollmentStatus.COMPLETED
        plan.enrollment.save()
        html = self.render(plan, org.report.user)
        assert "Overdue" not in html

    def test_its_queries_do_not_grow_with_the_checkins_and_steps(self, org, plan):
        record(plan, org)
        with CaptureQueriesContext(connection) as few:
            self.render(plan, org.report.user)
        for n in range(6):
            record(plan, org, f"Step {n}", held_on=datetime.date(2026, 2, 3 + n))
        with CaptureQueriesContext(connection) as many:
            self.render(plan, org.report.user)
        assert len(many) == len(few) <= 6
