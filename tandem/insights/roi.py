"""A program's return on investment (Phillips): fully loaded costs against benefits
converted to money, conservatively, from what the other domains record.

Costs (`program_costs`):
- the program's own cost lines (programs.CostLine), one item per category;
- coach fees, computed: the held coaching sessions of engagements on the program's
  development plans, hours x each coach's hourly rate, in one line (a line per coach
  would show an executive viewer each coach's rate);
- participant time, computed: the hours participants spent in held coaching sessions,
  in attended training sessions of the program's courses and in mentoring meetings of
  the program, x ImpactSettings.loaded_hourly_cost; one line per kind of activity.

Rule against double counting: where the program has cost lines of its own in the
"coaching" or "participant_time" category, those lines replace the computed figure for
that category (an admin who entered the invoice knows better than the estimate), and
the item's source says what it replaced.

Benefits (`program_roi`): the voluntary exits the program avoided x the replacement
cost of an exit, plus each custom benefit line (estimate x attribution x confidence),
over ImpactSettings.benefit_months; intangibles are listed, never monetized.

This module also holds the workflows that change the ROI inputs (settings, salary
bands, benefit lines, intangibles), each audited.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import AuditAction, AuditLog
from tandem.coaching.models import Session as CoachingSession
from tandem.coaching.models import SessionStatus as CoachingSessionStatus
from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
from tandem.lib import impact
from tandem.mentoring.models import MeetingAttendance
from tandem.people.models import Level
from tandem.programs.models import CostCategory, EnrollmentStatus, Program
from tandem.training.models import Seat

CENTS = Decimal("0.01")
HUNDRED = Decimal("100")
MINUTES_PER_HOUR = Decimal("60")
# Categories whose figure Tandem can compute; a program's own lines replace it.
COMPUTED_CATEGORIES = (CostCategory.COACHING, CostCategory.PARTICIPANT_TIME)
# How many cost-line descriptions an item's source names before "and N more".
SOURCE_NAMES = 3


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def _hours(minutes: int) -> str:
    return f"{Decimal(minutes) / MINUTES_PER_HOUR:.1f}"


# --- costs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostItem:
    """One fully loaded cost: `source` says where the figure comes from."""

    category: str  # a programs.CostCategory value
    label: str
    amount: Decimal
    source: str
    computed: bool = False  # True: Tandem computed it from sessions, seats, meetings

    @property
    def category_label(self) -> str:
        return str(CostCategory(self.category).label)


def _participants(program: Program) -> Any:
    """The program's participants, as the retention analysis counts them
    (insights.metrics.population): everyone enrolled past the invitation, withdrawn
    included, since their costs and their exits count too."""
    return program.enrollments.exclude(status=EnrollmentStatus.INVITED)


def _coach_fees(program: Program) -> tuple[CostItem | None, int]:
    """Coach fees of held sessions, and the minutes coachees spent in them."""
    rows = (
        CoachingSession.objects.filter(
            status=CoachingSessionStatus.HELD, engagement__plan__enrollment__program=program
        )
        .values(
            "engagement__coach_id", "engagement__coach__hourly_rate", "engagement__coach__currency"
        )
        .annotate(minutes=Sum("duration_minutes"), sessions=Count("pk"))
        .order_by("engagement__coach_id")
    )
    fees, minutes, sessions, coaches = Decimal("0"), 0, 0, 0
    other_currency_sessions, other_currencies = 0, set()
    for row in rows:
        minutes += row["minutes"]
        if row["engagement__coach__currency"] != program.currency:
            # Not converted: a rate in another currency cannot be added to this one.
            other_currency_sessions += row["sessions"]
            other_currencies.add(row["engagement__coach__currency"])
            continue
        fees += Decimal(row["minutes"]) * row["engagement__coach__hourly_rate"] / MINUTES_PER_HOUR
        sessions += row["sessions"]
        coaches += 1
    if not sessions and not other_currency_sessions:
        return None, minutes
    parts = []
    if sessions:
        parts.append(
            ngettext(
                "%(sessions)d held coaching session",
                "%(sessions)d held coaching sessions",
                sessions,
            )
            % {"sessions": sessions}
            + ngettext(
                " with %(coaches)d coach, hours \u00d7 the coach's hourly rate",
                " with %(coaches)d coaches, hours \u00d7 each coach's hourly rate",
                coaches,
            )
            % {"coaches": coaches}
        )
    if other_currency_sessions:
        parts.append(
            ngettext(
                "%(count)d session by a coach paid in %(currencies)s is not counted",
                "%(count)d sessions by coaches paid in %(currencies)s are not counted",
                other_currency_sessions,
            )
            % {"count": other_currency_sessions, "currencies": ", ".join(sorted(other_currencies))}
            + _(": enter them as a coaching cost line")
        )
    source = "; ".join(parts)
    item = CostItem(
        CostCategory.COACHING,
        _("Coach fees"),
        cents(fees),
        source,
        computed=True,
    )
    return item, minutes


def _participant_time(
    program: Program, settings: ImpactSettings, coaching_minutes: int
) -> list[CostItem]:
    participants = _participants(program)
    training = (
        Seat.objects.attended()
        .filter(
            session__course__program=program,
            person__in=participants.values("person_id"),
        )
        .aggregate(minutes=Sum("session__duration_minutes"), seats=Count("pk"))
    )
    mentoring = MeetingAttendance.objects.filter(
        relationship__program=program, meeting__program=program
    ).aggregate(minutes=Sum("meeting__duration_minutes"), meetings=Count("pk"))
    rate = settings.loaded_hourly_cost
    per_hour = _("\u00d7 %(rate)s %(currency)s an hour (the loaded hourly cost)") % {
        "rate": rate,
        "currency": program.currency,
    }
    kinds = [
        (
            _("Participant time: coaching"),
            coaching_minutes,
            _("%(hours)s h in held coaching sessions") % {"hours": _hours(coaching_minutes)},
        ),
        (
            _("Participant time: training"),
            training["minutes"] or 0,
            ngettext(
                "%(hours)s h in %(count)d attended training session",
                "%(hours)s h in %(count)d attended training sessions",
                training["seats"],
            )
            % {"hours": _hours(training["minutes"] or 0), "count": training["seats"]},
        ),
        (
            _("Participant time: mentoring"),
            mentoring["minutes"] or 0,
            ngettext(
                "%(hours)s h in %(count)d mentoring meeting",
                "%(hours)s h in %(count)d mentoring meetings",
                mentoring["meetings"],
            )
            % {"hours": _hours(mentoring["minutes"] or 0), "count": mentoring["meetings"]},
        ),
    ]
    return [
        CostItem(
            CostCategory.PARTICIPANT_TIME,
            label,
            cents(Decimal(minutes) * rate / MINUTES_PER_HOUR),
            f"{described} {per_hour}",
            computed=True,
        )
        for label, minutes, described in kinds
        if minutes
    ]


def _own_lines(program: Program) -> dict[str, CostItem]:
    """The program's cost lines, summed per category."""
    by_category: dict[str, list[Any]] = defaultdict(list)
    for line in program.cost_lines.order_by("category", "pk"):
        by_category[line.category].append(line)
    items = {}
    for category, lines in by_category.items():
        names = [line.description for line in lines[:SOURCE_NAMES]]
        more = len(lines) - len(names)
        source = _("The program's cost lines: %(names)s") % {"names": ", ".join(names)}
        if more:
            source += ngettext(" and %(count)d more", " and %(count)d more", more) % {"count": more}
        items[category] = CostItem(
            category,
            str(CostCategory(category).label),
            sum((line.amount for line in lines), Decimal("0")),
            source,
        )
    return items


