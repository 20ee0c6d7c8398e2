"""Route names of the dashboard me area, for tests/teams/test_permission_matrix.py (tests/dashboard/test_me.py)."""

ROUTES: set[str] = {"dashboard-my-day", "dashboard-my-day-progress", "api:dashboard-me"}
