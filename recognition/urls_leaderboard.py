"""Pages of the recognition app: leaderboard and the team wall."""

from django.urls import path

from recognition.views import leaderboard

urlpatterns = [
    path("recognition/leaderboard/", leaderboard.leaderboard_page, name="recognition-leaderboard"),
    path("recognition/wall/", leaderboard.team_wall_page, name="recognition-wall"),
]