def _costs(program: Program, settings: ImpactSettings) -> list[CostItem]:
    own = _own_lines(program)
    coach_fees, coaching_minutes = _coach_fees(program)
    computed: dict[str, list[CostItem]] = {
        CostCategory.COACHING: [coach_fees] if coach_fees else [],
        CostCategory.PARTICIPANT_TIME: _participant_time(program, settings, coaching_minutes),
    }
    items: list[CostItem] = []
    for category in CostCategory.values:
        estimate = computed.get(category, [])
        if category in own:
            item = own[category]
            if estimate:
                replaced = sum((e.amount for e in estimate), Decimal("0"))
                item = CostItem(
                    item.category,
                    item.label,
                    item.amount,
                    item.source
                    + _(
                        "; these replace the computed figure (%(amount)s %(currency)s from "
                        "the sessions and meetings Tandem records)"
                    )
                    % {"amount": replaced, "currency": program.currency},
                )
            items.append(item)
        else:
            items.extend(estimate)
    return items


def program_costs(program: Program, settings: ImpactSettings | None = None) -> list[CostItem]:
    """The program's fully loaded costs, by category (see the module's docstring for
    what is computed and the rule against double counting). `settings`: the program's
    ImpactSettings, when the caller already has them."""
    return _costs(program, settings or ImpactSettings.of(program))


