"""The 360 report as a PDF: the page's template data rendered by WeasyPrint.

WeasyPrint needs the system's pango; `pdf_unavailable()` says why it cannot load, so
callers (and the tests) can report it clearly instead of failing with an import error.
"""

from functools import cache
from typing import Any

from django.template.loader import render_to_string


@cache
def pdf_unavailable() -> str | None:
    """None when WeasyPrint can render here; otherwise why not."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:  # OSError: pango or its friends are missing
        return f"WeasyPrint cannot load ({error}); install pango (Debian: libpango-1.0-0)"
    return None


def report_pdf(context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """The report PDF: cover, headers and page numbers come from the template's @page."""
    import weasyprint

    html = render_to_string("assessments/report_pdf.html", context)
    result: bytes = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    return result
