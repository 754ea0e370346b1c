"""What is said in coaching stays with the coach and the coachee.

An admin (a superuser with staff access, so also the Django admin), the coachee's
manager (the engagement's sponsor) and an executive viewer walk every coaching page,
endpoint, admin screen and export, and none of them gets a word of the notes, the
takeaways, the next steps or an unshared journal entry. In the database the text is
ciphertext that does not open without the key; reads by the two parties are audited;
emails and logs carry none of it."""

import datetime
import io
import logging

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.coaching import services
from tandem.coaching.models import ActionItem, JournalEntry, Session, SessionNotes
from tandem.coaching.tests.factories import booked
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "goal": "SECRET-GOAL wants to stop micromanaging",
    "reality": "SECRET-REALITY is afraid of the board",
    "options": "SECRET-OPTIONS ask the team first",
    "will": "SECRET-WILL talk to the manager about workload",
    "takeaways": "SECRET-TAKEAWAY I overreact to criticism",
    "step": "SECRET-STEP apologise to Dana",
    "journal": "SECRET-JOURNAL shouted at a colleague",
    "shared": "SECRET-SHARED felt ignored in planning",
}
MARKERS = ("SECRET-",)


def leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


@pytest.fixture
def said(org, engagement, caplog):
    """A held session with notes, a next step, the coachee's takeaways and two journal
    entries (one shared with the coach), all written through the workflows."""
    caplog.set_level(logging.DEBUG)
    session = booked(engagement)
    services.session_hold(
        session=session,
        grow=services.Grow(
            SECRETS["goal"], SECRETS["reality"], SECRETS["options"], SECRETS["will"]
        ),
        next_steps=[
            services.NextStep(
                SECRETS["step"], "coachee", timezone.localdate() + datetime.timedelta(days=7)
            )
        ],
        held_by=engagement.coach.user,
    )
    services.session_rate(
        session=session, rating=5, takeaways=SECRETS["takeaways"], by=org.report.user
    )
    private = JournalEntry.objects.create(
        author=org.report, trigger="criticism", situation=SECRETS["journal"]
    )
    shared = JournalEntry.objects.create(
        author=org.report, trigger="not_heard", situation=SECRETS["shared"], shared_with_coach=True
    )
    return session, private, shared


