"""Who may see and do what in coaching. Every page and endpoint fetches through one
`access_*` helper per resource, so none can forget a rule.

Rules (DESIGN.md, "Confidentiality rules"):
- What is said in coaching — GROW notes, the coachee's takeaways, the next steps agreed
  in a session — is for the coach and the coachee of that engagement only. Not program
  admins, not managers, not the sponsor, not executive viewers (`can_read_notes`).
- A session's metadata (when, how long, held/cancelled/no-show, the rating) is seen by
  the two parties and by program admins.
- An engagement's summary (coach, status, sessions held against planned, the coaching
  goals) is also seen by the sponsor and by the coachee's management chain, since the
  goals are agreed with them and feed the plan. Executive viewers see it only where
  they are a party: they see aggregates, never an individual's coaching.
- A reflection journal entry is its author's; an entry the author shares is also read
  (never changed) by the coach of the author's open engagement.
- The roster: program admins manage coaches; anyone signed in reads an active coach's
  profile (never the rate or the capacity); a coach reads their own in full.
- Pairing: program admins pair anyone; a participant in a coaching or blended
  program chooses their own coach.

A record the user may not see is "not found" (404), so ids cannot be probed; one they
may see but not change is "forbidden" (403).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.coaching.models import (
    OPEN_STATUSES,
    ActionItem,
    Coach,
    CoachQuerySet,
    Engagement,
    EngagementGoal,
    EngagementQuerySet,
    JournalEntry,
    Party,
    Session,
    SessionQuerySet,
    SessionStatus,
)
from tandem.people.models import Person
from tandem.programs.models import DevelopmentPlan, ProgramKind, ProgramStatus
from tandem.programs.overdue import LIVE_ENROLLMENT

_COACH_CACHE = "_tandem_coach"
COACHING_PROGRAMS = (ProgramKind.COACHING, ProgramKind.BLENDED)


# Who someone is in coaching --------------------------------------------------------


def coach_of(user: Any) -> Coach | None:
    """The roster entry of `user`, or None. Cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _COACH_CACHE):
        setattr(user, _COACH_CACHE, Coach.objects.filter(user=user).first())
    return getattr(user, _COACH_CACHE)


def is_coach(user: Any) -> bool:
    return coach_of(user) is not None


def sees_coaching(user: Any) -> bool:
    """Whether the navigation offers coaching: to everyone in the organization (their
    coach, or how to get one), coaches and program admins. Cheap: it runs on every page."""
    return policy.is_program_admin(user) or policy.person_of(user) is not None or is_coach(user)


def _is_executive_viewer(user: Any) -> bool:
    return Role.EXECUTIVE_VIEWER in policy.roles_of(user) and not policy.is_program_admin(user)


def parties(user: Any, engagement: Engagement) -> frozenset[str]:
    """What `user` is in `engagement`: coach, coachee, sponsor (any, several or none)."""
    found = set()
    if getattr(user, "is_authenticated", False):
        if engagement.coach.user_id == user.pk:
            found.add(Party.COACH)
        me = policy.person_of(user)
        if me is not None and engagement.coachee_id == me.pk:
            found.add(Party.COACHEE)
        if me is not None and engagement.sponsor_id == me.pk:
            found.add(Party.SPONSOR)
    return frozenset(found)


def is_party(user: Any, engagement: Engagement) -> bool:
    """The coach or the coachee: the two people in the room."""
    return bool(parties(user, engagement) & {Party.COACH, Party.COACHEE})


def can_read_notes(user: Any, engagement: Engagement) -> bool:
    """Session notes, takeaways and a session's next steps: the coach and the coachee
    only. Being a program admin, a manager, the sponsor or a superuser adds nothing."""
    return is_party(user, engagement)


# Coaches ---------------------------------------------------------------------------


def coaches_visible_to(user: Any) -> CoachQuerySet:
    coaches = Coach.objects.select_related("user")
    if policy.is_program_admin(user):
        return coaches
    if not getattr(user, "is_authenticated", False):
        return coaches.none()
    return coaches.filter(Q(status="active", user__is_active=True) | Q(user=user))


