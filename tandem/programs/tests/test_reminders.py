"""What is overdue (programs.overdue) and the daily email reminder job."""

import datetime
import signal
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tandem import scheduler
from tandem.programs import overdue, services
from tandem.programs.models import (
    DevelopmentPlan,
    EnrollmentStatus,
    ProgramStatus,
    ReminderSent,
)
from tandem.programs.tasks import overdue_reminders, send_overdue_reminders
from tandem.tests.factories import enroll, running_program

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TODAY = datetime.date(2026, 3, 2)
START = datetime.date(2026, 2, 2)  # plans start here; check-ins every 14 days


def at(day, hour=10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), datetime.UTC), tick=False
    )


def started(program, person, on=START):
    with at(on, 9):
        return enroll(program, person)


def record(plan, org, *, held_on, steps):
    """A check-in on `held_on` with `steps`: (title, owner, due date) tuples."""
    return services.checkin_record(
        plan=plan,
        held_on=held_on,
        attendees=[plan.person],
        progress="Private reflections on the team conflict",
        blockers="Personal matters",
        next_steps=[services.NextStep(*step) for step in steps],
        recorded_by=org.manager.user,
    )


def plan_ids(plans):
    return {plan.pk for plan in plans}


@pytest.fixture
def program(db):
    return running_program(name="Emerging leaders 2026")


@pytest.fixture
def plan(org, program):
    return started(program, org.report)


class TestOverdueCheckins:
    def test_a_checkin_is_overdue_the_day_after_it_was_due(self, org, plan):
        everyone = DevelopmentPlan.objects.all()
        assert plan.next_checkin_due() == datetime.date(2026, 2, 16)
        assert not overdue.overdue_checkins(everyone, datetime.date(2026, 2, 16)).exists()
        assert plan_ids(overdue.overdue_checkins(everyone, datetime.date(2026, 2, 17))) == {plan.pk}

    def test_a_checkin_moves_the_next_due_date(self, org, plan):
        record(
            plan,
            org,
            held_on=datetime.date(2026, 2, 20),
            steps=[("S", org.report, datetime.date(2026, 3, 20))],
        )
        everyone = DevelopmentPlan.objects.all()
        [row] = overdue.with_checkin_dates(everyone.select_related("enrollment__program"))
        assert row.last_checkin_on == datetime.date(2026, 2, 20)
        assert overdue.next_checkin_due(row) == plan.next_checkin_due() == datetime.date(2026, 3, 6)
        assert not overdue.overdue_checkins(everyone, datetime.date(2026, 3, 6)).exists()
        assert overdue.overdue_checkins(everyone, datetime.date(2026, 3, 7)).exists()

    def test_each_program_keeps_its_own_cadence(self, org, plan):
        weekly = running_program(checkin_every_days=7)
        monthly = running_program(checkin_every_days=30)
        weekly_plan = started(weekly, org.manager)
        started(monthly, org.outsider)
        everyone = DevelopmentPlan.objects.all()
        on = datetime.date(2026, 2, 10)  # 8 days after the start
        assert plan_ids(overdue.overdue_checkins(everyone, on)) == {weekly_plan.pk}
        on = datetime.date(2026, 3, 5)  # 31 days after
        assert len(overdue.overdue_checkins(everyone, on)) == 3

    def test_only_live_plans_are_overdue(self, org, plan, program):
        withdrawn = started(program, org.manager)
        withdrawn.enrollment.status = EnrollmentStatus.WITHDRAWN
        withdrawn.enrollment.save()
        completed = started(program, org.outsider)
        completed.enrollment.status = EnrollmentStatus.COMPLETED
        completed.enrollment.save()
        draft = running_program()
        draft_plan = started(draft, org.ceo)
        draft.status = ProgramStatus.DRAFT
        draft.save()
        on = datetime.date(2026, 3, 2)
        assert plan_ids(overdue.overdue_checkins(DevelopmentPlan.objects.all(), on)) == {plan.pk}
        assert overdue.is_checkin_overdue(
            overdue.with_checkin_dates(DevelopmentPlan.objects.filter(pk=draft_plan.pk)).get(), on
        ) is False  # fmt: skip

    def test_the_row_twin_agrees_with_the_query(self, org, plan, program):
        other = started(program, org.manager, on=datetime.date(2026, 2, 20))
        on = datetime.date(2026, 3, 2)
        rows = overdue.with_checkin_dates(
            DevelopmentPlan.objects.select_related("enrollment__program")
        )
        late = plan_ids(overdue.overdue_checkins(DevelopmentPlan.objects.all(), on))
        assert {row.pk for row in rows if overdue.is_checkin_overdue(row, on)} == late
        assert late == {plan.pk} and other.pk not in late

    def test_it_answers_in_a_fixed_number_of_queries(self, org, program, django_assert_num_queries):
        for person in (org.report, org.manager, org.outsider, org.ceo):
            started(program, person)
        running_program(checkin_every_days=7)
        with django_assert_num_queries(2):  # the cadences in use, then the plans
            assert (
                len(
                    overdue.overdue_checkins(
                        DevelopmentPlan.objects.all(), START + datetime.timedelta(days=20)
                    )
                )
                == 4
            )


