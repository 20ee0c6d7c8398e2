from rest_framework.routers import DefaultRouter

from qa_reviews.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("qa/scorecards", views.ScorecardViewSet, basename="qa-scorecard")
router.register("qa/reviews", views.ReviewViewSet, basename="qa-review")

urlpatterns = router.urls
