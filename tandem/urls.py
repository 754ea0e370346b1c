from django.contrib import admin
from django.urls import include, path

from tandem import views
from tandem.accounts import views as accounts_views
from tandem.api.urls import api

admin.site.site_header = "Tandem administration"
admin.site.site_title = "Tandem admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("tandem.accounts.urls")),
    # A calendar app's subscription: the token is the credential (no login).
    path("calendar/<str:token>.ics", accounts_views.calendar_feed, name="calendar-feed"),
    path("people/", include("tandem.people.urls")),
    path("programs/", include("tandem.programs.urls")),
    path("assessments/", include("tandem.assessments.urls")),
    path("coaching/", include("tandem.coaching.urls")),
    path("mentoring/", include("tandem.mentoring.urls")),
    path("training/", include("tandem.training.urls")),
    path("conversations/", include("tandem.conversations.urls")),
    path("succession/", include("tandem.succession.urls")),
    path("impact/", include("tandem.insights.urls")),
    path("privacy/", include("tandem.privacy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
