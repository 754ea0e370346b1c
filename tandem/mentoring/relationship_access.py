"""Who may see and do what in a mentoring relationship. Every page and endpoint of the
relationships half fetches through one `access_*` helper per resource, and reads what
is said in mentoring through the `read_*` functions here, which audit each read.

Rules (DESIGN.md: mentoring notes belong to the mentor and the mentee; admins see
cadence and satisfaction only):
- The mentee and the mentor see their relationship fully: the request and its
  questions, the agreement, meetings with their topics and next step, introductions.
- Each side's private notes are read by their author only: the mentor's notes of a
  meeting by the mentor, a mentee's notes by that mentee (in a group, not the other
  mentees). A check-in or a closing survey is its respondent's; the other side and
  admins see no comment.
- A program admin sees metadata only: who, status, format, the cadence, when they
  met and how often, the check-ins' satisfaction, the closing ratings and the count of
  introductions — never notes, topics, questions, comments or whom they were
  introduced to. Being a program admin adds nothing to a party either.
- Anyone else sees nothing: the record is "not found" (404), so ids cannot be probed;
  an admin asking for content is "forbidden" (403).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog
from tandem.mentoring.models import (
    CheckIn,
    ClosingSurvey,
    Introduction,
    Meeting,
    MeetingAttendance,
    MentorQuestion,
    Relationship,
    RelationshipQuerySet,
    RelationshipSide,
)
from tandem.programs.models import Program

MENTEE, MENTOR = RelationshipSide.MENTEE.value, RelationshipSide.MENTOR.value


# Who someone is in a relationship ----------------------------------------------------


def sides(user: Any, relationship: Relationship) -> frozenset[str]:
    """What `user` is in `relationship`: "mentee", "mentor" (or neither)."""
    me = policy.person_of(user)
    if me is None:
        return frozenset()
    found = set()
    if relationship.mentee_id == me.pk:
        found.add(MENTEE)
    if relationship.mentor_id == me.pk:
        found.add(MENTOR)
    return frozenset(found)


def side_of(user: Any, relationship: Relationship) -> str | None:
    found = sides(user, relationship)
    return MENTOR if MENTOR in found else MENTEE if MENTEE in found else None


def is_party(user: Any, relationship: Relationship) -> bool:
    return bool(sides(user, relationship))


def is_mentor(user: Any, relationship: Relationship) -> bool:
    return MENTOR in sides(user, relationship)


def is_mentee(user: Any, relationship: Relationship) -> bool:
    return MENTEE in sides(user, relationship)


def can_read_content(user: Any, relationship: Relationship) -> bool:
    """Meetings' topics and next steps, questions, introductions: the two parties only."""
    return is_party(user, relationship)


def sees_mentoring_relationships(user: Any) -> bool:
    return policy.is_program_admin(user) or policy.person_of(user) is not None


# Relationships -----------------------------------------------------------------------


def relationships_visible_to(user: Any) -> RelationshipQuerySet:
    """Relationships `user` may see at least the metadata of."""
    relationships = Relationship.objects.select_related("program", "mentee__user", "mentor__user")
    if policy.is_program_admin(user):
        return relationships
    return relationships.for_user(user)


def access_relationship(user: Any, pk: int, *, act: bool = False) -> Relationship:
    """The relationship `pk` if `user` may see it; with act=True, one they are a party
    to (403 for an admin): only the mentee and the mentor act in a relationship."""
    relationship = relationships_visible_to(user).filter(pk=pk).first()
    if relationship is None:
        raise Http404("No such relationship.")
    if act and not is_party(user, relationship):
        raise PermissionDenied("Only the mentee and the mentor act in a relationship.")
    return relationship


def access_relationship_admin(user: Any, pk: int) -> Relationship:
    """For an admin's action (closing on someone's behalf): parties and admins."""
    relationship = access_relationship(user, pk)
    if not (is_party(user, relationship) or policy.is_program_admin(user)):
        raise PermissionDenied("Only the mentee, the mentor and program admins do this.")
    return relationship


def access_program_health(user: Any, pk: int) -> Program:
    """A program's mentoring health: program admins only (404 for anyone else)."""
    if not policy.is_program_admin(user):
        raise Http404("No such program.")
    program = Program.objects.filter(pk=pk).first()
    if program is None:
        raise Http404("No such program.")
    return program


# Meetings, questions, check-ins, surveys, introductions -------------------------------


def meetings_visible_to(user: Any) -> Any:
    """Meetings where `user` is the mentor or an attending mentee."""
    me = policy.person_of(user)
    if me is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(Q(mentor=me) | Q(attendances__relationship__mentee=me)).distinct()


def access_meeting(user: Any, pk: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).select_related("program", "mentor").first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def access_question(user: Any, pk: int) -> MentorQuestion:
    question = MentorQuestion.objects.filter(pk=pk).select_related("relationship").first()
    if question is None:
        raise Http404("No such question.")
    relationship = access_relationship(user, question.relationship_id)
    if not is_party(user, relationship):
        raise Http404("No such question.")
    question.relationship = relationship
    return question


