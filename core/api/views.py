from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the API token of that user."""

    @extend_schema(
        summary="Get an API token",
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class PingView(APIView):
    """A constant answer with no authentication and no database: for load balancers and speed baselines."""

    # The read benchmark (`manage.py bench --read-only`) compares the dashboards' endpoints with this view.
    # It goes through the same middleware, DRF view, content negotiation and JSON renderer, but authenticating
    # a token is a query: public, the baseline is the stack's floor and the measured endpoints carry all of
    # their own cost. The body is a constant, so being public reveals nothing.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Answer at once, without authentication or database (a liveness and speed baseline)",
        responses={200: inline_serializer("Ping", {"ok": serializers.BooleanField()})},
        auth=[],
        tags=["health"],
    )
    def get(self, request):
        return Response({"ok": True})