class TestOverdueItems:
    def test_an_open_step_past_its_due_date_is_overdue(self, org, plan):
        checkin = record(
            plan,
            org,
            held_on=datetime.date(2026, 2, 10),
            steps=[
                ("Due yesterday", org.report, datetime.date(2026, 3, 1)),
                ("Due today", org.report, datetime.date(2026, 3, 2)),
                ("Done late", org.report, datetime.date(2026, 2, 20)),
            ],
        )
        checkin.next_steps.get(title="Done late").complete(on=datetime.date(2026, 3, 1))
        late = overdue.overdue_items(DevelopmentPlan.objects.all(), datetime.date(2026, 3, 2))
        assert [item.title for item in late] == ["Due yesterday"]

    def test_only_live_plans_have_overdue_steps(self, org, plan):
        record(plan, org, held_on=START, steps=[("Late", org.report, datetime.date(2026, 2, 20))])
        on = datetime.date(2026, 3, 2)
        assert overdue.overdue_items(DevelopmentPlan.objects.all(), on).count() == 1
        plan.enrollment.program.status = ProgramStatus.CLOSED
        plan.enrollment.program.save()
        assert overdue.overdue_items(DevelopmentPlan.objects.all(), on).count() == 0


@pytest.fixture
def overdue_org(org, plan, program):
    """On 2 March 2026: Rita's check-in is overdue (last one 10 Feb, due 24 Feb), she
    and her manager Max each own an overdue step; Otto is up to date."""
    record(
        plan,
        org,
        held_on=datetime.date(2026, 2, 10),
        steps=[
            ("Draft the delegation plan", org.report, datetime.date(2026, 2, 20)),
            ("Book the feedback training", org.manager, datetime.date(2026, 2, 25)),
            ("Not due yet", org.report, datetime.date(2026, 3, 20)),
        ],
    )
    outsider_plan = started(program, org.outsider, on=datetime.date(2026, 2, 20))
    record(
        outsider_plan,
        org,
        held_on=datetime.date(2026, 2, 27),
        steps=[("Fine", org.outsider, datetime.date(2026, 3, 10))],
    )
    return org


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def email_to(person):
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    return message


