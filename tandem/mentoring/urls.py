from tandem.mentoring.views import health, matching, relationships, setup

app_name = "mentoring"

# Each area of the app keeps its routes next to its views.
urlpatterns = [
    *setup.urlpatterns,
    *matching.urlpatterns,
    *relationships.urlpatterns,
    *health.urlpatterns,
]
