"""360 review workflows: start, nominate, approve and open, answer through a rater
link, close. Each writes more than one model or sends mail through a background job.

Permission rules live in `access`; every workflow checks its own again, so the pages
and the API cannot disagree. A step that cannot happen now raises `Refused`.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.assessments import access, self_service, tasks, tokens
from tandem.assessments.models import (
    Instrument,
    InstrumentKind,
    Nomination,
    NominationStatus,
    RaterGroup,
    RaterInvitation,
    Rating,
    Response,
    Review,
    ReviewStatus,
    normalize_email,
)
from tandem.lib.anonymity import Thresholds
from tandem.people.models import Person
from tandem.programs.models import Enrollment
from tandem.programs.services import Refused

DEFAULT_INSTRUMENT_KEY = "leadership-360"
NOMINATABLE_GROUPS = [group for group in RaterGroup if group != RaterGroup.SELF]
NOT_OBSERVED = "n/o"
MAX_COMMENT_LENGTH = 4000

__all__ = ["Refused"]


def default_instrument() -> Instrument:
    instrument = (
        Instrument.objects.filter(key=DEFAULT_INSTRUMENT_KEY, kind=InstrumentKind.FEEDBACK_360)
        .order_by("-version")
        .first()
    )
    if instrument is None:
        raise Refused(_("The leadership 360 instrument is not installed."))
    return instrument


def _record(actor: Any, action: str, review: Review, summary: str) -> None:
    AuditLog.objects.record(
        actor=actor,
        action=action,
        target=review,
        subject_person_id=review.subject_id,
        summary=summary,
    )


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("subject").get(pk=review.pk)


# Starting and nominating --------------------------------------------------------------


def startable_instruments() -> Any:
    """The instruments a 360 may start with: the newest version of each 360."""
    return (
        Instrument.objects.filter(kind=InstrumentKind.FEEDBACK_360)
        .latest_versions()
        .order_by("name", "key")
    )


def previous_review_of(subject: Person) -> Review | None:
    """The subject's most recently closed review: a new one is compared with it."""
    return (
        Review.objects.filter(subject=subject, status=ReviewStatus.CLOSED)
        .order_by(F("closed_at").desc(nulls_last=True), "-created_at", "-pk")
        .first()
    )


def thresholds_for(enrollment: Enrollment | None) -> Thresholds:
    """The anonymity settings a review copies: its program's, or the defaults."""
    if enrollment is None:
        return Thresholds().validated()
    return enrollment.program.review_thresholds()


@transaction.atomic
def review_start(
    *,
    subject: Person,
    closes_on: date,
    started_by: Any,
    instrument: Instrument | None = None,
    enrollment: Enrollment | None = None,
) -> Review:
    """Start a 360 of `subject`. Their manager, when they have one, is nominated at once.
    A review for an enrollment copies the program's anonymity settings; it is compared
    with the subject's most recently closed review."""
    if not access.can_start_review_for(started_by, subject):
        raise PermissionDenied("Only the person, their managers and admins start a 360.")
    if not subject.is_active:
        raise Refused(_("%(name)s has left the organization.") % {"name": subject})
    if closes_on <= timezone.now().date():
        raise ValidationError({"closes_on": _("Choose a closing date after today.")})
    instrument = instrument or default_instrument()
    if instrument.kind != InstrumentKind.FEEDBACK_360:
        raise ValidationError({"instrument": _("Choose a 360 feedback instrument.")})
    if enrollment is not None and enrollment.person_id != subject.pk:
        raise ValidationError(
            {"enrollment": _("Choose one of %(name)s's enrollments.") % {"name": subject}}
        )
    if Review.objects.filter(subject=subject).exclude(status=ReviewStatus.CLOSED).exists():
        raise Refused(_("%(name)s already has a 360 under way.") % {"name": subject})
    thresholds = thresholds_for(enrollment)
    review = Review.objects.create(
        subject=subject,
        instrument=instrument,
        enrollment=enrollment,
        previous=previous_review_of(subject),
        closes_on=closes_on,
        min_peers=thresholds.peers,
        min_direct_reports=thresholds.direct_reports,
        min_others=thresholds.others,
        min_all_others=thresholds.all_others,
        show_manager=thresholds.show_manager,
        created_by=started_by,
    )
    manager = subject.manager
    if manager is not None and manager.is_active:
        Nomination.objects.create(
            review=review,
            group=RaterGroup.MANAGER,
            person=manager,
            name=manager.full_name,
            email=manager.email,
        )
    # The "self" column is automatic: the subject's own self-assessment, linked to this review.
    self_assessment = self_service.self_assessment_start(person=subject, enrollment=enrollment)
    self_assessment.review = review
    self_assessment.save(update_fields=["review"])
    _record(started_by, AuditAction.CREATE, review, "Started a 360")
    return review


