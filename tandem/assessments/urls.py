from tandem.assessments.views import plans, reports, reviews, self_service

app_name = "assessments"

# Each area of the app keeps its routes next to its views.
urlpatterns = [
    *reviews.urlpatterns,
    *reports.urlpatterns,
    *self_service.urlpatterns,
    *plans.urlpatterns,
]
