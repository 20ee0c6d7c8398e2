"""Dashboard pages; each area keeps its own routes."""

from dashboard import urls_manager, urls_me, urls_profile, urls_team

urlpatterns = [*urls_team.urlpatterns, *urls_me.urlpatterns, *urls_manager.urlpatterns, *urls_profile.urlpatterns]
