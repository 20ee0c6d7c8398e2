"""Route names of the recognition kudos area, for tests/teams/test_permission_matrix.py.

Their permissions are tested in tests/recognition/test_kudos*.py and test_good_cases*.py.
"""

ROUTES: set[str] = {
    "api:kudos-list",
    "api:kudos-detail",
    "api:good-case-list",
    "api:good-case-detail",
    "api:good-case-article",
    "recognition-kudos-list",
    "recognition-kudos-new",
    "recognition-good-case-list",
    "recognition-good-case-new",
    "recognition-good-case-detail",
}
