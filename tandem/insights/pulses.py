"""Engagement pulses: open one (everyone in scope gets a single-use link by email),
answer through the link, close it, and read its results.

Anonymity (shared/DESIGN.md; tandem.lib.anonymity):

- A response keeps no link to its person and no time: only the slice keys (org unit,
  level, team lead) the person had when answering. The invitation records that it was
  used, not when.
- Results are read from closed pulses only, so nobody can watch answers come in.
- Closing a pulse groups its slice keys into safe cells of 5 or more people
  (`anonymity.safe_cells`, along org unit ancestry, then level, then team) and stores
  each response's cell. Every figure, whatever the filters (org unit subtree, level,
  team lead, pulse), is shown only when its keys are a union of whole cells
  (`Cells.shows`): any difference of two shown figures is then a figure over whole
  cells too, so over 5 people or more.
"""

import functools
import logging
import operator
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.assessments import tokens
from tandem.insights import pulse_items
from tandem.insights.models import (
    Pulse,
    PulseInvitation,
    PulseResponse,
    PulseSettings,
    PulseStatus,
)
from tandem.lib import anonymity, impact, stats
from tandem.people.models import OrgUnit, Person
from tandem.programs.services import Refused

logger = logging.getLogger(__name__)

MINIMUM = anonymity.SLICE_MINIMUM
# How many emails go through one connection call.
EMAIL_BATCH = 200

# A slice key: the respondent's org unit, level and team lead when they answered.
Key = tuple[int | None, str, int | None]


def _today() -> date:
    # Important: the UTC date, like the links' expiry (tokens.expiry_for).
    return timezone.now().date()


def organization_name() -> str:
    """The organization's name for the eNPS question: the top unit's, when there is
    exactly one."""
    roots = list(OrgUnit.objects.filter(parent=None).values_list("name", flat=True)[:2])
    return roots[0] if len(roots) == 1 else _("this organization")


def _record(actor: Any, pulse: Pulse, summary: str, action: str = AuditAction.UPDATE) -> None:
    AuditLog.objects.record(actor=actor, action=action, target=pulse, summary=summary)


# Creating and opening ------------------------------------------------------------------


@transaction.atomic
def pulse_create(*, name: str, org_unit: OrgUnit | None, closes_on: date, created_by: Any) -> Pulse:
    """A draft pulse; it goes out when opened (`pulse_open`)."""
    today = _today()
    pulse = Pulse(
        name=name.strip(),
        org_unit=org_unit,
        opens_on=today,
        closes_on=closes_on,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    problems: dict[str, list[str]] = {}
    try:
        pulse.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as error:
        problems.update(error.message_dict)
    if closes_on < today:
        problems.setdefault("closes_on", []).append(_("The closing date cannot be in the past."))
    if problems:
        raise ValidationError(problems)
    pulse.save()
    _record(created_by, pulse, f"Created pulse {pulse.name}", AuditAction.CREATE)
    return pulse


def invitees(pulse: Pulse, on: date) -> Any:
    """Everyone the pulse asks: people active on `on`, in its unit's subtree if it has
    one."""
    people = Person.objects.active(on)
    if pulse.org_unit_id is not None:
        assert pulse.org_unit is not None
        people = people.in_unit(pulse.org_unit)
    return people


@transaction.atomic
def pulse_open(*, pulse: Pulse, opened_by: Any) -> Pulse:
    """Open a draft pulse: each person in scope gets a single-use link, emailed once
    the transaction commits (only the token's hash is stored)."""
    pulse = (
        Pulse.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=pulse.pk)
    )
    if pulse.status != PulseStatus.DRAFT:
        raise Refused(
            _("Only a draft pulse can be opened; this one is already %(status)s.")
            % {"status": pulse.get_status_display().lower()}
        )
    today = _today()
    if pulse.closes_on < today:
        raise Refused(_("The closing date has passed; create a new pulse."))
    people = list(invitees(pulse, today).order_by("pk").values_list("pk", "email"))
    if not people:
        raise Refused(_("Nobody active is in this pulse's scope."))
    expires_at = tokens.expiry_for(pulse.closes_on)
    links: list[tuple[str, str]] = []
    rows = []
    for person_id, email in people:
        raw = tokens.new_token()
        rows.append(
            PulseInvitation(
                pulse=pulse,
                person_id=person_id,
                token_hash=tokens.hash_token(raw),
                expires_at=expires_at,
            )
        )
        links.append((email, raw))
    PulseInvitation.objects.bulk_create(rows, batch_size=1000)
    pulse.status = PulseStatus.OPEN
    pulse.opens_on = today
    pulse.invited = len(rows)
    pulse.save(update_fields=["status", "opens_on", "invited"])
    _record(opened_by, pulse, f"Opened pulse {pulse.name}: {len(rows)} people invited")
    organization = organization_name()
    # The raw tokens live only in this closure and the emails: never in the database,
    # not even in a job's arguments (the task queue is a table too).
    transaction.on_commit(lambda: send_invitations(pulse, links, organization))
    return pulse


