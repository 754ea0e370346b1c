"""The executives pages' routes, included in tandem.insights.urls."""

from django.urls import path

from tandem.insights.views import executives

urlpatterns = [
    path("executives/", executives.page, name="executives"),
    path("executives/figures.csv", executives.page_csv, name="executives-csv"),
]
