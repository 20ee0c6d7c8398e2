"""/api/v1/ routes of the recognition app: awards and award settings."""

from rest_framework.routers import SimpleRouter

from recognition.api import awards

router = SimpleRouter(trailing_slash=True)
router.register("awards", awards.AwardViewSet, basename="award")
router.register("award-settings", awards.AwardSettingsViewSet, basename="award-settings")

urlpatterns = router.urls
