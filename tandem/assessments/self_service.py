"""Self-service assessments: the leadership self-assessment (kind "self") and the
behavioural-style profile (kind "style"), taken by a person for themselves.

Rules:
- A person takes them for themselves only; nobody answers for someone else.
- Submitted answers are the person's own individual record: readable by the person,
  their management chain and program admins (policy.can_view_person). A draft is
  the person's alone until they submit it. Anyone else is told "not found".
- The newest version of the instrument is used, and frozen on first use, because the
  answers refer to its items by key.
- Two submitted self-assessments on the same enrollment are its before and after.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog
from tandem.assessments.models import Instrument, InstrumentKind, SelfAssessment, StyleProfile
from tandem.lib.instruments import score_style
from tandem.lib.stats import MINUS
from tandem.people.models import Person
from tandem.programs.models import Enrollment

SELF_ASSESSMENT_KEY = "leadership-self"
STYLE_PROFILE_KEY = "style-profile"


class AnswersInvalid(Exception):
    """Answers that cannot be stored; `problems` maps each item key to what is wrong."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {msg}" for key, msg in problems.items()))
        self.problems = dict(problems)


class Refused(Exception):
    """A step the record's state does not allow (changing a submitted assessment)."""


# Instruments ---------------------------------------------------------------------------


def current_instrument(key: str, kind: str) -> Instrument:
    """The newest version of the built-in instrument `key`."""
    instrument = Instrument.objects.filter(key=key, kind=kind).order_by("-version").first()
    if instrument is None:
        raise Http404(_("The instrument %(key)s is not installed.") % {"key": key})
    return instrument


def self_instrument() -> Instrument:
    return current_instrument(SELF_ASSESSMENT_KEY, InstrumentKind.SELF)


def style_instrument() -> Instrument:
    return current_instrument(STYLE_PROFILE_KEY, InstrumentKind.STYLE)


def scale_of(instrument: Instrument) -> tuple[int, int]:
    return instrument.document["scale"]["min"], instrument.document["scale"]["max"]


def check_answers(instrument: Instrument, answers: Mapping[str, Any], *, complete: bool) -> None:
    """Raises AnswersInvalid naming each unknown item, each value that is not a whole
    number on the scale and, when `complete`, each unanswered item."""
    low, high = scale_of(instrument)
    keys = instrument.item_keys()
    known = set(keys)
    problems: dict[str, str] = {}
    for key, value in answers.items():
        if key not in known:
            problems[key] = _("This is not an item of this instrument.")
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems[key] = _("Choose a whole number from %(low)d to %(high)d.") % {
                "low": low,
                "high": high,
            }
    if complete:
        for key in keys:
            if key not in answers and key not in problems:
                problems[key] = _("Every statement needs an answer.")
    if problems:
        raise AnswersInvalid(problems)


# Access --------------------------------------------------------------------------------


def self_assessments_visible_to(user: Any) -> Any:
    """Submitted self-assessments of the people `user` may read, and `user`'s own drafts."""
    records = SelfAssessment.objects.select_related("person", "instrument", "enrollment__program")
    viewer = policy.person_of(user)
    own = Q(person=viewer) if viewer is not None else Q(pk__in=[])
    if policy.is_program_admin(user):
        return records.filter(own | Q(submitted_at__isnull=False))
    return records.filter(
        own | Q(submitted_at__isnull=False, person__in=policy.people_visible_to(user))
    )


def access_self_assessment(user: Any, pk: int, *, write: bool = False) -> SelfAssessment:
    """The self-assessment `pk` if `user` may read it; with write=True, only its person
    may (and only while it is a draft: see self_assessment_save)."""
    assessment = self_assessments_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such self-assessment.")
    if write and not _is_own(user, assessment.person):
        raise PermissionDenied(_("Only the person themselves can answer their self-assessment."))
    return assessment


def style_profiles_visible_to(user: Any) -> Any:
    profiles = StyleProfile.objects.select_related("person", "instrument").filter(
        submitted_at__isnull=False
    )
    if policy.is_program_admin(user):
        return profiles
    return profiles.filter(person__in=policy.people_visible_to(user))


def access_style_profile(user: Any, pk: int) -> StyleProfile:
    profile = style_profiles_visible_to(user).filter(pk=pk).first()
    if profile is None:
        raise Http404("No such style profile.")
    return profile


def _is_own(user: Any, person: Person) -> bool:
    viewer = policy.person_of(user)
    return viewer is not None and viewer.pk == person.pk


def record_read(user: Any, record: SelfAssessment | StyleProfile) -> None:
    """Someone other than the person reading their answers goes into the audit log."""
    if not _is_own(user, record.person):
        AuditLog.objects.record(
            actor=user,
            action=AuditAction.READ,
            target=record,
            subject_person_id=record.person_id,
            summary=f"read {record}",
        )


def enrollments_of(person: Person | None) -> Any:
    if person is None:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(person=person).select_related("program")


# Self-assessment -----------------------------------------------------------------------


