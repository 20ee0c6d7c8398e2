"""Route names of the training courses area, for tests/teams/test_permission_matrix.py (and the tests that cover them).

tests/training/test_courses_api.py covers the API routes, test_courses_pages.py the pages (who may see and change
what, outsiders 404 with nothing written)."""

ROUTES: set[str] = {
    # API
    "api:training-course-list",
    "api:training-course-detail",
    "api:training-course-publish",
    "api:training-course-unpublish",
    "api:training-course-attachments",
    "api:training-assignment-list",
    "api:training-assignment-detail",
    "api:training-assignment-material-done",
    "api:training-assessment-list",
    "api:training-assessment-detail",
    # pages
    "training-home",
    "training-person",
    "training-overview",
    "training-course-list",
    "training-course-create",
    "training-course-detail",
    "training-course-edit",
    "training-course-publish",
    "training-course-assign",
    "training-material-file",
    "training-assignment-detail",
    "training-material-done",
    "training-assessments",
    "training-assessment-edit",
}
