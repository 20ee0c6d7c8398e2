"""/api/v1/qa/cases/: cases in the 三现 form, their 5W2H action, closing, and turning them into training.

Who reads and writes what is decided in qa_reviews.cases (case_list and the services).
"""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations.models import Conversation
from qa_reviews import cases, selectors
from qa_reviews.complaints import complaint_list
from qa_reviews.models import Case
from teams import policy
from teams.api.scoping import ReadableMemberField, ReadableTeamField


@extend_schema_field(OpenApiTypes.INT)
class VisibleConversationField(serializers.PrimaryKeyRelatedField):
    """A conversation the requester may read; any other id "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Conversation.objects.none()
        return policy.scope_queryset(request.user, Conversation.objects.all(), owner_field="agent")


class CaseSerializer(serializers.ModelSerializer):
    evidence_file = serializers.SerializerMethodField(help_text="Download link (permission-checked), or null.")

    class Meta:
        model = Case
        fields = [
            "id",
            "team",
            "title",
            "status",
            "review",
            "complaint",
            "conversation",
            "rating",
            "buyer_id",
            "customer_comment",
            "evidence",
            "evidence_file",
            "responsible",
            "root_cause",
            "meeting_notes",
            "lesson_learned",
            "action_task",
            "training_requested_at",
            "opened_by",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"meeting_notes": {"help_text": "For the team's supervisors and QA only: absent for the agent."}}

    def get_evidence_file(self, case) -> str | None:
        if not case.evidence_file:
            return None
        url = reverse("qa-case-evidence", args=[case.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def to_representation(self, case):
        data = super().to_representation(case)
        request = self.context.get("request")
        if request is None or not cases.can_work_on_case(request.user, case):
            for name in cases.AGENT_HIDDEN_FIELDS:
                data.pop(name, None)
        return data


class CaseFieldsSerializer(serializers.Serializer):
    """The 现物 / 现实 fields a supervisor or QA inspector writes (JSON, or multipart with evidence_file)."""

    title = serializers.CharField(max_length=200, required=False)
    conversation = VisibleConversationField(required=False, allow_null=True)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    buyer_id = serializers.CharField(max_length=120, required=False, allow_blank=True)
    customer_comment = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    evidence_file = serializers.FileField(required=False, allow_null=True, help_text="null removes the file.")
    responsible = ReadableMemberField(required=False, allow_null=True)
    root_cause = serializers.CharField(required=False, allow_blank=True)
    meeting_notes = serializers.CharField(required=False, allow_blank=True)
    lesson_learned = serializers.CharField(required=False, allow_blank=True)


class CaseCreateSerializer(CaseFieldsSerializer):
    review = serializers.IntegerField(required=False, help_text="Open the case of this submitted review.")
    complaint = serializers.IntegerField(required=False, help_text="Open the case of this complaint.")
    team = ReadableTeamField(required=False, help_text="Open a case from scratch in this team.")

    def validate(self, data):
        sources = [name for name in ("review", "complaint", "team") if data.get(name) is not None]
        if len(sources) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Name exactly one of review, complaint or team to open the case from."]}
            )
        if "review" in sources and "conversation" in data:
            raise serializers.ValidationError({"conversation": ["A case from a review keeps the reviewed chat."]})
        return data


class CaseActionSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=200)
    why = serializers.CharField(required=False, allow_blank=True, default="", help_text="Empty: the root cause.")
    assignees = ReadableMemberField(many=True, help_text="Who: active members of the case's team.")
    due_at = serializers.DateTimeField(help_text="When.")
    where = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    how = serializers.CharField(required=False, allow_blank=True, default="")
    how_much = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None, min_value=Decimal(0)
    )
    how_much_unit = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class TrainingNotConnected(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "training_not_connected"


TrainingResultSerializer = inline_serializer(
    name="CaseTrainingResult",
    fields={
        "case": CaseSerializer(),
        "training_material": inline_serializer(
            name="TrainingMaterialLink",
            fields={"title": serializers.CharField(), "url": serializers.CharField()},
            many=True,
        ),
    },
)


@extend_schema(tags=["qa"])
@extend_schema_view(
    list=extend_schema(
        summary="Cases of the teams you supervise, or your own as the responsible agent (no meeting notes)"
    ),
    retrieve=extend_schema(summary="One case in the 三现 form"),
    create=extend_schema(
        summary="Open a case from a review, a complaint, or from scratch in a team (supervisors and QA)",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
    ),
    partial_update=extend_schema(
        summary="Write the 现物 / 现实 fields of an open case",
        request=CaseFieldsSerializer,
        responses={200: CaseSerializer},
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated]  # cases.case_list and the services decide the rest
    filterset_fields = ["status", "team", "responsible"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return cases.case_list(user=self.request.user)

    def _case_to_work_on(self) -> Case:
        """A case the caller sees (else 404) and works on (else 403), checked before the input is."""
        case = self.get_object()
        if not cases.can_work_on_case(self.request.user, case):
            raise exceptions.PermissionDenied("Only the team's supervisors and QA inspectors work on its cases.")
        return case

    def _answer(self, case: Case, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data, status=status_code)

    def create(self, request):
        payload = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        review_id, complaint_id, team = (
            fields.pop("review", None),
            fields.pop("complaint", None),
            fields.pop("team", None),
        )
        if review_id is not None:
            review = get_object_or_404(selectors.review_list(user=request.user), pk=review_id)
            case = cases.case_open_from_review(review=review, actor=request.user, **fields)
        elif complaint_id is not None:
            complaint = get_object_or_404(complaint_list(request.user), pk=complaint_id)
            case = cases.case_open_from_complaint(complaint=complaint, actor=request.user, **fields)
        else:
            case = cases.case_open(team=team, actor=request.user, **fields)
        return self._answer(case, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        case = self._case_to_work_on()
        payload = CaseFieldsSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return self._answer(cases.case_update(case=case, actor=request.user, **payload.validated_data))

    @extend_schema(
        summary="Give the case its one 5W2H action: a task for team members (why defaults to the root cause)",
        request=CaseActionSerializer,
        responses={200: CaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="action", url_name="action")
    def give_action(self, request, pk=None):
        case = self._case_to_work_on()
        payload = CaseActionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return self._answer(cases.case_action_create(case=case, actor=request.user, **payload.validated_data))

    @extend_schema(summary="Close the case (needs a root cause and a lesson learned)", request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(cases.case_close(case=self._case_to_work_on(), actor=request.user))

    @extend_schema(
        summary="Turn the case's lesson into training material (409 while no training app is connected)",
        request=None,
        responses={200: TrainingResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def training(self, request, pk=None):
        case = self._case_to_work_on()
        try:
            results = cases.case_turn_into_training(case=case, actor=request.user)
        except cases.NoTrainingReceiver as error:
            raise TrainingNotConnected(str(error)) from error
        links = [
            {"title": title, "url": request.build_absolute_uri(url)}
            for title, url in cases.training_material_links(results)
        ]
        case_data = self.get_serializer(self.get_queryset().get(pk=case.pk)).data
        return Response({"case": case_data, "training_material": links})
