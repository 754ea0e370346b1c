"""The impact pages: the dashboard, a program's impact report and its PDF, for program
admins and executive viewers (aggregates only); everyone else gets a 404.

The data is the known-effect organization of `scenario.py` (12 participants, 12
matched managers, the participants' teams 8 points more engaged after the program)
with ROI inputs worked by hand:
    costs      facilitation 20,000 + platform 5,000                 = 25,000
    benefits   exits avoided: none; a benefit line 50,000 x 80 % x 50 % = 20,000
    BCR 20,000 / 25,000 = 0.80; ROI -20 %; payback 25,000 x 12 / 20,000 = 15 months
"""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts import navigation
from tandem.accounts.models import AuditLog, Role
from tandem.insights import report
from tandem.insights.models import BenefitLine, Intangible, SalaryBand
from tandem.insights.tests import scenario
from tandem.people.models import Level
from tandem.programs.models import CostLine, Metric, SuccessCriterion
from tandem.tests.factories import PersonFactory, ProgramFactory, UserFactory, make_user_for


def impact_world() -> SimpleNamespace:
    """The scenario's program with criteria and ROI inputs, a second program without
    participants, and the personas: admin, executive viewer, a participant, a manager
    outside the program, and an outsider (an individual contributor)."""
    world = scenario.build(effect=True)
    program = world.program
    program.name = "Leading Teams 2025"
    program.save(update_fields=["name"])
    SuccessCriterion.objects.create(
        program=program,
        metric=Metric.TEAM_ENGAGEMENT,
        baseline=60,
        target=65,
        unit="points",
        measure_by=datetime.date(2026, 1, 1),
    )
    SuccessCriterion.objects.create(
        program=program,
        metric=Metric.GOAL_COMPLETION_RATE,
        baseline=40,
        target=70,
        unit="%",
        measure_by=datetime.date(2026, 1, 1),
    )
    CostLine.objects.create(
        program=program, category="facilitation", description="Workshops", amount=20_000
    )
    CostLine.objects.create(
        program=program, category="platform_admin", description="Platform", amount=5_000
    )
    SalaryBand.objects.create(level=Level.MID, annual_midpoint=Decimal("90000"))
    BenefitLine.objects.create(
        program=program,
        description="Fewer escalations",
        value=Decimal("50000"),
        attribution_percent=Decimal("80"),
        confidence_percent=Decimal("50"),
        estimator="Finance",
    )
    Intangible.objects.create(program=program, description="Stronger peer network")
    participant = world.participants[0]
    manager = world.others[0]
    outsider = PersonFactory(level=Level.INDIVIDUAL_CONTRIBUTOR, manager=manager)
    executive = PersonFactory(level=Level.SENIOR, manager=None)
    for person in (participant, manager, outsider):
        make_user_for(person)
    make_user_for(executive, roles=[Role.EXECUTIVE_VIEWER])
    return SimpleNamespace(
        world=world,
        program=program,
        empty_program=ProgramFactory(name="Not started yet"),
        admin=UserFactory(username="impact-admin", roles=[Role.PROGRAM_ADMIN]),
        executive=executive.user,
        participant=participant.user,
        manager=manager.user,
        outsider=outsider.user,
        names=[p.full_name for p in world.participants + world.others],
    )


def urls(program_pk: int) -> list[str]:
    return [
        reverse("insights:impact"),
        reverse("insights:impact-csv"),
        reverse("insights:program-impact", args=[program_pk]),
        reverse("insights:program-impact-pdf", args=[program_pk]),
        reverse("insights:program-impact-csv", args=[program_pk]),
        reverse("insights:program-impact-xlsx", args=[program_pk]),
    ]


