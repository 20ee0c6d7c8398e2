"""/api/v1/training/ routes: courses, assignments and periodic assessments."""

from rest_framework.routers import SimpleRouter

from training.api import courses

router = SimpleRouter(trailing_slash=True)
router.register("training/courses", courses.CourseViewSet, basename="training-course")
router.register("training/assignments", courses.AssignmentViewSet, basename="training-assignment")
router.register("training/assessments", courses.AssessmentViewSet, basename="training-assessment")

urlpatterns = router.urls
