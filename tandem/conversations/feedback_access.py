"""Who may see and do what with everyday feedback. The pages, the API and the admin all
read through this module, so none can forget a rule.

Rules:
- Feedback is its giver's and its recipient's. The recipient's current (direct)
  manager also reads it, only when the giver chose `share_with_manager` (an executive
  viewer does not: they see aggregates, never an individual's data). Nobody else:
  not program admins, not the wider management chain, not executive viewers, not
  superusers. The Django admin shows metadata only (who, to whom, kind, when).
- Reads by the manager it was shared with are written to the audit log (the giver's
  and recipient's own reads are not).
- A feedback request is its requester's and the person asked's; only the person asked
  answers or declines it, and only while it is open.
- Giving and asking are for people in the organization, to anyone active but themselves.

A record the user may not see is "not found" (404), so ids cannot be probed; one they
may see but not act on is "forbidden" (403).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog, Role
from tandem.conversations.models import Feedback, FeedbackRequest
from tandem.people.models import Person, PersonQuerySet
from tandem.programs.models import Goal


def sees_feedback(user: Any) -> bool:
    """Whether the navigation offers feedback: to anyone who is a person."""
    return policy.person_of(user) is not None


def feedback_person(user: Any) -> Person:
    """The person `user` is; feedback is for people in the organization (403 otherwise)."""
    me = policy.person_of(user)
    if me is None:
        raise PermissionDenied(_("Feedback is for people in the organization."))
    return me


def recipients_for(person: Person) -> PersonQuerySet:
    """Whom `person` may give feedback to or ask for it: anyone active but themselves."""
    return Person.objects.active().exclude(pk=person.pk).order_by("last_name", "first_name", "pk")


def goals_of(person: Person) -> QuerySet[Goal]:
    """The goals of `person`'s own development plans: the only goals they may ask on."""
    return Goal.objects.filter(cycle__plan__person=person).order_by("due_date", "pk")


# Feedback ----------------------------------------------------------------------------


def _feedback() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("giver", "recipient", "request")


def reads_as_manager(user: Any) -> bool:
    """Whether `user` reads what givers share with their reports' manager."""
    return policy.person_of(user) is not None and Role.EXECUTIVE_VIEWER not in policy.roles_of(user)


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    me = policy.person_of(user)
    if me is None:
        return Feedback.objects.none()
    visible = Q(giver=me) | Q(recipient=me)
    if reads_as_manager(user):
        visible |= Q(share_with_manager=True, recipient__manager=me)
    return _feedback().filter(visible)


def received_by(person: Person) -> QuerySet[Feedback]:
    return _feedback().filter(recipient=person)


def given_by(person: Person) -> QuerySet[Feedback]:
    return _feedback().filter(giver=person)


def shared_with(user: Any) -> QuerySet[Feedback]:
    """Feedback to `user`'s direct reports that its giver chose to share with them."""
    me = feedback_person(user)
    if not reads_as_manager(user):
        return Feedback.objects.none()
    return _feedback().filter(share_with_manager=True, recipient__manager=me)


def access_feedback(user: Any, pk: int, *, via: str) -> Feedback:
    """The feedback `pk` if `user` may read it (404 otherwise). A read by anyone but its
    giver and recipient (the manager it was shared with) goes to the audit log."""
    feedback = feedback_visible_to(user).filter(pk=pk).first()
    if feedback is None:
        raise Http404("No such feedback.")
    me = policy.person_of(user)
    if me is not None and me.pk not in (feedback.giver_id, feedback.recipient_id):
        AuditLog.objects.record(
            actor=user,
            action=AuditAction.READ,
            target=feedback,
            subject_person_id=feedback.recipient_id,
            summary=f"Feedback shared with the manager ({via})",
        )
    return feedback


def record_shared_list_read(user: Any, *, via: str) -> None:
    """The list of feedback shared with `user` as a manager was read."""
    AuditLog.objects.record(
        actor=user,
        action=AuditAction.READ,
        target_type="conversations.feedback",
        summary=f"Feedback shared with me as a manager ({via})",
    )


# Requests ----------------------------------------------------------------------------


def _requests() -> QuerySet[FeedbackRequest]:
    return FeedbackRequest.objects.select_related("requester", "asked", "goal")


def requests_visible_to(user: Any) -> QuerySet[FeedbackRequest]:
    me = policy.person_of(user)
    if me is None:
        return FeedbackRequest.objects.none()
    return _requests().filter(Q(requester=me) | Q(asked=me))


def open_requests_for(person: Person) -> QuerySet[FeedbackRequest]:
    """Requests asked of `person` they have neither answered nor declined."""
    return _requests().filter(asked=person, declined=False, answers__isnull=True)


def requests_by(person: Person) -> QuerySet[FeedbackRequest]:
    return _requests().filter(requester=person)


def access_request(user: Any, pk: int, *, answer: bool = False) -> FeedbackRequest:
    """The request `pk` if `user` is its requester or the person asked; with
    answer=True, only the person asked while it is open (403 otherwise)."""
    request = requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such feedback request.")
    if answer:
        me = feedback_person(user)
        if request.asked_id != me.pk:
            raise PermissionDenied(_("Only the person asked answers or declines a request."))
        if not open_requests_for(me).filter(pk=pk).exists():
            raise PermissionDenied(_("This request is already answered or declined."))
    return request
