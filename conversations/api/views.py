from django.db.models import Count, Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations.api import filters, serializers
from conversations.ingest import BatchRejected, conversations_ingest, scope_for_user
from conversations.models import Conversation, ImportJob, Message
from teams.api.scoping import TeamScopedViewSet

MAX_BATCH = 1000

NATIVE_EXAMPLE = [
    {
        "source": "shopchat",
        "external_id": "c-1001",
        "channel": "web",
        "shop": "flagship",
        "agent": "wang",
        "customer": "buyer-77",
        "category": "pre_sales",
        "started_at": "2026-11-20T09:00:00+08:00",
        "closed_at": "2026-11-20T09:20:00+08:00",
        "resolved": True,
        "rating": 5,
        "ordered": True,
        "order_amount": "199.00",
        "messages": [
            {"sender": "customer", "sent_at": "2026-11-20T09:00:00+08:00", "text": "Is the blue one in stock?"},
            {"sender": "agent", "sent_at": "2026-11-20T09:00:40+08:00", "text": "Yes, ships today."},
        ],
    }
]


@extend_schema(tags=["conversations"])
@extend_schema_view(
    list=extend_schema(summary="List conversations (agents see only their own)"),
    retrieve=extend_schema(summary="One conversation with its messages in time order"),
)
class ConversationViewSet(TeamScopedViewSet):
    queryset = (
        Conversation.objects.select_related("agent", "shop")
        .annotate(message_count=Count("messages"))
        .order_by("-started_at", "-id")
    )
    filterset_class = filters.ConversationFilter
    search_fields = ["external_id", "customer"]
    ordering_fields = ["started_at", "rating", "id"]
    owner_field = "agent"
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ConversationDetailSerializer
        return serializers.ConversationSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("messages", queryset=Message.objects.order_by("sent_at", "id"))
            )
        return queryset

    @extend_schema(exclude=True)  # not an operation: it only points to the bulk endpoint
    def create(self, request, *args, **kwargs):
        return Response(
            {"detail": "Post conversations in batches to /api/v1/conversations/bulk/."},
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )

    @extend_schema(
        summary="Upsert a batch of conversations in the native form",
        description=(
            f"A JSON list of at most {MAX_BATCH} conversations. Upserted by (source, external_id): the same batch "
            "again changes nothing, new messages of a known conversation are added. Any invalid item rejects the "
            "whole batch with every error listed and nothing written."
        ),
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={
            200: serializers.BulkResultSerializer,
            # Invalid items: the batch's counts and errors. A body that is not JSON at all: DRF's parse error.
            400: PolymorphicProxySerializer(
                component_name="BulkRejected",
                serializers=[
                    serializers.BulkResultSerializer,
                    inline_serializer("BulkUnreadable", fields={"detail": drf_serializers.CharField()}),
                ],
                resource_type_field_name=None,
            ),
            413: None,
        },
        examples=[OpenApiExample("One pre-sales chat", value=NATIVE_EXAMPLE, request_only=True)],
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request):
        items = request.data
        if not isinstance(items, list):
            return _bulk_response(
                errors=[{"index": None, "field": "", "message": "Send a JSON list of conversations."}]
            )
        if len(items) > MAX_BATCH:
            return Response(
                {"detail": f"At most {MAX_BATCH} conversations per request; this one has {len(items)}. Split it."},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            result = conversations_ingest(items=items, scope=scope_for_user(request.user))
        except BatchRejected as rejected:
            return _bulk_response(errors=[error.as_dict() for error in rejected.errors])
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged, "errors": []}
        )


def _bulk_response(*, errors: list[dict]) -> Response:
    return Response({"created": 0, "updated": 0, "unchanged": 0, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(tags=["imports"])
@extend_schema_view(
    list=extend_schema(summary="File imports of the teams you supervise"),
    retrieve=extend_schema(summary="One import: status, progress (rows done / total) and the error report"),
)
class ImportJobViewSet(TeamScopedViewSet):
    queryset = ImportJob.objects.all()
    http_method_names = ["get", "head", "options"]
    serializer_class = serializers.ImportJobSerializer
    filterset_class = filters.ImportJobFilter
    ordering_fields = ["created_at", "id"]
    owner_field = "created_by"
