"""Talent reviews as a workflow: who is in a review and who rates them, rating,
calibration, closing; the 9-box grid of a review with its filters and the org's box
labels; a person's placement history and the movement between two reviews.

A review moves RATING -> CALIBRATING -> CLOSED. Managers rate while it is RATING; the
admin calibrates while it is CALIBRATING (a calibrated value wins over the manager's);
a closed review is history and nothing in it changes.

What a viewer sees of a grid follows `succession.access`: admins and the management
chain see people; executive viewers see counts only, and only for a slice of at least
`SLICE_MINIMUM` people that cannot be worked out from a larger slice by subtraction.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.lib import ninebox
from tandem.lib.anonymity import SLICE_MINIMUM
from tandem.people.models import OrgUnit, Person, PersonQuerySet
from tandem.succession import access
from tandem.succession.models import BoxLabel, Placement, ReviewStatus, TalentReview

DIRECTIONS = ("up", "same", "across", "down")


def _audit(actor: Any, action: str, target: Any, person_id: int | None, summary: str) -> None:
    AuditLog.objects.record(
        actor=actor, action=action, target=target, subject_person_id=person_id, summary=summary
    )


# Scope and raters -------------------------------------------------------------------------


def in_scope(review: TalentReview) -> PersonQuerySet:
    """The people a review covers: employed now, in its unit (and below), at its levels."""
    people = Person.objects.active()
    if review.org_unit_id is not None and review.org_unit is not None:
        people = people.in_unit(review.org_unit)
    if review.levels:
        people = people.filter(level__in=review.levels)
    return people


def people_to_rate(review: TalentReview, rater: Person) -> PersonQuerySet:
    """Everyone in scope below `rater` (their direct manager rates them first; anyone
    above may rate too, the last rating counts)."""
    return (
        in_scope(review)
        .filter(pk__in=Person.objects.below(rater).values("pk"))
        .select_related("org_unit", "manager")
        .order_by("last_name", "first_name", "pk")
    )


def reviews_to_rate(rater: Person) -> list[TalentReview]:
    """The reviews still rating in which `rater` has somebody to rate."""
    return [
        review
        for review in TalentReview.objects.filter(status=ReviewStatus.RATING).select_related(
            "org_unit"
        )
        if people_to_rate(review, rater).exists()
    ]


# The workflow -----------------------------------------------------------------------------


@transaction.atomic
def placement_rate(
    *,
    review: TalentReview,
    person: Person,
    rated_by: Person,
    performance: str,
    potential: str,
    note: str = "",
    actor: Any = None,
) -> Placement:
    """Create or change `person`'s rating by a manager above them, while rating."""
    review = TalentReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.RATING:
        raise ValidationError(_("This review is no longer taking ratings."))
    if not person.is_managed_by(rated_by) or not in_scope(review).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("You can rate only people below you in this review.")})
    problems = {
        name: _("Choose low, moderate or high.")
        for name, value in (("performance", performance), ("potential", potential))
        if value not in ninebox.RATINGS
    }
    if problems:
        raise ValidationError(problems)
    placement, created = Placement.objects.update_or_create(
        review=review,
        person=person,
        defaults={
            "performance": performance,
            "potential": potential,
            "note": note,
            "rated_by": rated_by,
            "rated_at": timezone.now(),
        },
    )
    _audit(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        placement,
        person.pk,
        f"Talent review rating: performance {performance}, potential {potential}",
    )
    return placement


@transaction.atomic
def review_start_calibration(*, review: TalentReview, actor: Any) -> TalentReview:
    review = TalentReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.RATING:
        raise ValidationError(_("Only a review that is rating can move to calibration."))
    if not review.placements.exists():
        raise ValidationError(_("Nobody has been rated yet: there is nothing to calibrate."))
    review.status = ReviewStatus.CALIBRATING
    review.save(update_fields=["status"])
    _audit(actor, AuditAction.UPDATE, review, None, "Talent review moved to calibration")
    return review


