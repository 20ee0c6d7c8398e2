"""/api/v1/training/courses/, /assignments/ and /assessments/ (team-scoped through training.access).

Everyone lists and reads the courses they may see (published ones of their teams, drafts of the teams they
author for, courses assigned to them); the authors of a course's team write it. Assignments: your own, or
every one of the teams you supervise. Periodic assessments: the teams you author for. The services decide
who may write; what is not visible answers 404.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from core.api.parsers import StrictMultiPartParser
from qa_reviews.models import Criterion
from teams import policy
from teams.api.scoping import ReadableMemberField, ReadableTeamField
from teams.models import Position
from training import access, courses, selectors_courses
from training.markdown import render_markdown
from training.models import AssessmentSchedule, Assignment, Course, Material, MaterialKind


@extend_schema_field(OpenApiTypes.INT)
class VisibleCourseField(serializers.PrimaryKeyRelatedField):
    """A course the requester may see; any other id "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.visible_courses(request.user) if request else Course.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class ReadableCriterionField(serializers.PrimaryKeyRelatedField):
    """A QA criterion of a scorecard of a team the requester reads."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Criterion.objects.none()
        return Criterion.objects.filter(scorecard__team_id__in=policy.team_access(request.user).readable)


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(Position.values)}})
class PositionListField(serializers.ListField):
    """Positions a course is meant for (empty: every position)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=Position.choices), **kwargs)


class MaterialSerializer(serializers.ModelSerializer):
    body_html = serializers.SerializerMethodField()
    # A plain string: the link is empty for text and file materials, which `format: uri` would not allow.
    video_url = serializers.CharField(read_only=True, help_text="Link to the recorded video (http or https), or empty.")
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = [
            "id",
            "position",
            "kind",
            "title",
            "body",
            "body_html",
            "video_url",
            "attachment_url",
            "estimated_minutes",
        ]
        read_only_fields = fields

    def get_body_html(self, material) -> str:
        return str(render_markdown(material.body))

    def get_attachment_url(self, material) -> str | None:
        if not material.attachment:
            return None
        return reverse("training-material-file", args=[material.course_id, material.pk])


class MaterialInputSerializer(serializers.Serializer):
    """One material; for an existing one (`id`) only the fields sent change."""

    id = serializers.IntegerField(required=False, help_text="Keep this existing material (and its progress).")
    kind = serializers.ChoiceField(choices=MaterialKind.choices, required=False, help_text="New ones: text by default.")
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False, allow_blank=True, help_text="Markdown.")
    video_url = serializers.URLField(required=False, allow_blank=True)
    estimated_minutes = serializers.IntegerField(min_value=0, required=False)

    def validate(self, data):
        if not data.get("id") and not data.get("title"):
            raise serializers.ValidationError({"title": ["A new material needs a title."]})
        return data


class CourseSerializer(serializers.ModelSerializer):
    audience_positions = PositionListField(read_only=True)
    qa_criteria = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)
    materials_count = serializers.IntegerField(read_only=True)
    has_quiz = serializers.BooleanField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "team",
            "title",
            "description",
            "audience_positions",
            "estimated_minutes",
            "is_published",
            "qa_criteria",
            "has_quiz",
            "materials_count",
            "materials",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CourseInputSerializer(serializers.Serializer):
    team = ReadableTeamField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    audience_positions = PositionListField(required=False, default=list)
    estimated_minutes = serializers.IntegerField(min_value=0, required=False)
    qa_criteria = ReadableCriterionField(many=True, required=False)
    materials = MaterialInputSerializer(
        many=True, required=False, help_text="In order; on update the full list (an item without id is new)."
    )

    def to_internal_value(self, data):
        # In a form body the list is sent as materials[0]title=...; DRF reads a plain `materials=3` as "not
        # sent": refuse it rather than change nothing and answer 200.
        if hasattr(data, "getlist") and "materials" in data:
            raise serializers.ValidationError({"materials": ["Send materials as a list (materials[0]title=...)."]})
        return super().to_internal_value(data)


class AttachmentInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()
    body = serializers.CharField(required=False, allow_blank=True, default="", help_text="Notes (Markdown).")
    estimated_minutes = serializers.IntegerField(min_value=0, required=False, default=10)


def _materials_from(specs: list[dict]) -> list[dict]:
    return [dict(spec) for spec in specs]


