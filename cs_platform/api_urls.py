"""Everything under /api/v1/ (namespace "api"): each app contributes its own routes."""

from django.urls import include, path

# Each include is tried in turn: the most-read routes (ping, /me/today/, the dashboards) come first.
urlpatterns = [
    path("", include("core.api.urls")),
    path("", include("plans.api.urls")),
    path("", include("dashboard.api.urls")),
    path("", include("teams.api.urls")),
    path("", include("conversations.api.urls")),
    path("", include("conversations.api.webhook_urls")),
    path("", include("kpi.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("qa_reviews.api.urls")),
    path("", include("training.api.urls")),
    path("", include("recognition.api.urls")),
    path("", include("audit.api.urls")),
]
