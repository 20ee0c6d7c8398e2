"""/api/v1/ routes of the recognition app: leaderboard."""

from django.urls import path

from recognition.api.leaderboard import LeaderboardView

urlpatterns = [path("leaderboard/", LeaderboardView.as_view(), name="leaderboard")]