def answer_url(raw: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("insights:pulse-answer", args=[raw])


# The email's text is the same for everyone but the link: rendered once, then the link
# goes in, so that a pulse to 100,000 people does not render 200,000 templates.
_LINK_MARK = "TANDEM-PULSE-LINK-MARK"


def invitation_messages(
    pulse: Pulse, links: Sequence[tuple[str, str]], organization: str
) -> Iterable[EmailMultiAlternatives]:
    context = {
        "pulse": pulse,
        "organization": organization,
        "closes_on": pulse.closes_on,
        "link": _LINK_MARK,
        "minimum": MINIMUM,
        "questions": len(pulse_items.asked_items()) + 1,
    }
    text = render_to_string("insights/email/pulse_invitation.txt", context)
    html = render_to_string("insights/email/pulse_invitation.html", context)
    subject = _("A two-minute pulse: how is work going?")
    for email, raw in links:
        link = answer_url(raw)
        message = EmailMultiAlternatives(
            subject=subject, body=text.replace(_LINK_MARK, link), to=[email]
        )
        message.attach_alternative(html.replace(_LINK_MARK, link), "text/html")
        yield message


def send_invitations(pulse: Pulse, links: Sequence[tuple[str, str]], organization: str) -> int:
    """Email each invited person their link, one message each; returns how many were
    sent. A failing batch is logged and the others still go."""
    sent = 0
    mail = get_connection()
    batch: list[EmailMultiAlternatives] = []

    def flush() -> None:
        nonlocal sent
        try:
            sent += mail.send_messages(batch) or 0
        except Exception:  # one bad server reply must not stop everyone else's link
            logger.exception("pulse %s: %d invitations were not sent", pulse.pk, len(batch))
        batch.clear()

    for message in invitation_messages(pulse, links, organization):
        batch.append(message)
        if len(batch) >= EMAIL_BATCH:
            flush()
    if batch:
        flush()
    return sent


# Answering -----------------------------------------------------------------------------

UNKNOWN, USED, EXPIRED, CLOSED = "unknown", "used", "expired", "closed"


class LinkRefused(Refused):
    """The link cannot take answers; `problem` is UNKNOWN, USED, EXPIRED or CLOSED."""

    def __init__(self, problem: str) -> None:
        super().__init__(LINK_PROBLEMS[problem])
        self.problem = problem


LINK_PROBLEMS = {
    UNKNOWN: "This link is not valid.",
    USED: "This link has already been used.",
    EXPIRED: "This link has expired.",
    CLOSED: "This pulse is closed.",
}


@dataclass(frozen=True)
class PulseLink:
    invitation: PulseInvitation | None
    # None when the link may be used; otherwise UNKNOWN, USED, EXPIRED or CLOSED.
    problem: str | None

    @property
    def status(self) -> int:
        return 200 if self.problem is None else 404 if self.problem == UNKNOWN else 410


def _problem(invitation: PulseInvitation, pulse: Pulse) -> str | None:
    if invitation.used:
        return USED
    if pulse.status != PulseStatus.OPEN:
        return CLOSED
    if timezone.now() >= invitation.expires_at:
        return EXPIRED
    return None


def pulse_link(raw: str) -> PulseLink:
    """The invitation a presented token opens, and why it cannot be used if so."""
    if not raw or len(raw) > tokens.MAX_TOKEN_LENGTH:
        return PulseLink(None, UNKNOWN)
    invitation = (
        PulseInvitation.objects.select_related("pulse")
        .filter(token_hash=tokens.hash_token(raw))
        .first()
    )
    if invitation is None:
        return PulseLink(None, UNKNOWN)
    return PulseLink(invitation, _problem(invitation, invitation.pulse))


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def clean_answers(answers: Mapping[str, Any]) -> tuple[dict[str, int], int]:
    """The statements' answers (index and habit items) and the eNPS answer, or a
    ValidationError naming each question that is missing or out of its scale. Every
    question needs an answer."""
    if not isinstance(answers, Mapping):
        raise ValidationError(_("The answers must be a mapping of question to answer."))
    items = pulse_items.asked_items()
    known = {item.key for item in items} | {pulse_items.ENPS_KEY}
    problems: dict[str, str] = {
        str(key): _("No such question.") for key in answers if key not in known
    }
    low, high = pulse_items.AGREEMENT
    kept: dict[str, int] = {}
    for item in items:
        value = _whole_number(answers.get(item.key))
        if value is None or not low <= value <= high:
            problems[item.key] = _(
                "Choose a point from %(low)d (strongly disagree) to %(high)d (strongly agree)."
            ) % {"low": low, "high": high}
        else:
            kept[item.key] = value
    low, high = pulse_items.ENPS_SCALE
    enps = _whole_number(answers.get(pulse_items.ENPS_KEY))
    if enps is None or not low <= enps <= high:
        problems[pulse_items.ENPS_KEY] = _("Choose a number from %(low)d to %(high)d.") % {
            "low": low,
            "high": high,
        }
    if problems:
        raise ValidationError(problems)
    assert enps is not None
    return kept, enps


def pulse_answer(*, raw_token: str, answers: Mapping[str, Any]) -> None:
    """Record one person's answers through their link, once. The response takes the
    person's slice keys as they are now and nothing that points back to them; the
    invitation is only marked used. Bad answers (ValidationError) or an unusable link
    (LinkRefused) write nothing."""
    kept, enps = clean_answers(answers)
    link = pulse_link(raw_token)
    if link.invitation is None:
        raise LinkRefused(UNKNOWN)
    with transaction.atomic():
        # The pulse first, the same lock `pulse_close` takes: no answer can slip in
        # after a close has fixed the cells.
        pulse = Pulse.objects.select_for_update().get(pk=link.invitation.pulse_id)
        invitation = (
            PulseInvitation.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=link.invitation.pk)
        )
        problem = _problem(invitation, pulse)
        if problem is not None:
            raise LinkRefused(problem)
        person = invitation.person
        PulseResponse.objects.create(
            pulse=pulse,
            team_lead_id=person.manager_id,
            org_unit_id=person.org_unit_id,
            level=person.level,
            answers=kept,
            index=pulse_items.respondent_index(kept),
            enps=enps,
        )
        invitation.used = True
        invitation.save(update_fields=["used"])