def sees_coach_terms(user: Any, coach: Coach) -> bool:
    """The rate and the capacity: program admins and the coach."""
    return policy.is_program_admin(user) or coach.user_id == getattr(user, "pk", None)


def access_coach(user: Any, pk: int, *, write: bool = False) -> Coach:
    coach = coaches_visible_to(user).filter(pk=pk).first()
    if coach is None:
        raise Http404("No such coach.")
    if write and not policy.is_program_admin(user):
        raise PermissionDenied("Only program admins change the coach roster.")
    return coach


def require_roster_admin(user: Any) -> None:
    if not policy.is_program_admin(user):
        raise PermissionDenied("Only program admins manage the coach roster.")


# Pairing ---------------------------------------------------------------------------


def coaching_plan_of(person: Person) -> DevelopmentPlan | None:
    """The person's live plan in a running coaching or blended program, newest first."""
    return (
        DevelopmentPlan.objects.filter(
            person=person,
            enrollment__status__in=LIVE_ENROLLMENT,
            enrollment__program__status=ProgramStatus.RUNNING,
            enrollment__program__kind__in=COACHING_PROGRAMS,
        )
        .select_related("enrollment__program")
        .order_by("-created_at", "-pk")
        .first()
    )


def can_choose_own_coach(user: Any) -> bool:
    """A participant of a running coaching or blended program, with a login."""
    me = policy.person_of(user)
    return me is not None and me.is_active and coaching_plan_of(me) is not None


def can_pair_for(user: Any, coachee: Person) -> bool:
    if policy.is_program_admin(user):
        return True
    me = policy.person_of(user)
    return me is not None and me.pk == coachee.pk and can_choose_own_coach(user)


def access_coachee(user: Any, pk: int) -> Person:
    """The person `pk` as a coachee `user` may pair (or look for coaches for)."""
    person = Person.objects.select_related("user", "manager").filter(pk=pk).first()
    if person is None or not policy.can_view_person(user, person):
        raise Http404("No such person.")
    if not can_pair_for(user, person):
        raise PermissionDenied("Only program admins pair coachees with coaches.")
    return person


# Engagements -----------------------------------------------------------------------


def engagements_visible_to(user: Any) -> EngagementQuerySet:
    """Engagement summaries (never notes): see the module's rules."""
    engagements = Engagement.objects.select_related(
        "coach__user", "coachee", "sponsor", "plan__enrollment__program"
    )
    if policy.is_program_admin(user):
        return engagements
    if not getattr(user, "is_authenticated", False):
        return engagements.none()
    visible = Q(coach__user=user)
    me = policy.person_of(user)
    if me is not None:
        visible |= Q(coachee=me) | Q(sponsor=me)
        if not _is_executive_viewer(user):
            visible |= Q(coachee__in=Person.objects.below(me))
    return engagements.filter(visible)


def access_engagement(user: Any, pk: int, *, write: bool = False) -> Engagement:
    """The engagement `pk` if `user` may see its summary; with write=True, also one
    they work in: its coach, its coachee or a program admin (403 otherwise)."""
    engagement = engagements_visible_to(user).filter(pk=pk).first()
    if engagement is None:
        raise Http404("No such engagement.")
    if write and not (is_party(user, engagement) or policy.is_program_admin(user)):
        raise PermissionDenied("Only the coach, the coachee and program admins change this.")
    return engagement


def is_engagement_coach(user: Any, engagement: Engagement) -> bool:
    return engagement.coach.user_id == getattr(user, "pk", None)


def can_change_terms(user: Any, engagement: Engagement) -> bool:
    """Planned sessions, their length, the dates and the three-way meeting."""
    return policy.is_program_admin(user) or is_engagement_coach(user, engagement)


def access_goal(user: Any, pk: int, *, write: bool = False) -> EngagementGoal:
    """A coaching goal, through its engagement's rules."""
    goal = EngagementGoal.objects.filter(pk=pk).only("pk", "engagement_id").first()
    if goal is None:
        raise Http404("No such coaching goal.")
    engagement = access_engagement(user, goal.engagement_id, write=write)
    goal = EngagementGoal.objects.select_related("plan_goal").get(pk=pk)
    goal.engagement = engagement
    return goal


