"""The demo organization: a plausible company with three years of job history.

Everything is drawn from one `random.Random(seed)`, and every date is counted back
from an "as of" date, so the same (size, seed, as_of) always gives the same people,
names, managers, dates and history. `size` is the headcount on the as-of date; the
people who left during the three years come on top and keep their records, so that
turnover and retention can be measured.

How the organization is built:
- positions first: a CEO and a chief of staff, department heads, unit heads, team leads
  and individual contributors, in a tree where nobody has more than 10 direct reports
  (most have 4 to 7);
- then each position's occupants, walking back in time from the as-of date: the
  current holder, and before them whoever held it and left during the window;
- a holder who took the position during the window was hired from outside, promoted
  from the level below, or transferred from another team of the same department.

Higher apps add their own demo data (programs, plans, …) through
`register_demo_loader`: their loaders run in the same transaction once the
organization is written, and their cleanups run first when `--reset` deletes it.

People are written one management layer at a time, so that each layer's managers
already have ids, and with one prepared INSERT per table rather than per row: 100,000
people with their history load in about 15 seconds on SQLite.
"""

import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from tandem.accounts.models import Role, User, UserRole
from tandem.people.models import (
    ChangeKind,
    ExitType,
    JobChange,
    Level,
    Objective,
    OrgUnit,
    Person,
    ReportingLine,
)

DEFAULT_SIZE = 400
DEFAULT_SEED = 1
MIN_SIZE = 40
DEMO_PASSWORD = "tandem-demo"  # noqa: S105  (printed for everyone to use; it is a demo)
EMAIL_DOMAIN = "tandem-demo.example"
HISTORY_YEARS = 3
COMPANY_AGE_YEARS = 18

IC = Level.INDIVIDUAL_CONTRIBUTOR.value
EMERGING = Level.EMERGING.value
MID = Level.MID.value
SENIOR = Level.SENIOR.value
_LEVELS = [IC, EMERGING, MID, SENIOR]

# Shape of the tree.
LEAF_TEAM_SIZE = 24  # people in a team, its manager included
MAX_LEAF_TEAM_REST = 40  # a unit with more people under its head is split further
MAX_CHILD_UNITS = 8
VP_UNIT_SIZE = 300  # units this big are headed by a senior leader (a VP)
IC_PER_LEAD = 6

# History. Yearly exit hazard per level (~13% a year overall: ~10% voluntary, ~3%
# involuntary), and how positions filled during the window were filled.
EXIT_HAZARD = {IC: 0.16, EMERGING: 0.13, MID: 0.12, SENIOR: 0.09}
VOLUNTARY_SHARE = 10 / 13
NEW_POSITION_SHARE = 0.25  # positions created during the window (the company grows)
PROMOTED_INTO = {EMERGING: 0.5, MID: 0.45, SENIOR: 0.35}
SECOND_PROMOTION = 0.2
TRANSFERRED_INTO = 0.06
SENIOR_IC_SHARE = 0.3
TITLE_CHANGE_SHARE = 0.2  # of senior individual contributors, promoted in title
WRITE_CHUNK = 5000


@dataclass(frozen=True)
class _TeamSpec:
    name: str
    ic_titles: tuple[str, ...] = ()
    lead_title: str = ""
    manager_title: str = ""
    locations: tuple[str, ...] = ()


@dataclass(frozen=True)
class _DepartmentSpec:
    name: str
    weight: int
    head_title: str
    manager_title: str
    lead_title: str
    ic_titles: tuple[str, ...]
    locations: tuple[str, ...]  # the first is its main site; repeated entries weigh more
    teams: tuple[_TeamSpec, ...]


