"""Route names of the training onboarding area, for tests/teams/test_permission_matrix.py (and the tests that cover them)."""

ROUTES: set[str] = {
    # tests/training/test_onboarding_api.py
    "api:training-onboarding-list",
    "api:training-onboarding-detail",
    "api:training-onboarding-step-done",
    "api:training-onboarding-template-list",
    "api:training-onboarding-template-detail",
    # tests/training/test_career_api.py
    "api:training-career-level-list",
    "api:training-career-level-detail",
    "api:training-career-progress-list",
    # tests/training/test_onboarding_pages.py
    "training-onboarding-list",
    "training-onboarding-detail",
    "training-onboarding-templates",
    "training-onboarding-template-new",
    "training-onboarding-template-edit",
    # tests/training/test_career_pages.py
    "training-career",
    "training-career-levels",
    "training-career-level-edit",
}