@transaction.atomic
def nominate(
    *,
    review: Review,
    group: str,
    by: Any,
    person: Person | None = None,
    name: str = "",
    email: str = "",
) -> Nomination:
    """Propose a rater in a group. Refused: the subject themselves, someone already on
    the list (whatever the case of their email), and the "self" group (the subject's own
    view is the self-assessment). A rater added after the review opened waits for the
    manager's (or an admin's) approval, and the manager is asked by email."""
    review = _locked(review)
    if not access.can_nominate(by, review):
        raise PermissionDenied("You cannot nominate raters for this review now.")
    if group not in NOMINATABLE_GROUPS:
        raise ValidationError({"group": _("Choose manager, peers, direct reports or others.")})
    if person is not None:
        name, email = person.full_name, person.email
    name, email = name.strip(), normalize_email(email)
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("Give the rater's name.")
    try:
        validate_email(email)
    except ValidationError:
        problems["email"] = _("Give a valid email address.")
    if problems:
        raise ValidationError(problems)
    if person is None:
        person = Person.objects.filter(email__iexact=email).first()
    if (person is not None and person.pk == review.subject_id) or (
        email.lower() == review.subject.email.lower()
    ):
        raise ValidationError(
            {"email": _("The subject cannot rate themselves here; that is the self-assessment.")}
        )
    already = ValidationError({"email": _("%(email)s is already nominated.") % {"email": email}})
    if review.nominations.filter(email__iexact=email).exists():
        raise already
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                review=review, group=group, person=person, name=name, email=email
            )
    except IntegrityError:  # the same address nominated meanwhile (one_nomination_per_email)
        raise already from None
    late = review.status == ReviewStatus.OPEN
    _record(by, AuditAction.UPDATE, review, f"Nominated a {'late ' if late else ''}rater ({group})")
    if late and not access.can_decide_nominations(by, review):
        tasks.send_approval_request.enqueue(review.pk)
    return nomination


@transaction.atomic
def nomination_set_status(*, nomination: Nomination, status: str, by: Any) -> Nomination:
    """The manager (or an admin) approves or declines one proposed rater. While the
    review is open, approving invites the rater at once (their email goes out through
    the background job); a rater already invited stays on the list."""
    review = _locked(nomination.review)
    if not access.can_decide_nominations(by, review):
        raise PermissionDenied("Only the subject's manager or an admin approves raters.")
    if status not in NominationStatus.values:
        raise ValidationError({"status": _("Choose proposed, approved or declined.")})
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk, review=review)
    if review.status == ReviewStatus.OPEN:
        if RaterInvitation.objects.filter(nomination=nomination).exists():
            raise Refused(
                _("%(name)s has already been invited and stays on the list.")
                % {"name": nomination.name}
            )
        if status == NominationStatus.PROPOSED:
            raise ValidationError({"status": _("Approve or decline.")})
        if status == NominationStatus.APPROVED and review.closes_on < timezone.now().date():
            raise Refused(_("The closing date has passed; no more raters can be invited."))
    nomination.status = status
    nomination.save(update_fields=["status"])
    _record(by, AuditAction.UPDATE, review, f"Nomination {nomination.pk} {status}")
    if review.status == ReviewStatus.OPEN and status == NominationStatus.APPROVED:
        _invite(nomination, tokens.expiry_for(review.closes_on))
        _record(by, AuditAction.UPDATE, review, "Invited a late rater")
    return nomination


@transaction.atomic
def submit_for_approval(*, review: Review, by: Any) -> Review:
    review = _locked(review)
    if not access.can_submit_for_approval(by, review):
        raise PermissionDenied("You cannot submit this list now.")
    if not review.nominations.exclude(group=RaterGroup.MANAGER).exists():
        raise Refused(_("Nominate at least one rater before asking for approval."))
    review.status = ReviewStatus.AWAITING_APPROVAL
    review.save(update_fields=["status"])
    tasks.send_approval_request.enqueue(review.pk)
    _record(by, AuditAction.UPDATE, review, "Submitted the rater list for approval")
    return review


@transaction.atomic
def approve(*, review: Review, approved_by: Any) -> Review:
    """Approve the rater list and open the review: every rater still proposed is
    approved, the instrument is frozen, and each approved rater gets an invitation
    whose email a background job sends."""
    review = _locked(review)
    if not access.can_approve(approved_by, review):
        raise PermissionDenied("Only the subject's manager or an admin approves the raters.")
    if review.closes_on < timezone.now().date():
        raise Refused(_("The closing date has passed; start a new review."))
    review.nominations.filter(status=NominationStatus.PROPOSED).update(
        status=NominationStatus.APPROVED
    )
    approved = list(review.nominations.filter(status=NominationStatus.APPROVED))
    if not approved:
        raise Refused(_("Approve at least one rater."))
    review.instrument.freeze()
    review.status = ReviewStatus.OPEN
    review.approved_by = approved_by
    review.approved_at = timezone.now()
    review.save(update_fields=["status", "approved_by", "approved_at"])
    expires_at = tokens.expiry_for(review.closes_on)
    for nomination in approved:
        _invite(nomination, expires_at)
    _record(approved_by, AuditAction.UPDATE, review, f"Approved {len(approved)} raters; opened")
    return review


