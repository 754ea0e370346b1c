from django.urls import path

from tandem.people import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("org-chart/", views.org_chart, name="org-chart"),
    path("import/", views.import_people, name="import"),
]