# Closing -------------------------------------------------------------------------------


def unit_ancestry() -> dict[int, tuple[int, ...]]:
    """Each org unit's ids from the root down to itself (one query)."""
    parents: dict[int, int | None] = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    found: dict[int, tuple[int, ...]] = {}
    for unit in parents:
        trail: list[int] = []
        step: int | None = unit
        while step is not None and step not in found:
            trail.append(step)
            step = parents.get(step)
        above = found[step] if step is not None else ()
        for member in reversed(trail):
            above = (*above, member)
            found[member] = above
    return found


def key_path(key: Key, ancestry: Mapping[int, tuple[int, ...]]) -> list[Any]:
    """Where a key sits for `safe_cells`: the unit's ancestry, then level, then team."""
    unit, level, lead = key
    units: tuple[int, ...] = ancestry.get(unit, (unit,)) if unit is not None else ()
    return [*units, ("level", level), ("lead", lead)]


def plan_cells(
    sizes: Mapping[Key, int], ancestry: Mapping[int, tuple[int, ...]]
) -> anonymity.Cells:
    """The safe cells of a pulse whose keys have `sizes` responses."""
    return anonymity.safe_cells(sizes, {key: key_path(key, ancestry) for key in sizes}, MINIMUM)


def _settle_cells(pulse: Pulse) -> anonymity.Cells:
    rows = list(
        PulseResponse.objects.filter(pulse=pulse).values_list(
            "pk", "org_unit_id", "level", "team_lead_id"
        )
    )
    sizes: Counter[Key] = Counter((unit, level, lead) for _pk, unit, level, lead in rows)
    cells = plan_cells(sizes, unit_ancestry())
    leads: dict[int, set[int | None]] = defaultdict(set)
    for unit, level, lead in sizes:
        leads[cells.cell_of[(unit, level, lead)]].add(lead)

    def own_team(number: int) -> bool:
        return len(leads[number]) == 1 and cells.sizes[number] >= MINIMUM

    cell_field, pk_field = PulseResponse._meta.get_field("cell"), PulseResponse._meta.pk
    own_field = PulseResponse._meta.get_field("own_team_cell")
    assert isinstance(cell_field.column, str) and pk_field is not None
    assert isinstance(pk_field.column, str) and isinstance(own_field.column, str)
    table = connection.ops.quote_name(PulseResponse._meta.db_table)
    cell = connection.ops.quote_name(cell_field.column)
    own = connection.ops.quote_name(own_field.column)
    pk = connection.ops.quote_name(pk_field.column)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {cell} = %s, {own} = %s WHERE {pk} = %s",  # noqa: S608 (names, not input)
            [
                (number, own_team(number), row)
                for row, unit, level, lead in rows
                if (number := cells.cell_of[(unit, level, lead)]) is not None
            ],
        )
    return cells


