"""/api/v1/dashboard/ routes: profile."""

from django.urls import path

from dashboard.api.profile import AgentProfileView

urlpatterns = [path("dashboard/agents/<int:user_id>/", AgentProfileView.as_view(), name="dashboard-agent-profile")]
