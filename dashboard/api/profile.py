"""/api/v1/dashboard/agents/<user_id>/: an agent's profile for the people who lead them (and for the agent)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response

from dashboard.api.me import (
    AgentMetricDaySerializer,
    AgentMetricFiguresSerializer,
    DashboardAwardWonSerializer,
    DashboardTeamRefSerializer,
)
from dashboard.profile import (
    MAX_PERIOD_DAYS,
    agent_profile,
    default_period,
    local_today,
    period_check,
    profile_subject,
)


class ProfileQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (default: 29 days before date_to).")
    date_to = serializers.DateField(required=False, help_text="Last day (default: today in the agent's team).")

    def validate(self, data):
        today = self.context["today"]
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or default_period(date_to)[0]
        try:
            period_check(date_from, date_to)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return {"date_from": date_from, "date_to": date_to}


class ProfileAgentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


class ProfileReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField(source="conversation_id")
    reviewer = serializers.CharField(source="reviewer.username")
    scorecard = serializers.CharField(source="scorecard.name")
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    auto_failed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()


class ProfileReviewTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Reviews submitted in the period (not drafts, not calibration).")
    average = serializers.FloatField(allow_null=True)
    lowest = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    highest = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    auto_failed = serializers.IntegerField()
    to_acknowledge = serializers.IntegerField()
    disputed = serializers.IntegerField()


class ProfileAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    due_date = serializers.DateField()
    completed_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    progress_percent = serializers.IntegerField()


class ProfileQuizResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField(source="quiz_id")
    course_title = serializers.CharField(source="quiz.course.title")
    number = serializers.IntegerField(help_text="Which attempt.")
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class ProfileTrainingTotalsSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()


class ProfileCareerLevelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rank = serializers.IntegerField()
    name = serializers.CharField()


class ProfileCareerCriterionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="course, qa_score or kpi_attainment")
    label = serializers.CharField()
    met = serializers.BooleanField()
    value = serializers.SerializerMethodField()
    required = serializers.SerializerMethodField()

    def get_value(self, criterion) -> float | None:
        return None if criterion.kind == "course" or criterion.value is None else float(criterion.value)

    def get_required(self, criterion) -> float | None:
        return None if criterion.kind == "course" else float(criterion.required)


class ProfileCareerSerializer(serializers.Serializer):
    position = serializers.CharField()
    position_label = serializers.CharField()
    current_level = ProfileCareerLevelSerializer(allow_null=True)
    next_level = ProfileCareerLevelSerializer(allow_null=True)
    percent_to_next = serializers.IntegerField()
    criteria = ProfileCareerCriterionSerializer(many=True, help_text="What the next level needs.")
    qa_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    kpi_attainment = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


class AgentProfileSerializer(serializers.Serializer):
    agent = ProfileAgentSerializer(source="subject.person")
    teams = DashboardTeamRefSerializer(
        many=True, source="subject.teams", help_text="The teams whose records you see here."
    )
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    days = AgentMetricDaySerializer(
        many=True, source="figures.days", help_text="Every day of the period, oldest first."
    )
    totals = AgentMetricFiguresSerializer(source="figures.totals", help_text="The period taken together.")
    qa_totals = ProfileReviewTotalsSerializer(source="review_totals")
    qa_reviews = ProfileReviewSerializer(many=True, source="reviews", help_text="The latest 20, newest first.")
    training_totals = ProfileTrainingTotalsSerializer()
    assignments = ProfileAssignmentSerializer(many=True, help_text="Open ones first, then the latest completed.")
    quiz_results = ProfileQuizResultSerializer(many=True, source="attempts", help_text="Graded attempts, newest first.")
    awards = DashboardAwardWonSerializer(many=True)
    career = ProfileCareerSerializer(allow_null=True)


@extend_schema(
    tags=["dashboard"],
    summary=(
        "An agent's profile: daily metrics, QA reviews, training, awards, career level "
        f"(their leads and the agent; a period of at most {MAX_PERIOD_DAYS} days)"
    ),
    parameters=[ProfileQuerySerializer],
)
class AgentProfileView(generics.GenericAPIView):
    serializer_class = AgentProfileSerializer
    filter_backends = []
    pagination_class = None

    def get(self, request, user_id: int):
        subject = profile_subject(viewer=request.user, person_id=user_id)
        if subject is None:
            raise exceptions.NotFound()
        query = ProfileQuerySerializer(data=request.query_params, context={"today": local_today(subject.home_team)})
        query.is_valid(raise_exception=True)
        profile = agent_profile(subject=subject, **query.validated_data)
        return Response(AgentProfileSerializer(profile, context={"request": request}).data)
