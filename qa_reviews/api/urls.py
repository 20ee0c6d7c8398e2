from rest_framework.routers import DefaultRouter

from qa_reviews.api import calibration as calibration_api
from qa_reviews.api import cases as cases_api
from qa_reviews.api import complaints as complaints_api
from qa_reviews.api import sampling as sampling_api
from qa_reviews.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("qa/scorecards", views.ScorecardViewSet, basename="qa-scorecard")
router.register("qa/reviews", views.ReviewViewSet, basename="qa-review")
router.register("qa/cases", cases_api.CaseViewSet, basename="qa-case")
router.register("qa/sampling-rules", sampling_api.SamplingRuleViewSet, basename="qa-sampling-rule")
router.register("qa/assignments", sampling_api.AssignmentViewSet, basename="qa-assignment")
router.register("qa/calibrations", calibration_api.CalibrationViewSet, basename="qa-calibration")
router.register("complaints", complaints_api.ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
