from django.urls import path

from qa_reviews.views import reviews, scorecards

urlpatterns = [
    path("qa/conversations/<int:conversation_id>/review/", reviews.review_conversation, name="qa-review-conversation"),
    path("qa/reviews/", reviews.review_list, name="qa-review-list"),
    path("qa/reviews/<int:review_id>/", reviews.review_detail, name="qa-review-detail"),
    path("qa/reviews/<int:review_id>/<slug:action>/", reviews.review_action, name="qa-review-action"),
    path("qa/scorecards/", scorecards.scorecard_list, name="qa-scorecard-list"),
    path("qa/scorecards/new/", scorecards.scorecard_create, name="qa-scorecard-create"),
    path("qa/scorecards/<int:scorecard_id>/", scorecards.scorecard_edit, name="qa-scorecard-edit"),
]
