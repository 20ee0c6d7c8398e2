from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations.selectors import conversation_list
from qa_reviews import selectors, services
from qa_reviews.api import serializers as s


def _int_keys(mapping: dict, field: str) -> dict:
    try:
        return {int(key): value for key, value in mapping.items()}
    except ValueError as error:
        raise exceptions.ValidationError({field: ["Keys must be ids."]}) from error


@extend_schema(tags=["qa"])
@extend_schema_view(
    list=extend_schema(summary="Scorecards of the teams you read (current and earlier versions)"),
    create=extend_schema(summary="Build a scorecard (supervisors and QA inspectors)"),
    partial_update=extend_schema(summary="Change the criteria: a scorecard already used gets a new version"),
)
class ScorecardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ScorecardSerializer
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may write
    filterset_fields = ["team", "is_current"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.scorecard_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.scorecard_create(
            team=data["team"], actor=self.request.user, name=data["name"], criteria=data["criteria"]
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        if "criteria" not in data:
            raise exceptions.ValidationError({"criteria": ["Send the full list of criteria."]})
        serializer.instance = services.scorecard_revise(
            scorecard=serializer.instance, actor=self.request.user, name=data.get("name"), criteria=data["criteria"]
        )


@extend_schema(tags=["qa"])
@extend_schema_view(
    list=extend_schema(summary="Reviews: the teams' you supervise, or your own once submitted (no reviewer notes)"),
    create=extend_schema(
        summary="Score a conversation (draft, or submitted with submit=true)", request=s.ReviewInputSerializer
    ),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ReviewSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["team", "agent", "status", "reviewer"]

    def get_queryset(self):
        return selectors.review_list(user=self.request.user)

    def create(self, request):
        payload = s.ReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        conversation = get_object_or_404(conversation_list(user=request.user), pk=data["conversation"])
        scorecard = get_object_or_404(selectors.scorecard_list(user=request.user), pk=data["scorecard"])
        review = services.review_save(
            conversation=conversation,
            reviewer=request.user,
            scorecard=scorecard,
            points=_int_keys(data["points"], "points"),
            comment=data["comment"],
            reviewer_notes=data["reviewer_notes"],
            message_comments=_int_keys(data["message_comments"], "message_comments"),
            submit=data["submit"],
        )
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="The agent acknowledges the review", request=None, responses={200: s.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return Response(
            self.get_serializer(services.review_acknowledge(review=self.get_object(), agent=request.user)).data
        )

    @extend_schema(
        summary="The agent disputes the review, with a reason",
        request=s.DisputeSerializer,
        responses={200: s.ReviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        payload = s.DisputeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review = services.review_dispute(
            review=self.get_object(), agent=request.user, reason=payload.validated_data["reason"]
        )
        return Response(self.get_serializer(review).data)

    @extend_schema(
        summary="A supervisor upholds (no points) or changes (points) a disputed review",
        request=s.ResolveSerializer,
        responses={200: s.ReviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        payload = s.ResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        points = payload.validated_data.get("points")
        review = services.dispute_resolve(
            review=self.get_object(),
            supervisor=request.user,
            resolution=payload.validated_data["resolution"],
            points=_int_keys(points, "points") if points is not None else None,
        )
        return Response(self.get_serializer(review).data)