@transaction.atomic
def pulse_close(*, pulse: Pulse, closed_by: Any = None) -> Pulse:
    """Close an open pulse: its links stop working, and its responses are grouped into
    safe cells once, for every read from then on."""
    pulse = Pulse.objects.select_for_update().get(pk=pulse.pk)
    if pulse.status != PulseStatus.OPEN:
        raise Refused(_("Only an open pulse can be closed."))
    pulse.status = PulseStatus.CLOSED
    pulse.closes_on = max(pulse.opens_on, min(pulse.closes_on, _today()))
    pulse.save(update_fields=["status", "closes_on"])
    _settle_cells(pulse)
    _record(closed_by, pulse, f"Closed pulse {pulse.name}")
    return pulse


# The schedule --------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_pulse_name(on: date, every_months: int) -> str:
    """ "Pulse Q2 2026" for quarterly (or any multiple of 3 months), else "Pulse June 2026"."""
    if every_months % 3 == 0:
        quarter = (on.month - 1) // 3 + 1
        return _("Pulse Q%(quarter)d %(year)d") % {"quarter": quarter, "year": on.year}
    return _("Pulse %(month)s") % {"month": dateformat.format(on, "F Y")}


def _scheduled() -> Any:
    # The schedule counts the organization-wide pulses only: a pulse to one unit does
    # not stand in for everyone's.
    return Pulse.objects.filter(org_unit=None).exclude(status=PulseStatus.DRAFT)


