"""The feedback pages' routes, included in tandem.conversations.urls."""

from django.urls import path

from tandem.conversations.views import feedback as views

urlpatterns = [
    path("feedback/", views.inbox, name="feedback"),
    path("feedback/given/", views.outbox, name="feedback-given"),
    path("feedback/shared/", views.shared, name="feedback-shared"),
    path("feedback/give/", views.give, name="feedback-give"),
    path("feedback/<int:pk>/", views.detail, name="feedback-detail"),
    path("feedback/requests/", views.requests, name="feedback-requests"),
    path("feedback/requests/new/", views.request_create, name="feedback-request-create"),
    path(
        "feedback/requests/<int:pk>/decline/",
        views.request_decline,
        name="feedback-request-decline",
    ),
]
