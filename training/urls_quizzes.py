"""Pages of the training app: quizzes."""

from django.urls import path

from training.views import quizzes

urlpatterns = [
    path("training/courses/<int:course_id>/quiz/", quizzes.quiz_take, name="training-quiz-take"),
    path("training/courses/<int:course_id>/quiz/edit/", quizzes.quiz_edit, name="training-quiz-edit"),
    path("training/courses/<int:course_id>/quiz/results/", quizzes.quiz_results, name="training-quiz-results"),
    path("training/attempts/<int:attempt_id>/", quizzes.attempt_detail, name="training-attempt-detail"),
    path("training/answers/<int:answer_id>/grade/", quizzes.answer_grade, name="training-answer-grade"),
    path("training/grading/", quizzes.grading_queue, name="training-grading-queue"),
]