# In the order departments are added as the company grows (the first four always are).
DEPARTMENTS: tuple[_DepartmentSpec, ...] = (
    _DepartmentSpec(
        "Engineering",
        26,
        "Chief Technology Officer",
        "Engineering Manager",
        "Tech Lead",
        ("Software Engineer", "Backend Engineer", "Frontend Engineer"),
        ("Lisbon", "Lisbon", "Lisbon", "Berlin", "Berlin", "Toronto", "Bangalore"),
        (
            _TeamSpec("Platform", ("Software Engineer", "Backend Engineer", "Platform Engineer")),
            _TeamSpec("Product", ("Software Engineer", "Frontend Engineer", "Full-Stack Engineer")),
            _TeamSpec(
                "Data",
                ("Data Engineer", "Data Scientist", "Analytics Engineer"),
                "Data Team Lead",
                "Data Engineering Manager",
            ),
            _TeamSpec(
                "Infrastructure",
                ("Site Reliability Engineer", "Cloud Engineer", "Network Engineer"),
            ),
            _TeamSpec(
                "Security",
                ("Security Engineer", "Security Analyst"),
                "Security Lead",
                "Security Manager",
            ),
            _TeamSpec("Mobile", ("iOS Engineer", "Android Engineer")),
            _TeamSpec(
                "Quality", ("QA Engineer", "Test Automation Engineer"), "QA Lead", "QA Manager"
            ),
            _TeamSpec("Machine Learning", ("Machine Learning Engineer", "Data Scientist")),
            _TeamSpec("Developer Experience", ("Software Engineer", "Build Engineer")),
        ),
    ),
    _DepartmentSpec(
        "Sales",
        18,
        "Chief Revenue Officer",
        "Sales Manager",
        "Sales Team Lead",
        ("Account Executive", "Sales Development Representative", "Solutions Consultant"),
        ("London", "New York", "Singapore"),
        (
            _TeamSpec("EMEA", locations=("London", "London", "Berlin", "Paris", "Lisbon")),
            _TeamSpec(
                "Americas", locations=("New York", "New York", "Toronto", "Austin", "São Paulo")
            ),
            _TeamSpec("APAC", locations=("Singapore", "Singapore", "Sydney", "Bangalore")),
            _TeamSpec("Enterprise", ("Enterprise Account Executive", "Solutions Consultant")),
            _TeamSpec(
                "Sales Operations",
                ("Sales Operations Analyst", "Deal Desk Specialist"),
                "Sales Operations Lead",
                "Sales Operations Manager",
            ),
            _TeamSpec(
                "Partnerships",
                ("Partnerships Specialist", "Alliance Manager"),
                "Partnerships Lead",
                "Partnerships Manager",
            ),
        ),
    ),
    _DepartmentSpec(
        "Operations",
        16,
        "Chief Operating Officer",
        "Operations Manager",
        "Operations Team Lead",
        ("Operations Specialist", "Operations Analyst"),
        ("Lisbon", "Lisbon", "Austin", "São Paulo", "Bangalore"),
        (
            _TeamSpec(
                "Logistics",
                ("Logistics Coordinator", "Warehouse Associate", "Fleet Planner"),
                "Shift Lead",
                "Logistics Manager",
                ("Austin", "Austin", "Lisbon", "São Paulo"),
            ),
            _TeamSpec(
                "Customer Support",
                ("Support Specialist", "Technical Support Engineer"),
                "Support Team Lead",
                "Support Manager",
                ("Lisbon", "Lisbon", "Bangalore", "Toronto"),
            ),
            _TeamSpec(
                "Procurement",
                ("Buyer", "Procurement Analyst"),
                "Procurement Lead",
                "Procurement Manager",
            ),
            _TeamSpec("Supply Planning", ("Demand Planner", "Supply Planner")),
            _TeamSpec(
                "Facilities",
                ("Facilities Coordinator", "Workplace Specialist"),
                "Facilities Lead",
                "Facilities Manager",
            ),
        ),
    ),
    _DepartmentSpec(
        "People & Culture",
        5,
        "Chief People Officer",
        "HR Manager",
        "People Team Lead",
        ("HR Business Partner", "People Operations Specialist", "People Analyst"),
        ("Lisbon", "Lisbon", "London", "New York"),
        (
            _TeamSpec(
                "Learning & Development",
                ("Leadership Coach", "Learning Designer", "L&D Partner"),
                "L&D Program Lead",
                "L&D Manager",
            ),
            _TeamSpec(
                "Talent Acquisition",
                ("Recruiter", "Sourcer", "Recruiting Coordinator"),
                "Recruiting Lead",
                "Talent Acquisition Manager",
            ),
            _TeamSpec("HR Business Partners", ("HR Business Partner",)),
            _TeamSpec(
                "Total Rewards",
                ("Compensation Analyst", "Benefits Specialist"),
                "Total Rewards Lead",
                "Total Rewards Manager",
            ),
            _TeamSpec("People Operations", ("People Operations Specialist", "HRIS Analyst")),
        ),
    ),
    _DepartmentSpec(
        "Finance",
        6,
        "Chief Financial Officer",
        "Finance Manager",
        "Finance Team Lead",
        ("Financial Analyst", "Accountant"),
        ("Lisbon", "London", "New York"),
        (
            _TeamSpec(
                "Accounting",
                ("Accountant", "Accounts Payable Specialist", "Accounts Receivable Specialist"),
                "Accounting Team Lead",
                "Accounting Manager",
            ),
            _TeamSpec("FP&A", ("Financial Analyst", "FP&A Analyst"), "FP&A Lead", "FP&A Manager"),
            _TeamSpec("Treasury", ("Treasury Analyst",)),
            _TeamSpec("Tax", ("Tax Specialist", "Tax Analyst"), "Tax Lead", "Tax Manager"),
            _TeamSpec("Payroll", ("Payroll Specialist",), "Payroll Lead", "Payroll Manager"),
        ),
    ),
    _DepartmentSpec(
        "Marketing",
        8,
        "Chief Marketing Officer",
        "Marketing Manager",
        "Marketing Team Lead",
        ("Marketing Specialist", "Content Marketer", "Marketing Analyst"),
        ("London", "New York", "Lisbon"),
        (
            _TeamSpec("Growth", ("Growth Marketer", "Marketing Analyst")),
            _TeamSpec("Brand", ("Brand Designer", "Copywriter"), "Creative Lead", "Brand Manager"),
            _TeamSpec("Product Marketing", ("Product Marketer", "Market Researcher")),
            _TeamSpec("Communications", ("Communications Specialist", "PR Specialist")),
            _TeamSpec("Events", ("Event Coordinator", "Event Producer")),
        ),
    ),
    _DepartmentSpec(
        "Customer Success",
        9,
        "Chief Customer Officer",
        "Customer Success Team Manager",
        "Customer Success Team Lead",
        ("Customer Success Manager", "Onboarding Specialist", "Renewals Specialist"),
        ("Toronto", "Lisbon", "London", "Singapore"),
        (
            _TeamSpec("Onboarding", ("Onboarding Specialist", "Implementation Consultant")),
            _TeamSpec("Account Management", ("Customer Success Manager",)),
            _TeamSpec("Renewals", ("Renewals Specialist", "Customer Success Manager")),
            _TeamSpec(
                "Professional Services",
                ("Implementation Consultant", "Solutions Architect"),
                "Services Lead",
                "Services Manager",
            ),
            _TeamSpec("Customer Education", ("Customer Education Specialist", "Technical Writer")),
        ),
    ),
    _DepartmentSpec(
        "Product",
        7,
        "Chief Product Officer",
        "Group Product Manager",
        "Lead Product Manager",
        ("Product Manager", "Product Analyst"),
        ("Lisbon", "Berlin", "Toronto"),
        (
            _TeamSpec("Core Experience"),
            _TeamSpec(
                "Design", ("Product Designer", "UX Writer"), "Lead Designer", "Design Manager"
            ),
            _TeamSpec("User Research", ("UX Researcher",), "Lead Researcher", "Research Manager"),
            _TeamSpec("Payments"),
            _TeamSpec("Integrations"),
        ),
    ),
    _DepartmentSpec(
        "Legal",
        3,
        "General Counsel",
        "Associate General Counsel",
        "Lead Counsel",
        ("Legal Counsel", "Paralegal"),
        ("London", "New York", "Lisbon"),
        (
            _TeamSpec("Commercial", ("Commercial Counsel", "Contracts Specialist")),
            _TeamSpec("Compliance", ("Compliance Analyst", "Compliance Officer")),
            _TeamSpec("Privacy", ("Privacy Counsel", "Privacy Analyst")),
            _TeamSpec("Corporate", ("Corporate Counsel", "Paralegal")),
            _TeamSpec("Employment", ("Employment Counsel", "Paralegal")),
        ),
    ),
)
EXECUTIVE_OFFICE = "Executive Office"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