@transaction.atomic
def self_assessment_start(
    *, person: Person, enrollment: Enrollment | None = None
) -> SelfAssessment:
    if enrollment is not None and enrollment.person_id != person.pk:
        raise PermissionDenied(_("That enrollment is someone else's."))
    instrument = self_instrument()
    instrument.freeze()
    assessment = SelfAssessment.objects.create(
        person=person, instrument=instrument, enrollment=enrollment
    )
    AuditLog.objects.record(
        actor=person.user,
        action=AuditAction.CREATE,
        target=assessment,
        subject_person_id=person.pk,
        summary="started a self-assessment",
    )
    return assessment


def _refuse_if_submitted(assessment: SelfAssessment) -> None:
    if assessment.submitted_at is not None:
        raise Refused(_("This self-assessment is submitted and can no longer change."))


@transaction.atomic
def self_assessment_save(*, assessment: SelfAssessment, answers: Mapping[str, Any]) -> None:
    """Store a draft: some answers may be missing, but none may be wrong."""
    _refuse_if_submitted(assessment)
    check_answers(assessment.instrument, answers, complete=False)
    assessment.answers = dict(answers)
    assessment.save(update_fields=["answers"])


@transaction.atomic
def self_assessment_submit(
    *, assessment: SelfAssessment, answers: Mapping[str, Any] | None = None
) -> None:
    """Submit the given answers (or the stored draft): every item needs one."""
    _refuse_if_submitted(assessment)
    final = dict(assessment.answers if answers is None else answers)
    check_answers(assessment.instrument, final, complete=True)
    assessment.answers = final
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["answers", "submitted_at"])
    AuditLog.objects.record(
        actor=assessment.person.user,
        action=AuditAction.UPDATE,
        target=assessment,
        subject_person_id=assessment.person_id,
        summary="submitted a self-assessment",
    )


@dataclass(frozen=True)
class CompetencyScore:
    key: str
    name: str
    mean: float | None  # None: nothing answered
    answered: int
    percent: float  # where the mean sits on a 0-100 bar


def competency_scores(assessment: SelfAssessment) -> list[CompetencyScore]:
    """The mean of the person's own ratings per competency, reverse-keyed items scored
    as min + max - answer, so higher is always the desirable direction."""
    doc = assessment.instrument.document
    low, high = scale_of(assessment.instrument)
    scores = []
    for competency in doc["competencies"]:
        values = [
            low + high - answer if item["reverse"] else answer
            for item in competency["items"]
            if isinstance(answer := assessment.answers.get(item["key"]), int)
        ]
        mean = sum(values) / len(values) if values else None
        percent = 0.0 if mean is None else (mean - low) / (high - low) * 100
        scores.append(
            CompetencyScore(competency["key"], competency["name"], mean, len(values), percent)
        )
    return scores


@dataclass(frozen=True)
class CompetencyChange:
    key: str
    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def signed(self) -> str:
        """The change to one decimal with its sign ("+0.4", "\u22120.2"), or "—"."""
        change = self.change
        if change is None:
            return "—"
        rounded = round(change, 1)
        if rounded == 0:
            return "0.0"
        return f"+{rounded:.1f}" if rounded > 0 else f"{MINUS}{-rounded:.1f}"


def before_and_after(assessment: SelfAssessment) -> tuple[SelfAssessment, SelfAssessment] | None:
    """For a submitted self-assessment on an enrollment: the first submitted one on that
    enrollment (before) and this one (after); when this one is the first, the latest
    (after). None without a second submitted one."""
    if assessment.enrollment_id is None or assessment.submitted_at is None:
        return None
    submitted = SelfAssessment.objects.filter(
        person_id=assessment.person_id,
        enrollment_id=assessment.enrollment_id,
        submitted_at__isnull=False,
    ).select_related("instrument")
    first = submitted.order_by("submitted_at", "pk").first()
    if first is None:
        return None
    if first.pk != assessment.pk:
        return first, assessment
    last = submitted.order_by("-submitted_at", "-pk").first()
    if last is None or last.pk == assessment.pk:
        return None
    return assessment, last


def competency_changes(before: SelfAssessment, after: SelfAssessment) -> list[CompetencyChange]:
    earlier = {score.key: score.mean for score in competency_scores(before)}
    return [
        CompetencyChange(score.key, score.name, earlier.get(score.key), score.mean)
        for score in competency_scores(after)
    ]


# Style profile ---------------------------------------------------------------------------


@transaction.atomic
def style_profile_submit(*, person: Person, answers: Mapping[str, Any]) -> StyleProfile:
    instrument = style_instrument()
    check_answers(instrument, answers, complete=True)
    style_key, axis_scores = score_style(instrument.document, answers)
    instrument.freeze()
    profile = StyleProfile.objects.create(
        person=person,
        instrument=instrument,
        answers=dict(answers),
        style_key=style_key,
        axis_scores=axis_scores,
        submitted_at=timezone.now(),
    )
    AuditLog.objects.record(
        actor=person.user,
        action=AuditAction.CREATE,
        target=profile,
        subject_person_id=person.pk,
        summary=f"completed a style profile ({style_key})",
    )
    return profile


