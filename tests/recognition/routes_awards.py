"""Route names of the recognition awards area, for tests/teams/test_permission_matrix.py.

Covered by tests/recognition/test_awards_api.py and test_awards_api_settings.py (the API: who reads how much of a
breakdown, who grants, who changes settings; outsiders 404 with nothing written) and test_awards_pages.py (pages).
"""

ROUTES: set[str] = {
    "api:award-list",
    "api:award-detail",
    "api:award-settings-list",
    "api:award-settings-detail",
    "recognition-award-list",
    "recognition-award-detail",
    "recognition-award-settings",
}
