"""/api/v1/training/ routes: quizzes."""

from rest_framework.routers import SimpleRouter

from training.api import quizzes

router = SimpleRouter(trailing_slash=True)
router.register("training/quizzes", quizzes.QuizViewSet, basename="training-quiz")
router.register("training/attempts", quizzes.AttemptViewSet, basename="training-attempt")

urlpatterns = router.urls
