from django.urls import path

from qa_reviews.views import assignments as assignment_pages
from qa_reviews.views import calibration as calibration_pages
from qa_reviews.views import cases as case_pages
from qa_reviews.views import complaints as complaint_pages
from qa_reviews.views import reviews, scorecards

urlpatterns = [
    path("qa/calibrations/", calibration_pages.calibration_list, name="qa-calibration-list"),
    path("qa/calibrations/<int:session_id>/", calibration_pages.calibration_detail, name="qa-calibration-detail"),
    path(
        "qa/calibrations/<int:session_id>/conversations/<int:conversation_id>/",
        calibration_pages.calibration_score,
        name="qa-calibration-score",
    ),
    path("qa/conversations/<int:conversation_id>/review/", reviews.review_conversation, name="qa-review-conversation"),
    path("qa/reviews/", reviews.review_list, name="qa-review-list"),
    path("qa/reviews/<int:review_id>/", reviews.review_detail, name="qa-review-detail"),
    # before qa-review-action, whose <slug:action> would take "case"
    path("qa/reviews/<int:review_id>/case/", case_pages.case_from_review, name="qa-case-from-review"),
    path("complaints/<int:complaint_id>/case/", case_pages.case_from_complaint, name="qa-case-from-complaint"),
    path("qa/cases/", case_pages.case_list, name="qa-case-list"),
    path("qa/cases/<int:case_id>/", case_pages.case_detail, name="qa-case-detail"),
    path("qa/cases/<int:case_id>/evidence/", case_pages.case_evidence, name="qa-case-evidence"),
    path("qa/reviews/<int:review_id>/<slug:action>/", reviews.review_action, name="qa-review-action"),
    path("qa/scorecards/", scorecards.scorecard_list, name="qa-scorecard-list"),
    path("qa/scorecards/new/", scorecards.scorecard_create, name="qa-scorecard-create"),
    path("qa/scorecards/<int:scorecard_id>/", scorecards.scorecard_edit, name="qa-scorecard-edit"),
    path("qa/queue/", assignment_pages.queue, name="qa-queue"),
    path("qa/sampling-rules/", assignment_pages.sampling_rules, name="qa-sampling-rules"),
    path("qa/sampling-rules/<int:rule_id>/", assignment_pages.sampling_rule_edit, name="qa-sampling-rule-edit"),
    path("qa/sampling-rules/<int:rule_id>/run/", assignment_pages.sampling_rule_run, name="qa-sampling-rule-run"),
    path("complaints/", complaint_pages.complaint_list, name="complaint-list"),
    path("complaints/sla/", complaint_pages.complaint_policy, name="complaint-policy"),
    path("complaints/<int:complaint_id>/", complaint_pages.complaint_detail, name="complaint-detail"),
    path("complaints/<int:complaint_id>/<slug:action>/", complaint_pages.complaint_action, name="complaint-action"),
]
