"""Route names of the training quizzes area, for tests/teams/test_permission_matrix.py (and the tests that cover them).

tests/training/test_quizzes_permissions.py covers each of them for the agent, a colleague, the supervisor and
the outsider; test_quizzes_api.py and test_quizzes_pages.py the rest.
"""

ROUTES: set[str] = {
    "api:training-quiz-list",
    "api:training-quiz-detail",
    "api:training-quiz-results",
    "api:training-attempt-list",
    "api:training-attempt-detail",
    "api:training-attempt-submit",
    "api:training-attempt-grade",
    "training-quiz-take",
    "training-quiz-edit",
    "training-quiz-results",
    "training-attempt-detail",
    "training-answer-grade",
    "training-grading-queue",
}
