"""The habits pages' routes, included in tandem.insights.urls (namespace "insights")."""

from django.urls import path

from tandem.insights.views import habits

urlpatterns = [
    path("habits/", habits.my_habits, name="habits"),
    path("habits/cascade/", habits.cascade, name="habits-cascade"),
    path("habits/cascade.csv", habits.cascade_csv, name="habits-cascade-csv"),
    path("habits/figures.csv", habits.my_habits_csv, name="habits-csv"),
]
