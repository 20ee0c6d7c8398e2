"""Route names of the dashboard team area, for tests/teams/test_permission_matrix.py."""

ROUTES: set[str] = set()