def visible_text(content: bytes) -> str:
    html = re.sub(r'src="data:[^"]*"', "", content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class ImpactPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = impact_world()

    def page(self, user, url):
        self.client.force_login(user)
        return self.client.get(url)

    def test_it_lists_each_program_with_participants_on_the_dashboard(self):
        data = self.data
        response = self.page(data.admin, reverse("insights:impact"))
        assert response.status_code == 200
        content = response.content.decode()
        assert f'data-program="{data.program.pk}"' in content
        assert "Not started yet" not in content  # no participants: not on the dashboard
        text = visible_text(response.content)
        assert "1 met · 0 not met · 0 not yet clear · 1 not enough data" in text
        assert "+8.0 (95% CI +8.0 to +8.0, n=24)" in text
        assert 'data-figure="roi_percent">-20%<' in content
        assert 'data-figure="bcr">0.80<' in content
        assert 'data-figure="succession_readiness">not enough data (n=0)<' in content
        assert content.count("data:image/svg+xml;base64,") == 2  # the effects and the cascade

    def test_it_shows_the_program_report_with_criteria_effects_retention_and_roi(self):
        data = self.data
        response = self.page(data.admin, reverse("insights:program-impact", args=[data.program.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        text = visible_text(response.content)
        # Criteria against targets, with verdicts.
        assert 'data-criterion="team_engagement">70.0 (95% CI 70.0\u201370.0, n=12)<' in content
        assert "Goal completion rate" in text and "not enough data (n=0)" in text
        assert '<span class="badge badge-success">met</span>' in content
        # Outcome figures with the comparison group beside them.
        assert 'data-comparison="team_engagement">62.0 (95% CI 62.0\u201362.0, n=12)<' in content
        # The isolated effect and retention.
        assert 'data-effect="team_engagement">+8.0 (95% CI +8.0 to +8.0, n=24)<' in content
        assert 'data-figure="hazard_ratio">not enough data (n=24)<' in content
        # ROI: the hand-worked figures, lines, intangibles and the assumptions.
        assert 'data-figure="total_costs">EUR 25,000.00<' in content
        assert 'data-figure="total_benefits">EUR 20,000.00<' in content
        assert 'data-figure="bcr">0.80<' in content
        assert 'data-figure="roi_percent">-20%<' in content
        assert 'data-figure="payback_months">15.0 months<' in content
        assert "Fewer escalations" in text and "Stronger peer network" in text
        assert reverse("insights:roi-inputs", args=[data.program.pk]) in content
        # Kirkpatrick and Phillips, levels 1 to 5.
        for number in range(1, 6):
            assert f'data-level="{number}"' in content
        assert "BCR 0.80, ROI -20 %" in text
        # Charts: criteria, effects, retention, trend and the ROI waterfall.
        assert content.count("data:image/svg+xml;base64,") == 5

    def test_executive_viewers_read_the_same_aggregates_and_no_names(self):
        data = self.data
        for url in (
            reverse("insights:impact"),
            reverse("insights:program-impact", args=[data.program.pk]),
        ):
            response = self.page(data.executive, url)
            assert response.status_code == 200
            text = visible_text(response.content)
            assert not [name for name in data.names if name in text]
        text = visible_text(
            self.page(
                data.executive, reverse("insights:program-impact", args=[data.program.pk])
            ).content
        )
        assert "See the ROI inputs" in text

    def test_a_program_without_costs_says_there_is_no_roi(self):
        data = self.data
        CostLine.objects.filter(program=data.program).delete()
        response = self.page(data.admin, reverse("insights:program-impact", args=[data.program.pk]))
        assert "No costs entered yet" in visible_text(response.content)
        assert response.content.decode().count("data:image/svg+xml;base64,") == 4

    def test_a_program_without_participants_says_not_enough_data(self):
        data = self.data
        response = self.page(
            data.admin, reverse("insights:program-impact", args=[data.empty_program.pk])
        )
        assert response.status_code == 200
        text = visible_text(response.content)
        assert "not enough data (n=0)" in text
        assert "No costs entered yet" in text

    def test_it_is_a_404_for_everyone_else_and_a_login_for_the_anonymous(self):
        data = self.data
        for user in (data.participant, data.manager, data.outsider):
            self.client.force_login(user)
            for url in urls(data.program.pk):
                assert self.client.get(url).status_code == 404, (user, url)
        self.client.logout()
        for url in urls(data.program.pk):
            response = self.client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_it_is_a_404_for_a_program_that_does_not_exist(self):
        self.client.force_login(self.data.admin)
        for url in urls(999_999)[2:]:
            assert self.client.get(url).status_code == 404

    def test_the_menu_shows_impact_to_admins_and_executive_viewers_only(self):
        data = self.data

        def labels(user):
            return [str(item.label) for item in navigation.items_for(user)]

        assert "Impact" in labels(data.admin) and "Impact" in labels(data.executive)
        for user in (data.participant, data.manager, data.outsider):
            assert "Impact" not in labels(user)

    def test_the_dashboard_adds_no_queries_per_program_beyond_its_report(self):
        data = self.data
        self.client.force_login(data.admin)
        self.client.get(reverse("insights:impact"))  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as one_program:
            self.client.get(reverse("insights:impact"))
        with CaptureQueriesContext(connection) as its_report:
            report.program_impact(data.program)
        # A second program with the same participants: its report costs the same again.
        second = ProgramFactory(name="Second", start_date=data.program.start_date)
        for enrollment in data.program.enrollments.all():
            second.enrollments.create(person=enrollment.person, status=enrollment.status)
        with CaptureQueriesContext(connection) as two_programs:
            self.client.get(reverse("insights:impact"))
        assert len(one_program) <= len(its_report) + 25
        assert len(two_programs) - len(one_program) <= len(its_report)


class ImpactPdf(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = impact_world()

    def test_it_renders_the_impact_and_roi_report_as_a_pdf(self):
        from tandem.assessments.tests.pdf_tools import page_count, pdf_text, require_weasyprint

        require_weasyprint()
        data = self.data
        self.client.force_login(data.executive)
        response = self.client.get(reverse("insights:program-impact-pdf", args=[data.program.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        body = response.content
        assert body.startswith(b"%PDF")
        assert AuditLog.objects.filter(action="export", summary__contains="(pdf)").count() == 1
        assert page_count(body) >= 3
        text = pdf_text(body)
        assert "Impact and ROI report" in text and "Leading Teams 2025" in text
        assert "Return on investment" in text and "0.80" in text
        assert not [name for name in data.names if name in text]
