"""The 360 report PDF renders: a real PDF with a cover and at least two pages."""

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.assessments.tests.pdf_tools import page_count, pdf_text, require_weasyprint
from tandem.assessments.tests.report_data import hand_worked_review

pytestmark = pytest.mark.django_db


def test_it_renders_the_report_as_a_pdf(client, org):
    require_weasyprint()
    review = hand_worked_review(org.report)
    client.force_login(org.report.user)
    response = client.get(reverse("assessments:review-report-pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    assert page_count(body) >= 2
    text = pdf_text(body)
    assert "360 feedback report" in text and "Rita Report" in text
    assert "3.50" in text and "Page 2 /" in text
    assert AuditLog.objects.filter(action="read", summary="360 report (pdf)").count() == 1