HEADQUARTERS = "Lisbon"

# Names of units below the departments' teams.
UNIT_CODENAMES = _words(
    "Atlas Beacon Cedar Comet Delta Ember Falcon Granite Harbor Horizon Juniper Kestrel "
    "Lumen Meridian Nova Orion Pioneer Quartz Summit Tidal Vertex Willow Zephyr Aurora "
    "Basalt Cobalt Dune Fjord Glacier Heron Iris Jade Lynx Maple Nimbus Onyx Polaris "
    "Raven Sequoia Tundra"
)

FIRST_NAMES = _words(
    "Aaliyah Abebe Adaeze Adriana Ahmed Aiko Akira Alejandro Aleksander Alice Amara Amina "
    "Ana Anand Andrea Anja Arjun Astrid Aylin Babajide Beatriz Benjamin Bilal Bongani "
    "Camila Carlos Carmen Chen Chidi Chloe Daniel Darius Dmitri Ebere Elena Elif Emeka "
    "Emily Emma Esther Fatima Felipe Fernanda Finn Freya Gabriel Grace Hana Hannah Hassan "
    "Hiroshi Ibrahim Ife Ingrid Isabel Isaac Ivan Jamal Javier Jia Joao Jonas Jorge "
    "José Joy Julia Kai Kalani Karim Katarzyna Kavya Kenji Kofi Lars Laila Leila Leon "
    "Liam Lina Lucas Luis Maja Malik Mar Marco Maria Mariam Mateo Maya Mei Mohammed "
    "Nadia Naledi Nia Nikhil Nils Noor Nora Olga Oliver Omar Oren Pablo Paula Priya "
    "Quentin Rafael Rahul Rania Rashid Rosa Ruth Sade Sakura Samir Sana Santiago Sara "
    "Sebastian Sefa Shira Siddharth Sipho Sofia Soo-ah Sven Tamar Tariq Thabo Thomas "
    "Tomás Uma Valentina Victor Wei Xin Yara Yasmin Yusuf Zainab Zara Zeynep Zoë Ngozi "
    "Aroha Tane Ximena Dae-jung Minh Linh Anh Ravi Deepa Marisol Ignacio Oksana Bogdan"
)

