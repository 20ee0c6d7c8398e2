from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework_csv.renderers import CSVRenderer

from kpi.api import filters, serializers
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume
from teams.api.scoping import TeamScopedViewSet

CSV_PARAMETER = OpenApiParameter(
    "format", enum=["json", "csv"], description="csv: every matching row as a CSV file (no paging)."
)


class _MetricsViewSet(TeamScopedViewSet):
    """Read-only metric rows; `?format=csv` exports every matching row."""

    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    ordering_fields = ["date"]

    def paginate_queryset(self, queryset):
        if getattr(self.request, "accepted_renderer", None) and self.request.accepted_renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset)


@extend_schema(tags=["metrics"])
@extend_schema_view(list=extend_schema(summary="Daily metrics per agent", parameters=[CSV_PARAMETER]))
class AgentDailyMetricViewSet(_MetricsViewSet):
    queryset = DailyAgentMetric.objects.select_related("agent").order_by("date", "agent_id")
    serializer_class = serializers.AgentDailyMetricSerializer
    filterset_class = filters.AgentMetricFilter
    owner_field = "agent"  # an agent sees only their own numbers


@extend_schema(tags=["metrics"])
@extend_schema_view(list=extend_schema(summary="Daily metrics per team", parameters=[CSV_PARAMETER]))
class TeamDailyMetricViewSet(_MetricsViewSet):
    queryset = DailyTeamMetric.objects.order_by("date", "team_id")
    serializer_class = serializers.TeamDailyMetricSerializer
    filterset_class = filters.TeamMetricFilter


@extend_schema(tags=["metrics"])
@extend_schema_view(
    list=extend_schema(summary="Conversations and customer messages per local hour", parameters=[CSV_PARAMETER])
)
class HourlyVolumeViewSet(_MetricsViewSet):
    queryset = HourlyVolume.objects.order_by("date", "team_id", "hour")
    serializer_class = serializers.HourlyVolumeSerializer
    filterset_class = filters.HourlyVolumeFilter
