"""/api/v1/training/career-levels/ and /api/v1/training/career-progress/.

Levels are read by everyone who reads their team and written by its authors. Progress: an agent reads their
own; whoever supervises the team reads every agent's. A team the caller cannot read is a 404.
"""

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from teams import policy
from teams.api.scoping import ReadableTeamField
from teams.api.serializers import PersonSerializer
from teams.models import Membership, Role
from training import career
from training.access import visible_courses
from training.models import CareerLevel, Course

# ---------------------------------------------------------------------------------------------- levels


@extend_schema_field(OpenApiTypes.INT)
class VisibleCourseField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return visible_courses(request.user) if request is not None else Course.objects.none()


class CareerLevelSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    required_courses = VisibleCourseField(many=True, required=False, help_text="Courses to complete.")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    min_qa_score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=f"Mean QA review total over the last {career.QA_WINDOW_DAYS} days; null: no QA criterion.",
    )
    min_kpi_attainment = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=f"Mean attainment % of daily targets over the last {career.KPI_WINDOW_DAYS} days; null: none.",
    )

    class Meta:
        model = CareerLevel
        fields = [
            "id",
            "team",
            "position",
            "rank",
            "name",
            "description",
            "required_courses",
            "min_qa_score",
            "min_kpi_attainment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []  # the service names the field: "This position already has a level 2"


class CareerLevelUpdateSerializer(CareerLevelSerializer):
    class Meta(CareerLevelSerializer.Meta):
        read_only_fields = ["id", "team", "created_at", "updated_at"]


class CareerLevelFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")  # a plain id: a foreign team filters to nothing

    class Meta:
        model = CareerLevel
        fields = ["team", "position", "rank"]


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Career levels of the teams you read (each position's path, by rank)"),
    retrieve=extend_schema(summary="One career level and its criteria"),
    create=extend_schema(summary="Add a level to a position's path (authors of the team)"),
    partial_update=extend_schema(summary="Change a level (authors)", request=CareerLevelUpdateSerializer),
    destroy=extend_schema(summary="Remove a level (authors)"),
)
class CareerLevelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CareerLevelSerializer
    permission_classes = [permissions.IsAuthenticated]  # the selector scopes reads; the services decide writes
    filterset_class = CareerLevelFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return career.career_level_list(user=self.request.user)

    def get_serializer_class(self):
        return CareerLevelUpdateSerializer if self.action == "partial_update" else CareerLevelSerializer

    def perform_create(self, serializer):
        level = career.career_level_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=level.pk)

    def perform_update(self, serializer):
        level = career.career_level_update(
            level=serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=level.pk)

    def perform_destroy(self, instance):
        career.career_level_delete(level=instance, actor=self.request.user)


# -------------------------------------------------------------------------------------------- progress


class CareerLevelRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareerLevel
        fields = ["id", "rank", "name"]
        read_only_fields = fields


class CareerCriterionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text='"course", "qa_score" or "kpi_attainment".')
    label = serializers.CharField()
    course = serializers.IntegerField(source="course.pk", allow_null=True, default=None)
    completed = serializers.SerializerMethodField(help_text="Course criteria: whether it is completed.")
    value = serializers.SerializerMethodField(help_text="Score criteria: the agent's figure (null without data).")
    required = serializers.SerializerMethodField(help_text="Score criteria: the minimum.")
    met = serializers.BooleanField()

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_completed(self, criterion) -> bool | None:
        return criterion.value if criterion.kind == "course" else None

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True))
    def get_value(self, criterion):
        return None if criterion.kind == "course" or criterion.value is None else f"{criterion.value:.2f}"

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True))
    def get_required(self, criterion):
        return None if criterion.kind == "course" else f"{criterion.required:.2f}"


class CareerProgressSerializer(serializers.Serializer):
    user = PersonSerializer()
    position = serializers.CharField()
    levels = CareerLevelRefSerializer(many=True, help_text="The position's path, lowest rank first.")
    current_level = CareerLevelRefSerializer(allow_null=True)
    next_level = CareerLevelRefSerializer(allow_null=True)
    criteria = CareerCriterionSerializer(many=True, help_text="The next level's criteria.")
    percent_to_next = serializers.IntegerField(help_text="Share of the next level's criteria met.")
    qa_score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    qa_reviews = serializers.IntegerField()
    kpi_attainment = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    kpi_days = serializers.IntegerField(help_text="Daily targets (day and metric) that counted.")


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(
        summary="Each agent's career level and progress toward the next: your own, or your team's as supervisor",
        parameters=[
            OpenApiParameter("team", OpenApiTypes.INT, required=True, description="The team."),
            OpenApiParameter("user", OpenApiTypes.INT, description="Only this agent."),
        ],
        responses={200: CareerProgressSerializer(many=True)},
    )
)
class CareerProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CareerProgressSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def _int_param(self, name: str, *, required: bool) -> int | None:
        raw = self.request.query_params.get(name)
        if raw in (None, ""):
            if required:
                raise exceptions.ValidationError({name: ["This parameter is required."]})
            return None
        try:
            return int(raw)
        except ValueError as error:
            raise exceptions.ValidationError({name: ["A whole number is required."]}) from error

    def get_queryset(self):
        return Membership.objects.none()  # the list is computed; see list()

    def list(self, request, *args, **kwargs):
        team_id = self._int_param("team", required=True)
        user_id = self._int_param("user", required=False)
        team = get_object_or_404(policy.readable_teams(request.user), pk=team_id)
        agents = Membership.objects.filter(team=team, active=True, role=Role.AGENT)
        if not policy.can_supervise_team(request.user, team.pk):
            if user_id is not None and user_id != request.user.pk:
                raise Http404
            user_id = request.user.pk
        if user_id is not None:
            agents = agents.filter(user_id=user_id)
        page = self.paginate_queryset(agents.order_by("user__username").values_list("user_id", flat=True))
        rows = career.career_progress(team=team, users=list(page))
        return self.get_paginated_response(CareerProgressSerializer(rows, many=True).data)
