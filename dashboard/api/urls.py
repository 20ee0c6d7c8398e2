"""/api/v1/dashboard/...; each area keeps its own routes."""

from dashboard.api import urls_manager, urls_me, urls_profile, urls_team

urlpatterns = [*urls_team.urlpatterns, *urls_me.urlpatterns, *urls_manager.urlpatterns, *urls_profile.urlpatterns]