@pytest.fixture
def superuser_admin(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def pages(session, engagement, private, shared):
    item = ActionItem.objects.get()
    goal_page = []
    if engagement.plan_id:
        goal_page = [reverse("programs:plan-detail", args=[engagement.plan_id])]
    return [
        reverse("coaching:home"),
        reverse("coaching:engagement-list"),
        reverse("coaching:engagement-export"),
        reverse("coaching:engagement-detail", args=[engagement.pk]),
        reverse("coaching:session-detail", args=[session.pk]),
        reverse("coaching:session-hold", args=[session.pk]),
        reverse("coaching:session-notes", args=[session.pk]),
        reverse("coaching:session-rate", args=[session.pk]),
        reverse("coaching:action-items"),
        reverse("coaching:workload"),
        reverse("coaching:journal"),
        reverse("coaching:journal-detail", args=[private.pk]),
        reverse("coaching:journal-detail", args=[shared.pk]),
        reverse("coaching:coach-list"),
        reverse("coaching:coach-detail", args=[engagement.coach_id]),
        *goal_page,
        f"/api/v1/coaching/engagements/{engagement.pk}",
        "/api/v1/coaching/engagements",
        f"/api/v1/coaching/engagements/{engagement.pk}/sessions",
        f"/api/v1/coaching/sessions/{session.pk}",
        f"/api/v1/coaching/sessions/{session.pk}/notes",
        "/api/v1/coaching/action-items",
        f"/api/v1/coaching/action-items/{item.pk}",
        "/api/v1/coaching/journal",
        f"/api/v1/coaching/journal/{private.pk}",
        f"/api/v1/coaching/journal/{shared.pk}",
        "/api/v1/coaching/journal/trends",
    ]


def admin_screens(session, engagement, private, shared):
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label != "coaching":
            continue
        urls.append(reverse(f"admin:coaching_{opts.model_name}_changelist"))
        record = model._default_manager.first()
        if record is not None:
            urls.append(reverse(f"admin:coaching_{opts.model_name}_change", args=[record.pk]))
    return urls


@pytest.mark.parametrize("who", ["admin", "manager", "executive"])
def test_nobody_but_the_two_parties_gets_any_content(
    client, org, engagement, said, superuser_admin, who
):
    session, private, shared = said
    user = {"admin": superuser_admin, "manager": org.manager.user, "executive": org.executive.user}[
        who
    ]
    client.force_login(user)
    urls = pages(session, engagement, private, shared)
    if who == "admin":
        urls += admin_screens(session, engagement, private, shared)
    answered = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        answered += response.status_code == 200
        assert leaks(response.content.decode()) == [], (who, url)
    assert answered >= 3  # each of them may see something, just not what was said
    api = token_client(user)
    for url in urls:
        if url.startswith("/api/"):
            assert leaks(api.get(url).content.decode()) == [], (who, url)


def test_the_admin_is_told_no_rather_than_shown_the_notes(client, said, superuser_admin):
    session, *_ = said
    client.force_login(superuser_admin)
    assert client.get(reverse("coaching:session-detail", args=[session.pk])).status_code == 200
    assert client.get(f"/api/v1/coaching/sessions/{session.pk}/notes").status_code == 403
    assert client.get(reverse("coaching:session-rate", args=[session.pk])).status_code == 403


def test_the_admin_sees_the_metadata(client, said, superuser_admin):
    session, *_ = said
    client.force_login(superuser_admin)
    data = client.get(f"/api/v1/coaching/sessions/{session.pk}").json()
    assert data["status"] == "held" and data["rating"] == 5 and data["duration_minutes"] == 60
    assert data["location"] is None  # a meeting link is for the two parties


def test_the_coach_and_the_coachee_read_everything_and_each_read_is_audited(
    client, org, engagement, said
):
    session, _private, _shared = said
    for user in (engagement.coach.user, org.report.user):
        client.force_login(user)
        page = client.get(reverse("coaching:session-detail", args=[session.pk])).content.decode()
        for key in ("goal", "reality", "options", "will", "takeaways", "step"):
            assert SECRETS[key] in page
        notes = client.get(f"/api/v1/coaching/sessions/{session.pk}/notes").json()
        assert notes["will"] == SECRETS["will"]
    reads = AuditLog.objects.filter(
        action="read", target_type="coaching.session", target_id=str(session.pk)
    )
    assert {r.actor for r in reads} == {engagement.coach.user, org.report.user}
    assert {r.summary for r in reads} == {
        "Coaching session notes (session page)",
        "Coaching session notes (api)",
    }
    assert all(r.subject_person_id == org.report.pk for r in reads)
    assert not any(leaks(r.summary) for r in AuditLog.objects.all())


def test_the_coach_reads_a_shared_entry_but_not_a_private_one(client, org, engagement, said):
    _session, private, shared = said
    client.force_login(engagement.coach.user)
    assert client.get(reverse("coaching:journal-detail", args=[private.pk])).status_code == 404
    response = client.get(reverse("coaching:journal-detail", args=[shared.pk]))
    assert SECRETS["shared"] in response.content.decode()
    assert AuditLog.objects.filter(
        target_type="coaching.journalentry", actor=engagement.coach.user
    ).exists()
    assert client.get(reverse("coaching:journal-edit", args=[shared.pk])).status_code == 403


def test_the_database_holds_only_ciphertext_that_needs_the_key(said):
    session, private, _shared = said
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT goal, reality, options, will, takeaways FROM coaching_sessionnotes "
            "WHERE session_id = %s",
            [session.pk],
        )
        columns = cursor.fetchone()
        cursor.execute("SELECT title FROM coaching_actionitem")
        columns += cursor.fetchone()
        cursor.execute("SELECT situation FROM coaching_journalentry WHERE id = %s", [private.pk])
        columns += cursor.fetchone()
    assert len(columns) == 7
    for raw in columns:
        assert not leaks(raw) and raw.startswith("gAAAAA")  # a Fernet token
        with pytest.raises(InvalidToken):
            Fernet(Fernet.generate_key()).decrypt(raw.encode())
        assert (
            "SECRET-"
            in Fernet(settings.TANDEM_ENCRYPTION_KEYS[0].encode()).decrypt(raw.encode()).decode()
        )


def test_no_email_and_no_log_line_carries_content(said, caplog):
    assert mail.outbox  # pairing, invitations and the rating request went out
    for message in mail.outbox:
        assert leaks(message.subject + message.body) == []
        for attachment in message.attachments:
            assert leaks(str(attachment)) == []
    assert not any(leaks(record.getMessage()) for record in caplog.records)


def test_nothing_is_readable_through_str_or_repr(said):
    session, private, _shared = said
    notes = SessionNotes.objects.get(session=session)
    for record in (notes, ActionItem.objects.get(), private, Session.objects.get()):
        assert leaks(str(record)) == [] and leaks(repr(record)) == []


def test_a_new_key_rotates_the_notes_without_losing_them(said, settings):
    from tandem.accounts.encryption import rotate_encrypted_values

    session, private, _shared = said
    old = settings.TANDEM_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.TANDEM_ENCRYPTION_KEYS = [new, old]
    report = rotate_encrypted_values()
    assert report.unreadable == 0 and report.rotated >= 8
    settings.TANDEM_ENCRYPTION_KEYS = [new]
    assert SessionNotes.objects.get(session=session).will == SECRETS["will"]
    assert JournalEntry.objects.get(pk=private.pk).situation == SECRETS["journal"]
    assert ActionItem.objects.get().title == SECRETS["step"]


def test_dumpdata_exports_no_content(said):
    """An operator's `tandem dumpdata` is an export too: encrypted fields stay out."""
    out = io.StringIO()
    call_command("dumpdata", "coaching", stdout=out)
    assert "session" in out.getvalue()  # the records are there, their text is not
    assert leaks(out.getvalue()) == []