LAST_NAMES = _words(
    "Abara Acheampong Adebayo Adeyemi Agarwal Ahmadi Alvarez Andersen Aoki Bakr Banerjee "
    "Barros Becker Bianchi Boateng Brennan Brown Campbell Castillo Chaudhry Chen Cho "
    "Costa Dahl Delgado Diallo Dubois Duarte Ekström Eze Fernandes Fischer Fitzgerald "
    "Flores Fujita Garcia Ghosh Gonzalez Gupta Haddad Hansen Hashemi Hernandez Hoang "
    "Horvath Huang Hughes Ibrahim Ito Iyer Jansen Jensen Johansson Johnson Joshi Kamau "
    "Kang Kaplan Kaur Khan Kim Kowalski Kumar Larsen Laurent Lee Li Lindqvist Liu Lopez "
    "MacLeod Mahlangu Malik Martin Martinez Mbeki Mehta Mendes Mensah Meyer Molina "
    "Moreau Morales Murphy Nakamura Nascimento Ndlovu Nguyen Nielsen Novak Nowak Obi "
    "O'Brien Odhiambo Okafor Okonkwo Oliveira Olsen Ortiz Osei Owusu Park Patel Pereira "
    "Petrov Pham Popescu Quispe Rahman Ramirez Rao Reddy Reyes Richter Rodrigues Romero "
    "Rossi Russo Saito Santos Sato Schmidt Schneider Sharma Shevchenko Silva Singh "
    "Sokolov Suzuki Takahashi Tanaka Taylor Thompson Tran Tshabalala Vargas Vasquez "
    "Wagner Walker Wang Weber Williams Wójcik Wu Yamamoto Yang Yilmaz Yusuf Zhang Zhou "
    "Zimmermann Achterberg Bergström Cohen Dlamini Eriksen Ferreira Gallagher Haile "
    "Ivanova Jovanović Kariuki Levi Mwangi Nair Oyelaran Petersen Rasmussen Tesfaye"
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str  # "" when the account existed before and its password is unknown
    role: str
    person: str  # "Name — Title", or "" for an account with no person


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool  # False when the database already had people and nothing was written
    people: int
    active: int
    departed: int
    org_units: int
    job_changes: int
    objectives: int
    logins: list[DemoLogin]
    size: int = 0
    seed: int = 0
    as_of: date | None = None
    extras: tuple[str, ...] = ()  # one line per other app's demo data, for the report


# --- the organization in memory ---------------------------------------------------


@dataclass(eq=False)
class _Unit:
    name: str
    parent: "_Unit | None"
    department: _DepartmentSpec | None
    team: _TeamSpec | None
    location: str
    path: str = ""
    is_leaf: bool = True
    pk: int | None = None

    def __post_init__(self) -> None:
        self.path = f"{self.parent.path}/{self.name}" if self.parent else self.name

    @property
    def depth(self) -> int:
        return self.parent.depth + 1 if self.parent else 0

    @property
    def ic_titles(self) -> tuple[str, ...]:
        if self.team and self.team.ic_titles:
            return self.team.ic_titles
        return self.department.ic_titles if self.department else ("Executive Assistant",)

    @property
    def lead_title(self) -> str:
        if self.team and self.team.lead_title:
            return self.team.lead_title
        return self.department.lead_title if self.department else "Team Lead"

    @property
    def manager_title(self) -> str:
        if self.team and self.team.manager_title:
            return self.team.manager_title
        return self.department.manager_title if self.department else "Manager"


@dataclass(eq=False)
class _Position:
    level: str
    title: str  # for individual contributors each holder picks their own
    unit: _Unit
    manager: "_Position | None"
    depth: int
    holder: "_Person | None" = None


@dataclass(eq=False)
class _Event:
    effective: date
    kind: str
    level: str
    title: str
    unit: _Unit
    previous_level: str = ""
    previous_title: str = ""


@dataclass(eq=False)
class _Person:
    order: int
    position: _Position
    first_name: str
    last_name: str
    title: str
    location: str
    hire_date: date
    exit_date: date | None = None
    exit_type: str = ""
    hire_level: str = ""
    hire_title: str = ""
    hire_unit: _Unit | None = None
    events: list[_Event] = field(default_factory=list)
    email: str = ""
    employee_id: str = ""
    pk: int | None = None

    @property
    def level(self) -> str:
        return self.position.level

    @property
    def unit(self) -> _Unit:
        return self.position.unit

    @property
    def manager(self) -> "_Person | None":
        above = self.position.manager
        return above.holder if above else None

    @property
    def label(self) -> str:
        return f"{self.first_name} {self.last_name} — {self.title}"


@dataclass(eq=False)
class _ObjectivePlan:
    title: str
    description: str
    owner: _Person
    unit: _Unit | None
    children: list["_ObjectivePlan"] = field(default_factory=list)


@dataclass
class DemoOrganization:
    """The generated organization in memory, before anything is written."""

    as_of: date
    units: list[_Unit]
    positions: list[_Position]
    people: list[_Person]  # in employee-id order
    objectives: list[_ObjectivePlan]
    department_heads: dict[str, _Person]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _apportion(total: int, weights: Sequence[float], minimum: int = 1) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each at least `minimum`."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    for i in range(len(shares)):
        while shares[i] < minimum:
            largest = max(range(len(shares)), key=lambda j: (shares[j], -j))
            shares[largest] -= 1
            shares[i] += 1
    return shares


def _email_part(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum())


class _Generator:
    def __init__(self, *, size: int, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.as_of = as_of
        self.window_start = _years_before(as_of, HISTORY_YEARS)
        self.founded = _years_before(as_of, COMPANY_AGE_YEARS)
        self.units: list[_Unit] = []
        self.positions: list[_Position] = []
        self.people: list[_Person] = []
        self.leaf_units: dict[str, list[_Unit]] = {}

    # -- positions --

    def build(self) -> DemoOrganization:
        rng = self.rng
        office = self._unit(EXECUTIVE_OFFICE, None, None, None, HEADQUARTERS)
        ceo = self._position(SENIOR, "Chief Executive Officer", office, None)
        self._position(SENIOR, "Chief of Staff", office, ceo)
        count = max(4, min(len(DEPARTMENTS), self.size // 40))
        departments = DEPARTMENTS[:count]
        weights = [d.weight * rng.uniform(0.9, 1.1) for d in departments]
        headcounts = _apportion(self.size - 2, weights, minimum=8)
        heads: list[tuple[_DepartmentSpec, _Position]] = []
        for spec, headcount in zip(departments, headcounts, strict=True):
            unit = self._unit(spec.name, None, spec, None, spec.locations[0])
            head = self._position(SENIOR, spec.head_title, unit, ceo)
            heads.append((spec, head))
            self._staff_unit(unit, headcount, head)
        for position in self.positions:
            self._fill(position)
        self._name_people()
        return DemoOrganization(
            as_of=self.as_of,
            units=self.units,
            positions=self.positions,
            people=self.people,
            objectives=self._objectives(ceo.holder, heads),
            department_heads={spec.name: head.holder for spec, head in heads if head.holder},
        )

    def _unit(
        self,
        name: str,
        parent: _Unit | None,
        department: _DepartmentSpec | None,
        team: _TeamSpec | None,
        location: str,
    ) -> _Unit:
        unit = _Unit(name, parent, department, team, location)
        self.units.append(unit)
        return unit

    def _position(
        self, level: str, title: str, unit: _Unit, manager: _Position | None
    ) -> _Position:
        depth = manager.depth + 1 if manager else 0
        position = _Position(level, title, unit, manager, depth)
        self.positions.append(position)
        return position

    def _splits(self, unit: _Unit, rest: int) -> bool:
        """Departments get teams once they have 16 people; teams split above 40."""
        return rest >= 16 if unit.depth == 0 else rest > MAX_LEAF_TEAM_REST

    def _staff_unit(self, unit: _Unit, headcount: int, head: _Position) -> None:
        rest = headcount - 1
        if not self._splits(unit, rest):
            self._staff_team(unit, rest, head)
            return
        unit.is_leaf = False
        rng = self.rng
        count = max(2, min(MAX_CHILD_UNITS, round(rest / LEAF_TEAM_SIZE)))
        if unit.depth == 0:
            assert unit.department is not None
            count = min(count, len(unit.department.teams))
            teams: list[_TeamSpec | None] = list(unit.department.teams[:count])
            names = [team.name for team in unit.department.teams[:count]]
        else:
            teams = [unit.team] * count
            names = rng.sample(UNIT_CODENAMES, count)
        sizes = _apportion(rest, [rng.uniform(0.75, 1.25) for _ in range(count)])
        for name, team, headcount_below in zip(names, teams, sizes, strict=True):
            locations = (team.locations if team else ()) or (unit.location,) * 4 + (
                unit.department.locations if unit.department else ()
            )
            child = self._unit(name, unit, unit.department, team, rng.choice(locations))
            leaf = not self._splits(child, headcount_below - 1)
            if headcount_below >= VP_UNIT_SIZE:
                level, title = SENIOR, f"VP, {name}"
            elif leaf:
                level, title = MID, child.manager_title
            else:
                level, title = MID, f"Director, {name}"
            child_head = self._position(level, title, child, head)
            self._staff_unit(child, headcount_below, child_head)

    def _staff_team(self, unit: _Unit, rest: int, head: _Position) -> None:
        """A team: its head, team leads (emerging leaders) and individual contributors."""
        self.leaf_units.setdefault(unit.path.split("/")[0], []).append(unit)
        if rest < IC_PER_LEAD + 2:
            for _ in range(rest):
                self._position(IC, "", unit, head)
            return
        leads = max(1, round(rest / (IC_PER_LEAD + 1)))
        contributors = rest - leads
        direct = max(0, 4 - leads)
        if contributors - direct < 4 * leads:
            direct = 0
        for _ in range(direct):
            self._position(IC, "", unit, head)
        lead_positions = [
            self._position(EMERGING, unit.lead_title, unit, head) for _ in range(leads)
        ]
        for lead, size in zip(
            lead_positions, _apportion(contributors - direct, [1] * leads), strict=True
        ):
            for _ in range(size):
                self._position(IC, "", unit, lead)

    # -- people and their history --

    def _days(self, low: date, high: date) -> date:
        return low + timedelta(days=self.rng.randint(0, (high - low).days))

    def _fill(self, position: _Position) -> None:
        """The holders of `position` from the as-of date back to the window's start."""
        rng = self.rng
        if position.manager is None:  # the founder
            position.holder = self._person(position, self.founded, None)
            return
        created = None
        if position.level != SENIOR and rng.random() < NEW_POSITION_SHARE:
            created = self._days(self.window_start, self.as_of - timedelta(days=30))
        end: date | None = None
        until = self.as_of
        while True:
            tenure = timedelta(days=14 + int(rng.expovariate(EXIT_HAZARD[position.level]) * 365))
            start = until - tenure
            first = False
            if created is not None and start <= created:
                start, first = created, True
            elif start < self.founded:
                start, first = self._days(self.founded, self.window_start), True
            person = self._person(position, start, end)
            if position.holder is None:
                position.holder = person
            if first:
                return
            until = start - timedelta(days=rng.randint(7, 90))
            if until < self.window_start or (created is not None and until <= created):
                return
            end = until

    def _title_at(self, level: str, unit: _Unit) -> str:
        if level == IC:
            title = self.rng.choice(unit.ic_titles)
            return f"Senior {title}" if self.rng.random() < SENIOR_IC_SHARE else title
        if level == EMERGING:
            return unit.lead_title
        if level == MID:
            return unit.manager_title if unit.is_leaf else f"Director, {unit.name}"
        return f"VP, {unit.name}"

    def _person(self, position: _Position, start: date, end: date | None) -> _Person:
        """Someone who held `position` from `start` to `end` (None: still does), with the
        job history that brought them there."""
        rng = self.rng
        level, unit = position.level, position.unit
        title = position.title or self._title_at(level, unit)
        last_day = (end or self.as_of) - timedelta(days=7)
        events: list[_Event] = []  # latest first while building
        state_level, state_title, state_unit = level, title, unit
        hire = start
        if level == IC and title.startswith("Senior ") and rng.random() < TITLE_CHANGE_SHARE:
            low = max(start + timedelta(days=365), self.window_start + timedelta(days=1))
            if low <= last_day:
                base = title.removeprefix("Senior ")
                events.append(
                    _Event(
                        self._days(low, last_day),
                        ChangeKind.TITLE_CHANGE,
                        level,
                        title,
                        unit,
                        level,
                        base,
                    )
                )
                state_title = base
        if start > self.window_start and unit.department is not None:
            draw = rng.random()
            promoted = PROMOTED_INTO.get(level, 0.0)
            if draw < promoted:
                hire = start - timedelta(days=rng.randint(270, 6 * 365))
                on = start
                while True:
                    below = _LEVELS[_LEVELS.index(state_level) - 1]
                    before = self._title_at(below, state_unit)
                    events.append(
                        _Event(
                            on,
                            ChangeKind.PROMOTION,
                            state_level,
                            state_title,
                            state_unit,
                            below,
                            before,
                        )
                    )
                    state_level, state_title = below, before
                    low = max(hire + timedelta(days=180), self.window_start + timedelta(days=1))
                    high = on - timedelta(days=180)
                    if state_level == IC or low > high or rng.random() >= SECOND_PROMOTION:
                        break
                    on = self._days(low, high)
            elif draw < promoted + TRANSFERRED_INTO and level in (IC, EMERGING):
                department = unit.path.split("/")[0]
                siblings = [u for u in self.leaf_units.get(department, []) if u is not unit]
                if siblings:
                    other = rng.choice(siblings)
                    events.append(
                        _Event(
                            start,
                            ChangeKind.TRANSFER,
                            state_level,
                            state_title,
                            state_unit,
                            state_level,
                            state_title,
                        )
                    )
                    state_unit = other
                    hire = start - timedelta(days=rng.randint(180, 5 * 365))
        hire = max(hire, self.founded)
        exit_type = ""
        if end is not None:
            voluntary = rng.random() < VOLUNTARY_SHARE
            exit_type = ExitType.VOLUNTARY if voluntary else ExitType.INVOLUNTARY
        location = unit.location
        draw = rng.random()
        if draw > 0.95:
            location = "Remote"
        elif draw > 0.85 and unit.department:
            location = rng.choice(unit.department.locations)
        person = _Person(
            order=len(self.people),
            position=position,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            title=title,
            location=location,
            hire_date=hire,
            exit_date=end,
            exit_type=exit_type,
            hire_level=state_level,
            hire_title=state_title,
            hire_unit=state_unit,
            events=events[::-1],
        )
        self.people.append(person)
        return person

    def _name_people(self) -> None:
        """Employee ids in hiring order; emails first.last, numbered when taken."""
        self.people.sort(key=lambda p: (p.hire_date, p.order))
        taken: Counter[str] = Counter()
        for number, person in enumerate(self.people, start=1):
            person.employee_id = f"T{number:06d}"
            local = f"{_email_part(person.first_name)}.{_email_part(person.last_name)}"
            taken[local] += 1
            suffix = str(taken[local]) if taken[local] > 1 else ""
            person.email = f"{local}{suffix}@{EMAIL_DOMAIN}"

    # -- objectives --

    def _objectives(
        self, ceo: _Person | None, heads: list[tuple[_DepartmentSpec, _Position]]
    ) -> list[_ObjectivePlan]:
        """Company objectives owned by the CEO, each with two or three department
        objectives owned by the department heads."""
        by_department = {spec.name: head for spec, head in heads}
        plans = []
        for title, description, children in OBJECTIVES:
            plan = _ObjectivePlan(title, description, ceo, None) if ceo else None
            for child_title, department, child_description in children:
                head = by_department.get(department)
                if plan is not None and head is not None and head.holder is not None:
                    plan.children.append(
                        _ObjectivePlan(child_title, child_description, head.holder, head.unit)
                    )
            if plan is not None and len(plan.children) >= 2:
                del plan.children[3:]
                plans.append(plan)
        return plans[:5]


# Company objectives and their department objectives (title, department, description).
# Each has at least two children in the four departments every demo company has.
OBJECTIVES: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Grow recurring revenue 20%",
        "Annual recurring revenue up 20% year on year, with net retention above 110%.",
        (
            (
                "Open 40 new enterprise accounts in EMEA and the Americas",
                "Sales",
                "New logos above 500 seats.",
            ),
            (
                "Lift net revenue retention to 115%",
                "Customer Success",
                "Expansion and renewals in the installed base.",
            ),
            (
                "Ship usage-based billing for the platform",
                "Engineering",
                "Every plan can bill on usage by Q3.",
            ),
            (
                "Cut onboarding time for new accounts to 30 days",
                "Operations",
                "From signature to first value.",
            ),
        ),
    ),
    (
        "Build a bench of ready-now leaders",
        "A ready-now successor for every critical role; most leadership openings filled inside.",
        (
            (
                "Name a ready-now successor for every critical role",
                "People & Culture",
                "Reviewed in the twice-yearly talent review.",
            ),
            (
                "Develop two ready-now engineering directors",
                "Engineering",
                "Through coaching and a stretch assignment each.",
            ),
            (
                "Mentor every emerging leader in Operations",
                "Operations",
                "A senior mentor for each team lead within the year.",
            ),
        ),
    ),
    (
        "Raise engagement in mid-level teams",
        "Mid-level managers carry the organization; their teams' engagement rises ten points.",
        (
            (
                "Train every mid-level manager in coaching conversations",
                "People & Culture",
                "Practice reinforced after the course, not a one-off event.",
            ),
            (
                "Hold monthly one-on-ones in every sales team",
                "Sales",
                "With a coaching guide and agreed next steps.",
            ),
            (
                "Cut regretted attrition in Engineering to 8%",
                "Engineering",
                "Measured on voluntary exits of strong performers.",
            ),
        ),
    ),
    (
        "Deliver service customers recommend",
        "Customers get quick, competent help and tell others about it.",
        (
            (
                "Resolve 90% of support requests within one working day",
                "Operations",
                "Across every support location.",
            ),
            (
                "Raise NPS from 32 to 45",
                "Customer Success",
                "Measured quarterly on active accounts.",
            ),
            (
                "Make the top ten support requests self-service",
                "Engineering",
                "Fix the causes or build the tools.",
            ),
        ),
    ),
    (
        "Run a lean, predictable operation",
        "Costs grow slower than revenue and plans are met.",
        (
            ("Close the books in five working days", "Finance", "Every month, without overtime."),
            (
                "Reduce logistics cost per order 10%",
                "Operations",
                "Through route planning and supplier consolidation.",
            ),
            (
                "Hire to plan within 45 days per opening",
                "People & Culture",
                "Time from approved opening to accepted offer.",
            ),
        ),
    ),
)


def generate(
    *, size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, as_of: date | None = None
) -> DemoOrganization:
    """The demo organization in memory, nothing written."""
    if size < MIN_SIZE:
        raise ValueError(f"The demo organization needs at least {MIN_SIZE} people (got {size}).")
    return _Generator(size=size, seed=seed, as_of=as_of or timezone.localdate()).build()


# --- writing -------------------------------------------------------------------------

_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress(progress: bool, total: int, desc: str) -> "tqdm[object]":
    return tqdm(total=total, desc=desc, unit=" rows", disable=not progress, leave=True)


def _write_units(org: DemoOrganization) -> None:
    for depth in range(max(unit.depth for unit in org.units) + 1):
        layer = [unit for unit in org.units if unit.depth == depth]
        rows = [
            OrgUnit(
                name=unit.name, parent_id=unit.parent.pk if unit.parent else None, path=unit.path
            )
            for unit in layer
        ]
        OrgUnit.objects.bulk_create(rows)
        for unit, row in zip(layer, rows, strict=True):
            unit.pk = row.pk


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def _insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    bar: "tqdm[object]",
) -> None:
    """INSERT `rows` (values in the order of `fields`, already adapted for the database)
    with one prepared statement. Important: bulk_create compiles the SQL again for every
    batch of ~70 rows on SQLite (999 parameters a statement), which took most of the
    time at 100,000 people; executemany of one statement is about four times faster."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only names from the model's metadata, quoted, go into the SQL; values are parameters.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, WRITE_CHUNK):
            cursor.executemany(sql, chunk)
            bar.update(len(chunk))


_PERSON_FIELDS = (
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "title",
    "level",
    "manager",
    "org_unit",
    "location",
    "hire_date",
    "exit_date",
    "exit_type",
)


def _write_people(org: DemoOrganization, progress: bool) -> None:
    """Managers before their reports, one management layer per pass, so that each
    layer's managers already have ids. People who left report to whoever holds their
    position's manager position now."""
    day = connection.ops.adapt_datefield_value
    layers: dict[int, list[_Person]] = {}
    for person in org.people:
        depth = person.position.depth if person.exit_date is None else -1
        layers.setdefault(depth, []).append(person)
    order = sorted(d for d in layers if d >= 0) + ([-1] if -1 in layers else [])
    with _progress(progress, len(org.people), "people") as bar:
        for depth in order:
            layer = layers[depth]
            rows = []
            for person in layer:
                manager = person.manager
                rows.append(
                    (
                        person.employee_id,
                        person.first_name,
                        person.last_name,
                        person.email,
                        person.title,
                        person.level,
                        manager.pk if manager else None,
                        person.unit.pk,
                        person.location,
                        day(person.hire_date),
                        day(person.exit_date),
                        str(person.exit_type),
                    )
                )
            newest = Person.objects.aggregate(newest=models.Max("pk"))["newest"] or 0
            _insert_rows(Person, _PERSON_FIELDS, rows, bar)
            ids = dict(Person.objects.filter(pk__gt=newest).values_list("employee_id", "pk"))
            for person in layer:
                person.pk = ids[person.employee_id]


_HISTORY_FIELDS = (
    "person",
    "kind",
    "effective_date",
    "title",
    "level",
    "previous_title",
    "previous_level",
    "org_unit",
    "exit_type",
    "recorded_at",
)


def _history_rows(person: _Person, recorded_at: Any) -> Iterator[tuple[Any, ...]]:
    assert person.hire_unit is not None
    day = connection.ops.adapt_datefield_value
    yield (
        person.pk,
        ChangeKind.HIRE.value,
        day(person.hire_date),
        person.hire_title,
        person.hire_level,
        "",
        "",
        person.hire_unit.pk,
        "",
        recorded_at,
    )
    for event in person.events:
        yield (
            person.pk,
            str(event.kind),
            day(event.effective),
            event.title,
            event.level,
            event.previous_title,
            event.previous_level,
            event.unit.pk,
            "",
            recorded_at,
        )
    if person.exit_date is not None:
        yield (
            person.pk,
            ChangeKind.EXIT.value,
            day(person.exit_date),
            person.title,
            person.level,
            "",
            "",
            person.unit.pk,
            str(person.exit_type),
            recorded_at,
        )


def _write_history(org: DemoOrganization, progress: bool) -> int:
    recorded_at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [row for person in org.people for row in _history_rows(person, recorded_at)]
    with _progress(progress, len(rows), "job history") as bar:
        _insert_rows(JobChange, _HISTORY_FIELDS, rows, bar)
    return len(rows)


def _write_objectives(org: DemoOrganization) -> int:
    period = f"FY{org.as_of.year}"
    count = 0
    for plan in org.objectives:
        parent = Objective.objects.create(
            title=plan.title,
            description=plan.description,
            owner_id=plan.owner.pk,
            org_unit_id=plan.unit.pk if plan.unit else None,
            period=period,
        )
        Objective.objects.bulk_create(
            Objective(
                title=child.title,
                description=child.description,
                parent=parent,
                owner_id=child.owner.pk,
                org_unit_id=child.unit.pk if child.unit else None,
                period=period,
            )
            for child in plan.children
        )
        count += 1 + len(plan.children)
    return count


# --- demo users ----------------------------------------------------------------------

# (username, role), in the order the logins are printed.
DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("admin", Role.PROGRAM_ADMIN),
    ("participant", Role.PARTICIPANT),
    ("manager", Role.MANAGER),
    ("coach", Role.COACH),
    ("mentor", Role.MENTOR),
    ("executive", Role.EXECUTIVE_VIEWER),
)
DEMO_USERNAMES = tuple(username for username, _ in DEMO_USERS)


