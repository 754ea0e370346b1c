"""Who may see and do what in succession. Every page, endpoint and the admin fetch
through one `access_*` helper per resource, so none can forget a rule.

Rules (DESIGN.md, "Confidentiality rules", and issue 8):
- A person's placements (performance, potential, box, history, movement) are visible to
  their management chain and program admins only. Not to the person themselves, not to
  peers, not to executive viewers: those see box counts, and only for slices of at
  least `SLICE_MINIMUM` people (`reviews.grid_for`).
- Program admins create talent reviews, calibrate and close them, and name the boxes.
- A manager rates only people below them (direct or indirect) in a review that is
  still rating.
- Talent reviews themselves (a name, a date, a scope) are readable by whoever has a part
  in them: admins, executive viewers (aggregates), and managers.

Anything the user may not see is "not found" (404), so ids cannot be probed; something
they may see but not change is "forbidden" (403).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.people.models import Person, PersonQuerySet
from tandem.succession.models import Placement, TalentReview

# Talent reviews ---------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_executive_viewer(user: Any) -> bool:
    """An executive viewer who is not also an admin: aggregates only, never a person."""
    return Role.EXECUTIVE_VIEWER in policy.roles_of(user) and not policy.is_program_admin(user)


def is_manager(user: Any) -> bool:
    return Role.MANAGER in policy.roles_of(user) and not is_executive_viewer(user)


def can_run_reviews(user: Any) -> bool:
    """Create, calibrate and close talent reviews; name the boxes."""
    return policy.is_program_admin(user)


def sees_reviews(user: Any) -> bool:
    """Whether talent reviews concern `user` at all (and the navigation offers them)."""
    return _signed_in(user) and (
        policy.is_program_admin(user) or is_executive_viewer(user) or is_manager(user)
    )


def reviews_visible_to(user: Any) -> Any:
    if not sees_reviews(user):
        return TalentReview.objects.none()
    return TalentReview.objects.select_related("org_unit")


def access_review(user: Any, pk: int, *, write: bool = False) -> TalentReview:
    """The review `pk` if `user` may see it; with write=True, one they run (admins)."""
    review = reviews_visible_to(user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such talent review.")
    if write and not can_run_reviews(user):
        raise PermissionDenied("Only program admins run talent reviews.")
    return review


def require_review_runner(user: Any) -> None:
    if not can_run_reviews(user):
        raise PermissionDenied("Only program admins run talent reviews.")


# Placements (individual ratings) ----------------------------------------------------------


def people_whose_placements_are_visible_to(user: Any) -> PersonQuerySet:
    """Admins: everyone. A manager: the people below them, never themselves (nobody
    reads their own potential rating). Anyone else, executive viewers included: nobody."""
    if policy.is_program_admin(user):
        return Person.objects.all()
    me = policy.person_of(user)
    if me is None or not _signed_in(user) or is_executive_viewer(user):
        return Person.objects.none()
    return Person.objects.below(me)


def sees_individuals(user: Any) -> bool:
    """Whether `user` may see anyone's placement (admins and managers), as opposed to
    counts only (executive viewers)."""
    return policy.is_program_admin(user) or is_manager(user)


def placements_visible_to(user: Any) -> Any:
    placements = Placement.objects.select_related("person__org_unit", "review")
    if policy.is_program_admin(user):
        return placements
    if not sees_individuals(user):
        return placements.none()
    return placements.filter(person__in=people_whose_placements_are_visible_to(user))


def can_see_placements_of(user: Any, person: Person) -> bool:
    if policy.is_program_admin(user):
        return True
    me = policy.person_of(user)
    return (
        me is not None
        and _signed_in(user)
        and not is_executive_viewer(user)
        and person.is_managed_by(me)
    )


def access_placement_history(user: Any, person_pk: int) -> Person:
    """The person whose placement history `user` wants, if they may read it (their
    management chain and admins); anyone else, the person included, gets 404."""
    person = Person.objects.select_related("org_unit", "manager").filter(pk=person_pk).first()
    if person is None or not can_see_placements_of(user, person):
        raise Http404("No such person.")
    return person


def access_placement(user: Any, pk: int, *, calibrate: bool = False) -> Placement:
    """A placement `user` may read; with calibrate=True, one they may calibrate (admins)."""
    placement = placements_visible_to(user).filter(pk=pk).first()
    if placement is None:
        raise Http404("No such placement.")
    if calibrate and not can_run_reviews(user):
        raise PermissionDenied("Only program admins calibrate.")
    return placement


# Rating -----------------------------------------------------------------------------------


def rater_of(user: Any) -> Person | None:
    """The person `user` rates as: a manager who is not only an executive viewer."""
    if not is_manager(user):
        return None
    return policy.person_of(user)


def may_rate(user: Any, person: Person) -> bool:
    """Managers rate the people below them (direct or indirect); nobody rates themselves."""
    rater = rater_of(user)
    return rater is not None and person.pk != rater.pk and person.is_managed_by(rater)


def access_rating_page(user: Any, review: TalentReview) -> Person:
    """The rater (a manager with people below them); anyone else is forbidden."""
    rater = rater_of(user)
    if rater is None:
        raise PermissionDenied("Only managers rate the people below them.")
    return rater
