"""The privacy pages' routes (namespace "privacy")."""

from django.urls import URLPattern

app_name = "privacy"

urlpatterns: list[URLPattern] = []