# --- the replacement cost of an exit -----------------------------------------------------


@dataclass(frozen=True)
class ReplacementCost:
    """What one voluntary exit of a participant costs the organization."""

    per_exit: Decimal
    counted: int  # participants whose level has a salary band
    participants: int
    missing_levels: list[str]  # labels of participants' levels without a band


def replacement_cost_basis(
    program: Program, settings: ImpactSettings | None = None
) -> ReplacementCost | None:
    """The mean salary-band midpoint of the participants' levels x the replacement
    share; None when no participant's level has a band (or there are no
    participants). Participants at a level without a band are left out of the mean,
    and named in `missing_levels`."""
    settings = settings or ImpactSettings.of(program)
    by_level = dict(
        _participants(program)
        .values("person__level")
        .annotate(people=Count("pk"))
        .values_list("person__level", "people")
    )
    bands = dict(
        SalaryBand.objects.filter(level__in=list(by_level)).values_list("level", "annual_midpoint")
    )
    counted = sum(people for level, people in by_level.items() if level in bands)
    if not counted:
        return None
    total = sum(
        (bands[level] * people for level, people in by_level.items() if level in bands),
        Decimal("0"),
    )
    missing = [
        str(Level(level).label)
        for level in Level.values
        if level in by_level and level not in bands
    ]
    return ReplacementCost(
        per_exit=cents(total / counted * settings.replacement_cost_percent / HUNDRED),
        counted=counted,
        participants=sum(by_level.values()),
        missing_levels=missing,
    )


def replacement_cost(program: Program) -> Decimal | None:
    """The replacement cost of one participant's exit (see replacement_cost_basis)."""
    basis = replacement_cost_basis(program)
    return basis.per_exit if basis else None


# --- the ROI -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitItem:
    """A benefit: its estimated value, the shares attributed to the program and the
    estimator's confidence, and what it counts for (`monetized`). `monetized` is None
    for a benefit that could not be put in money; `note` then says why."""

    label: str
    value: Decimal
    attribution_percent: Decimal
    confidence_percent: Decimal
    monetized: Decimal | None
    note: str = ""


@dataclass(frozen=True)
class ProgramRoi:
    program: Program
    costs: list[CostItem]
    benefits: list[BenefitItem]
    intangibles: list[Intangible]  # listed, never monetized
    settings: ImpactSettings  # the assumptions used
    exits_avoided: float
    replacement: ReplacementCost | None
    result: impact.Roi  # bcr, roi_percent, payback_months, months

    @property
    def currency(self) -> str:
        return self.program.currency

    @property
    def total_costs(self) -> Decimal:
        return sum((item.amount for item in self.costs), Decimal("0"))

    @property
    def total_benefits(self) -> Decimal:
        return sum((item.monetized or Decimal("0") for item in self.benefits), Decimal("0"))


def _exits_benefit(exits_avoided: float, replacement: ReplacementCost | None) -> BenefitItem:
    label = _("Voluntary exits avoided")
    hundred = Decimal("100")
    if replacement is None:
        return BenefitItem(
            label,
            Decimal("0"),
            hundred,
            hundred,
            None,
            _("Not monetized: no salary bands for the participants' levels."),
        )
    value = cents(Decimal(impact.exits_avoided_value(exits_avoided, float(replacement.per_exit))))
    # Attribution and confidence are 100 %: the exits avoided already are the program's
    # isolated effect (participants against the matched comparison group).
    note = _(
        "%(exits).1f exits avoided \u00d7 %(cost)s replacement cost, attributed in full: the "
        "comparison group already isolates the program's effect."
    ) % {"exits": exits_avoided, "cost": replacement.per_exit}
    if replacement.missing_levels:
        note += " " + _("No salary band for: %(levels)s (left out of the mean).") % {
            "levels": ", ".join(replacement.missing_levels)
        }
    return BenefitItem(label, value, hundred, hundred, value, note)


