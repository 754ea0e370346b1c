"""Impact in the browser: a program admin opens the dashboard from the menu, then the
program's impact page (criteria against targets, the charts, the isolated effect and
the ROI), and downloads the ROI report as a PDF. An outsider gets a 404."""

import pytest
from playwright.sync_api import expect

from tandem.assessments.tests.pdf_tools import pdf_text, require_weasyprint
from tandem.e2e.steps import sign_in, snapshot
from tandem.insights.tests.test_impact_views import impact_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_reads_a_programs_impact_and_downloads_the_roi_report(page):
    require_weasyprint()
    data = impact_world()
    sign_in(page, "impact-admin")

    # The dashboard, from the menu: the program with its headline figures.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Impact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact")
    programs = page.get_by_role("region", name="Programs")
    row = programs.get_by_role("row").filter(has_text="Leading Teams 2025")
    expect(row).to_contain_text("1 met")
    expect(row).to_contain_text("+8.0 (95% CI +8.0 to +8.0, n=24)")
    snapshot(page, "impact-dashboard")

    # The program's impact page: criteria against their targets, with the chart.
    row.get_by_role("link", name="Leading Teams 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact of Leading Teams 2025")
    criteria = page.get_by_role("region", name="Success criteria against their targets")
    engagement = criteria.get_by_role("row").filter(has_text="Engagement score")
    expect(engagement).to_contain_text("70.0 (95% CI 70.0\u201370.0, n=12)")
    expect(engagement).to_contain_text("met")
    expect(criteria.get_by_role("row").filter(has_text="Goal completion rate")).to_contain_text(
        "not enough data (n=0)"
    )
    expect(criteria.get_by_role("img")).to_be_visible()
    effects = page.get_by_role("region", name="The program's isolated effect")
    expect(effects).to_contain_text("+8.0 (95% CI +8.0 to +8.0, n=24)")
    roi = page.get_by_role("region", name="Return on investment")
    expect(roi).to_contain_text("0.80")
    expect(roi).to_contain_text("-20%")
    # Every chart drew: criteria, effects, retention, trend and the ROI waterfall.
    charts = page.locator("img.report-chart")
    expect(charts).to_have_count(5)
    drawn = charts.evaluate_all("images => images.map(i => i.complete && i.naturalWidth > 0)")
    assert drawn == [True] * 5
    snapshot(page, "impact-program")

    # The ROI report as a PDF, with the program's name in its text.
    link = page.get_by_role("link", name="ROI report (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    assert "Impact and ROI report" in text and "Leading Teams 2025" in text

    # An outsider sees none of it.
    page.context.clear_cookies()
    sign_in(page, data.outsider.username)
    for url in ("/impact/", f"/impact/programs/{data.program.pk}/"):
        assert page.goto(url).status == 404