@transaction.atomic
def placement_calibrate(
    *, placement: Placement, performance: str, potential: str, note: str, actor: Any
) -> Placement:
    """Set the calibrated ratings (they win over the manager's). Both empty clears
    the calibration. A note saying why is required."""
    placement = Placement.objects.select_for_update().select_related("review").get(pk=placement.pk)
    if placement.review.status != ReviewStatus.CALIBRATING:
        raise ValidationError(_("Calibrate while the review is calibrating."))
    problems: dict[str, str] = {}
    clearing = not performance and not potential
    if not clearing:
        for name, value in (("performance", performance), ("potential", potential)):
            if value not in ninebox.RATINGS:
                problems[name] = _("Choose low, moderate or high.")
    if not note.strip():
        problems["note"] = _("Say why: the note is kept with the calibration.")
    if problems:
        raise ValidationError(problems)
    before = placement.box
    placement.calibrated_performance = performance
    placement.calibrated_potential = potential
    placement.calibration_note = note.strip()
    placement.calibrated_by = actor if getattr(actor, "is_authenticated", False) else None
    placement.calibrated_at = timezone.now()
    placement.save()
    _audit(
        actor,
        AuditAction.UPDATE,
        placement,
        placement.person_id,
        f"Calibrated: box {before} -> {placement.box}. {placement.calibration_note}",
    )
    return placement


@transaction.atomic
def review_close(*, review: TalentReview, actor: Any) -> TalentReview:
    review = TalentReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.CALIBRATING:
        raise ValidationError(_("Close a review after calibrating it."))
    review.status = ReviewStatus.CLOSED
    review.closed_at = timezone.now()
    review.save(update_fields=["status", "closed_at"])
    _audit(actor, AuditAction.UPDATE, review, None, "Talent review closed")
    return review


# Box labels -------------------------------------------------------------------------------


def box_styles() -> dict[int, ninebox.BoxStyle]:
    """Each box's label, colour and description: the org's own where set, else the
    defaults."""
    styles = dict(ninebox.DEFAULT_STYLES)
    for label in BoxLabel.objects.all():
        default = styles[label.box]
        styles[label.box] = ninebox.BoxStyle(
            label.label, label.colour, label.description or default.description
        )
    return styles


# The grid ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    """The grid's filters: an org unit (with the units below it) and a level."""

    unit: OrgUnit | None = None
    level: str = ""

    def contains(self, person: Person) -> bool:
        if self.level and person.level != self.level:
            return False
        if self.unit is None:
            return True
        path = person.org_unit.path if person.org_unit_id and person.org_unit else ""
        return path == self.unit.path or path.startswith(self.unit.path + "/")

    def wider(self) -> list["Slice"]:
        """Every slice a viewer could also ask for that holds this one: each unit above
        (and the whole organization), with this level and with every level."""
        units: list[OrgUnit | None] = [None]
        if self.unit is not None:
            parts = self.unit.path.split("/")
            paths = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
            units += list(OrgUnit.objects.filter(path__in=paths))
        levels = {self.level, ""}
        return [
            Slice(unit, level)
            for unit in units
            for level in levels
            if (unit, level) != (self.unit, self.level)
        ]


@dataclass
class Cell:
    box: int
    style: ninebox.BoxStyle
    count: int | None  # None: not shown (a slice too small)
    placements: list[Placement] = field(default_factory=list)

    @property
    def performance(self) -> str:
        return ninebox.ratings_of(self.box)[0]

    @property
    def potential(self) -> str:
        return ninebox.ratings_of(self.box)[1]


@dataclass
class Move:
    placement: Placement
    before: int
    after: int

    @property
    def direction(self) -> str:
        return ninebox.direction(self.before, self.after)


@dataclass
class Movement:
    previous: TalentReview | None
    counts: dict[str, int] | None  # None: not shown (too few people)
    moves: list[Move]  # empty for viewers who see counts only


@dataclass
class Grid:
    review: TalentReview
    rows: list[list[Cell]]
    total: int
    shown: bool  # whether the counts may show (executive viewers: big enough slices)
    individuals: bool  # whether the viewer sees people in the cells
    movement: Movement

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row]


def slice_shows(people: Sequence[Person], chosen: Slice) -> bool:
    """Whether counts over `chosen` may show to someone who sees aggregates only: at
    least SLICE_MINIMUM people, and no wider slice leaves a remainder of 1 to
    SLICE_MINIMUM - 1 people (which subtraction would give away)."""
    size = sum(1 for person in people if chosen.contains(person))
    if size < SLICE_MINIMUM:
        return False
    for wider in chosen.wider():
        rest = sum(1 for person in people if wider.contains(person)) - size
        if 0 < rest < SLICE_MINIMUM:
            return False
    return True


