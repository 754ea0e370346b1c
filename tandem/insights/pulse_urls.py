"""The pulse pages' routes, included in tandem.insights.urls (namespace "insights")."""

from django.urls import URLPattern, path

from tandem.insights.views import pulses

urlpatterns: list[URLPattern] = [
    path("pulses/", pulses.pulse_list, name="pulse-list"),
    path("pulses/new/", pulses.pulse_create, name="pulse-create"),
    path("pulses/settings/", pulses.pulse_settings, name="pulse-settings"),
    path("pulses/my-team/", pulses.pulse_team, name="pulse-team"),
    path("pulses/<int:pk>/", pulses.pulse_detail, name="pulse-detail"),
    path("pulses/<int:pk>/open/", pulses.pulse_open, name="pulse-open"),
    path("pulses/<int:pk>/close/", pulses.pulse_close, name="pulse-close"),
    # No account: the single-use token in the link is the credential.
    path("pulses/answer/done/", pulses.pulse_answer_done, name="pulse-answer-done"),
    path("pulses/answer/<str:token>/", pulses.pulse_answer, name="pulse-answer"),
]