def _cast(org: DemoOrganization) -> dict[str, _Person | None]:
    """Who plays each demo role: a mid-level manager and one of their team leads, a
    coach and an admin from People & Culture, a senior leader from another department
    as mentor, and the chief of staff (a sponsor with no reports) as executive viewer."""
    active = [p for p in org.people if p.exit_date is None]
    reports: dict[int, list[_Person]] = {}
    for person in active:
        if person.manager is not None:
            reports.setdefault(id(person.manager), []).append(person)
    by_order = sorted(active, key=lambda p: p.order)

    def promoted(person: _Person) -> bool:
        return any(event.kind == ChangeKind.PROMOTION for event in person.events)

    # The first fitting manager, preferring one whose team lead was promoted recently.
    candidates = []
    for person in by_order:
        team = reports.get(id(person), [])
        leads = [p for p in team if p.level == EMERGING]
        if person.level == MID and person.unit.is_leaf and len(team) >= 4 and leads:
            candidates.append((person, next((p for p in leads if promoted(p)), leads[0])))
    manager, participant = next(
        (pair for pair in candidates if promoted(pair[1])),
        candidates[0] if candidates else (None, None),
    )
    people_team = [p for p in by_order if p.unit.path.startswith("People & Culture")]
    coach = next((p for p in people_team if "Leadership Coach" in p.title), None)
    coach = coach or next((p for p in people_team if p.level == IC), None)
    admin = next((p for p in people_team if p.title == "L&D Program Lead"), None)
    admin = admin or next(
        (p for p in people_team if p.level in (IC, EMERGING) and p is not coach), None
    )
    participant_department = participant.unit.path.split("/")[0] if participant else ""
    mentor = next(
        (
            head
            for name, head in org.department_heads.items()
            if name != participant_department and head.exit_date is None
        ),
        None,
    )
    executive = next(
        (p for p in by_order if p.title == "Chief of Staff" and p.exit_date is None), None
    )
    return {
        "admin": admin,
        "participant": participant,
        "manager": manager,
        "coach": coach,
        "mentor": mentor,
        "executive": executive,
    }


