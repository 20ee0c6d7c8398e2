import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from audit.models import AuditEntry
from audit.selectors import audit_entries


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "result",
            "team_id",
            "object_type",
            "object_id",
            "summary",
            "detail",
            "ip",
        ]
        read_only_fields = fields


class AuditEntryFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    actor = django_filters.NumberFilter(field_name="actor_id")
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = ["action", "result", "team", "actor", "date_from", "date_to"]


@extend_schema(tags=["audit"])
@extend_schema_view(
    list=extend_schema(summary="The audit log of the teams you lead, newest first (entries never change)"),
    retrieve=extend_schema(summary="One audit entry"),
)
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    ordering_fields = ["at"]
    search_fields = ["actor_name", "summary"]

    def get_queryset(self):
        return audit_entries(user=self.request.user).order_by("-at", "-id")
