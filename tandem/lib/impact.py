"""The statistics of a program's impact, defined once (pure: plain values in).

- eNPS: % promoters (9-10) minus % detractors (0-6) of 0-10 answers, in points.
- Engagement index: each respondent's mean of the index items, rescaled to 0-100.
- Difference in differences: the treated group's change minus the comparison group's.
- Retention: Kaplan-Meier curves per group and the Cox hazard ratio (lifelines).
- ROI (Phillips): fully loaded costs against monetized, attributed, confidence-weighted
  benefits; BCR, ROI %, payback.
- Success criteria: an actual figure against its target, with a verdict that takes
  the interval into account.

Every figure about people comes with its n and a 95% interval (tandem.lib.stats), and
below `MINIMUM_GROUP` people it says "not enough data" instead.
"""

import bisect
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tandem.lib import stats

MINIMUM_GROUP = 5

MET = "met"
NOT_MET = "not met"
NOT_YET_CLEAR = "not yet clear"
NOT_ENOUGH_DATA = "not enough data"


def _z(confidence: float) -> float:
    return statistics.NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def _check_minimum(minimum: int) -> int:
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 2:
        raise ValueError(f"minimum must be a whole number, 2 or more, not {minimum!r}")
    return minimum


def _finite(values: Sequence[float], name: str) -> list[float]:
    """The values as floats; unlike stats, an empty list is allowed (it is "n=0")."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{name} must be numbers, not a string")
    result = []
    for position, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}[{position}] is {value!r}, not a number")
        if not math.isfinite(value):
            raise ValueError(f"{name}[{position}] is {value!r}; every value must be finite")
        result.append(float(value))
    return result


# --- pulses ---------------------------------------------------------------------------


def enps(
    scores: Sequence[int], *, confidence: float = 0.95, minimum: int = MINIMUM_GROUP
) -> stats.Estimate:
    """The employee Net Promoter Score of 0-10 answers, in points from -100 to 100.

    eNPS = 100 (p - d), p the share of promoters (9-10), d of detractors (0-6). The
    interval is Wald's for a difference of two proportions of one multinomial sample:
    Var(p - d) = (p + d - (p - d)²) / n, clipped to -100..100.
    """
    confidence = stats._check_confidence(confidence)
    minimum = _check_minimum(minimum)
    for position, score in enumerate(scores):
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
            raise ValueError(f"scores[{position}] is {score!r}, not a whole number from 0 to 10")
    n = len(scores)
    if n < minimum:
        return stats.Estimate.insufficient(n, confidence=confidence)
    promoters = sum(1 for score in scores if score >= 9) / n
    detractors = sum(1 for score in scores if score <= 6) / n
    difference = promoters - detractors
    variance = max(0.0, (promoters + detractors - difference**2) / n)
    half_width = _z(confidence) * math.sqrt(variance)
    return stats.Estimate(
        n,
        100 * difference,
        max(-100.0, 100 * (difference - half_width)),
        min(100.0, 100 * (difference + half_width)),
        enough=True,
        confidence=confidence,
    )


def engagement_index(
    answers: Sequence[Sequence[int]],
    scale: tuple[int, int] = (1, 5),
    *,
    confidence: float = 0.95,
    minimum: int = MINIMUM_GROUP,
) -> stats.Estimate:
    """The engagement index, 0-100: each respondent's mean over the index items they
    answered, rescaled so that the bottom of `scale` is 0 and the top 100; then the mean
    over respondents with its t interval. Each respondent answered at least one item.
    """
    bottom, top = scale
    if not (isinstance(bottom, int) and isinstance(top, int)) or bottom >= top:
        raise ValueError(f"scale must be two whole numbers, low then high, not {scale!r}")
    minimum = _check_minimum(minimum)
    indexes = []
    for respondent, items in enumerate(answers):
        if not items:
            raise ValueError(f"respondent {respondent} answered no item of the index")
        for item, answer in enumerate(items):
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise ValueError(f"answers[{respondent}][{item}] is {answer!r}, not a number")
            if not bottom <= answer <= top:
                raise ValueError(
                    f"answers[{respondent}][{item}] is {answer}, outside the scale {bottom}-{top}"
                )
        indexes.append((statistics.fmean(items) - bottom) / (top - bottom) * 100)
    if len(indexes) < minimum:
        return stats.Estimate.insufficient(len(indexes), confidence=confidence)
    return stats.mean_ci(indexes, confidence, minimum=minimum)


# --- isolating the program's effect ---------------------------------------------------


def difference_in_differences(
    treated_before: Sequence[float],
    treated_after: Sequence[float],
    comparison_before: Sequence[float],
    comparison_after: Sequence[float],
    *,
    paired: bool = False,
    confidence: float = 0.95,
    minimum: int = MINIMUM_GROUP,
) -> stats.Estimate:
    """The program's effect: (treated after - before) - (comparison after - before).

    Not paired: each change is a difference of two independent means, so
    DiD = (ȳ_TA - ȳ_TB) - (ȳ_CA - ȳ_CB), Var = s²_TA/n_TA + s²_TB/n_TB + s²_CA/n_CA +
    s²_CB/n_CB. Paired (before and after lists aligned by person): each group's change
    is the mean of its per-person differences d, DiD = d̄_T - d̄_C,
    Var = s²_dT/n_T + s²_dC/n_C. The interval is DiD ± t · √Var with the
    Welch-Satterthwaite degrees of freedom (Σ v_i)² / Σ (v_i² / (n_i - 1)) over the
    variance terms v_i. Enough data needs `minimum` people in every group and phase.

    `n` counts the observations (the people, when paired); `sizes` holds the four group
    sizes (treated before, treated after, comparison before, comparison after).
    """
    confidence = stats._check_confidence(confidence)
    minimum = _check_minimum(minimum)
    if not isinstance(paired, bool):
        raise ValueError("paired must be true or false")
    groups = [
        _finite(treated_before, "treated_before"),
        _finite(treated_after, "treated_after"),
        _finite(comparison_before, "comparison_before"),
        _finite(comparison_after, "comparison_after"),
    ]
    sizes = tuple(len(group) for group in groups)
    if paired:
        for before, after, name in ((0, 1, "treated"), (2, 3, "comparison")):
            if sizes[before] != sizes[after]:
                raise ValueError(
                    f"paired values must come in pairs: the {name} group has "
                    f"{sizes[before]} before and {sizes[after]} after"
                )
    n = sizes[0] + sizes[2] if paired else sum(sizes)
    if min(sizes) < minimum:
        return stats.Estimate.insufficient(n, confidence=confidence, sizes=sizes)

    if paired:
        samples = [
            [after - before for before, after in zip(groups[0], groups[1], strict=True)],
            [after - before for before, after in zip(groups[2], groups[3], strict=True)],
        ]
        signs = [1, -1]
    else:
        samples = groups
        signs = [-1, 1, 1, -1]
    effect = math.fsum(
        sign * statistics.fmean(sample) for sign, sample in zip(signs, samples, strict=True)
    )
    shares = [statistics.variance(sample) / len(sample) for sample in samples]
    total = math.fsum(shares)
    if total == 0:
        return stats.Estimate(n, effect, effect, effect, True, confidence, sizes)
    df = 1 / math.fsum(
        (share / total) ** 2 / (len(sample) - 1)
        for share, sample in zip(shares, samples, strict=True)
    )
    half_width = stats.t_critical(confidence, df) * math.sqrt(total)
    return stats.Estimate(
        n, effect, effect - half_width, effect + half_width, True, confidence, sizes
    )


# --- retention ------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    """A Kaplan-Meier retention curve: the share still there at each day of `timeline`,
    with its pointwise interval (lifelines' exponential Greenwood). With fewer than the
    minimum people (`enough` False) the sequences are empty: "not enough data (n=3)".
    """

    n: int
    events: int
    timeline: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    enough: bool
    confidence: float = 0.95

    def __str__(self) -> str:
        if not self.enough:
            return f"not enough data (n={self.n})"
        return f"retention curve (n={self.n}, {self.events} left)"


def _stays(stays: Sequence[tuple[float, bool]], name: str) -> tuple[list[float], list[bool]]:
    durations, events = [], []
    for position, stay in enumerate(stays):
        try:
            duration, left = stay
        except (TypeError, ValueError):
            raise ValueError(f"{name}[{position}] is {stay!r}, not (days, left)") from None
        if isinstance(duration, bool) or not isinstance(duration, int | float):
            raise ValueError(f"{name}[{position}]: days is {duration!r}, not a number")
        if not math.isfinite(duration) or duration < 0:
            raise ValueError(f"{name}[{position}]: days is {duration!r}; it must be 0 or more")
        if not isinstance(left, bool):
            raise ValueError(f"{name}[{position}]: left is {left!r}, not true or false")
        durations.append(float(duration))
        events.append(left)
    return durations, events


def retention_curves(
    groups: Mapping[str, Sequence[tuple[float, bool]]],
    *,
    confidence: float = 0.95,
    minimum: int = MINIMUM_GROUP,
) -> dict[str, Curve]:
    """A Kaplan-Meier curve per group from (days observed, left voluntarily) per
    person; people still there (or gone for other reasons) are censored at their days.
    """
    confidence = stats._check_confidence(confidence)
    minimum = _check_minimum(minimum)
    # Imported here: lifelines (and pandas) take a second to load, and only impact
    # pages need them.
    from lifelines import KaplanMeierFitter

    curves = {}
    for label, stays in groups.items():
        durations, events = _stays(stays, str(label))
        n, left = len(durations), sum(events)
        if n < minimum:
            curves[label] = Curve(n, left, (), (), (), (), enough=False, confidence=confidence)
            continue
        fitter = KaplanMeierFitter(alpha=1 - confidence)
        fitter.fit(durations, event_observed=events)
        interval = fitter.confidence_interval_survival_function_
        curves[label] = Curve(
            n,
            left,
            tuple(float(day) for day in fitter.survival_function_.index),
            tuple(float(share) for share in fitter.survival_function_.iloc[:, 0]),
            tuple(float(share) for share in interval.iloc[:, 0]),
            tuple(float(share) for share in interval.iloc[:, 1]),
            enough=True,
            confidence=confidence,
        )
    return curves


def hazard_ratio(
    treated: Sequence[tuple[float, bool]],
    comparison: Sequence[tuple[float, bool]],
    *,
    confidence: float = 0.95,
    minimum: int = MINIMUM_GROUP,
) -> stats.Estimate:
    """The hazard of leaving voluntarily, treated over comparison, from a Cox
    proportional-hazards model with the group as its one covariate; below 1 the program
    keeps people. The interval is exp(β ± z · se(β)).

    Not enough data with fewer than `minimum` people in either group, or when one group
    has no one leaving: then the ratio is 0 or infinite and no interval exists.
    `n` counts both groups together.
    """
    confidence = stats._check_confidence(confidence)
    minimum = _check_minimum(minimum)
    treated_days, treated_left = _stays(treated, "treated")
    comparison_days, comparison_left = _stays(comparison, "comparison")
    sizes = (len(treated_days), len(comparison_days))
    n = sum(sizes)
    if min(sizes) < minimum or not any(treated_left) or not any(comparison_left):
        return stats.Estimate.insufficient(n, confidence=confidence)

    import pandas
    from lifelines import CoxPHFitter

    frame = pandas.DataFrame(
        {
            "days": treated_days + comparison_days,
            "left": treated_left + comparison_left,
            "treated": [1] * sizes[0] + [0] * sizes[1],
        }
    )
    fitter = CoxPHFitter(alpha=1 - confidence)
    fitter.fit(frame, duration_col="days", event_col="left")
    coefficient = float(fitter.params_["treated"])
    low, high = (float(bound) for bound in fitter.confidence_intervals_.loc["treated"])
    return stats.Estimate(
        n,
        math.exp(coefficient),
        math.exp(low),
        math.exp(high),
        enough=True,
        confidence=confidence,
    )


# --- ROI (Phillips) -------------------------------------------------------------------


def _amount(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} is {value!r}, not a number")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} is {value!r}; it must be 0 or more")
    return float(value)


def _share(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} is {value!r}, not a number")
    if not 0 <= value <= 1:
        raise ValueError(f"{name} is {value!r}; it must be a share from 0 to 1")
    return float(value)


@dataclass(frozen=True)
class CostLine:
    """One fully loaded cost of the program (coach fees, facilitator, participant time
    at a loaded hourly cost, platform, admin)."""

    amount: float
    label: str = ""

    def __post_init__(self) -> None:
        _amount(self.amount, "the cost amount")


@dataclass(frozen=True)
class BenefitLine:
    """A benefit in money, conservatively: its estimated `value`, the share of it the
    estimator `attribution`s to the program and the estimator's `confidence` (0-1)."""

    value: float
    attribution: float
    confidence: float
    label: str = ""

    def __post_init__(self) -> None:
        _amount(self.value, "the benefit value")
        _share(self.attribution, "the attribution")
        _share(self.confidence, "the confidence")

    @property
    def monetized(self) -> float:
        return self.value * self.attribution * self.confidence


@dataclass(frozen=True)
class Roi:
    total_costs: float
    total_benefits: float
    bcr: float  # benefits / costs
    roi_percent: float  # (benefits - costs) / costs x 100
    payback_months: float | None  # costs / monthly benefits; None without benefits
    months: int  # the period the benefits cover


def roi(costs: Sequence[CostLine], benefits: Sequence[BenefitLine], months: int = 12) -> Roi:
    """Phillips ROI of `months` of benefits (the first year unless the program says
    otherwise). The costs must add up to more than 0: without costs there is no ratio.
    """
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"months must be a whole number, 1 or more, not {months!r}")
    for line in costs:
        if not isinstance(line, CostLine):
            raise ValueError(f"costs must be CostLines, not {line!r}")
    for benefit in benefits:
        if not isinstance(benefit, BenefitLine):
            raise ValueError(f"benefits must be BenefitLines, not {benefit!r}")
    total_costs = math.fsum(line.amount for line in costs)
    total_benefits = math.fsum(line.monetized for line in benefits)
    if total_costs <= 0:
        raise ValueError("the costs add up to 0: enter the program's cost lines first")
    return Roi(
        total_costs=total_costs,
        total_benefits=total_benefits,
        bcr=total_benefits / total_costs,
        roi_percent=(total_benefits - total_costs) / total_costs * 100,
        # costs / (benefits / months), in an order that cannot divide by an underflowed 0
        payback_months=total_costs * months / total_benefits if total_benefits else None,
        months=months,
    )


