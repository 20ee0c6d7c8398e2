from django.urls import path

from core.api.views import ObtainTokenView, PingView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("ping/", PingView.as_view(), name="ping"),
]
