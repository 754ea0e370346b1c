"""The oneonone pages' routes, included in tandem.conversations.urls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
