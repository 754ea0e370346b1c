"""The impact pages' routes, included in tandem.insights.urls (namespace "insights")."""

from django.urls import path

from tandem.insights.views import impact

urlpatterns = [
    path("", impact.dashboard, name="impact"),
    path("figures.csv", impact.dashboard_csv, name="impact-csv"),
    path("programs/<int:pk>/", impact.program_page, name="program-impact"),
    path("programs/<int:pk>/report.pdf", impact.program_pdf, name="program-impact-pdf"),
    path("programs/<int:pk>/figures.csv", impact.program_csv, name="program-impact-csv"),
    path("programs/<int:pk>/figures.xlsx", impact.program_xlsx, name="program-impact-xlsx"),
]
