"""/api/v1/training/onboarding/ and /api/v1/training/onboarding-templates/.

Checklists are visible to their member and to those who supervise the member's team (training.access);
anyone else gets 404. Supervisors tick shadow and other steps; templates are for authors only.
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from teams import policy
from teams.api.scoping import ReadableTeamField
from teams.api.serializers import PersonSerializer
from teams.models import Position
from training import onboarding
from training.access import visible_articles, visible_courses
from training.models import Onboarding, OnboardingStep, OnboardingTemplate, StepKind

# ------------------------------------------------------------------------------------------ checklists


class OnboardingTemplateRefSerializer(serializers.ModelSerializer):
    position = serializers.ChoiceField(
        choices=Position.choices, allow_blank=True, read_only=True, help_text="Empty: every position."
    )

    class Meta:
        model = OnboardingTemplate
        fields = ["id", "name", "position"]
        read_only_fields = fields


class OnboardingStepStateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="step.pk")
    position = serializers.IntegerField(source="step.position")
    kind = serializers.ChoiceField(source="step.kind", choices=StepKind.choices)
    title = serializers.CharField(source="step.title")
    article = serializers.IntegerField(source="step.article_id", allow_null=True)
    course = serializers.IntegerField(source="step.course_id", allow_null=True)
    link = serializers.CharField(help_text="The article's or course's page; empty for the other kinds.")
    done = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)
    how = serializers.CharField(help_text='"article_read", "course_completed", "confirmed", or empty while not done.')
    confirmed_by = PersonSerializer(allow_null=True)
    confirmable = serializers.BooleanField(help_text="A supervisor ticks it (shadow and other steps).")


class OnboardingSerializer(serializers.Serializer):
    """A checklist and how far along it is (read from onboarding.OnboardingState)."""

    id = serializers.IntegerField(source="onboarding.pk")
    template = OnboardingTemplateRefSerializer(source="onboarding.template")
    user = PersonSerializer(source="onboarding.user")
    team = serializers.IntegerField(source="onboarding.team_id")
    created_at = serializers.DateTimeField(source="onboarding.created_at")
    completed_at = serializers.DateTimeField(source="onboarding.completed_at", allow_null=True)
    steps_done = serializers.IntegerField(source="done_count")
    steps_total = serializers.IntegerField(source="total")
    url = serializers.CharField(source="onboarding.get_absolute_url", help_text="The checklist's page.")


class OnboardingDetailSerializer(OnboardingSerializer):
    steps = OnboardingStepStateSerializer(many=True)


@extend_schema_field(OpenApiTypes.INT)
class AuthoredTemplateField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return OnboardingTemplate.objects.none()
        return onboarding.onboarding_template_list(user=request.user)


@extend_schema_field(OpenApiTypes.INT)
class SupervisedMemberField(serializers.PrimaryKeyRelatedField):
    """A member of a team the requester supervises; any other id "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return policy.users_in_teams([])
        return policy.users_in_teams(policy.team_access(request.user).supervised)


class OnboardingStartSerializer(serializers.Serializer):
    template = AuthoredTemplateField()
    user = SupervisedMemberField()
    team = ReadableTeamField(
        required=False, allow_null=True, default=None, help_text="The member's team, when they are in several."
    )


