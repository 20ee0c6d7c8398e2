"""Pages of the training app: onboarding checklists and the career path."""

from django.urls import path

from training.views import career, onboarding

urlpatterns = [
    path("training/onboarding/", onboarding.onboarding_list, name="training-onboarding-list"),
    path("training/onboarding/<int:onboarding_id>/", onboarding.onboarding_detail, name="training-onboarding-detail"),
    path("training/onboarding/templates/", onboarding.template_list, name="training-onboarding-templates"),
    path("training/onboarding/templates/new/", onboarding.template_create, name="training-onboarding-template-new"),
    path(
        "training/onboarding/templates/<int:template_id>/",
        onboarding.template_edit,
        name="training-onboarding-template-edit",
    ),
    path("training/career/", career.career_page, name="training-career"),
    path("training/career/levels/", career.career_levels, name="training-career-levels"),
    path("training/career/levels/<int:level_id>/", career.career_level_edit, name="training-career-level-edit"),
]
