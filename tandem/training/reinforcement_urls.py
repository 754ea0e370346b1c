"""The reinforcement half's pages, included in `tandem.training.urls` (namespace
"training")."""

from django.urls import path

from tandem.training.views import reinforcement as views

urlpatterns = [
    path("burst/", views.burst, name="burst"),
    path("burst/cards/<int:pk>/answer/", views.burst_answer, name="burst-answer"),
    path("practice/", views.practice_list, name="practice-list"),
    path("practice/new/", views.practice_new, name="practice-new"),
    path("practice/<int:pk>/confirm/", views.practice_confirm, name="practice-confirm"),
    path("retention/people/<int:pk>/", views.retention_learner, name="retention-learner"),
    path("retention/sessions/<int:pk>/", views.retention_session, name="retention-session"),
    path("retention/courses/<int:pk>/", views.retention_course, name="retention-course"),
    path("flags/", views.flag_list, name="flag-list"),
    path("flags/<int:pk>/resolve/", views.flag_resolve, name="flag-resolve"),
]
