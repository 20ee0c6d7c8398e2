from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.views import healthz

urlpatterns = [
    # First: integrations poll the API, and a page's path fails this prefix at once.
    path("api/v1/", include(("cs_platform.api_urls", "api"), namespace="api")),
    path("", include("teams.urls")),
    path("", include("conversations.urls")),
    path("kpi/", include("kpi.urls")),
    path("", include("notifications.urls")),
    path("", include("plans.urls")),
    path("", include("qa_reviews.urls")),
    path("", include("training.urls")),
    path("", include("recognition.urls")),
    path("", include("dashboard.urls")),
    path("", include("audit.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
