"""A program's impact report as a PDF: the page's context rendered by WeasyPrint
(charts embedded as SVG data URIs, as on the page). `pdf_unavailable` is the 360
report's: one check of whether WeasyPrint can load here."""

from typing import Any

from django.template.loader import render_to_string

from tandem.assessments.pdf import pdf_unavailable

__all__ = ["impact_report_pdf", "pdf_unavailable"]


def impact_report_pdf(context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """The report PDF: cover, running headers and page numbers come from the template's
    @page rules."""
    import weasyprint

    html = render_to_string("insights/impact_report_pdf.html", context)
    result: bytes = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    return result
