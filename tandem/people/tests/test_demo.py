import hashlib
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from tandem.accounts.models import Role, User
from tandem.people import demo
from tandem.people.demo import DEMO_PASSWORD, load_demo
from tandem.people.models import ChangeKind, ExitType, JobChange, Level, Objective, OrgUnit, Person

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 30)
WINDOW_START = date(2022, 6, 30)


def fingerprint() -> str:
    """Everything the demo writes, with rows named by employee id rather than by pk."""
    people = Person.objects.order_by("employee_id").values_list(
        "employee_id",
        "first_name",
        "last_name",
        "email",
        "title",
        "level",
        "manager__employee_id",
        "org_unit__path",
        "location",
        "hire_date",
        "exit_date",
        "exit_type",
        "user__username",
    )
    history = JobChange.objects.order_by("person__employee_id", "effective_date", "pk").values_list(
        "person__employee_id",
        "effective_date",
        "kind",
        "title",
        "level",
        "previous_title",
        "previous_level",
        "org_unit__path",
        "exit_type",
    )
    objectives = Objective.objects.order_by("title").values_list(
        "title", "parent__title", "owner__employee_id", "org_unit__path", "period"
    )
    units = OrgUnit.objects.values_list("path", flat=True)
    # Sorted here too: rows that tie on the ORDER BY (objectives with one title, units
    # in no order) come back in whatever order PostgreSQL finds them.
    text = repr([sorted(map(repr, part)) for part in (people, history, objectives, units)])
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def loaded():
    return load_demo(size=400, seed=1, as_of=AS_OF)


def active_people():
    return Person.objects.active(AS_OF)


def test_it_gives_the_same_organization_for_the_same_seed():
    load_demo(size=150, seed=7, as_of=AS_OF)
    first = fingerprint()
    load_demo(size=150, seed=7, as_of=AS_OF, reset=True)
    assert fingerprint() == first
    load_demo(size=150, seed=8, as_of=AS_OF, reset=True)
    assert fingerprint() != first


