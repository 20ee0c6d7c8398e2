"""Pages of the dashboard app: me."""

from django.urls import path

from dashboard.views import me

urlpatterns = [
    path("dashboard/me/", me.my_day, name="dashboard-my-day"),
    path("dashboard/me/progress/", me.my_day_progress, name="dashboard-my-day-progress"),
]
