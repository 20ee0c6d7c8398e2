"""/api/v1/training/ routes: onboarding checklists, their templates, career levels and career progress."""

from rest_framework.routers import SimpleRouter

from training.api.career import CareerLevelViewSet, CareerProgressViewSet
from training.api.onboarding import OnboardingTemplateViewSet, OnboardingViewSet

router = SimpleRouter(trailing_slash=True)
router.register("training/onboarding", OnboardingViewSet, basename="training-onboarding")
router.register("training/onboarding-templates", OnboardingTemplateViewSet, basename="training-onboarding-template")
router.register("training/career-levels", CareerLevelViewSet, basename="training-career-level")
router.register("training/career-progress", CareerProgressViewSet, basename="training-career-progress")

urlpatterns = router.urls