class TestTheDemoOrganization(TestCase):
    """Read-only checks of one loaded demo, loaded once for all of them (Django rolls
    the class's data back at the end)."""

    @classmethod
    def setUpTestData(cls):
        cls.loaded = load_demo(size=400, seed=1, as_of=AS_OF)

    def test_it_summarizes_what_it_loaded(self):
        assert self.loaded.loaded
        assert self.loaded.active == 400 == active_people().count()
        assert self.loaded.departed == Person.objects.departed().count() > 0
        assert self.loaded.people == Person.objects.count()
        assert self.loaded.job_changes == JobChange.objects.count()
        assert self.loaded.org_units == OrgUnit.objects.count()
        assert self.loaded.objectives == Objective.objects.count()
        assert [login.username for login in self.loaded.logins] == list(demo.DEMO_USERNAMES)

    def test_it_builds_departments_with_teams_and_locations(self):
        paths = set(OrgUnit.objects.values_list("path", flat=True))
        for path in ["Engineering/Platform", "Engineering/Product", "Sales/EMEA", "Sales/Americas"]:
            assert path in paths
        for path in ["Operations/Logistics", "Operations/Customer Support", "People & Culture"]:
            assert path in paths
        assert {"Finance", "Marketing"} <= paths
        assert len(set(active_people().values_list("location", flat=True))) >= 5

    def test_it_numbers_employees_and_gives_unique_emails(self):
        ids = list(Person.objects.values_list("employee_id", flat=True))
        assert all(len(i) == 7 and i.startswith("T") and i[1:].isdigit() for i in ids)
        emails = list(Person.objects.values_list("email", flat=True))
        assert len(set(emails)) == len(emails)
        assert all(e.endswith("@tandem-demo.example") for e in emails)
        assert len(set(Person.objects.values_list("last_name", flat=True))) > 50

    def test_it_puts_one_ceo_on_top_of_one_tree(self):
        people = {p.pk: p for p in active_people()}
        roots = [p for p in people.values() if p.manager_id is None]
        assert [(r.title, r.level) for r in roots] == [("Chief Executive Officer", Level.SENIOR)]
        for person in people.values():
            seen = {person.pk}
            current = person
            while current.manager_id is not None:
                assert current.manager_id in people, f"{person} reports to someone who left"
                current = people[current.manager_id]
                assert current.pk not in seen, f"cycle above {person}"
                seen.add(current.pk)
            assert current.pk == roots[0].pk

    def test_it_puts_managers_at_the_same_level_or_above(self):
        for person in active_people().select_related("manager").exclude(manager=None):
            assert Level.rank(person.manager.level) >= Level.rank(person.level), person
            assert person.manager.exit_date is None

    def test_it_keeps_levels_in_a_pyramid(self):
        counts = Counter(active_people().values_list("level", flat=True))
        assert counts[Level.SENIOR] < counts[Level.MID] < counts[Level.EMERGING]
        assert counts[Level.EMERGING] < counts[Level.INDIVIDUAL_CONTRIBUTOR]
        assert counts[Level.INDIVIDUAL_CONTRIBUTOR] > 0.6 * 400

    def test_it_keeps_spans_of_control_within_bounds(self):
        spans = Counter(active_people().exclude(manager=None).values_list("manager_id", flat=True))
        assert max(spans.values()) <= 10
        assert 4 <= sum(spans.values()) / len(spans) <= 10

    def test_it_leaves_no_reports_to_people_who_left(self):
        assert not Person.objects.filter(manager__exit_date__isnull=False).exists()

    def test_it_records_a_hire_for_everyone_on_their_hire_date(self):
        hires = dict(
            JobChange.objects.filter(kind=ChangeKind.HIRE).values_list(
                "person_id", "effective_date"
            )
        )
        people = dict(Person.objects.values_list("pk", "hire_date"))
        assert hires == people
        assert JobChange.objects.filter(kind=ChangeKind.HIRE).count() == len(people)

    def test_it_hires_over_many_years(self):
        hires = list(active_people().values_list("hire_date", flat=True))
        recent = sum(1 for day in hires if day > WINDOW_START)
        assert 0.25 * len(hires) < recent < 0.75 * len(hires)
        assert min(hires) < AS_OF - timedelta(days=10 * 365)

    def test_it_promotes_people_from_a_lower_level(self):
        promotions = list(JobChange.objects.promotions().select_related("person"))
        assert len(promotions) >= 5
        for promotion in promotions:
            assert Level.rank(promotion.previous_level) < Level.rank(promotion.level)
            assert promotion.previous_title
            assert WINDOW_START < promotion.effective_date <= AS_OF
            assert promotion.effective_date >= promotion.person.hire_date

    def test_it_ends_each_history_in_the_current_job(self):
        last = {}
        for change in JobChange.objects.exclude(kind=ChangeKind.EXIT).order_by(
            "person_id", "effective_date", "pk"
        ):
            last[change.person_id] = change
        for person in Person.objects.all():
            assert (last[person.pk].level, last[person.pk].title) == (person.level, person.title)
            assert last[person.pk].org_unit_id == person.org_unit_id

    def test_it_records_some_of_each_kind_of_change(self):
        kinds = Counter(JobChange.objects.values_list("kind", flat=True))
        for kind in [ChangeKind.PROMOTION, ChangeKind.TITLE_CHANGE, ChangeKind.TRANSFER]:
            assert kinds[kind] > 0, kind
        exits = Counter(Person.objects.departed().values_list("exit_type", flat=True))
        assert exits[ExitType.VOLUNTARY] > exits[ExitType.INVOLUNTARY] > 0

    def test_it_records_exits_with_their_type(self):
        departed = list(Person.objects.departed())
        exits = {c.person_id: c for c in JobChange.objects.exits()}
        assert len(exits) == len(departed)
        for person in departed:
            assert person.exit_type in ExitType.values
            assert person.hire_date <= person.exit_date <= AS_OF
            assert (exits[person.pk].effective_date, exits[person.pk].exit_type) == (
                person.exit_date,
                person.exit_type,
            )
            assert person.exit_date > WINDOW_START - timedelta(days=1)

    def test_it_keeps_turnover_near_the_usual_rates(self):
        exits = Counter(Person.objects.departed().values_list("exit_type", flat=True))
        yearly = {kind: count / 3 / 400 for kind, count in exits.items()}
        assert 0.06 < yearly[ExitType.VOLUNTARY] < 0.15
        assert 0.01 < yearly[ExitType.INVOLUNTARY] < 0.06

    def test_it_aligns_department_objectives_to_company_objectives(self):
        company = list(Objective.objects.filter(parent=None).select_related("owner"))
        assert 3 <= len(company) <= 5
        heads = set(active_people().filter(manager__manager=None, level=Level.SENIOR))
        for objective in company:
            assert objective.owner.title == "Chief Executive Officer"
            children = list(objective.children.select_related("owner", "org_unit"))
            assert 2 <= len(children) <= 3
            for child in children:
                assert child.owner in heads
                assert child.org_unit_id == child.owner.org_unit_id
                assert child.period == f"FY{AS_OF.year}"

    def test_it_creates_a_login_for_each_role(self):
        roles = {
            "admin": Role.PROGRAM_ADMIN,
            "participant": Role.PARTICIPANT,
            "manager": Role.MANAGER,
            "coach": Role.COACH,
            "mentor": Role.MENTOR,
            "executive": Role.EXECUTIVE_VIEWER,
        }
        for username, role in roles.items():
            user = User.objects.get(username=username)
            assert user.has_role(role), username
            assert user.person.email == user.email
            assert self.client.login(username=username, password=DEMO_PASSWORD), username
            self.client.logout()
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser

    def test_it_casts_demo_users_as_people_who_fit_the_role(self):
        participant = Person.objects.get(user__username="participant")
        manager = Person.objects.get(user__username="manager")
        assert participant.level == Level.EMERGING
        assert participant.manager == manager
        assert manager.level == Level.MID
        assert manager.reports.active(AS_OF).count() >= 4
        assert Person.objects.get(user__username="mentor").level == Level.SENIOR
        executive = Person.objects.get(user__username="executive")
        assert not executive.reports.exists()
        coach = Person.objects.get(user__username="coach")
        assert coach.org_unit.path.startswith("People & Culture")


