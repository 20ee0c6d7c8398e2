from django.urls import path

from qa_reviews import views

urlpatterns = [
    path("qa/conversations/<int:conversation_id>/review/", views.review_conversation, name="qa-review-conversation"),
    path("qa/reviews/", views.review_list, name="qa-review-list"),
    path("qa/reviews/<int:review_id>/", views.review_detail, name="qa-review-detail"),
    path("qa/reviews/<int:review_id>/<slug:action>/", views.review_action, name="qa-review-action"),
]