def exits_avoided_value(exits_avoided: float, replacement_cost: float) -> float:
    """The money voluntary exits avoided save: exits avoided (from the isolated
    retention effect, so already attributed to the program) x the replacement cost of
    one exit. Neither may be negative: a program that adds exits has no such benefit.
    """
    return _amount(exits_avoided, "exits avoided") * _amount(replacement_cost, "replacement cost")


# --- success criteria -----------------------------------------------------------------


def success_verdict(actual: stats.Estimate, target: float, *, higher_is_better: bool = True) -> str:
    """ "met" when the whole interval is beyond the target, "not met" when it all falls
    short, "not yet clear" when it reaches the target, "not enough data" without one.
    """
    if isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target):
        raise ValueError(f"the target is {target!r}, not a number")
    if not actual.enough:
        return NOT_ENOUGH_DATA
    assert actual.low is not None and actual.high is not None
    beyond = actual.low > target if higher_is_better else actual.high < target
    short = actual.high < target if higher_is_better else actual.low > target
    if beyond:
        return MET
    if short:
        return NOT_MET
    return NOT_YET_CLEAR


# --- the comparison group ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A person as the comparison match sees them: level, unit, the broader unit it
    belongs to (e.g. the department) and tenure in days on the program's start."""

    person_id: int
    level: str
    unit: int | None
    department: int | None
    tenure_days: int