def can_see_sessions(user: Any, engagement: Engagement) -> bool:
    """Session metadata: the two parties and program admins."""
    return is_party(user, engagement) or policy.is_program_admin(user)


def can_schedule(user: Any, engagement: Engagement) -> bool:
    return engagement.status in OPEN_STATUSES and is_party(user, engagement)


def can_evaluate(user: Any, engagement: Engagement) -> str | None:
    """The party (coachee or sponsor) `user` evaluates the ended engagement as, or None."""
    if engagement.is_open:
        return None
    mine = parties(user, engagement)
    for party in (Party.COACHEE, Party.SPONSOR):
        if party in mine:
            return party
    return None


# Sessions --------------------------------------------------------------------------


def sessions_visible_to(user: Any) -> SessionQuerySet:
    """Session metadata: the parties' sessions; every session for program admins."""
    sessions = Session.objects.select_related("engagement__coach__user", "engagement__coachee")
    if policy.is_program_admin(user):
        return sessions
    if not getattr(user, "is_authenticated", False):
        return sessions.none()
    return sessions.for_user(user)


def access_session(user: Any, pk: int, *, act: bool = False) -> Session:
    """The session `pk` if `user` may see its metadata; with act=True, one they are a
    party to (403 otherwise): only the coach and the coachee change a session."""
    session = sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    if act and not is_party(user, session.engagement):
        raise PermissionDenied("Only the coach and the coachee change a session.")
    return session


def access_session_notes(user: Any, pk: int) -> Session:
    """The session `pk` for reading or writing its notes: the coach and the coachee.
    Anyone else who may see the session gets 403; anyone else, 404."""
    session = access_session(user, pk)
    if not can_read_notes(user, session.engagement):
        raise PermissionDenied("Session notes are for the coach and the coachee only.")
    return session


def is_session_coach(user: Any, session: Session) -> bool:
    return session.engagement.coach.user_id == getattr(user, "pk", None)


def is_session_coachee(user: Any, session: Session) -> bool:
    me = policy.person_of(user)
    return me is not None and session.engagement.coachee_id == me.pk


def can_close_session(user: Any, session: Session) -> bool:
    """Mark held or no-show: the coach, once the session has started."""
    return session.status == SessionStatus.SCHEDULED and is_session_coach(user, session)


# Next steps (action items) ------------------------------------------------------------


def action_items_visible_to(user: Any) -> Any:
    """Next steps of sessions: the coach and the coachee of their engagement only."""
    if not getattr(user, "is_authenticated", False):
        return ActionItem.objects.none()
    visible = Q(engagement__coach__user=user)
    me = policy.person_of(user)
    if me is not None:
        visible |= Q(engagement__coachee=me)
    return ActionItem.objects.filter(visible).select_related(
        "engagement__coach__user", "engagement__coachee", "session"
    )


def access_action_item(user: Any, pk: int) -> ActionItem:
    item = action_items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such next step.")
    return item


# The reflection journal ---------------------------------------------------------------


def journal_visible_to(user: Any) -> Any:
    """The author's own entries, and the shared entries of the coachees the user coaches
    in an open engagement."""
    if not getattr(user, "is_authenticated", False):
        return JournalEntry.objects.none()
    me = policy.person_of(user)
    visible = Q(
        shared_with_coach=True,
        author__coaching_engagements__coach__user=user,
        author__coaching_engagements__status__in=OPEN_STATUSES,
    )
    if me is not None:
        visible |= Q(author=me)
    return JournalEntry.objects.filter(visible).distinct().select_related("author")


def access_journal_entry(user: Any, pk: int, *, write: bool = False) -> JournalEntry:
    """An entry `user` may read; with write=True, their own (the coach only reads)."""
    entry = journal_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such journal entry.")
    me = policy.person_of(user)
    if write and (me is None or entry.author_id != me.pk):
        raise PermissionDenied("Only the author changes a journal entry.")
    return entry


def coach_of_person(person: Person) -> Coach | None:
    """The coach of the person's open engagement, who may read the entries they share."""
    engagement = Engagement.objects.open().filter(coachee=person).select_related("coach").first()
    return engagement.coach if engagement is not None else None
