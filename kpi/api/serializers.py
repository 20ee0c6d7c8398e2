from rest_framework import serializers

from kpi.definitions import DERIVATIONS, PART_NAMES
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume

_FLOAT_METRICS = {
    "first_response_seconds",
    "avg_response_seconds",
    "resolution_rate",
    "csat_avg",
    "csi",
    "conversion_rate",
    "qa_score_avg",
}


def _metric_field(name: str) -> serializers.Field:
    if name in _FLOAT_METRICS:
        return serializers.FloatField(read_only=True, allow_null=True)
    if name == "sales_amount":
        return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    return serializers.IntegerField(read_only=True)


class _MetricsRowSerializer(serializers.Serializer):
    """A day's row: the metrics under DESIGN.md's names, then the sums and counts they derive from."""

    date = serializers.DateField(read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True)

    def get_fields(self):
        fields = super().get_fields()
        for name in DERIVATIONS:
            fields[name] = _metric_field(name)
        for name in PART_NAMES:
            if name not in fields:
                fields[name] = (
                    serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
                    if name in ("qa_score_sum",)
                    else serializers.IntegerField(read_only=True)
                )
        return fields

    def to_representation(self, row):
        figures = row.figures()
        representation = {"date": row.date.isoformat(), "team": row.team_id}
        if isinstance(row, DailyAgentMetric):
            representation["agent"] = row.agent_id
            representation["agent_username"] = row.agent.username
        representation.update({name: _plain(value) for name, value in figures.items()})
        representation.update({name: _plain(getattr(row, name)) for name in PART_NAMES if name not in figures})
        return representation


def _plain(value):
    return str(value) if hasattr(value, "quantize") else value


class AgentDailyMetricSerializer(_MetricsRowSerializer):
    agent = serializers.IntegerField(source="agent_id", read_only=True)
    agent_username = serializers.CharField(source="agent.username", read_only=True)

    class Meta:
        model = DailyAgentMetric


class TeamDailyMetricSerializer(_MetricsRowSerializer):
    class Meta:
        model = DailyTeamMetric


class HourlyVolumeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HourlyVolume
        fields = ["date", "team", "hour", "conversations", "customer_messages"]
