"""/api/v1/dashboard/me/: what "My day" shows beyond /api/v1/me/today/ (which keeps the plan, today's targets
with their live progress and the tasks due, and stays lean for the read benchmark)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from dashboard.me import LEARNING_DUE_DAYS, TREND_DAYS, my_day_extras
from kpi.definitions import METRICS


class DashboardTeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    timezone = serializers.CharField()


class LearningDueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    due_date = serializers.DateField()
    overdue = serializers.BooleanField(source="is_overdue")
    progress_percent = serializers.IntegerField(help_text="Steps done: the course's materials and its quiz, if any.")


class ReviewToAcknowledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField(source="conversation_id")
    reviewer = serializers.CharField(source="reviewer.username")
    scorecard = serializers.CharField(source="scorecard.name")
    total = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    auto_failed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()


class KudosReceivedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    giver = serializers.CharField(source="giver.username")
    giver_name = serializers.CharField(source="giver.display_name")
    value = serializers.CharField()
    value_label = serializers.CharField(source="get_value_display")
    message = serializers.CharField()
    created_at = serializers.DateTimeField()


class DashboardAwardWonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    team = serializers.CharField(source="team.name")
    score = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)


# One float per metric, named as in DESIGN.md (GET /api/v1/metrics/definitions/); null on a day without data.
AgentMetricFiguresSerializer = type(
    "AgentMetricFiguresSerializer",
    (serializers.Serializer,),
    {name: serializers.FloatField(allow_null=True, help_text=str(d.label)) for name, d in METRICS.items()},
)


class AgentMetricDaySerializer(AgentMetricFiguresSerializer):
    date = serializers.DateField()
    has_data = serializers.BooleanField(help_text="False: no computed metrics that day (a day off).")


class MyDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="today", help_text="Today in the home team's time zone.")
    team = DashboardTeamRefSerializer(
        allow_null=True, help_text="The home team: the first team the caller is an agent of."
    )
    week_start = serializers.DateField(help_text="Monday of this week (kudos count from here).")
    learning_due = LearningDueSerializer(many=True)
    learning_due_count = serializers.IntegerField(
        help_text=f"Open training assignments due within {LEARNING_DUE_DAYS} days or overdue (the list shows the first)."
    )
    reviews_to_acknowledge = ReviewToAcknowledgeSerializer(many=True)
    reviews_to_acknowledge_count = serializers.IntegerField(help_text="Submitted QA reviews not yet acknowledged.")
    kudos = KudosReceivedSerializer(many=True, help_text="The latest kudos received this week.")
    kudos_count = serializers.IntegerField(help_text="Kudos received this week.")
    latest_award = DashboardAwardWonSerializer(allow_null=True)
    trend = AgentMetricDaySerializer(
        many=True, source="trend.days", help_text=f"The last {TREND_DAYS} days, oldest first."
    )
    trend_totals = AgentMetricFiguresSerializer(source="trend.totals", help_text="The same days taken together.")


@extend_schema(
    tags=["me"],
    summary="My day, the rest: learning due, QA reviews to acknowledge, kudos this week, latest award, 30-day trend",
)
class MyDayView(generics.GenericAPIView):
    serializer_class = MyDaySerializer
    filter_backends = []
    pagination_class = None

    def get(self, request):
        extras = my_day_extras(user=request.user)
        return Response(MyDaySerializer(extras, context={"request": request}).data)
