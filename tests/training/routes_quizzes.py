"""Route names of the training quizzes area, for tests/teams/test_permission_matrix.py (and the tests that cover them)."""

ROUTES: set[str] = set()
