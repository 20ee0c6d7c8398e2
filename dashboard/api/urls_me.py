"""/api/v1/dashboard/ routes: me."""

from django.urls import path

from dashboard.api.me import MyDayView

urlpatterns = [path("dashboard/me/", MyDayView.as_view(), name="dashboard-me")]
