"""/api/v1/awards/, /kudos/, /good-cases/, /leaderboard/; each area keeps its own routes."""

from recognition.api import urls_awards, urls_kudos, urls_leaderboard

urlpatterns = [*urls_awards.urlpatterns, *urls_kudos.urlpatterns, *urls_leaderboard.urlpatterns]
