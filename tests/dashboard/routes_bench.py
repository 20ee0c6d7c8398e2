"""Route names added for the read benchmark, for tests/teams/test_permission_matrix.py."""

ROUTES: set[str] = set()