def test_it_gives_larger_organizations_more_teams():
    small = demo.generate(size=400, seed=1, as_of=AS_OF)
    large = demo.generate(size=5000, seed=1, as_of=AS_OF)
    assert len(large.units) > 3 * len(small.units)


def test_it_changes_nothing_when_already_loaded(loaded):
    before = fingerprint()
    summary = load_demo(size=600, seed=2, as_of=AS_OF)
    assert not summary.loaded
    assert fingerprint() == before
    assert summary.active == loaded.active and summary.departed == loaded.departed
    assert [(lo.username, lo.password) for lo in summary.logins] == [
        (lo.username, lo.password) for lo in loaded.logins
    ]


def test_it_reloads_with_reset(loaded):
    before = fingerprint()
    summary = load_demo(size=200, seed=3, as_of=AS_OF, reset=True)
    assert summary.loaded
    assert active_people().count() == 200
    assert fingerprint() != before
    assert User.objects.filter(username__in=demo.DEMO_USERNAMES).count() == 6


def test_it_writes_nothing_when_loading_fails(monkeypatch):
    def fail(org):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_create_demo_users", fail)
    with pytest.raises(RuntimeError):
        load_demo(size=100, as_of=AS_OF)
    assert not Person.objects.exists()
    assert not OrgUnit.objects.exists()
    assert not JobChange.objects.exists()


def test_it_loads_a_larger_organization():
    summary = load_demo(size=2000, seed=5, as_of=AS_OF)
    assert active_people().count() == 2000
    assert summary.departed > 400
    spans = Counter(active_people().exclude(manager=None).values_list("manager_id", flat=True))
    assert max(spans.values()) <= 10
    assert Person.objects.filter(manager=None).count() == 1


def test_it_refuses_a_tiny_organization():
    with pytest.raises(ValueError, match="at least"):
        load_demo(size=10)


def test_it_prints_the_logins_from_the_command():
    out = StringIO()
    call_command("demo", size=100, seed=4, as_of=AS_OF, verbosity=0, stdout=out)
    text = out.getvalue()
    assert "Loaded the demo organization" in text
    for username in demo.DEMO_USERNAMES:
        assert username in text
    assert DEMO_PASSWORD in text


def test_it_says_so_when_the_command_finds_people_already(loaded):
    out = StringIO()
    call_command("demo", verbosity=0, stdout=out)
    assert "already loaded" in out.getvalue()
    assert "participant" in out.getvalue()
    assert active_people().count() == 400


def test_it_rejects_a_tiny_size_in_the_command():
    with pytest.raises(CommandError, match="at least"):
        call_command("demo", size=5, verbosity=0)
    assert not Person.objects.exists()


# Other apps' demo data --------------------------------------------------------------


def test_it_runs_registered_loaders_once_the_organization_is_written(monkeypatch):
    seen = []

    def loader(context):
        seen.append(
            (
                context.as_of,
                context.seed,
                context.size,
                Person.objects.filter(user__username="participant").exists(),
                [login.username for login in context.logins],
                context.rng.random(),
            )
        )
        return "Extra: 1 thing"

    monkeypatch.setattr(demo, "_LOADERS", [])
    demo.register_demo_loader(loader)
    demo.register_demo_loader(loader)  # registering twice changes nothing
    summary = load_demo(size=100, seed=4, as_of=AS_OF)
    assert summary.extras == ("Extra: 1 thing",)
    [(as_of, seed, size, people_exist, usernames, draw)] = seen
    assert (as_of, seed, size, people_exist) == (AS_OF, 4, 100, True)
    assert usernames == list(demo.DEMO_USERNAMES)
    load_demo(size=100, seed=4, as_of=AS_OF, reset=True)
    assert seen[1][-1] == draw, "a loader's generator depends only on the seed"


def test_it_writes_nothing_when_a_loader_fails(monkeypatch):
    def loader(context):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_LOADERS", [])
    demo.register_demo_loader(loader)
    with pytest.raises(RuntimeError):
        load_demo(size=100, as_of=AS_OF)
    assert not Person.objects.exists()
    assert not User.objects.filter(username__in=demo.DEMO_USERNAMES).exists()


def test_it_runs_the_cleanups_before_a_reset_deletes_people(monkeypatch):
    calls = []
    monkeypatch.setattr(demo, "_LOADERS", [])
    demo.register_demo_loader(lambda context: None, cleanup=lambda: calls.append("first"))
    demo.register_demo_loader(
        lambda context: None,
        cleanup=lambda: calls.append(("second", Person.objects.exists())),
    )
    load_demo(size=100, as_of=AS_OF)
    assert calls == []
    load_demo(size=100, as_of=AS_OF, reset=True)
    assert calls == [("second", True), "first"]
