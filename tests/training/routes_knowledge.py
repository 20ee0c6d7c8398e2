"""Route names of the training knowledge area, for tests/teams/test_permission_matrix.py (and the tests that cover them).

Covered by tests/training/test_knowledge_api.py (API, with its own permission matrix) and
tests/training/test_knowledge_pages.py (pages).
"""

ROUTES: set[str] = {
    "api:training-article-list",
    "api:training-article-detail",
    "api:training-article-versions",
    "api:training-article-category-list",
    "api:training-article-category-detail",
    "training-kb",
    "training-kb-categories",
    "training-article-create",
    "training-article-detail",
    "training-article-edit",
    "training-article-versions",
    "training-article-version",
}
