"""The executives pages' routes, included in tandem.insights.urls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
