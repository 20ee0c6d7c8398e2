"""/api/v1/kudos/ and /api/v1/good-cases/: thanking colleagues, and conversations shared as great service.

Who reads and writes what is decided in recognition.kudos and recognition.good_cases.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations.models import Conversation
from recognition import good_cases, kudos
from recognition.models import GoodCase, Kudos, KudosValue
from teams import policy
from teams.api.scoping import ReadableMemberField, ReadableTeamField

# --- kudos ---------------------------------------------------------------------------------------


def _validate_iso_week(text: str) -> None:
    try:
        kudos.parse_iso_week(text)
    except ValueError:
        raise DjangoValidationError("Write the week as 2026-W47.") from None


class KudosFilter(django_filters.FilterSet):
    """Plain ids: a foreign id filters to nothing instead of telling whether it exists."""

    team = django_filters.NumberFilter(field_name="team_id")
    receiver = django_filters.NumberFilter(field_name="receiver_id")
    giver = django_filters.NumberFilter(field_name="giver_id")
    week = django_filters.CharFilter(
        method="filter_week",
        validators=[_validate_iso_week],
        help_text="ISO week, e.g. 2026-W47: kudos sent in that week, in each team's local time.",
    )

    class Meta:
        model = Kudos
        fields = ["team", "receiver", "giver", "value", "week"]

    def filter_week(self, queryset, name, value):
        readable = policy.team_access(self.request.user).readable
        return kudos.kudos_in_week(queryset, week_start=kudos.parse_iso_week(value), team_ids=readable)


class KudosSerializer(serializers.ModelSerializer):
    giver_name = serializers.CharField(source="giver.__str__", read_only=True)
    receiver_name = serializers.CharField(source="receiver.__str__", read_only=True)
    value_label = serializers.CharField(source="get_value_display", read_only=True)

    class Meta:
        model = Kudos
        fields = [
            "id",
            "team",
            "giver",
            "giver_name",
            "receiver",
            "receiver_name",
            "value",
            "value_label",
            "message",
            "created_at",
        ]
        read_only_fields = fields


class KudosGiveSerializer(serializers.Serializer):
    receiver = ReadableMemberField(help_text="A colleague: an active member of a team you share.")
    value = serializers.ChoiceField(choices=KudosValue.choices)
    message = serializers.CharField(max_length=kudos.MESSAGE_MAX_LENGTH)
    team = ReadableTeamField(
        required=False, help_text="The shared team the kudos belongs to; by default the first you share."
    )


RateLimitedSerializer = inline_serializer(
    name="KudosRateLimited",
    fields={
        "receiver": serializers.ListField(child=serializers.CharField(), required=False),
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


@extend_schema(tags=["recognition"])
@extend_schema_view(
    list=extend_schema(summary="Kudos of the teams you read (kudos are public within their team)"),
    retrieve=extend_schema(summary="One kudos"),
    create=extend_schema(
        summary="Give a colleague kudos (one per colleague and five in all per local day)",
        request=KudosGiveSerializer,
        responses={
            201: KudosSerializer,
            429: OpenApiResponse(
                RateLimitedSerializer, description="Over a daily limit; the Retry-After header says when to retry."
            ),
        },
    ),
)
class KudosViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = KudosSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = KudosFilter
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return kudos.kudos_list(user=self.request.user)

    def create(self, request):
        payload = KudosGiveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        try:
            given = kudos.kudos_give(giver=request.user, **payload.validated_data)
        except kudos.KudosRateLimited as limited:
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in limited.message_dict.items()
            }
            return Response(
                detail, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(limited.retry_after)}
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=given.pk)).data, status=status.HTTP_201_CREATED)


# --- good cases ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class TeamConversationField(serializers.PrimaryKeyRelatedField):
    """A conversation of a team the requester reads; any other id "does not exist".

    Wider than what the requester may open, so an agent of the team is told "not allowed" (403), not "no such".
    """

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Conversation.objects.none()
        return Conversation.objects.filter(team_id__in=policy.team_access(request.user).readable)


class GoodCaseSerializer(serializers.ModelSerializer):
    agent = serializers.IntegerField(source="conversation.agent_id", read_only=True, allow_null=True)
    agent_name = serializers.SerializerMethodField()
    can_open_conversation = serializers.SerializerMethodField(
        help_text="Whether you may open the conversation (the team's supervisors and its agent)."
    )

    class Meta:
        model = GoodCase
        fields = [
            "id",
            "team",
            "conversation",
            "agent",
            "agent_name",
            "note",
            "marked_by",
            "article",
            "can_open_conversation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_agent_name(self, good_case) -> str | None:
        agent = good_case.conversation.agent
        return None if agent is None else str(agent)

    def get_can_open_conversation(self, good_case) -> bool:
        request = self.context.get("request")
        return request is not None and good_cases.can_open_conversation(request.user, good_case)


class GoodCaseMarkSerializer(serializers.Serializer):
    conversation = TeamConversationField()
    note = serializers.CharField(max_length=good_cases.NOTE_MAX_LENGTH, help_text="Why it is great service.")


class GoodCaseNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=good_cases.NOTE_MAX_LENGTH)


GoodCaseArticleSerializer = inline_serializer(
    name="GoodCaseArticle",
    fields={
        "good_case": GoodCaseSerializer(),
        "article": inline_serializer(
            name="GoodCaseArticleLink",
            fields={"id": serializers.IntegerField(), "title": serializers.CharField(), "url": serializers.CharField()},
        ),
        "created": serializers.BooleanField(help_text="False when the article had been written before."),
    },
)


@extend_schema(tags=["recognition"])
@extend_schema_view(
    list=extend_schema(summary="Good cases of the teams you read"),
    retrieve=extend_schema(summary="One good case"),
    create=extend_schema(
        summary="Mark a conversation as great service (the team's supervisors and QA inspectors)",
        request=GoodCaseMarkSerializer,
        responses={201: GoodCaseSerializer},
    ),
    partial_update=extend_schema(
        summary="Change the note of a good case", request=GoodCaseNoteSerializer, responses={200: GoodCaseSerializer}
    ),
    destroy=extend_schema(summary="Unmark: the conversation is no longer a good case"),
)
class GoodCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = GoodCaseSerializer
    permission_classes = [permissions.IsAuthenticated]  # recognition.good_cases decides the rest
    filterset_fields = ["team"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return good_cases.good_case_list(user=self.request.user)

    def _answer(self, good_case: GoodCase, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=good_case.pk)).data, status=status_code)

    def create(self, request):
        payload = GoodCaseMarkSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        good_case = good_cases.good_case_mark(actor=request.user, **payload.validated_data)
        return self._answer(good_case, status.HTTP_201_CREATED)

    def _good_case_to_change(self) -> GoodCase:
        """A good case the caller sees (else 404) and may change (else 403), checked before the input is."""
        good_case = self.get_object()
        if not good_cases.can_mark_good_case(self.request.user, good_case.team_id):
            raise exceptions.PermissionDenied("Only the team's supervisors and QA inspectors change good cases.")
        return good_case

    def partial_update(self, request, pk=None):
        good_case = self._good_case_to_change()
        payload = GoodCaseNoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._answer(
            good_cases.good_case_update(good_case=good_case, actor=request.user, **payload.validated_data)
        )

    def destroy(self, request, pk=None):
        good_cases.good_case_unmark(good_case=self._good_case_to_change(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Turn the good case into a draft knowledge-base article (again: the same article)",
        request=None,
        responses={200: GoodCaseArticleSerializer, 201: GoodCaseArticleSerializer},
    )
    @action(detail=True, methods=["post"])
    def article(self, request, pk=None):
        good_case = self._good_case_to_change()
        article, created = good_cases.good_case_article_create(good_case=good_case, actor=request.user)
        data = {
            "good_case": self.get_serializer(self.get_queryset().get(pk=good_case.pk)).data,
            "article": {
                "id": article.pk,
                "title": article.title,
                "url": request.build_absolute_uri(article.get_absolute_url()),
            },
            "created": created,
        }
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