@dataclass(frozen=True)
class AxisPosition:
    key: str
    name: str
    low: str
    high: str
    score: float
    percent: float  # 0 at the low end of the scale, 100 at the high end
    near_midpoint: bool

    @property
    def from_top(self) -> float:
        """The position on a vertical axis drawn with its high pole at the top."""
        return 100 - self.percent


@dataclass(frozen=True)
class FlexTip:
    style: Mapping[str, Any]
    tip: str


@dataclass(frozen=True)
class StyleResult:
    style: Mapping[str, Any]
    axes: list[AxisPosition]
    flex: list[FlexTip]
    quadrants: list[Mapping[str, Any]]  # the four styles, high assertiveness first


# Within a tenth of the scale range of the midpoint, a person is likely to move
# between the two neighbouring styles; the page says so.
NEAR_MIDPOINT = 0.1


def style_result(profile: StyleProfile) -> StyleResult:
    doc = profile.instrument.document
    low, high = scale_of(profile.instrument)
    midpoint = (low + high) / 2
    axes = []
    for axis in doc["axes"]:
        score = float(profile.axis_scores[axis["key"]])
        axes.append(
            AxisPosition(
                key=axis["key"],
                name=axis.get("name", axis["key"]),
                low=axis["low"],
                high=axis["high"],
                score=score,
                percent=(score - low) / (high - low) * 100,
                near_midpoint=abs(score - midpoint) <= NEAR_MIDPOINT * (high - low),
            )
        )
    styles = {style["key"]: style for style in doc["styles"]}
    style = styles[profile.style_key]
    flex = [FlexTip(styles[key], tip) for key, tip in style["flex_tips"].items() if key in styles]
    first, second = doc["axes"][0], doc["axes"][1]

    def pole(style: Mapping[str, Any], axis: Mapping[str, Any]) -> str:
        value = style["quadrant"][axis["key"]]
        return "high" if value in ("high", axis["high"]) else "low"

    # Rows: the first axis high then low; columns: the second axis low then high.
    quadrants = sorted(
        doc["styles"],
        key=lambda s: (pole(s, first) != "high", pole(s, second) != "low"),
    )
    return StyleResult(style=style, axes=axes, flex=flex, quadrants=quadrants)


# For other pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfSummary:
    """What a person's latest self-service results say, for another page to show."""

    self_assessment: SelfAssessment | None
    scores: list[CompetencyScore]
    style_profile: StyleProfile | None
    style: Mapping[str, Any] | None


def _submitted_self_assessments(viewer: Any = None) -> Any:
    if viewer is None:
        return SelfAssessment.objects.select_related("instrument", "enrollment__program")
    return self_assessments_visible_to(viewer)


def latest_self_assessment(person: Person, *, viewer: Any = None) -> SelfAssessment | None:
    """The person's latest submitted self-assessment; with `viewer`, only one they may read."""
    return (
        _submitted_self_assessments(viewer)
        .filter(person=person, submitted_at__isnull=False)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def latest_style_profile(person: Person, *, viewer: Any = None) -> StyleProfile | None:
    profiles = (
        StyleProfile.objects.select_related("instrument")
        if viewer is None
        else style_profiles_visible_to(viewer)
    )
    return (
        profiles.filter(person=person, submitted_at__isnull=False)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def latest_for(person: Person, *, viewer: Any = None) -> SelfSummary:
    """The person's latest submitted self-assessment and style profile;
    templates/assessments/snippets/self_summary.html shows it. With `viewer`, only what
    the viewer may read by the rules above (the access helpers); without, the caller has
    already checked that the viewer may read the person (policy.can_view_person)."""
    assessment = latest_self_assessment(person, viewer=viewer)
    profile = latest_style_profile(person, viewer=viewer)
    style = None
    if profile is not None:
        style = next(
            (s for s in profile.instrument.document["styles"] if s["key"] == profile.style_key),
            None,
        )
    return SelfSummary(
        self_assessment=assessment,
        scores=competency_scores(assessment) if assessment is not None else [],
        style_profile=profile,
        style=style,
    )


@dataclass(frozen=True)
class BeforeAndAfter:
    """Two submitted self-assessments on one enrollment and the change between them."""

    before: SelfAssessment
    after: SelfAssessment
    changes: list[CompetencyChange]


def before_and_after_on(enrollment: Enrollment, *, viewer: Any) -> BeforeAndAfter | None:
    """The first and the latest self-assessment the person submitted on `enrollment`, if
    `viewer` may read them; None without two of them."""
    submitted = _submitted_self_assessments(viewer).filter(
        person_id=enrollment.person_id, enrollment=enrollment, submitted_at__isnull=False
    )
    latest = submitted.order_by("-submitted_at", "-pk").first()
    pair = before_and_after(latest) if latest is not None else None
    if pair is None:
        return None
    before, after = pair
    return BeforeAndAfter(before, after, competency_changes(before, after))
