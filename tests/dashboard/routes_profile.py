"""Route names of the dashboard profile area, for tests/teams/test_permission_matrix.py (tests/dashboard/test_profile.py)."""

ROUTES: set[str] = {"dashboard-agent-profile", "api:dashboard-agent-profile"}
