"""Route names of the recognition leaderboard area, for tests/teams/test_permission_matrix.py."""

ROUTES: set[str] = set()
