"""Route names of the dashboard team area, for tests/teams/test_permission_matrix.py."""

# tests/dashboard/test_team_permissions.py: supervisors, QA inspectors and managers of the team; everyone else 404
ROUTES: set[str] = {"dashboard-team", "api:dashboard-team"}
