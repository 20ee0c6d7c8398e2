from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import CachedTokenAuthentication
from core.api.throttling import AnonThrottle
from core.auth import lockout_response


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the API token of that user."""

    throttle_classes = [AnonThrottle]  # DRF's view has none; besides, django-axes locks a guessed username

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
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the request when the username is locked out (the wrong-password answer is
            # the same 400 whether the user exists or not).
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request)
            raise


class PingView(APIView):
    """A constant answer with no authentication and no database: for load balancers and speed baselines."""

    # The read benchmark (`manage.py bench --read-only`) compares the dashboards' endpoints with this view.
    # It goes through the same middleware, DRF view, content negotiation and JSON renderer, but authenticating
    # a token is a query: public, the baseline is the stack's floor and the measured endpoints carry all of
    # their own cost. The body is a constant, so being public reveals nothing.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []  # a constant answer costs nothing to give

    @extend_schema(
        summary="Answer at once, without authentication or database (a liveness and speed baseline)",
        responses={200: inline_serializer("Ping", {"ok": serializers.BooleanField()})},
        auth=[],
        tags=["health"],
    )
    def get(self, request):
        return Response({"ok": True})


class RevokeTokenView(APIView):
    """Log out of the API: the token of the request is deleted (get a new one from auth/token/)."""

    authentication_classes = [CachedTokenAuthentication]  # a session has no token to revoke

    @extend_schema(
        summary="Revoke the API token this request carries", request=None, responses={204: None}, tags=["auth"]
    )
    def post(self, request):
        request.auth.delete()  # the token memory of every worker forgets it (post_delete)
        return Response(status=204)
