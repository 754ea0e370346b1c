from django.urls import include, path

app_name = "conversations"

urlpatterns = [
    path("", include("tandem.conversations.oneonone_urls")),
    path("", include("tandem.conversations.feedback_urls")),
]