def next_pulse_due(today: date, every: PulseSettings) -> bool:
    if not every.automatic or _scheduled().filter(status=PulseStatus.OPEN).exists():
        return False
    latest = _scheduled().order_by("-opens_on", "-pk").values_list("opens_on", flat=True).first()
    return latest is None or add_months(latest, every.every_months) <= today


@transaction.atomic
def pulse_schedule_next(*, today: date | None = None) -> Pulse | None:
    """Create and open the next organization-wide pulse when one is due (see
    PulseSettings); None when none is. Two workers running this at once open one
    pulse: the settings row is locked while deciding."""
    today = today or _today()
    PulseSettings.current()
    every = PulseSettings.objects.select_for_update().get(pk=1)
    if not next_pulse_due(today, every):
        return None
    pulse = Pulse.objects.create(
        name=next_pulse_name(today, every.every_months),
        opens_on=today,
        closes_on=today + timedelta(days=every.open_days),
    )
    _record(None, pulse, f"Created pulse {pulse.name} on schedule", AuditAction.CREATE)
    return pulse_open(pulse=pulse, opened_by=None)


def pulses_due_to_close(today: date | None = None) -> Any:
    return Pulse.objects.filter(status=PulseStatus.OPEN, closes_on__lt=today or _today())


# Reading results -----------------------------------------------------------------------


NO_VALUES = stats.Summary(0, 0.0, 0.0)


@dataclass(frozen=True)
class Tally:
    """What a figure adds up over a set of responses: the index values' count, sum and
    sum of squares, and the eNPS promoters (9-10) and detractors (0-6). Tallies of
    disjoint sets add up with `+`."""

    summary: stats.Summary = NO_VALUES
    promoters: int = 0
    detractors: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.summary + other.summary,
            self.promoters + other.promoters,
            self.detractors + other.detractors,
        )

    @property
    def n(self) -> int:
        return self.summary.n

    def index_estimate(self) -> stats.Estimate:
        """The engagement index (0-100) with its t interval."""
        if self.n < MINIMUM:
            return stats.Estimate.insufficient(self.n)
        return stats.summary_mean_ci(self.summary, minimum=MINIMUM)

    def enps_estimate(self) -> stats.Estimate:
        """eNPS with its interval, by `impact.enps` itself: the answers are stood in for
        by one score per kind (10 a promoter, 7 a passive, 0 a detractor), which is all
        the formula reads."""
        passives = self.n - self.promoters - self.detractors
        scores = [10] * self.promoters + [7] * passives + [0] * self.detractors
        return impact.enps(scores, minimum=MINIMUM)


_TALLY = {
    "n": Count("pk"),
    "total": Sum("index"),
    "squares": Sum(F("index") * F("index")),
    "promoters": Count("pk", filter=Q(enps__gte=9)),
    "detractors": Count("pk", filter=Q(enps__lte=6)),
}


def _tally(row: Mapping[str, Any]) -> Tally:
    return Tally(
        stats.Summary(row["n"], float(row["total"] or 0), float(row["squares"] or 0)),
        row["promoters"],
        row["detractors"],
    )


@dataclass(frozen=True)
class SliceFigures:
    """One slice of one pulse: shown (n, the engagement index and eNPS, each with its
    interval) or not (`note` says why; nothing else is given, not even the n)."""

    pulse: Pulse
    shown: bool
    n: int | None = None
    index: stats.Estimate | None = None
    enps: stats.Estimate | None = None
    # Answers of those invited, for the pulse as a whole (unfiltered) only.
    response_rate: float | None = None
    note: str = ""

    @classmethod
    def of(cls, pulse: Pulse, tally: Tally, *, response_rate: float | None) -> "SliceFigures":
        return cls(
            pulse,
            True,
            tally.n,
            tally.index_estimate(),
            tally.enps_estimate(),
            response_rate,
        )

    @property
    def index_text(self) -> str:
        return self.index.format() if self.index is not None else _("not enough data")

    @property
    def enps_text(self) -> str:
        return self.enps.format() if self.enps is not None else _("not enough data")


