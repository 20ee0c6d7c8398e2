from django.urls import path

from core.api.views import ObtainTokenView, PingView, RevokeTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("auth/token/revoke/", RevokeTokenView.as_view(), name="auth-token-revoke"),
    path("ping/", PingView.as_view(), name="ping"),
]