def program_roi(program: Program, *, exits_avoided: float) -> ProgramRoi | None:
    """The program's Phillips ROI over ImpactSettings.benefit_months of benefits; None
    while its costs add up to 0 (enter cost lines first). `exits_avoided` is the
    retention analysis's figure (insights.report), 0 when the effect is not clear."""
    settings = ImpactSettings.of(program)
    costs = program_costs(program, settings)
    if sum((item.amount for item in costs), Decimal("0")) <= 0:
        return None
    replacement = replacement_cost_basis(program, settings)
    benefits = [_exits_benefit(exits_avoided, replacement)]
    lines = list(program.benefit_lines.order_by("pk"))
    benefits += [
        BenefitItem(
            line.description,
            line.value,
            line.attribution_percent,
            line.confidence_percent,
            cents(line.monetized),
            line.basis,
        )
        for line in lines
    ]
    result = impact.roi(
        [impact.CostLine(float(item.amount), item.label) for item in costs],
        [
            impact.BenefitLine(
                float(item.value),
                float(item.attribution_percent / HUNDRED),
                float(item.confidence_percent / HUNDRED),
                item.label,
            )
            for item in benefits
            if item.monetized is not None
        ],
        months=settings.benefit_months,
    )
    return ProgramRoi(
        program=program,
        costs=costs,
        benefits=benefits,
        intangibles=list(program.intangibles.order_by("pk")),
        settings=settings,
        exits_avoided=exits_avoided,
        replacement=replacement,
        result=result,
    )


def waterfall(roi: ProgramRoi) -> list[tuple[str, float]]:
    """The ROI's steps for the waterfall chart: each cost negative, each monetized
    benefit positive (zero amounts left out)."""
    steps = [(item.label, -float(item.amount)) for item in roi.costs if item.amount]
    steps += [(item.label, float(item.monetized)) for item in roi.benefits if item.monetized]
    return steps


# --- changing the inputs -------------------------------------------------------------------


@transaction.atomic
def impact_settings_save(*, settings: ImpactSettings, saved_by: Any) -> ImpactSettings:
    """Store a program's ROI assumptions (the first save creates its row)."""
    stored, _created = ImpactSettings.objects.update_or_create(
        program=settings.program,
        defaults={
            "loaded_hourly_cost": settings.loaded_hourly_cost,
            "replacement_cost_percent": settings.replacement_cost_percent,
            "benefit_months": settings.benefit_months,
        },
    )
    AuditLog.objects.record(
        actor=saved_by,
        action=AuditAction.UPDATE,
        target=stored,
        summary=f"ROI assumptions of {settings.program}",
    )
    return stored


@transaction.atomic
def salary_bands_set(*, midpoints: dict[str, Decimal | None], set_by: Any) -> list[SalaryBand]:
    """Set the annual midpoint of each level given; None removes that level's band.
    Levels not given keep theirs. Returns every band, by level."""
    unknown = set(midpoints) - set(Level.values)
    if unknown:
        raise ValueError(f"not levels: {sorted(unknown)}")
    for level, midpoint in midpoints.items():
        if midpoint is None:
            SalaryBand.objects.filter(level=level).delete()
        else:
            SalaryBand.objects.update_or_create(level=level, defaults={"annual_midpoint": midpoint})
    AuditLog.objects.record(
        actor=set_by,
        action=AuditAction.UPDATE,
        target_type="insights.salaryband",
        summary="Salary bands: "
        + ", ".join(f"{level}={midpoints[level]}" for level in sorted(midpoints)),
    )
    return list(SalaryBand.objects.order_by("level"))


@transaction.atomic
def benefit_line_save(*, line: BenefitLine, saved_by: Any) -> BenefitLine:
    created = line.pk is None
    line.save()
    AuditLog.objects.record(
        actor=saved_by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=line,
        summary=f"Benefit line of {line.program}: {line.description}",
    )
    return line


@transaction.atomic
def benefit_line_delete(*, line: BenefitLine, deleted_by: Any) -> None:
    AuditLog.objects.record(
        actor=deleted_by,
        action=AuditAction.DELETE,
        target=line,
        summary=f"Benefit line of {line.program}: {line.description}",
    )
    line.delete()


@transaction.atomic
def intangible_add(*, intangible: Intangible, added_by: Any) -> Intangible:
    intangible.save()
    AuditLog.objects.record(
        actor=added_by,
        action=AuditAction.CREATE,
        target=intangible,
        summary=f"Intangible of {intangible.program}: {intangible.description}",
    )
    return intangible


@transaction.atomic
def intangible_delete(*, intangible: Intangible, deleted_by: Any) -> None:
    AuditLog.objects.record(
        actor=deleted_by,
        action=AuditAction.DELETE,
        target=intangible,
        summary=f"Intangible of {intangible.program}: {intangible.description}",
    )
    intangible.delete()
