import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kpi.definitions import METRICS
from kpi.models import ScoreWeight
from teams.api.scoping import ReadableTeamField

METRIC_CHOICES = [(name, str(definition.label)) for name, definition in METRICS.items()]


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthField(serializers.Field):
    """A month as YYYY-MM."""

    default_error_messages = {"invalid": "Give the month as YYYY-MM."}

    def to_internal_value(self, data):
        try:
            return dt.datetime.strptime(str(data), "%Y-%m").date()
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class DayWeightInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0)
    reason = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class CascadeRequestSerializer(serializers.Serializer):
    team = ReadableTeamField(help_text="The department or team the target is set for.")
    metric = serializers.ChoiceField(choices=METRIC_CHOICES)
    month = MonthField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    day_weights = DayWeightInputSerializer(many=True, required=False, default=list)
    weekday_weights = serializers.ListField(
        child=serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0),
        min_length=7,
        max_length=7,
        required=False,
        allow_null=True,
        default=None,
        help_text="Seven weights, Monday first (e.g. weekends busier); multiplied with the day weights.",
    )
    apply = serializers.BooleanField(
        default=False, help_text="false: preview only; true: store, replacing the month's cascade."
    )


class MetricDefinitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField(help_text="up: higher is better; down: lower is better.")
    split = serializers.BooleanField(
        help_text="true: a target is split over shops, days and agents; false: given whole."
    )


class CascadeLineSerializer(serializers.Serializer):
    date = serializers.DateField()
    shop = serializers.CharField(source="shop.code")
    team = serializers.IntegerField(source="team_id")
    agent = serializers.IntegerField(source="agent_id", allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class CascadeResultSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    team = serializers.IntegerField()
    metric = serializers.CharField()
    month = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_of_agent_days = serializers.DecimalField(max_digits=16, decimal_places=2)
    unstaffed = serializers.ListField(child=serializers.DictField())
    shop_days = CascadeLineSerializer(many=True)
    agent_days = CascadeLineSerializer(many=True)


class AttainmentRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    metric = serializers.CharField()
    team = serializers.IntegerField(source="team_id")
    agent = serializers.IntegerField(source="agent_id", allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.FloatField(allow_null=True)
    attainment_percent = serializers.FloatField(allow_null=True)
    direction = serializers.CharField(help_text="up: higher is better; down: lower is better.")


class AttainmentQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    level = serializers.ChoiceField(choices=["agent", "team"], default="agent")
    team = serializers.IntegerField(required=False)
    agent = serializers.IntegerField(required=False)
    metric = serializers.ChoiceField(choices=METRIC_CHOICES, required=False)


class ScoreQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class ScoreLineSerializer(serializers.Serializer):
    metric = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    normalised = serializers.FloatField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=3)


class AgentScoreSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    agent = serializers.IntegerField(source="agent_id")
    username = serializers.CharField()
    score = serializers.FloatField()
    lines = ScoreLineSerializer(many=True)


class ScoreWeightSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    metric = serializers.ChoiceField(choices=METRIC_CHOICES)

    class Meta:
        model = ScoreWeight
        fields = ["id", "team", "metric", "weight"]
