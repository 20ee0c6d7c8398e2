"""Training pages; each area keeps its own routes."""

from training import urls_courses, urls_knowledge, urls_onboarding, urls_quizzes

urlpatterns = [
    *urls_courses.urlpatterns,
    *urls_quizzes.urlpatterns,
    *urls_knowledge.urlpatterns,
    *urls_onboarding.urlpatterns,
]