class TestReminderJob:
    def test_it_is_a_daily_periodic_job(self):
        schedule, _task = scheduler.registered()[send_overdue_reminders.module_path]
        assert schedule.every == datetime.timedelta(hours=24)

    def test_it_emails_the_participant_and_their_manager_and_nobody_else(self, overdue_org):
        org = overdue_org
        with at(datetime.date(2026, 3, 2)):
            result = send_overdue_reminders.enqueue()
        assert result.return_value == {
            "date": "2026-03-02",
            "sent": 2,
            "already_sent": 0,
            "failed": 0,
        }
        assert sent_to() == sorted([org.report.email, org.manager.email])

    def test_the_participant_reads_their_steps_and_their_checkin(self, overdue_org, settings):
        settings.TANDEM_BASE_URL = "https://tandem.example.com/"
        org = overdue_org
        with at(datetime.date(2026, 3, 2)):
            send_overdue_reminders.enqueue()
        message = email_to(org.report)
        assert message.subject == "Tandem: 2 overdue check-ins and next steps"
        assert message.body.startswith("Hello Rita,")
        assert "Draft the delegation plan" in message.body
        assert "Emerging leaders 2026: a check-in was due on" in message.body
        plan = org.report.plans.get()
        assert f"https://tandem.example.com/programs/plans/{plan.pk}/check-ins/new/" in message.body
        assert "https://tandem.example.com/programs/my-plan/" in message.body
        assert "Book the feedback training" not in message.body  # Max's step
        assert "Not due yet" not in message.body
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert "Draft the delegation plan" in html

    def test_the_manager_reads_their_own_step_and_their_teams_checkin_dates(self, overdue_org):
        org = overdue_org
        with at(datetime.date(2026, 3, 2)):
            send_overdue_reminders.enqueue()
        message = email_to(org.manager)
        assert "Book the feedback training" in message.body
        assert "Rita Report (Emerging leaders 2026): a check-in was due on" in message.body
        assert "/programs/team/" in message.body
        assert "Draft the delegation plan" not in message.body  # Rita's own step

    def test_nothing_confidential_goes_into_an_email(self, overdue_org):
        with at(datetime.date(2026, 3, 2)):
            send_overdue_reminders.enqueue()
        for message in mail.outbox:
            everything = message.body + message.alternatives[0][0]
            assert "Private reflections" not in everything
            assert "Personal matters" not in everything

    def test_nobody_is_emailed_when_nothing_is_overdue(self, overdue_org):
        with at(datetime.date(2026, 2, 16)):
            result = send_overdue_reminders.enqueue()
        assert result.return_value["sent"] == 0
        assert mail.outbox == []

    def test_people_who_left_are_not_emailed(self, overdue_org):
        org = overdue_org
        org.manager.exit_date = datetime.date(2026, 2, 28)
        org.manager.exit_type = "voluntary"
        org.manager.save()
        with at(datetime.date(2026, 3, 2)):
            send_overdue_reminders.enqueue()
        assert sent_to() == [org.report.email]

    def test_one_failed_email_does_not_stop_the_others(self, overdue_org):
        real_send = mail.EmailMultiAlternatives.send

        def send(message, *args, **kwargs):
            if message.to == [overdue_org.report.email]:
                raise OSError("mailbox unavailable")
            return real_send(message, *args, **kwargs)

        with (
            at(datetime.date(2026, 3, 2)),
            mock.patch.object(mail.EmailMultiAlternatives, "send", send),
        ):
            result = send_overdue_reminders.enqueue()
        assert (result.return_value["sent"], result.return_value["failed"]) == (1, 1)
        assert sent_to() == [overdue_org.manager.email]

    def test_it_gathers_the_reminders_in_a_fixed_number_of_queries(
        self, overdue_org, django_assert_num_queries
    ):
        with django_assert_num_queries(3):
            reminders = overdue_reminders(datetime.date(2026, 3, 2))
        assert [r.person for r in reminders] == [overdue_org.manager, overdue_org.report]


def run_worker():
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_sends_once_a_day_however_often_the_job_runs(org):
    program = running_program()
    plan = started(program, org.report)
    record(plan, org, held_on=START, steps=[("Late", org.report, datetime.date(2026, 2, 10))])

    with at(datetime.date(2026, 3, 2), 6) as clock:
        first = send_overdue_reminders.enqueue()
        run_worker()
        clock.shift(datetime.timedelta(hours=12))
        second = send_overdue_reminders.enqueue()  # say, a second worker or a manual run
        run_worker()
    # Rita's step and check-in are overdue; Max hears of the check-in.
    once = sorted([org.report.email, org.manager.email])
    assert DBTaskResult.objects.get(pk=first.id).return_value["sent"] == 2
    assert DBTaskResult.objects.get(pk=second.id).return_value["already_sent"] == 2
    assert sent_to() == once

    with at(datetime.date(2026, 3, 3), 6):
        third = send_overdue_reminders.enqueue()
        run_worker()
    assert DBTaskResult.objects.get(pk=third.id).return_value["sent"] == 2
    assert sent_to() == sorted(once * 2)


class TestOncePerDay:
    """A person gets at most one reminder a day, whoever runs the job and how often."""

    def test_a_person_already_reminded_today_is_skipped(self, overdue_org):
        ReminderSent.objects.create(person=overdue_org.report, sent_on=TODAY)
        with at(TODAY):
            result = send_overdue_reminders.enqueue()
        assert (result.return_value["sent"], result.return_value["already_sent"]) == (1, 1)
        assert sent_to() == [overdue_org.manager.email]

    def test_a_failed_send_is_not_recorded_so_the_next_run_retries(self, overdue_org):
        def broken(message, *args, **kwargs):
            raise OSError("SMTP down")

        with at(TODAY), mock.patch.object(mail.EmailMultiAlternatives, "send", broken):
            first = send_overdue_reminders.enqueue()
        assert first.return_value["failed"] == 2
        assert not ReminderSent.objects.exists()
        with at(TODAY):
            second = send_overdue_reminders.enqueue()
        assert second.return_value["sent"] == 2
        assert ReminderSent.objects.filter(sent_on=TODAY).count() == 2

    def test_the_next_day_reminds_again(self, overdue_org):
        with at(TODAY):
            send_overdue_reminders.enqueue()
        with at(TODAY + datetime.timedelta(days=1)):
            result = send_overdue_reminders.enqueue()
        assert result.return_value["sent"] == 2
        assert len(mail.outbox) == 4
