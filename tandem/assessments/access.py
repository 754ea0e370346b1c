"""Who may see and run 360 reviews.

- A review's status and its rater list (names and groups) are part of the subject's
  individual record: the subject, their management chain and program admins see them
  (accounts.policy.can_view_person). Nobody, through any page or endpoint here, sees
  a rater's answers or which rater answered: only counts, and only per group where
  the group is large enough (`review_progress`).
- The subject nominates while the review is nominating; their managers (anyone above
  them in the chain) and admins may also nominate until the list is approved.
- Once the review is open, the subject or an admin may still add raters; a manager of
  the subject or an admin approves each one, and only then is the rater invited.
- A manager of the subject or an admin approves the list, starts and closes reviews.
  The subject may start a review of themselves.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts import policy
from tandem.assessments.models import Review, ReviewStatus
from tandem.people.models import Person


def reviews_visible_to(user: Any) -> Any:
    reviews = Review.objects.select_related("subject", "instrument")
    if policy.is_program_admin(user):
        return reviews
    return reviews.filter(subject__in=policy.people_visible_to(user))


def is_subject(user: Any, review: Review) -> bool:
    viewer = policy.person_of(user)
    return viewer is not None and viewer.pk == review.subject_id


def is_above(user: Any, person: Person) -> bool:
    """Whether `user` is anywhere above `person` in the management chain."""
    viewer = policy.person_of(user)
    return viewer is not None and viewer.pk in person.manager_ids_above()


def can_start_review_for(user: Any, person: Person) -> bool:
    if policy.is_program_admin(user) or is_above(user, person):
        return True
    viewer = policy.person_of(user)
    return viewer is not None and viewer.pk == person.pk


def can_nominate(user: Any, review: Review) -> bool:
    if review.status in (ReviewStatus.NOMINATING, ReviewStatus.OPEN) and is_subject(user, review):
        return True
    if review.status == ReviewStatus.OPEN:
        return policy.is_program_admin(user)
    return review.status in (ReviewStatus.NOMINATING, ReviewStatus.AWAITING_APPROVAL) and (
        policy.is_program_admin(user) or is_above(user, review.subject)
    )


def _is_approver(user: Any, review: Review) -> bool:
    """The subject's manager (anyone above them) or an admin; never the subject alone."""
    return policy.is_program_admin(user) or is_above(user, review.subject)


def can_approve(user: Any, review: Review) -> bool:
    """Approve the whole list, which opens the review."""
    return review.status in (
        ReviewStatus.NOMINATING,
        ReviewStatus.AWAITING_APPROVAL,
    ) and _is_approver(user, review)


def can_decide_nominations(user: Any, review: Review) -> bool:
    """Approve or decline single raters: before the review opens, and raters added
    after it opened."""
    return review.status != ReviewStatus.CLOSED and _is_approver(user, review)


def can_submit_for_approval(user: Any, review: Review) -> bool:
    return review.status == ReviewStatus.NOMINATING and (
        is_subject(user, review) or policy.is_program_admin(user) or is_above(user, review.subject)
    )


def can_close(user: Any, review: Review) -> bool:
    return review.status != ReviewStatus.CLOSED and (
        policy.is_program_admin(user) or is_above(user, review.subject)
    )


def can_manage(user: Any, review: Review) -> bool:
    return (
        can_nominate(user, review)
        or can_approve(user, review)
        or can_decide_nominations(user, review)
        or can_submit_for_approval(user, review)
        or can_close(user, review)
    )


def access_review(user: Any, pk: int, *, manage: bool = False) -> Review:
    """The review `pk` if `user` may see it (404 otherwise, so ids cannot be probed);
    with manage=True, also able to act on it now (403 otherwise). Each action checks
    its own rule again in `services`."""
    review = reviews_visible_to(user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    if manage and not can_manage(user, review):
        raise PermissionDenied("You cannot change this review now.")
    return review


def access_person_for_review(user: Any, pk: int) -> Person:
    """The person a review is to be started for, if `user` may start one (404 otherwise)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None or not policy.can_view_person(user, person):
        raise Http404("No such person.")
    if not can_start_review_for(user, person):
        raise PermissionDenied("Only the person, their managers and admins start a 360.")
    return person
