from decimal import Decimal

from rest_framework import serializers

from kpi.definitions import METRICS
from kpi.selectors import attainment_percent
from plans.models import DailyPlan, ItemKind, PlanItem, Task, TaskStatus
from teams.api.scoping import ReadableMemberField, ReadableTeamField


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "kind", "text", "done", "task", "training_assignment"]
        read_only_fields = ["id", "task", "training_assignment"]


class DailyPlanSerializer(serializers.ModelSerializer):
    agent_username = serializers.CharField(source="agent.username", read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = DailyPlan
        fields = [
            "id",
            "agent",
            "agent_username",
            "team",
            "date",
            "status",
            "targets",
            "items",
            "customers_served",
            "pre_sales_conversations",
            "after_sales_conversations",
            "busiest_hour",
            "conversion_rate",
            "unanswered",
            "problems",
            "improvements",
            "note",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]
        read_only_fields = [
            "id",
            "agent",
            "agent_username",
            "team",
            "date",
            "status",
            "targets",
            "items",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]


class PlanItemCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.WORK)


class PlanItemDoneSerializer(serializers.Serializer):
    done = serializers.BooleanField()


class PlanReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    send_back = serializers.BooleanField(default=False)


class TaskSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    assignees = ReadableMemberField(many=True)
    how_much = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=Decimal(0)
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "team",
            "what",
            "why",
            "assignees",
            "due_at",
            "where",
            "how",
            "how_much",
            "how_much_unit",
            "status",
            "overdue",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "status", "overdue", "created_by", "created_at"]

    def get_overdue(self, task) -> bool:
        from django.utils import timezone

        return task.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS) and task.due_at < timezone.now()


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)


class TargetProgressSerializer(serializers.Serializer):
    """A target of today's plan with the actual so far; to_representation builds the dict directly, since
    /api/v1/me/today/ is read every few minutes by every agent (the fields below document it)."""

    metric = serializers.CharField(help_text="The metric's name (GET /api/v1/metrics/definitions/).")
    label = serializers.CharField(help_text="The metric's name in the reader's language.")
    value = serializers.CharField(help_text="Today's target, as cascaded when the plan was made.")
    direction = serializers.CharField(help_text="up: higher is better; down: lower is better (response times).")
    actual = serializers.FloatField(allow_null=True, help_text="So far today, from the latest computed metrics.")
    percent = serializers.FloatField(
        allow_null=True, help_text="Attainment (kpi attainment_percent): 100 is on target."
    )

    def to_representation(self, entry):
        definition = METRICS.get(entry["metric"])
        direction = entry.get("direction") or getattr(definition, "direction", "up")
        actual = entry.get("actual")
        percent = attainment_percent(actual, entry["value"], direction)
        return {
            "metric": entry["metric"],
            "label": str(definition.label) if definition else entry["metric"],
            "value": str(entry["value"]),
            "direction": direction,
            "actual": None if actual is None else float(actual),
            "percent": None if percent is None else round(percent, 2),
        }


class TodaySerializer(serializers.Serializer):
    date = serializers.DateField()
    plan = DailyPlanSerializer(allow_null=True)
    progress = TargetProgressSerializer(many=True, help_text="Each target with today's actual so far.")
    tasks = TaskSerializer(many=True)
    unread_notifications = serializers.IntegerField()
