"""Pages of the dashboard app: profile."""

from django.urls import path

from dashboard.views import profile

urlpatterns = [path("dashboard/agents/<int:user_id>/", profile.agent_profile_page, name="dashboard-agent-profile")]
