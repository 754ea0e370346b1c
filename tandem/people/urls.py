from django.urls import path

from tandem.people import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.person_create, name="person-create"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("<int:pk>/reports/", views.person_reports, name="person-reports"),
    path("org-chart/", views.org_chart, name="org-chart"),
    path("import/", views.import_people, name="import"),
]
