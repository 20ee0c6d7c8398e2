"""/api/v1/complaints/: team-scoped complaints with their first-response SLA, status moves and follow-up."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations.models import Conversation
from qa_reviews import complaints
from qa_reviews.models import Complaint, ComplaintCategory, ComplaintPriority, ComplaintStatus, ComplaintStatusChange
from teams import policy
from teams.api.scoping import ReadableMemberField, ReadableTeamField


@extend_schema_field(OpenApiTypes.INT)
class ReadableConversationField(serializers.PrimaryKeyRelatedField):
    """A conversation of a team the requester reads; any other id "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Conversation.objects.none()
        return Conversation.objects.filter(team_id__in=policy.team_access(request.user).readable)


class ComplaintStatusChangeSerializer(serializers.ModelSerializer):
    from_status = serializers.ChoiceField(
        choices=ComplaintStatus.choices, allow_blank=True, read_only=True, help_text="Empty for the first entry."
    )

    class Meta:
        model = ComplaintStatusChange
        fields = ["from_status", "to_status", "changed_by", "note", "changed_at"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    sla_breached = serializers.SerializerMethodField(help_text="The first response came (or is) later than promised.")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "team",
            "conversation",
            "summary",
            "details",
            "category",
            "priority",
            "channel",
            "customer",
            "owner",
            "status",
            "received_at",
            "sla_minutes",
            "first_response_due_at",
            "first_responded_at",
            "sla_breached",
            "sla_breached_at",
            "resolved_at",
            "closed_at",
            "follow_up_satisfaction",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sla_breached(self, complaint: Complaint) -> bool:
        return complaint.sla_breached_at is not None


class ComplaintDetailSerializer(ComplaintSerializer):
    history = ComplaintStatusChangeSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "history"]
        read_only_fields = fields


class ComplaintCreateSerializer(serializers.Serializer):
    team = ReadableTeamField()
    summary = serializers.CharField(max_length=200)
    details = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    priority = serializers.ChoiceField(choices=ComplaintPriority.choices, default=ComplaintPriority.NORMAL)
    channel = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    customer = serializers.CharField(max_length=120)
    owner = ReadableMemberField(
        required=False, allow_null=True, default=None, help_text="Who answers it; empty: the person recording it."
    )
    conversation = ReadableConversationField(required=False, allow_null=True, default=None)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Default: now.")


class ComplaintUpdateSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=200, required=False)
    details = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices, required=False)
    priority = serializers.ChoiceField(choices=ComplaintPriority.choices, required=False)
    channel = serializers.CharField(max_length=60, required=False, allow_blank=True)
    customer = serializers.CharField(max_length=120, required=False)
    owner = ReadableMemberField(required=False, help_text="Hand the complaint over (supervisors and QA inspectors).")
    conversation = ReadableConversationField(required=False, allow_null=True)


class ComplaintTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintFollowUpSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)


class ComplaintPolicySerializer(serializers.Serializer):
    team = ReadableTeamField()
    first_response_minutes = serializers.IntegerField()
    source = serializers.CharField(
        read_only=True,
        help_text="Where the minutes come from: team (its own policy), department (its parent's) or default.",
    )


@extend_schema(tags=["complaints"])
@extend_schema_view(
    list=extend_schema(
        summary="Complaints: every one of the teams you supervise; an agent's own (owned or recorded)",
        parameters=[OpenApiParameter("search", str, description="Matches the summary or the customer.")],
    ),
    retrieve=extend_schema(summary="One complaint with its status history", responses=ComplaintDetailSerializer),
)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ComplaintSerializer
    permission_classes = [permissions.IsAuthenticated]  # reads are scoped by the selector, writes by the services
    filterset_class = complaints.ComplaintFilter
    search_fields = ["summary", "customer"]
    ordering_fields = ["received_at", "first_response_due_at", "priority", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = complaints.complaint_list(self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related("history")
        return queryset

    def get_serializer_class(self):
        return ComplaintSerializer if self.action == "list" else ComplaintDetailSerializer

    def _detail(self, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
        fresh = get_object_or_404(self.get_queryset(), pk=complaint.pk)
        return Response(ComplaintDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        summary="Record a complaint (members and supervisors of the team); its SLA comes from the team's policy",
        request=ComplaintCreateSerializer,
        responses={201: ComplaintDetailSerializer},
    )
    def create(self, request):
        payload = ComplaintCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        complaint = complaints.complaint_create(actor=request.user, **payload.validated_data)
        return self._detail(complaint, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the description; supervisors and QA inspectors may hand it to another owner",
        request=ComplaintUpdateSerializer,
        responses={200: ComplaintDetailSerializer},
    )
    def partial_update(self, request, pk=None):
        complaint = self.get_object()
        payload = ComplaintUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        complaint = complaints.complaint_update(complaint=complaint, actor=request.user, data=payload.validated_data)
        return self._detail(complaint)

    @extend_schema(
        summary="Move the complaint on: new → responding → resolved → closed (resolved → responding reopens)",
        request=ComplaintTransitionSerializer,
        responses={200: ComplaintDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        complaint = self.get_object()
        payload = ComplaintTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        complaint = complaints.complaint_transition(
            complaint=complaint,
            actor=request.user,
            to_status=payload.validated_data["status"],
            note=payload.validated_data["note"],
        )
        return self._detail(complaint)

    @extend_schema(
        summary="Record the customer's follow-up satisfaction (1-5) once resolved",
        request=ComplaintFollowUpSerializer,
        responses={200: ComplaintDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-up", url_name="follow-up")
    def follow_up(self, request, pk=None):
        complaint = self.get_object()
        payload = ComplaintFollowUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        complaint = complaints.complaint_follow_up(
            complaint=complaint, actor=request.user, satisfaction=payload.validated_data["satisfaction"]
        )
        return self._detail(complaint)

    @extend_schema(
        methods=["GET"],
        summary="A team's first-response SLA for new complaints",
        parameters=[OpenApiParameter("team", int, required=True)],
        responses={200: ComplaintPolicySerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary="Set a team's first-response SLA (supervisors and managers); recorded complaints keep theirs",
        request=ComplaintPolicySerializer,
        responses={200: ComplaintPolicySerializer},
    )
    @action(detail=False, methods=["get", "post"], url_path="policy", url_name="policy", filterset_class=None)
    def sla_policy(self, request):
        context = self.get_serializer_context()
        if request.method == "POST":
            payload = ComplaintPolicySerializer(data=request.data, context=context)
            payload.is_valid(raise_exception=True)
            team = payload.validated_data["team"]
            complaints.complaint_policy_set(
                team=team, actor=request.user, minutes=payload.validated_data["first_response_minutes"]
            )
        else:
            query = ComplaintPolicySerializer(
                data={**request.query_params.dict(), "first_response_minutes": 0}, context=context
            )
            query.is_valid(raise_exception=True)
            team = query.validated_data["team"]
        minutes, source = complaints.complaint_sla(team)
        return Response({"team": team.pk, "first_response_minutes": minutes, "source": source})