def matched_comparison(
    treated: Sequence[Candidate], pool: Sequence[Candidate], *, caliper_days: int = 730
) -> dict[int, int]:
    """A comparison person for each treated person where one exists: same level, the
    same unit if anyone there is free, else the same department, else anywhere in the
    organization, and the nearest tenure within `caliper_days`; each comparison person
    is used once. Treated people
    are matched in the order given (so the result is deterministic); ties go to the
    smaller tenure gap, then the smaller person id. Returns treated id -> comparison id;
    treated people without a match are left out.
    """
    if isinstance(caliper_days, bool) or not isinstance(caliper_days, int) or caliper_days < 0:
        raise ValueError(f"caliper_days must be a whole number, 0 or more, not {caliper_days!r}")
    treated_ids = {candidate.person_id for candidate in treated}
    by_unit: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    by_department: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    by_level: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    for candidate in pool:
        if candidate.person_id in treated_ids:
            continue
        entry = (candidate.tenure_days, candidate.person_id)
        by_unit.setdefault((candidate.level, candidate.unit), []).append(entry)
        by_department.setdefault((candidate.level, candidate.department), []).append(entry)
        by_level.setdefault((candidate.level, None), []).append(entry)
    for entries in (*by_unit.values(), *by_department.values(), *by_level.values()):
        entries.sort()
    used: set[int] = set()

    def nearest(entries: list[tuple[int, int]], tenure: int) -> int | None:
        start = bisect.bisect_left(entries, (tenure, -1))
        best: tuple[int, int] | None = None
        # Walk outwards from the tenure until the gap exceeds the best or the caliper.
        for step in (-1, 1):
            index = start if step == 1 else start - 1
            while 0 <= index < len(entries):
                days, person = entries[index]
                gap = abs(days - tenure)
                if gap > caliper_days or (best is not None and gap > best[0]):
                    break
                if person not in used and (best is None or (gap, person) < best):
                    best = (gap, person)
                index += step
        return None if best is None else best[1]

    matches: dict[int, int] = {}
    for candidate in treated:
        places = (
            (by_unit, candidate.unit),
            (by_department, candidate.department),
            (by_level, None),
        )
        for table, place in places:
            if place is None and table is not by_level:
                continue
            found = nearest(table.get((candidate.level, place), []), candidate.tenure_days)
            if found is not None:
                matches[candidate.person_id] = found
                used.add(found)
                break
    return matches


def survival_at(curve: Curve, day: float) -> float | None:
    """The share of a Kaplan-Meier curve still there on `day` (a step function: the
    value at the last time on or before it); None without enough data or beyond the
    curve's last observed day."""
    if not curve.enough or not curve.timeline or day > curve.timeline[-1]:
        return None
    place = bisect.bisect_right(curve.timeline, day) - 1
    return curve.survival[place] if place >= 0 else 1.0
