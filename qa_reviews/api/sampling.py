"""Sampling rules and the review assignments they create: /api/v1/qa/sampling-rules/ and /api/v1/qa/assignments/.

Both are scoped to the teams the caller supervises (supervisors, QA inspectors, managers
above): anyone else lists nothing and gets 404 on a detail. Writes are decided by the
sampling services.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qa_reviews import sampling, selectors
from qa_reviews.models import AssignmentStatus, ReviewAssignment, SamplingRule, Scorecard
from teams.api.scoping import ReadableMemberField, ReadableTeamField


@extend_schema_field(OpenApiTypes.INT)
class ReadableScorecardField(serializers.PrimaryKeyRelatedField):
    """A scorecard of a team the requester reads; any other id "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.scorecard_list(user=request.user) if request else Scorecard.objects.none()


class SamplingRuleSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    scorecard = ReadableScorecardField(required=False, allow_null=True)
    reviewers = ReadableMemberField(many=True, required=False)
    open_assignments = serializers.IntegerField(read_only=True)

    class Meta:
        model = SamplingRule
        fields = [
            "id",
            "team",
            "name",
            "kind",
            "per_agent_per_week",
            "slow_first_response_seconds",
            "scorecard",
            "reviewers",
            "is_active",
            "open_assignments",
        ]
        read_only_fields = ["id", "open_assignments"]


class SamplingRunSerializer(serializers.Serializer):
    week_start = serializers.DateField(
        required=False, help_text="Monday of the week to sample; default: the last complete week in the team's zone."
    )


SamplingRunResult = inline_serializer(
    "SamplingRunResult",
    {"rule": serializers.IntegerField(), "week_start": serializers.DateField(), "created": serializers.IntegerField()},
)


@extend_schema(tags=["qa"])
@extend_schema_view(
    list=extend_schema(summary="Sampling rules of the teams you supervise"),
    create=extend_schema(summary="Create a sampling rule (supervisors and QA inspectors of the team)"),
    partial_update=extend_schema(summary="Change a sampling rule; is_active=false switches it off"),
)
class SamplingRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SamplingRuleSerializer
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may write
    filterset_fields = ["team", "kind", "is_active"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return sampling.sampling_rule_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        rule = sampling.sampling_rule_create(actor=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=rule.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "team" in data and data.pop("team") != serializer.instance.team:
            raise serializers.ValidationError({"team": ["A rule stays in its team; create one in the other team."]})
        reviewers = data.pop("reviewers", None)
        rule = sampling.sampling_rule_update(
            rule=serializer.instance, actor=self.request.user, reviewers=reviewers, **data
        )
        serializer.instance = self.get_queryset().get(pk=rule.pk)

    @extend_schema(
        summary="Sample a week now with this rule (default: the last complete week); a rerun creates nothing",
        request=SamplingRunSerializer,
        responses={200: SamplingRunResult},
    )
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):
        payload = SamplingRunSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rule = self.get_object()
        week_start, created = sampling.sampling_rule_run(
            rule=rule, actor=request.user, week_start=payload.validated_data.get("week_start")
        )
        return Response({"rule": rule.pk, "week_start": week_start, "created": created}, status=status.HTTP_200_OK)


class AssignmentSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    rule_kind = serializers.CharField(source="rule.kind", read_only=True)
    agent = serializers.IntegerField(source="conversation.agent_id", read_only=True, allow_null=True)
    conversation_started_at = serializers.DateTimeField(source="conversation.started_at", read_only=True)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "team",
            "rule",
            "rule_name",
            "rule_kind",
            "week_start",
            "conversation",
            "conversation_started_at",
            "agent",
            "reviewer",
            "status",
            "due_date",
            "review",
        ]
        read_only_fields = fields


class AssignmentFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    rule = django_filters.NumberFilter(field_name="rule_id")
    reviewer = django_filters.NumberFilter(field_name="reviewer_id")
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices)
    week_start = django_filters.DateFilter()
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only my own assignments")

    class Meta:
        model = ReviewAssignment
        fields = ["team", "rule", "reviewer", "status", "week_start", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(reviewer_id=self.request.user.pk) if value else queryset


@extend_schema(tags=["qa"])
@extend_schema_view(
    list=extend_schema(summary="Review assignments of the teams you supervise: open first, by due date"),
    retrieve=extend_schema(summary="One review assignment"),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AssignmentFilter

    def get_queryset(self):
        return sampling.assignment_list(user=self.request.user)
