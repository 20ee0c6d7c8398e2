"""Pages of the training app: quizzes."""

urlpatterns: list = []
