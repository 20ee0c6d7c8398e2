"""Route names of the dashboard manager area, for tests/teams/test_permission_matrix.py."""

ROUTES: set[str] = set()
