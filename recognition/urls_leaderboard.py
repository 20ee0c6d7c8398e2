"""Pages of the recognition app: leaderboard."""

urlpatterns: list = []