NOT_CLOSED = "results show once the pulse is closed"
NOT_ENOUGH = "not enough responses in this group to show it anonymously"


@dataclass
class PulseResults:
    """A closed pulse's figures from its responses' tallies by slice key and cell (one
    GROUP BY). Every figure asks `cells.shows` for its keys first."""

    pulse: Pulse
    tallies: dict[Key, Tally]
    cells: anonymity.Cells
    # Keys with a response that has no cell: a figure touching one is never shown.
    unsettled: set[Key] = field(default_factory=set)
    by_lead: dict[int | None, list[Key]] = field(default_factory=dict)
    by_level: dict[str, list[Key]] = field(default_factory=dict)
    by_unit: dict[int | None, list[Key]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, pulse: Pulse, rows: Iterable[Mapping[str, Any]]) -> "PulseResults":
        tallies: dict[Key, Tally] = {}
        cell_of: dict[Hashable, int] = {}
        sizes: dict[int, int] = defaultdict(int)
        unsettled: set[Key] = set()
        for row in rows:
            key: Key = (row["org_unit_id"], row["level"], row["team_lead_id"])
            tally = _tally(row)
            tallies[key] = tallies[key] + tally if key in tallies else tally
            cell = row["cell"]
            if cell is None or cell_of.get(key, cell) != cell:
                unsettled.add(key)
                continue
            cell_of[key] = cell
            sizes[cell] += tally.n
        results = cls(pulse, tallies, anonymity.Cells(cell_of, dict(sizes), MINIMUM), unsettled)
        for key in tallies:
            results.by_unit.setdefault(key[0], []).append(key)
            results.by_level.setdefault(key[1], []).append(key)
            results.by_lead.setdefault(key[2], []).append(key)
        return results

    @classmethod
    def of(cls, pulse: Pulse) -> "PulseResults":
        rows = (
            PulseResponse.objects.filter(pulse=pulse)
            .order_by()
            .values("org_unit_id", "level", "team_lead_id", "cell")
            .annotate(**_TALLY)
        )
        return cls.from_rows(pulse, rows)

    @property
    def total(self) -> int:
        return sum(tally.n for tally in self.tallies.values())

    def keys(
        self,
        *,
        units: Collection[int] | None = None,
        level: str | None = None,
        team_lead: int | None = None,
    ) -> list[Key]:
        """The slice keys the filters select (units: an org unit's subtree ids)."""
        if team_lead is not None:
            keys = self.by_lead.get(team_lead, [])
        elif level is not None:
            keys = self.by_level.get(level, [])
        elif units is not None:
            keys = [key for unit in units for key in self.by_unit.get(unit, [])]
        else:
            return list(self.tallies)
        return [
            key
            for key in keys
            if (units is None or key[0] in units)
            and (level is None or key[1] == level)
            and (team_lead is None or key[2] == team_lead)
        ]

    def shows(self, keys: Collection[Key]) -> bool:
        return not self.unsettled.intersection(keys) and self.cells.shows(keys)

    def figures(
        self,
        *,
        units: Collection[int] | None = None,
        level: str | None = None,
        team_lead: int | None = None,
    ) -> SliceFigures:
        keys = self.keys(units=units, level=level, team_lead=team_lead)
        if not self.shows(keys):
            return SliceFigures(self.pulse, False, note=NOT_ENOUGH)
        tally = sum((self.tallies[key] for key in keys), Tally())
        whole = units is None and level is None and team_lead is None
        rate = tally.n / self.pulse.invited if whole and self.pulse.invited else None
        return SliceFigures.of(self.pulse, tally, response_rate=rate)


def unit_subtree(unit: OrgUnit | None) -> set[int] | None:
    return set(OrgUnit.objects.subtree_ids(unit)) if unit is not None else None


# Where a slice touches more cells than this, the cells' sizes are counted for whole
# pulses rather than cell by cell (an IN list has a limit on SQLite).
_FEW_CELLS = 500