def previous_review(review: TalentReview) -> TalentReview | None:
    """The closed review held last before this one."""
    return (
        TalentReview.objects.filter(status=ReviewStatus.CLOSED)
        .filter(Q(held_on__lt=review.held_on) | Q(held_on=review.held_on, pk__lt=review.pk))
        .order_by("-held_on", "-pk")
        .first()
    )


def _placements(review: TalentReview) -> list[Placement]:
    return list(review.placements.select_related("person__org_unit", "person__manager", "rated_by"))


def grid_for(review: TalentReview, viewer: Any, chosen: Slice | None = None) -> Grid:
    """The 9-box of `review` as `viewer` may see it, filtered to `chosen`."""
    chosen = chosen or Slice()
    styles = box_styles()
    everyone = _placements(review)
    individuals = access.sees_individuals(viewer)
    if individuals:
        visible_ids = set(
            access.people_whose_placements_are_visible_to(viewer)
            .filter(pk__in=[p.person_id for p in everyone])
            .values_list("pk", flat=True)
        )
        placements = [p for p in everyone if p.person_id in visible_ids]
        placements = [p for p in placements if chosen.contains(p.person)]
        shown = True
    else:
        placements = [p for p in everyone if chosen.contains(p.person)]
        shown = slice_shows([p.person for p in everyone], chosen)
    by_box: dict[int, list[Placement]] = {number: [] for number in range(1, 10)}
    for placement in placements:
        by_box[placement.box].append(placement)
    rows = [
        [
            Cell(
                number,
                styles[number],
                len(by_box[number]) if shown else None,
                by_box[number] if individuals else [],
            )
            for number in row
        ]
        for row in ninebox.rows()
    ]
    return Grid(
        review=review,
        rows=rows,
        total=len(placements) if shown else 0,
        shown=shown,
        individuals=individuals,
        movement=_movement(review, placements, shown=shown, individuals=individuals),
    )


def _movement(
    review: TalentReview, placements: list[Placement], *, shown: bool, individuals: bool
) -> Movement:
    previous = previous_review(review)
    if previous is None:
        return Movement(None, None, [])
    now = {p.person_id: p for p in placements}
    rows = previous.placements.filter(person_id__in=list(now)).values_list(
        "person_id", "performance", "potential", "calibrated_performance", "calibrated_potential"
    )
    before = {
        person_id: ninebox.box(calibrated_perf or perf, calibrated_pot or pot)
        for person_id, perf, pot, calibrated_perf, calibrated_pot in rows
    }
    after = {person_id: p.box for person_id, p in now.items()}
    counts = ninebox.movement(before, after)
    both = sum(counts.values())
    if not individuals and (not shown or both < SLICE_MINIMUM):
        return Movement(previous, None, [])
    moves = []
    if individuals:
        order = sorted(before, key=lambda pid: (now[pid].person.last_name, pid))
        moves = [Move(now[pid], before[pid], after[pid]) for pid in order]
    return Movement(previous, counts, moves)


# History ----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    placement: Placement
    style: ninebox.BoxStyle
    direction: str  # "" for the first placement


def history_of(person: Person, *, viewer: Any, via: str) -> list[HistoryEntry]:
    """`person`'s placements, oldest first, each with the move from the one before.
    The caller has checked the viewer may read them (access.access_placement_history);
    the read is audited."""
    styles = box_styles()
    placements = list(
        Placement.objects.filter(person=person)
        .select_related("review", "rated_by")
        .order_by("review__held_on", "review__pk")
    )
    entries: list[HistoryEntry] = []
    for placement in placements:
        direction = ninebox.direction(entries[-1].placement.box, placement.box) if entries else ""
        entries.append(HistoryEntry(placement, styles[placement.box], direction))
    _audit(viewer, AuditAction.READ, person, person.pk, f"Placement history ({via})")
    return entries


def boxes_of(placements: Iterable[Placement]) -> dict[int, int]:
    return ninebox.counts(p.box for p in placements)
