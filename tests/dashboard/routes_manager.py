"""Route names of the dashboard manager area, for tests/teams/test_permission_matrix.py.

Covered by tests/dashboard/test_manager_permissions.py (every role on the pages and the API).
"""

ROUTES: set[str] = {
    "dashboard-manager",
    "dashboard-staffing",
    "api:dashboard-manager",
    "api:dashboard-staffing",
}