def _invite(nomination: Nomination, expires_at: Any) -> RaterInvitation:
    """An invitation for an approved rater; a background job emails their link."""
    # The hash of a token nobody ever receives: the job that sends the email mints
    # the real one, so the raw token is never stored, not even in the job's arguments.
    invitation = RaterInvitation.objects.create(
        nomination=nomination,
        token_hash=tokens.hash_token(tokens.new_token()),
        expires_at=expires_at,
    )
    tasks.send_rater_invitation.enqueue(invitation.pk)
    return invitation


@transaction.atomic
def review_close(*, review: Review, by: Any) -> Review:
    """Close a review: no more answers. `by` is None when the closing job does it."""
    review = _locked(review)
    if review.status == ReviewStatus.CLOSED:
        raise Refused(_("This review is already closed."))
    if by is not None and not access.can_close(by, review):
        raise PermissionDenied("Only the subject's manager or an admin closes a review.")
    review.status = ReviewStatus.CLOSED
    review.closed_at = timezone.now()
    review.save(update_fields=["status", "closed_at"])
    _record(by, AuditAction.UPDATE, review, "Closed")
    return review


def record_status_read(user: Any, review: Review, *, via: str, ip: str | None = None) -> None:
    """Log a read of a review's status page: its rater list is the subject's record."""
    AuditLog.objects.record(
        actor=user,
        action=AuditAction.READ,
        target=review,
        subject_person_id=review.subject_id,
        summary=f"360 review status ({via})",
        ip=ip,
    )


def reviews_due_to_close(today: date) -> Any:
    return Review.objects.exclude(status=ReviewStatus.CLOSED).filter(closes_on__lt=today)


# Progress, counts only ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupProgress:
    group: str
    label: str
    nominated: int
    approved: int
    minimum: int | None
    # None when the group is too small to say how many of it answered.
    answered: int | None

    @property
    def below_minimum(self) -> bool:
        return self.minimum is not None and self.nominated < self.minimum


@dataclass(frozen=True)
class ReviewProgress:
    groups: list[GroupProgress]
    invited: int
    answered: int


def group_minimum(review: Review, group: str) -> int | None:
    """The nominations a group needs before its own answered count may show; None for
    the manager unless the program shows the manager as a group of one."""
    minimums = {
        RaterGroup.PEERS: review.min_peers,
        RaterGroup.DIRECT_REPORTS: review.min_direct_reports,
        RaterGroup.OTHERS: review.min_others,
        RaterGroup.MANAGER: 1 if review.show_manager else None,
    }
    return minimums.get(RaterGroup(group))


def review_progress(review: Review) -> ReviewProgress:
    """Nominations and answers per group, in counts only. "answered: 5 of 7" shows for
    a group only when it has at least its minimum of approved raters; otherwise only
    the total says how many answered."""
    nominations = list(review.nominations.select_related("invitation"))
    groups = []
    for group in NOMINATABLE_GROUPS:
        mine = [n for n in nominations if n.group == group]
        approved = [n for n in mine if n.status == NominationStatus.APPROVED]
        minimum = group_minimum(review, group)
        answered = sum(
            1 for n in approved if hasattr(n, "invitation") and n.invitation.submitted_at
        )
        show = (
            minimum is not None
            and len(approved) >= minimum
            and review.status
            in (
                ReviewStatus.OPEN,
                ReviewStatus.CLOSED,
            )
        )
        groups.append(
            GroupProgress(
                group=group,
                label=str(RaterGroup(group).label),
                nominated=len([n for n in mine if n.status != NominationStatus.DECLINED]),
                approved=len(approved),
                minimum=minimum,
                answered=answered if show else None,
            )
        )
    invitations = [n.invitation for n in nominations if hasattr(n, "invitation")]
    return ReviewProgress(
        groups=groups,
        invited=len(invitations),
        answered=sum(1 for i in invitations if i.submitted_at is not None),
    )


# Rater links --------------------------------------------------------------------------

UNKNOWN, USED, EXPIRED, CLOSED = "unknown", "used", "expired", "closed"


