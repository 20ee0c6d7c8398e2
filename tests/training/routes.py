"""Every training route name, collected from the areas' routes_*.py modules."""

from tests.training import routes_courses, routes_knowledge, routes_onboarding, routes_quizzes

TRAINING_ROUTES = routes_courses.ROUTES | routes_quizzes.ROUTES | routes_knowledge.ROUTES | routes_onboarding.ROUTES
