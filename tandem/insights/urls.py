from django.urls import include, path

app_name = "insights"

# Each part keeps its routes next to its views, under one namespace.
urlpatterns = [
    path("", include("tandem.insights.impact_urls")),
    path("", include("tandem.insights.pulse_urls")),
    path("", include("tandem.insights.roi_urls")),
    path("", include("tandem.insights.habits_urls")),
    path("", include("tandem.insights.executives_urls")),
]
