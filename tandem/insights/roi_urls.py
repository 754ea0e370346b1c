"""The roi pages' routes, included in tandem.insights.urls (namespace "insights")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
