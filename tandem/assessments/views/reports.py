"""The 360 report page and its PDF.

Only the subject, their management chain and program admins may read a report
(`report.access_report`; anyone else gets "not found"); every read is written to the
audit log. A review has a report only once it has closed."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from tandem.assessments import pdf
from tandem.assessments.models import Review
from tandem.assessments.report import (
    Report,
    ReportNotReady,
    access_report,
    build_report,
    record_read,
)
from tandem.lib import charts


def report_context(report: Report) -> dict[str, Any]:
    """What the page and the PDF show: the report and its charts."""
    labels = [c.name for c in report.competencies]
    series = {
        label: [c.mean(group) for c in report.competencies]
        for group, label in report.column_labels
        if any(c.mean(group) is not None for c in report.competencies)
    }
    gaps = [c.gap for c in report.competencies]
    return {
        "review": report.review,
        "report": report,
        "profile_chart": charts.data_uri(
            charts.competency_profile_svg(
                labels, series, scale_min=report.scale_min, scale_max=report.scale_max
            )
        ),
        "gap_chart": (
            charts.data_uri(charts.gap_svg(labels, gaps, much=report.much))
            if any(gap is not None for gap in gaps)
            else None
        ),
    }


def _not_ready(
    request: HttpRequest, review: Review, error: ReportNotReady, status: int
) -> HttpResponse:
    return render(
        request,
        "assessments/report.html",
        {"review": review, "report": None, "not_ready": str(error)},
        status=status,
    )


@login_required
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    review = access_report(request.user, pk)
    try:
        report = build_report(review)
    except ReportNotReady as error:
        return _not_ready(request, review, error, 200)
    record_read(request.user, review, via="page", ip=request.META.get("REMOTE_ADDR"))
    return render(request, "assessments/report.html", report_context(report))


@login_required
def review_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = access_report(request.user, pk)
    try:
        report = build_report(review)
    except ReportNotReady as error:
        return _not_ready(request, review, error, 409)
    problem = pdf.pdf_unavailable()
    if problem is not None:
        return HttpResponse(
            _("The PDF cannot be produced on this server: %(problem)s") % {"problem": problem},
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    record_read(request.user, review, via="pdf", ip=request.META.get("REMOTE_ADDR"))
    body = pdf.report_pdf(report_context(report), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="360-report-{review.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("reviews/<int:pk>/report/", review_report, name="review-report"),
    path("reviews/<int:pk>/report.pdf", review_report_pdf, name="review-report-pdf"),
]
