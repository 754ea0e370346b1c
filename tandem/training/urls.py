from django.urls import include, path

from tandem.training.views import checks, courses, sessions

app_name = "training"

# Each area keeps its routes next to its views; the reinforcement half's pages are
# included under the same namespace.
urlpatterns = [
    *courses.urlpatterns,
    *sessions.urlpatterns,
    *checks.urlpatterns,
    path("", include("tandem.training.reinforcement_urls")),
]
