"""The pipeline half's pages, included in `tandem.succession.urls` (namespace
"succession")."""

from django.urls import path

from tandem.succession.views import pipeline, roles

urlpatterns = [
    path("roles/", roles.role_list, name="role-list"),
    path("roles/new/", roles.role_new, name="role-new"),
    path("roles/<int:pk>/", roles.role_detail, name="role-detail"),
    path("roles/<int:pk>/edit/", roles.role_edit, name="role-edit"),
    path("roles/<int:pk>/successors/", roles.successor_add, name="successor-add"),
    path("successors/<int:pk>/", roles.successor_update, name="successor-update"),
    path("successors/<int:pk>/remove/", roles.successor_remove, name="successor-remove"),
    path("successors/<int:pk>/actions/", roles.action_add, name="action-add"),
    path("actions/<int:pk>/status/", roles.action_status, name="action-status"),
    path("openings/", pipeline.opening_list, name="opening-list"),
    path("openings/new/", pipeline.opening_new, name="opening-new"),
    path("openings/<int:pk>/fill/", pipeline.opening_fill, name="opening-fill"),
    path("pipeline/", pipeline.dashboard, name="pipeline"),
    path("pipeline/figures.csv", pipeline.dashboard_csv, name="pipeline-csv"),
    path("pipeline/snapshots/", pipeline.snapshot_take, name="pipeline-snapshot"),
    path("pipeline/gaps/", roles.gap_list, name="gap-list"),
    path("pipeline/gaps/people/<int:pk>/", roles.bridge_person, name="bridge-person"),
]
