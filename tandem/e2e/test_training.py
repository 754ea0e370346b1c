"""Training in the browser: an admin creates a course with an objective, a question and
a session; a learner enrolls and takes the check before; the admin records attendance;
the learner takes the check after, answers the first burst when it is due (the next
due date is what the fsrs package itself computes) and logs a practice."""

import datetime

import fsrs
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.accounts.models import Role
from tandem.e2e.steps import sign_in, snapshot
from tandem.tests.factories import UserFactory
from tandem.training.models import Card, CourseSession, PracticeLog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "In Situation-Behaviour-Impact, the impact is..."
OPTIONS = ["the sanction that follows", "the consequence you observed", "their motive"]


def switch_to(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def test_course_session_enrollment_checks_burst_and_practice(page, org):
    UserFactory(username="hr", roles=[Role.PROGRAM_ADMIN])
    learner = org.report
    assert learner.user is not None

    # The admin creates the course, an objective, a question and a session.
    sign_in(page, "hr")
    page.goto("/training/")
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Title").fill("Feedback that lands")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback that lands")
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("Objective", exact=True).fill("Name the impact")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Write a question").click()
    page.get_by_label("Objective").select_option(label="Name the impact")
    page.get_by_label("Question", exact=True).fill(QUESTION)
    page.get_by_label("Options").fill("\n".join(OPTIONS))
    page.get_by_label("Correct option (from 1)").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Knowledge-check questions")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    page.get_by_role("link", name="Schedule a session").click()
    starts = (timezone.now() + datetime.timedelta(days=2)).astimezone(
        datetime.timezone(datetime.timedelta(hours=1))
    )
    page.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("External facilitator").fill("Ann Facilitator")
    page.get_by_label("Venue").fill("Paris office, room Ada")
    page.get_by_label("Seats").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Paris office, room Ada")).to_be_visible()
    session = CourseSession.objects.get(course__title="Feedback that lands")
    snapshot(page, "training-session")

    # The learner enrolls and takes the check before the session (a wrong answer).
    switch_to(page, learner.user.username)
    page.goto(f"/training/sessions/{session.pk}/")
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You have a seat.")).to_be_visible()
    page.get_by_role("link", name="Take the knowledge check before the session").click()
    page.get_by_label(OPTIONS[0]).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Name the impact")).to_be_visible()
    expect(page.get_by_text("0%").first).to_be_visible()

    # The session takes place (its time moves to this morning); the admin records it.
    session.starts_at = timezone.now() - datetime.timedelta(hours=4)
    session.save(update_fields=["starts_at"])
    switch_to(page, "hr")
    page.goto(f"/training/sessions/{session.pk}/")
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label(learner.full_name).check()
    page.get_by_role("button", name="Save attendance").click()
    card = Card.objects.get(seat__person=learner)
    assert card.due > timezone.now()

    # The learner takes the check after (right this time).
    switch_to(page, learner.user.username)
    page.goto(f"/training/sessions/{session.pk}/")
    page.get_by_role("link", name="Take the knowledge check after the session").click()
    page.get_by_label(OPTIONS[1]).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("100%").first).to_be_visible()

    # Days later the first burst is due: answered right and sure, it comes back when
    # FSRS says.
    card.due = timezone.now() - datetime.timedelta(minutes=5)
    card.save(update_fields=["due"])
    before = fsrs.Card(
        card_id=1,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
    page.goto("/")
    page.get_by_role("link", name="Answer now").first.click()
    item = page.locator(".burst-item")
    item.get_by_label(OPTIONS[1]).check()
    item.get_by_label("Sure", exact=True).check()
    item.get_by_role("button", name="Check").click()
    expect(page.locator(".burst-item").get_by_role("status")).to_have_text("Right")
    card.refresh_from_db()
    review = card.history.get()
    scheduler = fsrs.Scheduler(
        desired_retention=float(session.course.desired_retention),
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )
    expected, _log = scheduler.review_card(before, fsrs.Rating.Easy, review.reviewed_at)
    assert card.due == expected.due > timezone.now() + datetime.timedelta(days=2)
    expect(page.locator(".burst-item")).to_contain_text(
        f"Next on {timezone.localtime(card.due):%-d %b %Y}"
    )
    snapshot(page, "training-burst")

    # The learner logs what they tried at work.
    page.goto("/training/practice/new/")
    page.get_by_label("What I did").fill("Named the impact of late hand-overs with my report.")
    page.get_by_label("What happened").fill("She proposed a checklist herself.")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Named the impact of late hand-overs")).to_be_visible()
    assert PracticeLog.objects.filter(person=learner).count() == 1