@dataclass(frozen=True)
class RaterLink:
    invitation: RaterInvitation | None
    # None when the link may be used; otherwise UNKNOWN, USED, EXPIRED or CLOSED.
    problem: str | None

    @property
    def status(self) -> int:
        return 200 if self.problem is None else 404 if self.problem == UNKNOWN else 410


def rater_link(raw: str) -> RaterLink:
    """The invitation a presented token opens, and why it cannot be used if so."""
    if not raw or len(raw) > tokens.MAX_TOKEN_LENGTH:
        return RaterLink(None, UNKNOWN)
    invitation = (
        RaterInvitation.objects.select_related(
            "nomination__review__subject", "nomination__review__instrument"
        )
        .filter(token_hash=tokens.hash_token(raw))
        .first()
    )
    if invitation is None:
        return RaterLink(None, UNKNOWN)
    review = invitation.nomination.review
    if invitation.submitted_at is not None:
        return RaterLink(invitation, USED)
    if review.status != ReviewStatus.OPEN:
        return RaterLink(invitation, CLOSED)
    if timezone.now() >= invitation.expires_at:
        return RaterLink(invitation, EXPIRED)
    return RaterLink(invitation, None)


def draft_of(invitation: RaterInvitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


def clean_answers(
    instrument: Instrument, answers: dict[str, Any], comments: dict[str, Any], *, complete: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers and comments checked against the instrument; a ValidationError keyed by
    item or competency says what is wrong. With complete=True every item needs an
    answer (a point of the scale, or "not observed" where allowed)."""
    doc = instrument.document
    scale = doc["scale"]
    allowed: set[Any] = set(range(scale["min"], scale["max"] + 1))
    if scale.get("not_observed"):
        allowed.add(NOT_OBSERVED)
    item_keys = instrument.item_keys()
    competency_keys = {c["key"] for c in doc["competencies"]}
    problems: dict[str, str] = {}
    kept: dict[str, Any] = {}
    for key, value in answers.items():
        if key not in item_keys:
            problems[key] = _("No such item.")
            continue
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if value in ("", None):
            continue
        if isinstance(value, bool) or value not in allowed:
            problems[key] = _("Choose a point of the scale or “not observed”.")
            continue
        kept[key] = value
    if complete:
        for key in item_keys:
            if key not in kept and key not in problems:
                problems[key] = _("Answer this, or choose “not observed”.")
    notes: dict[str, str] = {}
    for key, text in comments.items():
        if key not in competency_keys:
            problems[key] = _("No such competency.")
        elif not isinstance(text, str) or len(text) > MAX_COMMENT_LENGTH:
            problems[key] = _("A comment is text of at most %(n)d characters.") % {
                "n": MAX_COMMENT_LENGTH
            }
        elif text.strip():
            notes[key] = text.strip()
    if problems:
        raise ValidationError(problems)
    return kept, notes


def _usable(invitation: RaterInvitation) -> RaterInvitation:
    """The invitation locked for writing, re-checked under the lock."""
    locked = (
        RaterInvitation.objects.select_for_update()
        .select_related("nomination__review__instrument")
        .get(pk=invitation.pk)
    )
    review = locked.nomination.review
    if locked.submitted_at is not None:
        raise Refused(_("These answers have already been submitted."))
    if review.status != ReviewStatus.OPEN or timezone.now() >= locked.expires_at:
        raise Refused(_("This review is no longer collecting answers."))
    return locked


def _save(
    invitation: RaterInvitation, answers: dict[str, Any], comments: dict[str, str], now: Any
) -> Response:
    review = invitation.nomination.review
    response, _created = Response.objects.update_or_create(
        invitation=invitation,
        defaults={
            "review": review,
            "group": invitation.nomination.group,
            "answers": answers,
            "comments": comments,
            "submitted_at": now,
        },
    )
    return response


@transaction.atomic
def response_save_draft(
    *, invitation: RaterInvitation, answers: dict[str, Any], comments: dict[str, Any]
) -> Response:
    invitation = _usable(invitation)
    kept, notes = clean_answers(
        invitation.nomination.review.instrument, answers, comments, complete=False
    )
    return _save(invitation, kept, notes, None)


@transaction.atomic
def response_submit(
    *, invitation: RaterInvitation, answers: dict[str, Any], comments: dict[str, Any]
) -> Response:
    """Submit the answers: every item answered or "not observed". The response and the
    invitation are marked in one transaction, and a link is used only once."""
    invitation = _usable(invitation)
    review = invitation.nomination.review
    kept, notes = clean_answers(review.instrument, answers, comments, complete=True)
    now = timezone.now()
    response = _save(invitation, kept, notes, now)
    Rating.objects.record([response])
    invitation.submitted_at = now
    invitation.save(update_fields=["submitted_at"])
    # The log names the review, never the rater or their group.
    _record(None, AuditAction.CREATE, review, "A rater submitted answers")
    return response
