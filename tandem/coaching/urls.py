from tandem.coaching.views import accountability, engagements, journal, roster, sessions

app_name = "coaching"

# Each area of the app keeps its routes next to its views.
urlpatterns = [
    *engagements.urlpatterns,
    *roster.urlpatterns,
    *sessions.urlpatterns,
    *accountability.urlpatterns,
    *journal.urlpatterns,
]
