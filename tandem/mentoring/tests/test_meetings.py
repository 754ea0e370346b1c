"""Meetings: logged once they happened; each side's private notes for their author;
one meeting for a whole group; a flash relationship closes after its one meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.accounts.models import AuditLog
from tandem.mentoring import relationship_access as access
from tandem.mentoring import relationships as services
from tandem.mentoring.models import MeetingAttendance, MentoringSettings
from tandem.mentoring.tests.relationship_fixtures import *  # noqa: F403
from tandem.mentoring.tests.relationship_fixtures import activate, propose

pytestmark = pytest.mark.django_db


def record(**kwargs):
    kwargs.setdefault("held_on", timezone.localdate())
    kwargs.setdefault("duration_minutes", 45)
    kwargs.setdefault("mode", "video")
    return services.MeetingRecord(**kwargs)


def test_each_side_reads_only_its_own_private_notes(active):
    meeting = services.meeting_log(
        relationship=active,
        user=active.mentor.user,
        record=record(topics="Career map", next_step="Draft a plan", notes="MENTOR-PRIVATE"),
    )
    services.meeting_notes_save(meeting=meeting, user=active.mentee.user, notes="MENTEE-PRIVATE")
    as_mentor = access.read_meetings(active.mentor.user, active, via="test")
    as_mentee = access.read_meetings(active.mentee.user, active, via="test")
    assert as_mentor[0].my_notes == "MENTOR-PRIVATE" and as_mentee[0].my_notes == "MENTEE-PRIVATE"
    assert as_mentee[0].meeting.topics == "Career map"
    assert AuditLog.objects.filter(summary__startswith="Mentoring meetings").count() == 2


def test_an_admin_reads_no_content(active, program_admin):
    services.meeting_log(relationship=active, user=active.mentor.user, record=record())
    with pytest.raises(access.PermissionDenied):
        access.read_meetings(program_admin, active, via="test")
    summary = access.admin_summary(active)
    assert summary.meeting_dates == [timezone.localdate()]


def test_a_future_meeting_is_a_field_error_and_nothing_is_written(active):
    with pytest.raises(ValidationError) as error:
        services.meeting_log(
            relationship=active,
            user=active.mentee.user,
            record=record(held_on=timezone.localdate() + datetime.timedelta(days=1)),
        )
    assert "held_on" in error.value.message_dict
    assert not MeetingAttendance.objects.exists()


def test_no_meeting_before_the_agreement(accepted):
    with pytest.raises(services.Refused):
        services.meeting_log(relationship=accepted, user=accepted.mentor.user, record=record())


def test_a_group_meeting_is_logged_once_for_the_whole_group(mentoring_program, mentor, org):
    MentoringSettings.objects.filter(program=mentoring_program).update(format="group")
    first = activate(propose(mentoring_program, org.report, mentor))
    second = activate(propose(mentoring_program, org.outsider, mentor))
    meeting = services.meeting_log(relationship=first, user=mentor.user, record=record())
    assert set(meeting.relationships.all()) == {first, second}
    services.meeting_notes_save(meeting=meeting, user=org.report.user, notes="RITA-ONLY")
    seen_by_otto = access.read_meetings(org.outsider.user, second, via="test")
    assert seen_by_otto[0].group_size == 2 and seen_by_otto[0].my_notes == ""


def test_a_flash_relationship_closes_after_its_meeting(mentoring_program, mentee, mentor):
    MentoringSettings.objects.filter(program=mentoring_program).update(format="flash")
    relationship = activate(propose(mentoring_program, mentee, mentor))
    services.meeting_log(relationship=relationship, user=mentor.user, record=record())
    relationship.refresh_from_db()
    assert relationship.status == "closed" and relationship.closed_by == "mentor"