def _create_demo_users(org: DemoOrganization) -> list[DemoLogin]:
    cast = _cast(org)
    logins = []
    for username, role in DEMO_USERS:
        person = cast[username]
        user = User.objects.filter(username=username).first()
        password = DEMO_PASSWORD
        if user is None:
            email = person.email if person else f"{username}@{EMAIL_DOMAIN}"
            if User.objects.filter(email=email).exists():
                email = f"{username}@{EMAIL_DOMAIN}"
            user = User(
                username=username,
                email=email,
                first_name=person.first_name if person else "",
                last_name=person.last_name if person else username.title(),
                is_staff=role == Role.PROGRAM_ADMIN,
                is_superuser=role == Role.PROGRAM_ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        else:
            password = ""  # an account someone made before: keep its password
        UserRole.objects.get_or_create(user=user, role=role)
        if person is not None and not Person.objects.filter(user=user).exists():
            Person.objects.filter(employee_id=person.employee_id).update(user=user)
        logins.append(
            DemoLogin(username, password, str(role.label), person.label if person else "")
        )
    return logins


def _existing_logins() -> list[DemoLogin]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("person")
    }
    logins = []
    for username, role in DEMO_USERS:
        user = users.get(username)
        if user is None:
            continue
        person = getattr(user, "person", None)
        label = f"{person.full_name} — {person.title}" if person else ""
        password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else ""
        logins.append(DemoLogin(username, password, str(role.label), label))
    return logins


