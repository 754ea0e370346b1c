from django.urls import include, path

from tandem.succession.views import labels, ninebox, reviews

app_name = "succession"

# Each half keeps its routes next to its views; the pipeline half's pages (roles,
# slates, openings, the dashboard) are included under the same namespace.
urlpatterns = [
    *reviews.urlpatterns,
    *ninebox.urlpatterns,
    *labels.urlpatterns,
    path("", include("tandem.succession.pipeline_urls")),
]