def _existing_materials(course: Course) -> list[dict]:
    return [{"id": material.pk} for material in course.materials.order_by("position", "id")]


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Courses you may see (published ones of your teams, drafts you author, assigned)"),
    retrieve=extend_schema(summary="One course with its materials in order"),
    create=extend_schema(
        summary="Create a draft course (the team's supervisors, QA inspectors, managers)",
        request=CourseInputSerializer,
        responses={201: CourseSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a course; `materials` replaces the list (items with an id are kept)",
        request=CourseInputSerializer,
        responses={200: CourseSerializer},
    ),
)
class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CourseSerializer
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may write
    filterset_fields = ["team", "is_published"]
    search_fields = ["title", "description"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors_courses.course_list(user=self.request.user).prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("position", "id")), "qa_criteria"
        )

    def _answer(self, course: Course, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=course.pk)).data, status=code)

    def create(self, request):
        payload = CourseInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        course = courses.course_create(actor=request.user, materials=_materials_from(data.pop("materials", [])), **data)
        return self._answer(course, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        course = self.get_object()
        payload = CourseInputSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        if "team" in data and data.pop("team").pk != course.team_id:
            raise serializers.ValidationError({"team": ["A course stays in its team."]})
        materials = data.pop("materials", None)
        course = courses.course_update(
            course=course,
            actor=request.user,
            materials=_materials_from(materials) if materials is not None else None,
            qa_criteria=data.pop("qa_criteria", None),
            **data,
        )
        return self._answer(course)

    @extend_schema(summary="Publish the course", request=None, responses={200: CourseSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(courses.course_set_published(course=self.get_object(), actor=request.user, published=True))

    @extend_schema(summary="Take the course back to draft", request=None, responses={200: CourseSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._answer(courses.course_set_published(course=self.get_object(), actor=request.user, published=False))

    @extend_schema(
        summary=f"Add a file as the course's last material (multipart; at most {courses.ATTACHMENT_MAX_BYTES // 2**20} MB)",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: CourseSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[StrictMultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        course = self.get_object()
        payload = AttachmentInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        new = {
            "kind": MaterialKind.ATTACHMENT,
            "title": data["title"],
            "body": data["body"],
            "attachment": data["file"],
            "estimated_minutes": data["estimated_minutes"],
        }
        try:
            course = courses.course_update(
                course=course, actor=request.user, materials=[*_existing_materials(course), new]
            )
        except ValidationError as error:
            # The new row is the last one: name the upload's own field.
            raise ValidationError(
                {("file" if key.endswith(".attachment") else key): value for key, value in error.message_dict.items()}
            ) from error
        return self._answer(course, status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------------- assignments


class TrainingAssignmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    person = serializers.CharField(source="user.__str__", read_only=True)
    steps = serializers.IntegerField(read_only=True, help_text="Materials, plus the quiz if the course has one.")
    steps_done = serializers.IntegerField(read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "course",
            "course_title",
            "user",
            "person",
            "team",
            "due_date",
            "assigned_by",
            "schedule",
            "period",
            "steps",
            "steps_done",
            "progress_percent",
            "completed_at",
            "is_overdue",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, assignment) -> bool:
        return selectors_courses.mark_overdue([assignment])[0].is_overdue


class AssignInputSerializer(serializers.Serializer):
    course = VisibleCourseField()
    due_date = serializers.DateField()
    users = ReadableMemberField(many=True, required=False, default=list)
    teams = ReadableTeamField(many=True, required=False, default=list)


AssignResult = inline_serializer(
    "TrainingAssignResult",
    {"created": serializers.IntegerField(), "assignments": serializers.ListField(child=serializers.IntegerField())},
)


class AssignmentFilter(django_filters.FilterSet):
    course = django_filters.NumberFilter(field_name="course_id")
    user = django_filters.NumberFilter(field_name="user_id")
    team = django_filters.NumberFilter(field_name="team_id")
    completed = django_filters.BooleanFilter(field_name="completed_at", lookup_expr="isnull", exclude=True)
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only my own assignments")

    class Meta:
        model = Assignment
        fields = ["course", "user", "team", "completed", "due_after", "due_before", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(user_id=self.request.user.pk) if value else queryset


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Your assignments and those of the teams you supervise, with progress"),
    retrieve=extend_schema(summary="One assignment with its progress"),
    create=extend_schema(
        summary="Assign a course to people and/or whole teams; a re-sent request creates nothing",
        request=AssignInputSerializer,
        responses={201: AssignResult, 200: AssignResult},
    ),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TrainingAssignmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AssignmentFilter
    ordering_fields = ["due_date", "created_at", "completed_at"]

    def get_queryset(self):
        return selectors_courses.assignment_list(user=self.request.user)

    def create(self, request):
        payload = AssignInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        created = courses.assignments_create(
            course=data["course"],
            actor=request.user,
            due_date=data["due_date"],
            users=data["users"],
            teams=data["teams"],
        )
        body = {"created": len(created), "assignments": sorted(assignment.pk for assignment in created)}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Mark one material done (the assignee only; again changes nothing)",
        request=None,
        responses={200: TrainingAssignmentSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"materials/(?P<material_id>[0-9]+)/done", url_name="material-done")
    def material_done(self, request, pk=None, material_id=None):
        assignment = self.get_object()
        material = get_object_or_404(Material, pk=material_id, course_id=assignment.course_id)
        courses.material_mark_done(assignment=assignment, material=material, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data)


# ------------------------------------------------------------------------------------- assessments


class AssessmentScheduleSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    course = VisibleCourseField()
    assignments_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AssessmentSchedule
        fields = ["id", "team", "course", "frequency", "due_days", "is_active", "last_period", "assignments_count"]
        read_only_fields = ["id", "last_period", "assignments_count"]


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Periodic assessments (定期考核) of the teams you author for"),
    create=extend_schema(summary="Assign a course to a team's agents every week, month or quarter"),
    partial_update=extend_schema(summary="Change the frequency or the days to complete; is_active=false pauses"),
    destroy=extend_schema(summary="Stop a periodic assessment (its assignments stay)"),
)
class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssessmentScheduleSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["team", "course", "is_active"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors_courses.assessment_list(user=self.request.user)

    def perform_create(self, serializer):
        schedule = courses.assessment_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=schedule.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for fixed in ("team", "course"):
            if fixed in data and data.pop(fixed) != getattr(serializer.instance, fixed):
                raise serializers.ValidationError({fixed: ["A periodic assessment keeps its team and course."]})
        schedule = courses.assessment_update(schedule=serializer.instance, actor=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=schedule.pk)

    def perform_destroy(self, instance):
        courses.assessment_delete(schedule=instance, actor=self.request.user)
