"""Route names of the recognition leaderboard area, for tests/teams/test_permission_matrix.py."""

# tests/recognition/test_leaderboard*.py and test_wall*.py: the team's members (top and own row) and
# those who supervise it (everything); anyone else 404.
ROUTES: set[str] = {"api:leaderboard", "recognition-leaderboard", "recognition-wall"}