# --- other apps' demo data ---------------------------------------------------------------


@dataclass(frozen=True)
class DemoContext:
    """What a demo loader is given. It runs inside the demo's transaction, after the
    organization, its objectives and the demo users are written."""

    as_of: date
    seed: int
    size: int
    # The loader's own generator, seeded from the demo's seed and the loader's name:
    # the same seed gives the same data, and loaders do not shift each other's draws.
    rng: random.Random
    logins: list[DemoLogin]


# A loader writes its app's demo data and returns one line for the report (or None).
DemoLoader = Callable[[DemoContext], str | None]
# A cleanup runs first when the organization is reset: it deletes the app's rows that
# would otherwise protect people or users from deletion (or outlive them as orphans).
DemoCleanup = Callable[[], None]

_LOADERS: list[tuple[DemoLoader, DemoCleanup | None]] = []


def register_demo_loader(loader: DemoLoader, *, cleanup: DemoCleanup | None = None) -> None:
    """Add a higher app's demo data, from its AppConfig.ready(). Loaders run in the
    order they were registered; cleanups in the reverse order."""
    if all(registered is not loader for registered, _ in _LOADERS):
        _LOADERS.append((loader, cleanup))


def _loader_name(loader: DemoLoader) -> str:
    return f"{loader.__module__}.{loader.__qualname__}"


