"""Pages of the recognition app: awards and award settings."""

from django.urls import path

from recognition.views import awards

urlpatterns = [
    path("recognition/awards/", awards.award_list, name="recognition-award-list"),
    path("recognition/awards/<int:award_id>/", awards.award_detail, name="recognition-award-detail"),
    path(
        "recognition/teams/<int:team_id>/award-settings/",
        awards.award_settings_edit,
        name="recognition-award-settings",
    ),
]