def _figures_of(
    closed: Sequence[Pulse],
    *,
    units: Collection[int] | None,
    level: str | None,
    team_lead: int | None,
) -> dict[int, SliceFigures]:
    """One slice's figures in each of the closed pulses, in two GROUP BYs over cells
    (not keys), whatever the number of pulses: the slice's part of each cell it
    touches, and those cells' sizes. The rule is `Cells.shows`, asked of a cell's part
    in the slice (key "in") beside what the slice leaves of it (key "rest"): a slice
    shows only when it leaves nothing of any cell it touches, exactly as when asked of
    the slice keys themselves (`PulseResults`)."""
    ids = [pulse.pk for pulse in closed]
    chosen = Q(pulse__in=ids)
    if units is not None:
        chosen &= Q(org_unit__in=list(units))
    if level is not None:
        chosen &= Q(level=level)
    if team_lead is not None:
        chosen &= Q(team_lead=team_lead)
    parts: dict[int, dict[int | None, Tally]] = defaultdict(dict)
    row: Any
    for row in (
        PulseResponse.objects.filter(chosen)
        .order_by()
        .values("pulse_id", "cell")
        .annotate(**_TALLY)
    ):
        parts[row["pulse_id"]][row["cell"]] = _tally(row)
    whole = units is None and level is None and team_lead is None
    sizes: dict[int, dict[int | None, int]] = defaultdict(dict)
    if whole:
        for pulse_id, cells in parts.items():
            sizes[pulse_id] = {cell: tally.n for cell, tally in cells.items()}
    elif parts:
        touched = [(p, cell) for p, cells in parts.items() for cell in cells if cell is not None]
        counted = PulseResponse.objects.filter(pulse__in=list(parts))
        if len(touched) <= _FEW_CELLS:
            by_pulse: dict[int, list[int]] = defaultdict(list)
            for pulse_id, number in touched:
                by_pulse[pulse_id].append(number)
            counted = counted.filter(
                functools.reduce(
                    operator.or_,
                    (Q(pulse_id=p, cell__in=cells) for p, cells in by_pulse.items()),
                    Q(pk__in=[]),
                )
            )
        for pulse_id, counted_cell, n in (
            counted.order_by()
            .values("pulse_id", "cell")
            .annotate(n=Count("pk"))
            .values_list("pulse_id", "cell", "n")
        ):
            sizes[pulse_id][counted_cell] = n
    result = {}
    for pulse in closed:
        cells = parts.get(pulse.pk, {})
        cell_of: dict[Hashable, int] = {}
        for cell, part in cells.items():
            if cell is None:
                continue
            cell_of[("in", cell)] = cell
            if sizes[pulse.pk].get(cell, 0) > part.n:
                cell_of[("rest", cell)] = cell
        safe = anonymity.Cells(
            cell_of, {cell: n for cell, n in sizes[pulse.pk].items() if cell is not None}, MINIMUM
        )
        if None in cells or not safe.shows([("in", cell) for cell in cells]):
            result[pulse.pk] = SliceFigures(pulse, False, note=NOT_ENOUGH)
            continue
        tally = sum(cells.values(), Tally())
        rate = tally.n / pulse.invited if whole and pulse.invited else None
        result[pulse.pk] = SliceFigures.of(pulse, tally, response_rate=rate)
    return result


def slice_figures(
    pulse: Pulse,
    *,
    org_unit: OrgUnit | None = None,
    level: str | None = None,
    team_lead: Person | None = None,
) -> SliceFigures:
    """The pulse's figures over the responses in `org_unit`'s subtree, at `level`, in
    `team_lead`'s team (each filter optional): "not enough data" unless the pulse is
    closed and the slice is a union of whole safe cells."""
    if pulse.status != PulseStatus.CLOSED:
        return SliceFigures(pulse, False, note=NOT_CLOSED)
    return _figures_of(
        [pulse],
        units=unit_subtree(org_unit),
        level=level or None,
        team_lead=team_lead.pk if team_lead is not None else None,
    )[pulse.pk]


