"""Route names of the recognition kudos area, for tests/teams/test_permission_matrix.py."""

ROUTES: set[str] = set()
