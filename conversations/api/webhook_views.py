"""Chatwoot pushes events here; supervisors manage the integrations (and their secret tokens)."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, permissions, serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from conversations.models import Category, WebhookIntegration
from conversations.webhooks import chatwoot_event_apply, webhook_integration_create, webhook_integration_revoke
from core.api.throttling import WebhookThrottle
from teams import policy
from teams.api.scoping import ReadableTeamField, TeamScopedViewSet

_RESULT = inline_serializer(
    "ChatwootWebhookResult",
    {"result": serializers.ChoiceField(choices=["created", "updated", "unchanged", "ignored"])},
)


@extend_schema(
    tags=["webhooks"],
    summary="Receive a Chatwoot webhook event",
    description=(
        "Point a Chatwoot webhook (Settings → Integrations → Webhooks) at this URL. The secret token in the path "
        "identifies the integration and its team; no other authentication. Handles message_created, "
        "message_updated, conversation_created, conversation_status_changed, conversation_updated and "
        "csat_survey_response_created; any other event is answered with result `ignored`. The same event twice "
        "changes nothing."
    ),
    auth=[],
    parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH, description="The secret token.")],
    request={"application/json": {"type": "object", "additionalProperties": True}},
    responses={
        200: _RESULT,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="A payload that cannot be applied; nothing written."),
        404: OpenApiResponse(description="Unknown or revoked token."),
    },
    examples=[
        OpenApiExample(
            "conversation_status_changed",
            request_only=True,
            value={"event": "conversation_status_changed", "id": 42, "status": "resolved", "meta": {"assignee": None}},
        )
    ],
)
class ChatwootWebhookView(APIView):
    # The token in the URL is the credential: no session (hence no CSRF) and no API token.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [WebhookThrottle]  # a chat tool sends many events: its own, higher rate

    def post(self, request, token: str):
        integration = WebhookIntegration.objects.select_related("team").filter(token=token, revoked_at=None).first()
        if integration is None:
            raise exceptions.NotFound(_("Unknown or revoked webhook token."))
        return Response({"result": chatwoot_event_apply(integration=integration, payload=request.data)})


class WebhookIntegrationSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    default_category = serializers.ChoiceField(
        choices=Category.choices,
        required=False,
        help_text="Category of new conversations that carry no category label.",
    )
    active = serializers.BooleanField(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    webhook_path = serializers.SerializerMethodField(help_text="Where Chatwoot must POST its events.")
    webhook_url = serializers.SerializerMethodField(help_text="webhook_path as an absolute URL for this server.")

    class Meta:
        model = WebhookIntegration
        fields = [
            "id",
            "team",
            "name",
            "source",
            "default_category",
            "token",
            "webhook_path",
            "webhook_url",
            "active",
            "created_by",
            "created_at",
            "revoked_at",
        ]
        read_only_fields = ["id", "token", "active", "created_by", "created_at", "revoked_at"]
        extra_kwargs = {
            "source": {"required": False, "help_text": "Conversations arrive with this source; one per instance."}
        }

    @extend_schema_field(OpenApiTypes.STR)
    def get_webhook_path(self, integration: WebhookIntegration) -> str:
        return reverse("api:webhook-chatwoot", kwargs={"token": integration.token})

    @extend_schema_field(OpenApiTypes.URI)
    def get_webhook_url(self, integration: WebhookIntegration) -> str:
        request = self.context.get("request")
        path = self.get_webhook_path(integration)
        return request.build_absolute_uri(path) if request is not None else path


class WebhookIntegrationFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")  # an id, so a foreign team's id reveals nothing
    active = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull")

    class Meta:
        model = WebhookIntegration
        fields = ["team", "active"]


@extend_schema(tags=["webhooks"])
@extend_schema_view(
    list=extend_schema(summary="Webhook integrations of the teams you manage, with their tokens"),
    create=extend_schema(summary="Create an integration; the response shows its token and webhook URL"),
    retrieve=extend_schema(summary="One webhook integration"),
)
class WebhookIntegrationViewSet(TeamScopedViewSet):
    queryset = WebhookIntegration.objects.select_related("team", "created_by")
    serializer_class = WebhookIntegrationSerializer
    http_method_names = ["get", "post", "head", "options"]  # revoke, never edit or delete
    filterset_class = WebhookIntegrationFilter
    ordering_fields = ["name", "created_at", "id"]

    def get_queryset(self):
        # A token lets anyone write the team's chat logs, so only those who manage the team see it:
        # QA inspectors supervise a team but may not write into it.
        managed = policy.team_access(self.request.user).managed
        return super().get_queryset().filter(team_id__in=managed)

    def perform_create(self, serializer):
        self.require_manages_team(serializer.validated_data["team"])
        serializer.instance = webhook_integration_create(**serializer.validated_data, created_by=self.request.user)

    @extend_schema(summary="Revoke the token: Chatwoot's events are refused from now on", request=None)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        integration = webhook_integration_revoke(integration=self.get_object())
        return Response(self.get_serializer(integration).data)
