"""The oneonone pages' routes, included in tandem.conversations.urls."""

from django.urls import URLPattern, path

from tandem.conversations.views import oneonones as views

urlpatterns: list[URLPattern] = [
    path("one-on-ones/", views.oneonone_list, name="oneonones"),
    path("one-on-ones/new/", views.series_create, name="oneonone-create"),
    path("one-on-ones/<int:pk>/", views.series_detail, name="oneonone-series"),
    path("one-on-ones/<int:pk>/cadence/", views.series_cadence, name="oneonone-cadence"),
    path("one-on-ones/<int:pk>/end/", views.series_end, name="oneonone-end"),
    path("one-on-ones/<int:pk>/calendar.ics", views.series_ics, name="oneonone-ics"),
    path("one-on-ones/<int:pk>/next/", views.series_next_meeting, name="oneonone-next"),
    path("one-on-ones/meetings/<int:pk>/", views.meeting_detail, name="oneonone-meeting"),
    path("one-on-ones/meetings/<int:pk>/agenda/", views.agenda_add, name="oneonone-agenda-add"),
    path("one-on-ones/agenda/<int:pk>/done/", views.agenda_done, name="oneonone-agenda-done"),
    path(
        "one-on-ones/meetings/<int:pk>/shared-notes/",
        views.shared_notes,
        name="oneonone-shared-notes",
    ),
    path(
        "one-on-ones/meetings/<int:pk>/private-note/",
        views.private_note,
        name="oneonone-private-note",
    ),
    path(
        "one-on-ones/meetings/<int:pk>/complete/",
        views.meeting_complete,
        name="oneonone-complete",
    ),
    path("one-on-ones/meetings/<int:pk>/cancel/", views.meeting_cancel, name="oneonone-cancel"),
    path(
        "one-on-ones/next-steps/<int:pk>/done/",
        views.next_step_done,
        name="oneonone-next-step-done",
    ),
    path("guide/", views.guide_page, name="guide"),
]
