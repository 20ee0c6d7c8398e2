"""/api/v1/ routes of the recognition app: leaderboard."""

urlpatterns: list = []