def access_check_in(user: Any, pk: int) -> CheckIn:
    """A check-in: its respondent only."""
    check_in = (
        CheckIn.objects.filter(pk=pk)
        .select_related("relationship__mentee", "relationship__mentor", "relationship__program")
        .first()
    )
    if check_in is None or check_in.side not in sides(user, check_in.relationship):
        raise Http404("No such check-in.")
    return check_in


def check_ins_visible_to(user: Any) -> Any:
    """The user's own check-ins (as mentee or as mentor)."""
    me = policy.person_of(user)
    if me is None:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(
        Q(side=MENTEE, relationship__mentee=me) | Q(side=MENTOR, relationship__mentor=me)
    ).select_related("relationship__mentee", "relationship__mentor", "relationship__program")


# What is said: the parties only, each read audited ------------------------------------


def _record_read(user: Any, relationship: Relationship, what: str, via: str) -> None:
    AuditLog.objects.record(
        actor=user,
        action=AuditAction.READ,
        target=relationship,
        subject_person_id=relationship.mentee_id,
        summary=f"Mentoring {what} ({via})",
    )


def _refuse_unless_party(user: Any, relationship: Relationship) -> None:
    if not can_read_content(user, relationship):
        raise PermissionDenied("What is said in mentoring is for the mentee and the mentor only.")


@dataclass(frozen=True)
class MeetingView:
    """A meeting as one party reads it: the shared topics and next step, and the
    viewer's own private notes (never the other side's)."""

    meeting: Meeting
    my_notes: str
    group_size: int


def _own_notes(meeting: Meeting, attendance: MeetingAttendance | None, side: str | None) -> str:
    if side == MENTOR:
        return meeting.mentor_notes
    if side == MENTEE and attendance is not None:
        return attendance.mentee_notes
    return ""


def read_meetings(user: Any, relationship: Relationship, *, via: str) -> list[MeetingView]:
    """The relationship's meetings for one of its parties, newest first; audited."""
    _refuse_unless_party(user, relationship)
    side = side_of(user, relationship)
    attendances = list(
        MeetingAttendance.objects.filter(relationship=relationship)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting__pk")
    )
    counts = dict(
        MeetingAttendance.objects.filter(meeting_id__in=[a.meeting_id for a in attendances])
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    _record_read(user, relationship, "meetings", via)
    return [
        MeetingView(a.meeting, _own_notes(a.meeting, a, side), counts.get(a.meeting_id, 1))
        for a in attendances
    ]


def read_meeting(user: Any, meeting: Meeting, *, via: str) -> tuple[MeetingView, Relationship]:
    """One meeting for a party: the mentor, or an attending mentee (their own notes)."""
    me = policy.person_of(user)
    attendances = list(
        meeting.attendances.select_related("relationship__mentee", "relationship__mentor")
    )
    mine = next((a for a in attendances if me and a.relationship.mentee_id == me.pk), None)
    if me is not None and meeting.mentor_id == me.pk:
        attendance = mine or (attendances[0] if attendances else None)
        side = MENTOR
    elif mine is not None:
        attendance, side = mine, MENTEE
    else:
        raise Http404("No such meeting.")
    if attendance is None:
        raise Http404("No such meeting.")
    relationship = attendance.relationship
    _record_read(user, relationship, "meeting", via)
    return MeetingView(
        meeting, _own_notes(meeting, attendance, side), len(attendances)
    ), relationship


def read_questions(user: Any, relationship: Relationship, *, via: str) -> list[MentorQuestion]:
    _refuse_unless_party(user, relationship)
    questions = list(relationship.questions.order_by("asked_at", "pk"))
    if questions:
        _record_read(user, relationship, "questions", via)
    return questions


def read_introductions(user: Any, relationship: Relationship, *, via: str) -> list[Introduction]:
    _refuse_unless_party(user, relationship)
    introductions = list(relationship.introductions.order_by("-happened_on", "-pk"))
    if introductions:
        _record_read(user, relationship, "introductions", via)
    return introductions


def own_closing_survey(user: Any, relationship: Relationship) -> ClosingSurvey | None:
    side = side_of(user, relationship)
    if side is None:
        return None
    return relationship.closing_surveys.filter(side=side).first()


# What admins see -----------------------------------------------------------------------


@dataclass(frozen=True)
class AdminSummary:
    """A relationship's metadata: cadence, meetings' dates, satisfaction. No content."""

    relationship: Relationship
    meeting_dates: list[Any]
    satisfaction: list[int]
    closing_satisfaction: dict[str, int]
    introductions_by_kind: dict[str, int]


def admin_summary(relationship: Relationship) -> AdminSummary:
    dates = list(
        MeetingAttendance.objects.filter(relationship=relationship)
        .order_by("meeting__held_on")
        .values_list("meeting__held_on", flat=True)
    )
    satisfaction = list(
        relationship.check_ins.filter(answered_at__isnull=False)
        .order_by("due_on", "side")
        .values_list("satisfaction", flat=True)
    )
    closing = dict(relationship.closing_surveys.values_list("side", "satisfaction"))
    kinds = dict(
        relationship.introductions.values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return AdminSummary(relationship, dates, [s for s in satisfaction if s], closing, kinds)
