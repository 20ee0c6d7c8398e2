from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications import selectors, services
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="In the reader's language.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at"]
        read_only_fields = fields


_READ_RESULT = inline_serializer("NotificationsRead", {"marked_read": serializers.IntegerField()})


@extend_schema(tags=["notifications"])
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications (nobody lists anyone else's)."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(summary="Mark one notification read", request=None, responses={200: _READ_RESULT})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        return Response(
            {"marked_read": services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])}
        )

    @extend_schema(summary="Mark every notification read", request=None, responses={200: _READ_RESULT})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked_read": services.notifications_mark_read(user=request.user)})
