"""Everything under /api/v1/: each app contributes its own router."""

from django.urls import include, path

urlpatterns = [
    path("", include("core.api.urls")),
    path("", include("teams.api.urls")),
]
