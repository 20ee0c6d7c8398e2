"""/api/v1/ routes of the recognition app: kudos and good cases."""

from rest_framework.routers import SimpleRouter

from recognition.api.kudos import GoodCaseViewSet, KudosViewSet

router = SimpleRouter(trailing_slash=True)
router.register("kudos", KudosViewSet, basename="kudos")
router.register("good-cases", GoodCaseViewSet, basename="good-case")

urlpatterns = router.urls
