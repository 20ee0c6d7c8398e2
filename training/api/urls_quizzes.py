"""/api/v1/training/ routes: quizzes."""

urlpatterns: list = []
