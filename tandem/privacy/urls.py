"""The privacy pages' routes (namespace "privacy")."""

from django.urls import path

from tandem.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/export", views.export, name="person-export"),
    path("people/<int:pk>/erase", views.erase, name="person-erase"),
    path("retention", views.retention, name="retention"),
]
