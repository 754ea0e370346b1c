from tandem.programs.views import advisor, checkins, plans, programs

app_name = "programs"

# Each area of the app keeps its routes next to its views.
urlpatterns = [
    *programs.urlpatterns,
    *plans.urlpatterns,
    *checkins.urlpatterns,
    *advisor.urlpatterns,
]
