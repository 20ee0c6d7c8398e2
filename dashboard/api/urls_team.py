"""/api/v1/dashboard/ routes: team."""

from django.urls import path

from dashboard.api.team import TeamDashboardView

urlpatterns = [path("dashboard/team/", TeamDashboardView.as_view(), name="dashboard-team")]