def trend(
    *,
    org_unit: OrgUnit | None = None,
    level: str | None = None,
    team_lead: Person | None = None,
) -> list[tuple[Pulse, SliceFigures]]:
    """One slice over every closed pulse, oldest first."""
    closed = list(Pulse.objects.closed().select_related("org_unit").order_by("opens_on", "pk"))
    if not closed:
        return []
    figures = _figures_of(
        closed,
        units=unit_subtree(org_unit),
        level=level or None,
        team_lead=team_lead.pk if team_lead is not None else None,
    )
    return [(pulse, figures[pulse.pk]) for pulse in closed]


@dataclass(frozen=True)
class TeamFigure:
    """A team's figures in one pulse (the responses whose team lead is `team_lead_id`),
    given only when they make up whole safe cells. The estimates are worked out when
    first read: the impact report reads thousands of teams' means and no intervals."""

    team_lead_id: int
    tally: Tally

    @property
    def n(self) -> int:
        return self.tally.n

    @property
    def index_mean(self) -> float:
        return self.tally.summary.mean

    @property
    def enps_value(self) -> float:
        return 100 * (self.tally.promoters - self.tally.detractors) / self.tally.n

    @cached_property
    def index(self) -> stats.Estimate:
        return self.tally.index_estimate()

    @cached_property
    def enps(self) -> stats.Estimate:
        return self.tally.enps_estimate()


TEAMS_PER_QUERY = 900  # ids per IN (...): well under every database's parameter limit


def team_figures(pulse: Pulse, team_lead_ids: Iterable[int]) -> dict[int, TeamFigure]:
    """The figures of each listed team lead's team in `pulse` (see
    `team_figures_by_pulse`)."""
    return team_figures_by_pulse([pulse], team_lead_ids).get(pulse.pk, {})


def team_figures_by_pulse(
    pulses_: Iterable[Pulse], team_lead_ids: Iterable[int]
) -> dict[int, dict[int, TeamFigure]]:
    """Per closed pulse, the figures of each listed team lead's team whose responses
    are a union of whole cells (every response of the team lies in a cell that holds
    that team only: `own_team_cell`, set when the pulse closed); teams that are not,
    or have no responses, are left out. One GROUP BY over (pulse, team lead) per
    thousand teams, on the index that covers it."""
    closed = [pulse.pk for pulse in pulses_ if pulse.status == PulseStatus.CLOSED]
    result: dict[int, dict[int, TeamFigure]] = {pk: {} for pk in closed}
    wanted = sorted(set(team_lead_ids))
    if not closed:
        return result
    for first in range(0, len(wanted), TEAMS_PER_QUERY):
        rows = (
            PulseResponse.objects.filter(
                pulse_id__in=closed, team_lead_id__in=wanted[first : first + TEAMS_PER_QUERY]
            )
            .order_by()
            .values("pulse_id", "team_lead_id")
            .annotate(own=Count("pk", filter=Q(own_team_cell=True)), **_TALLY)
            .values_list("pulse_id", "team_lead_id", "own", *_TALLY)
        )
        for pulse_id, lead, own, n, total, squares, promoters, detractors in rows:
            if own != n or n < MINIMUM:
                continue
            summary = stats.Summary(n, float(total or 0), float(squares or 0))
            result[pulse_id][lead] = TeamFigure(lead, Tally(summary, promoters, detractors))
    return result


# Lists ---------------------------------------------------------------------------------


def answered_counts(pulses: Iterable[Pulse]) -> dict[int, int]:
    """How many answered each pulse (one query)."""
    return dict(
        PulseResponse.objects.filter(pulse__in=[pulse.pk for pulse in pulses])
        .order_by()
        .values("pulse_id")
        .annotate(n=Count("pk"))
        .values_list("pulse_id", "n")
    )