STEP_ID = OpenApiParameter("step_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="A step of the checklist.")


class OnboardingFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    user = django_filters.NumberFilter(field_name="user_id")
    template = django_filters.NumberFilter(field_name="template_id")
    open = django_filters.BooleanFilter(field_name="completed_at", lookup_expr="isnull", label="Still open")

    class Meta:
        model = Onboarding
        fields = ["team", "user", "template", "open"]


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(
        summary="Onboarding checklists: your own, and every one of the teams you supervise",
        responses={200: OnboardingSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One checklist with its steps and their state", responses=OnboardingDetailSerializer
    ),
)
class OnboardingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OnboardingSerializer
    permission_classes = [permissions.IsAuthenticated]  # the selector scopes, the services decide writes
    filterset_class = OnboardingFilter
    ordering_fields = ["created_at", "completed_at"]

    def get_queryset(self):
        return onboarding.onboarding_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        states = onboarding.onboarding_states(page)
        onboarding.onboarding_record_noticed_completions(states=states.values())
        return self.get_paginated_response(OnboardingSerializer([states[o.pk] for o in page], many=True).data)

    def _detail(self, checklist: Onboarding, status_code=status.HTTP_200_OK) -> Response:
        checklist = self.get_queryset().get(pk=checklist.pk)
        state = onboarding.onboarding_states([checklist])[checklist.pk]
        onboarding.onboarding_record_noticed_completions(states=[state])
        return Response(OnboardingDetailSerializer(state).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        summary="Start a checklist by hand for a member of a team you supervise (again: the same checklist)",
        request=OnboardingStartSerializer,
        responses={201: OnboardingDetailSerializer, 200: OnboardingDetailSerializer},
    )
    def create(self, request):
        if not policy.team_access(request.user).supervised:
            raise exceptions.PermissionDenied("Only supervisors start onboarding checklists.")
        payload = OnboardingStartSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        checklist, created = onboarding.onboarding_start(actor=request.user, **payload.validated_data)
        return self._detail(checklist, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        methods=["POST"],
        summary="A supervisor ticks a shadow or other step (ticking again changes nothing)",
        parameters=[STEP_ID],
        request=None,
        responses={200: OnboardingDetailSerializer},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="A supervisor takes back a tick while the checklist is open",
        parameters=[STEP_ID],
        request=None,
        responses={200: OnboardingDetailSerializer},
    )
    @action(detail=True, methods=["post", "delete"], url_path=r"steps/(?P<step_id>\d+)/done", url_name="step-done")
    def step_done(self, request, pk=None, step_id=None):
        checklist = self.get_object()
        step = get_object_or_404(OnboardingStep, pk=step_id, template_id=checklist.template_id)
        if request.method == "DELETE":
            onboarding.onboarding_step_unconfirm(onboarding=checklist, step=step, actor=request.user)
        else:
            onboarding.onboarding_step_confirm(onboarding=checklist, step=step, actor=request.user)
        return self._detail(checklist)


# ------------------------------------------------------------------------------------------- templates


@extend_schema_field(OpenApiTypes.INT)
class VisibleArticleField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return visible_articles(request.user) if request is not None else OnboardingTemplate.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class VisibleCourseField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return visible_courses(request.user) if request is not None else OnboardingTemplate.objects.none()


class OnboardingStepSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="An existing step to keep (and its ticks); omit to add.")
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Empty: the article's or course's title."
    )
    article = VisibleArticleField(required=False, allow_null=True, help_text="read_article steps only.")
    course = VisibleCourseField(required=False, allow_null=True, help_text="pass_course steps only.")

    class Meta:
        model = OnboardingStep
        fields = ["id", "position", "kind", "title", "article", "course"]
        read_only_fields = ["position"]


class OnboardingTemplateSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    position = serializers.ChoiceField(
        choices=Position.choices, required=False, allow_blank=True, default="", help_text="Empty: every position."
    )
    steps = OnboardingStepSerializer(many=True, help_text="In order; on a change, the full new list.")

    class Meta:
        model = OnboardingTemplate
        fields = ["id", "team", "position", "name", "is_active", "steps", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class OnboardingTemplateUpdateSerializer(OnboardingTemplateSerializer):
    class Meta(OnboardingTemplateSerializer.Meta):
        read_only_fields = ["id", "team", "created_at", "updated_at"]


class OnboardingTemplateFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")  # a plain id: a foreign team filters to nothing

    class Meta:
        model = OnboardingTemplate
        fields = ["team", "position", "is_active"]


def _step_specs(steps: list[dict]) -> list[dict]:
    return [{name: value for name, value in step.items() if name != "position"} for step in steps]


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Onboarding checklist templates of the teams you author for"),
    retrieve=extend_schema(summary="One template with its ordered steps"),
    create=extend_schema(summary="Build a checklist template (supervisors, QA inspectors, managers)"),
    partial_update=extend_schema(
        summary="Change a template; open checklists follow its steps (steps keep their ticks by id)",
        request=OnboardingTemplateUpdateSerializer,
    ),
    destroy=extend_schema(summary="Delete a template nobody has started (otherwise deactivate it)"),
)
class OnboardingTemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OnboardingTemplateSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = OnboardingTemplateFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return onboarding.onboarding_template_list(user=self.request.user)

    def get_serializer_class(self):
        return OnboardingTemplateUpdateSerializer if self.action == "partial_update" else OnboardingTemplateSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = onboarding.onboarding_template_create(
            actor=self.request.user,
            team=data["team"],
            name=data["name"],
            position=data.get("position", ""),
            is_active=data.get("is_active", True),
            steps=_step_specs(data["steps"]),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        template = onboarding.onboarding_template_update(
            template=serializer.instance,
            actor=self.request.user,
            name=data.get("name"),
            position=data.get("position") if "position" in data else None,
            is_active=data.get("is_active"),
            steps=_step_specs(data["steps"]) if "steps" in data else None,
        )
        serializer.instance = self.get_queryset().get(pk=template.pk)

    def perform_destroy(self, instance):
        onboarding.onboarding_template_delete(template=instance, actor=self.request.user)