def _run_loaders(
    org: DemoOrganization, *, size: int, seed: int, logins: list[DemoLogin]
) -> tuple[str, ...]:
    lines = []
    for loader, _cleanup in _LOADERS:
        context = DemoContext(
            as_of=org.as_of,
            seed=seed,
            size=size,
            rng=random.Random(f"{seed}:{_loader_name(loader)}"),
            logins=logins,
        )
        line = loader(context)
        if line:
            lines.append(line)
    return tuple(lines)


# --- the entry point -------------------------------------------------------------------


def delete_organization() -> None:
    """Delete people, job history, org units, objectives and the demo users. The apps
    that registered a demo cleanup delete their rows first; other rows that point at
    people go with them (or stop this, if they protect them)."""
    for _loader, cleanup in reversed(_LOADERS):
        if cleanup is not None:
            cleanup()
    Objective.objects.update(parent=None)
    Objective.objects.all().delete()
    JobChange.objects.all().delete()
    Person.objects.update(manager=None)
    Person.objects.all().delete()
    OrgUnit.objects.update(parent=None)
    OrgUnit.objects.all().delete()
    User.objects.filter(username__in=DEMO_USERNAMES).delete()


def load_demo(
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    reset: bool = False,
    progress: bool = False,
) -> DemoSummary:
    """Load the demo organization in one transaction. A database that already has
    people is left alone (the summary says `loaded=False`) unless `reset` is given,
    which deletes the organization first."""
    if not reset and Person.objects.exists():
        return _already_loaded()
    org = generate(size=size, seed=seed, as_of=as_of)
    with transaction.atomic():
        if reset:
            delete_organization()
        elif Person.objects.exists():  # loaded by someone else meanwhile
            return _already_loaded()
        _write_units(org)
        _write_people(org, progress)
        ReportingLine.objects.rebuild()  # bulk writes bypass Person.save()
        _write_history(org, progress)
        objectives = _write_objectives(org)
        logins = _create_demo_users(org)
        extras = _run_loaders(org, size=size, seed=seed, logins=logins)
    # Counted in the database: later loaders may add history (the impact demo adds
    # exits and promotions).
    people = Person.objects.count()
    departed = Person.objects.departed().count()
    return DemoSummary(
        loaded=True,
        people=people,
        active=people - departed,
        departed=departed,
        org_units=OrgUnit.objects.count(),
        job_changes=JobChange.objects.count(),
        objectives=objectives,
        logins=logins,
        size=size,
        seed=seed,
        as_of=org.as_of,
        extras=extras,
    )


def _already_loaded() -> DemoSummary:
    people = Person.objects.count()
    departed = Person.objects.departed().count()
    return DemoSummary(
        loaded=False,
        people=people,
        active=people - departed,
        departed=departed,
        org_units=OrgUnit.objects.count(),
        job_changes=JobChange.objects.count(),
        objectives=Objective.objects.count(),
        logins=_existing_logins(),
    )
