"""The impact demo: two years of quarterly pulses where two programs have a modest,
real effect on their participants' teams and one has none; exits, promotions and the
ROI inputs."""

import itertools
import random
import statistics
from datetime import date, timedelta

from django.test import TestCase

from tandem.insights import demo
from tandem.insights.models import (
    BenefitLine,
    ImpactSettings,
    Intangible,
    Pulse,
    PulseInvitation,
    PulseResponse,
    PulseStatus,
    SalaryBand,
)
from tandem.people import demo as people_demo
from tandem.people.demo import DemoContext, load_demo
from tandem.people.models import ChangeKind, ExitType, JobChange, Level, Person
from tandem.programs.models import Enrollment, Program

AS_OF = date(2026, 6, 30)
SEED = 1


def _enps(scores):
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def _participants(name):
    return set(Enrollment.objects.filter(program__name=name).values_list("person_id", flat=True))


def _change_against_untreated(name, untreated_leads_exclude):
    """How much more the program's participants' teams moved than untreated teams
    (led by nobody in an effective program): the mean gap over the pulses from three
    months after the start, minus the mean gap over the pulses closed by the start.
    Returns (engagement index points, eNPS points)."""
    program = Program.objects.get(name=name)
    leads = _participants(name)
    before, after = [], []
    for pulse in Pulse.objects.closed().order_by("opens_on"):
        rows = list(pulse.responses.values_list("team_lead_id", "index", "enps"))
        treated = [(i, e) for lead, i, e in rows if lead in leads]
        others = [
            (i, e)
            for lead, i, e in rows
            if lead not in leads and lead not in untreated_leads_exclude
        ]
        gap = (
            statistics.fmean(i for i, _ in treated) - statistics.fmean(i for i, _ in others),
            _enps([e for _, e in treated]) - _enps([e for _, e in others]),
        )
        if pulse.closes_on <= program.start_date:
            before.append(gap)
        elif pulse.opens_on >= program.start_date + timedelta(days=demo.EFFECT_RAMP_DAYS):
            after.append(gap)
    assert before and after
    return tuple(
        statistics.fmean(g[k] for g in after) - statistics.fmean(g[k] for g in before)
        for k in (0, 1)
    )


def _snapshot():
    pulses = [
        (p.name, p.status, p.opens_on, p.closes_on, p.invited, p.org_unit_id)
        for p in Pulse.objects.order_by("opens_on", "name")
    ]
    responses = sorted(
        PulseResponse.objects.values_list(
            "pulse__name", "team_lead_id", "org_unit_id", "level", "index", "enps"
        ),
        key=str,
    )
    return {
        "pulses": pulses,
        "responses": responses,
        "used": PulseInvitation.objects.filter(used=True).count(),
        "history": sorted(
            JobChange.objects.values_list("person_id", "kind", "effective_date", "level"), key=str
        ),
        "people": sorted(
            Person.objects.values_list("pk", "level", "manager_id", "exit_date"), key=str
        ),
        "bands": sorted(SalaryBand.objects.values_list("level", "annual_midpoint")),
        "benefits": sorted(BenefitLine.objects.values_list("program__name", "description")),
        "intangibles": Intangible.objects.count(),
        "settings": ImpactSettings.objects.count(),
    }


class TestTheImpactDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo(size=400, seed=SEED, as_of=AS_OF)
        cls.effective_leads = _participants(demo.ACCELERATOR) | _participants(demo.MENTORING_CIRCLE)

    def test_it_holds_eight_closed_quarterly_pulses_before_the_demo_date_and_one_open(self):
        closed = list(Pulse.objects.closed().order_by("opens_on"))
        assert len(closed) == 8
        assert closed[-1].closes_on < AS_OF
        assert closed[-1].opens_on - closed[0].opens_on > timedelta(days=600)
        for earlier, later in itertools.pairwise(closed):
            assert timedelta(days=88) <= later.opens_on - earlier.opens_on <= timedelta(days=93)
        open_ = Pulse.objects.get(status=PulseStatus.OPEN)
        assert open_.org_unit is not None
        assert open_.opens_on < AS_OF < open_.closes_on
        assert any(line.startswith("Impact:") for line in self.summary.extras)

    def test_every_closed_response_has_a_cell_and_the_open_pulse_none(self):
        closed = PulseResponse.objects.filter(pulse__status=PulseStatus.CLOSED)
        assert closed.count() > 1500
        assert not closed.filter(cell=None).exists()
        open_ = PulseResponse.objects.filter(pulse__status=PulseStatus.OPEN)
        assert open_.exists()
        assert not open_.exclude(cell=None).exists()

    def test_response_rate_is_about_90_percent_and_links_are_used_once(self):
        for pulse in Pulse.objects.closed():
            answered = pulse.responses.count()
            assert answered == pulse.invitations.filter(used=True).count()
            assert pulse.invited == pulse.invitations.count()
            assert 0.85 <= answered / pulse.invited <= 0.99, (pulse.name, answered, pulse.invited)
        hashes = PulseInvitation.objects.values_list("token_hash", flat=True)
        assert all(len(h) == 64 for h in hashes)

    def test_only_people_employed_on_the_opening_day_are_asked(self):
        for pulse in Pulse.objects.closed():
            asked = set(pulse.invitations.values_list("person_id", flat=True))
            active = set(
                Person.objects.active(pulse.opens_on)
                .filter(hire_date__lte=pulse.opens_on)
                .values_list("pk", flat=True)
            )
            assert asked == active

    def test_responses_are_scored_as_the_pulse_items_say(self):
        response = PulseResponse.objects.filter(pulse__status=PulseStatus.CLOSED).first()
        assert set(response.answers) == {item.key for item in demo.pulse_items.asked_items()}
        assert response.index == demo.pulse_items.respondent_index(response.answers)
        assert 0 <= response.enps <= 10

    def test_the_effective_programs_teams_rise_more_than_untreated_teams(self):
        for name in (demo.ACCELERATOR, demo.MENTORING_CIRCLE):
            index, enps = _change_against_untreated(name, self.effective_leads)
            assert 4 < index < 13, (name, index)
            assert enps > 3, (name, enps)

    def test_the_no_effect_programs_teams_move_like_everyone_else(self):
        index, enps = _change_against_untreated(demo.NO_EFFECT, self.effective_leads)
        assert abs(index) < 2, index
        # eNPS over ~30 answers a pulse moves by several points on noise alone: it
        # stays within that, and well below what the effective programs' teams gained.
        gained = [
            _change_against_untreated(name, self.effective_leads)[1]
            for name in (demo.ACCELERATOR, demo.MENTORING_CIRCLE)
        ]
        assert enps < 8 and enps < min(gained) / 2, (enps, gained)

    def test_participants_of_the_no_effect_program_leave_at_the_base_rate(self):
        program = Program.objects.get(name=demo.NO_EFFECT)
        leavers = Person.objects.filter(
            pk__in=_participants(demo.NO_EFFECT), exit_date__gt=program.start_date
        )
        assert leavers.count() >= 1
        for person in leavers:
            assert person.exit_type == ExitType.VOLUNTARY
            assert person.exit_date < AS_OF
            assert (
                JobChange.objects.exits()
                .filter(
                    person=person, effective_date=person.exit_date, exit_type=ExitType.VOLUNTARY
                )
                .exists()
            )
            # A new hire took the position and the team over.
            successor = Person.objects.get(
                title=person.title,
                org_unit=person.org_unit,
                manager=person.manager,
                hire_date__gt=person.exit_date,
            )
            assert not person.reports.exists()
            assert JobChange.objects.filter(person=successor, kind=ChangeKind.HIRE).exists()
        assert Person.objects.active(AS_OF).count() == 400  # the demo's size

    def test_participants_of_effective_programs_leave_less(self):
        def share_leaving(name):
            ids = _participants(name)
            start = Program.objects.get(name=name).start_date
            return Person.objects.filter(pk__in=ids, exit_date__gt=start).count() / len(ids)

        base = share_leaving(demo.NO_EFFECT)
        assert share_leaving(demo.ACCELERATOR) < base
        assert share_leaving(demo.MENTORING_CIRCLE) < base

    def test_a_few_participants_of_effective_programs_are_promoted_after_the_start(self):
        for name, promoted in ((demo.ACCELERATOR, True), (demo.NO_EFFECT, False)):
            program = Program.objects.get(name=name)
            # Out of the level the program develops (the people demo's own history
            # may have promoted someone into it since).
            changes = JobChange.objects.promotions().filter(
                person_id__in=_participants(name),
                effective_date__gt=program.start_date,
                previous_level__in=program.target_levels,
            )
            assert changes.exists() is promoted, name
            for change in changes:
                assert change.person.level == change.level
                assert Level.rank(change.level) == Level.rank(change.previous_level) + 1

    def test_roi_inputs_are_there_for_every_program(self):
        assert SalaryBand.objects.count() == len(Level.values)
        for program in Program.objects.all():
            settings = ImpactSettings.objects.get(program=program)
            assert settings.loaded_hourly_cost == demo.LOADED_HOURLY_COST
            assert settings.replacement_cost_percent == 50
            assert settings.benefit_months == 12
            benefits = list(program.benefit_lines.all())
            assert 1 <= len(benefits) <= 2
            assert all(b.estimator and b.basis and 0 < b.monetized < b.value for b in benefits)
            assert program.intangibles.count() == 2
            assert program.cost_lines.exists()

    def test_cleanup_then_loading_again_gives_the_same_data(self):
        before = _snapshot()
        demo.delete_insights()
        assert not Pulse.objects.exists()
        assert not PulseResponse.objects.exists()
        assert not SalaryBand.objects.exists()
        loader = demo.load_insights
        context = DemoContext(
            as_of=AS_OF,
            seed=SEED,
            size=400,
            rng=random.Random(f"{SEED}:{people_demo._loader_name(loader)}"),
            logins=[],
        )
        loader(context)
        assert _snapshot() == before

    def test_it_registers_with_the_demo_organization(self):
        assert (demo.load_insights, demo.delete_insights) in people_demo._LOADERS
        # Last: it measures what the other loaders built.
        assert people_demo._LOADERS[-1][0] is demo.load_insights
