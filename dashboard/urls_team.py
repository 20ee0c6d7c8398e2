"""Pages of the dashboard app: team."""

from django.urls import path

from dashboard.views import team

urlpatterns = [path("dashboard/team/", team.team_dashboard_page, name="dashboard-team")]
