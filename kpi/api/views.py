from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework_csv.renderers import CSVRenderer

from kpi.api import filters, serializers
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume
from teams.api.scoping import TeamScopedViewSet


class MetricsCSVRenderer(CSVRenderer):
    """An export with no matching rows is still a CSV file: its header row (DRF would otherwise send an empty
    body without a Content-Type)."""

    def render(self, data, media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        rendered = super().render(data, media_type, renderer_context)
        view = renderer_context.get("view")
        if rendered or view is None or not isinstance(data, list):
            return rendered
        columns = sorted(view.get_serializer_class()().fields)  # the order the renderer gives non-empty exports
        return (",".join(columns) + "\r\n").encode()


CSV_PARAMETER = OpenApiParameter(
    "format", enum=["json", "csv"], description="csv: every matching row as a CSV file (no paging)."
)


class _MetricsViewSet(TeamScopedViewSet):
    """Read-only metric rows; `?format=csv` exports every matching row."""

    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, MetricsCSVRenderer]
    ordering_fields = ["date"]

    def handle_exception(self, exc):
        # An error is JSON whatever format the rows were asked in: the schema documents errors as JSON, and a
        # client reading CSV rows would take "detail,Not found." for data.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

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
