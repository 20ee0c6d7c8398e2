"""Route names of the training courses area, for tests/teams/test_permission_matrix.py (and the tests that cover them)."""

ROUTES: set[str] = set()
