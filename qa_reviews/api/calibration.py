"""Calibration sessions through the API: create, score blind, close, and the results once closed."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations.selectors import conversation_list
from qa_reviews import calibration, selectors
from qa_reviews.api.serializers import CriterionScoreSerializer
from qa_reviews.api.views import _int_keys
from qa_reviews.models import CalibrationSession, CalibrationStatus, Review
from teams import policy
from teams.api.scoping import ReadableTeamField


class CalibrationScoreSerializer(serializers.ModelSerializer):
    """One reviewer's own blind score."""

    scores = CriterionScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "conversation", "reviewer", "status", "total", "auto_failed", "comment", "scores"]
        read_only_fields = fields


class CalibrationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalibrationSession
        fields = [
            "id",
            "team",
            "name",
            "scorecard",
            "status",
            "conversations",
            "reviewers",
            "created_by",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class CalibrationSessionDetailSerializer(CalibrationSessionSerializer):
    my_scores = serializers.SerializerMethodField(
        help_text="Your own scores; others' appear in the results once closed."
    )

    class Meta(CalibrationSessionSerializer.Meta):
        fields = [*CalibrationSessionSerializer.Meta.fields, "my_scores"]
        read_only_fields = fields

    @extend_schema_field(CalibrationScoreSerializer(many=True))
    def get_my_scores(self, session):
        own = calibration.calibration_own_scores(session=session, reviewer=self.context["request"].user)
        return CalibrationScoreSerializer(own, many=True).data


class CalibrationInputSerializer(serializers.Serializer):
    team = ReadableTeamField()
    name = serializers.CharField(max_length=120)
    scorecard = serializers.IntegerField()
    conversations = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    reviewers = serializers.ListField(child=serializers.IntegerField(), min_length=2)


class CalibrationScoreInputSerializer(serializers.Serializer):
    conversation = serializers.IntegerField()
    points = serializers.DictField(
        child=serializers.IntegerField(allow_null=True, min_value=0),
        help_text="criterion id -> points, null for not applicable.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False)


class CalibrationProgressSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(source="reviewer.pk")
    username = serializers.CharField(source="reviewer.username")
    submitted = serializers.IntegerField()
    drafts = serializers.IntegerField()
    expected = serializers.IntegerField()


class CalibrationReviewerPointsSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(source="reviewer_id")
    scored = serializers.BooleanField()
    points = serializers.IntegerField(allow_null=True, help_text="null: not applicable or not scored")


class CalibrationCriterionSpreadSerializer(serializers.Serializer):
    conversation = serializers.IntegerField(source="conversation.pk")
    points = CalibrationReviewerPointsSerializer(source="cells", many=True)
    mean = serializers.FloatField(allow_null=True)
    min = serializers.IntegerField(source="minimum", allow_null=True)
    max = serializers.IntegerField(source="maximum", allow_null=True)
    std_dev = serializers.FloatField(allow_null=True, help_text="population standard deviation of the points")


class CalibrationCriterionResultSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.pk")
    title = serializers.CharField(source="criterion.title")
    max_points = serializers.IntegerField(source="criterion.max_points")
    alpha = serializers.FloatField(allow_null=True)
    alpha_undefined = serializers.CharField(source="alpha_undefined_text")
    mean_std_dev = serializers.FloatField(allow_null=True)
    conversations = CalibrationCriterionSpreadSerializer(many=True)


class CalibrationConversationTotalsSerializer(serializers.Serializer):
    conversation = serializers.IntegerField(source="conversation.pk")
    totals = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
        help_text="in the order of `reviewers`; null: not scored",
    )
    mean = serializers.FloatField(allow_null=True)


class CalibrationReviewerDeviationSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(source="reviewer.pk")
    username = serializers.CharField(source="reviewer.username")
    conversations_scored = serializers.IntegerField()
    conversations_compared = serializers.IntegerField()
    deviation = serializers.FloatField(allow_null=True, help_text="mean of own total minus the group's mean total")
    leaning = serializers.CharField(help_text="strict, lenient, in_line, or empty with nothing to compare")


class CalibrationResultsSerializer(serializers.Serializer):
    reviewers = serializers.SerializerMethodField()
    alpha = serializers.FloatField(allow_null=True, help_text="Krippendorff's alpha, interval, over all criteria")
    alpha_reading = serializers.CharField(help_text="good (>= 0.800), tentative (>= 0.667), poor, or empty")
    alpha_reading_text = serializers.CharField()
    alpha_undefined = serializers.CharField(source="alpha_undefined_text", help_text="why alpha is null")
    deviation_threshold = serializers.FloatField()
    criteria = CalibrationCriterionResultSerializer(many=True)
    totals = CalibrationConversationTotalsSerializer(many=True)
    deviations = CalibrationReviewerDeviationSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_reviewers(self, results) -> list[int]:
        return [reviewer.pk for reviewer in results.reviewers]


class CalibrationResultsResponseSerializer(serializers.Serializer):
    status = serializers.CharField()
    progress = CalibrationProgressSerializer(many=True)
    results = CalibrationResultsSerializer(allow_null=True, help_text="null while the session is open (blind)")


@extend_schema(tags=["qa"])
@extend_schema_view(
    list=extend_schema(summary="Calibration sessions of the teams you supervise"),
    retrieve=extend_schema(summary="A calibration session, with only your own scores"),
    create=extend_schema(
        summary="Open a calibration session (supervisors and QA inspectors)",
        request=CalibrationInputSerializer,
        responses={201: CalibrationSessionSerializer},
    ),
)
class CalibrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]  # the team scope and the services decide
    filterset_fields = ["team", "status"]

    def get_queryset(self):
        return calibration.calibration_list(user=self.request.user)

    def get_serializer_class(self):
        return CalibrationSessionDetailSerializer if self.action == "retrieve" else CalibrationSessionSerializer

    def create(self, request):
        payload = CalibrationInputSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not policy.can_supervise_team(request.user, data["team"].pk):
            raise exceptions.PermissionDenied(
                _("Only the team's supervisors and QA inspectors run calibration sessions.")
            )
        scorecard = selectors.scorecard_list(user=request.user).filter(pk=data["scorecard"]).first()
        if scorecard is None:
            raise exceptions.ValidationError({"scorecard": [_("Unknown scorecard.")]})
        conversations = list(conversation_list(user=request.user).filter(pk__in=data["conversations"]))
        missing = sorted(set(data["conversations"]) - {conversation.pk for conversation in conversations})
        if missing:
            raise exceptions.ValidationError(
                {"conversations": [_("Unknown conversations: %(ids)s.") % {"ids": missing}]}
            )
        readable = policy.team_access(request.user).readable
        reviewers = list(policy.users_in_teams(readable).filter(pk__in=data["reviewers"]))
        missing = sorted(set(data["reviewers"]) - {reviewer.pk for reviewer in reviewers})
        if missing:
            raise exceptions.ValidationError({"reviewers": [_("Unknown people: %(ids)s.") % {"ids": missing}]})
        session = calibration.calibration_create(
            team=data["team"],
            actor=request.user,
            name=data["name"],
            scorecard=scorecard,
            conversations=conversations,
            reviewers=reviewers,
        )
        return Response(CalibrationSessionSerializer(session).data, status=201)

    @extend_schema(
        summary="Your blind score of one of the session's conversations (draft, or submitted with submit=true)",
        request=CalibrationScoreInputSerializer,
        responses={200: CalibrationScoreSerializer},
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        session = self.get_object()
        payload = CalibrationScoreInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        conversation = get_object_or_404(conversation_list(user=request.user), pk=data["conversation"])
        review = calibration.calibration_score(
            session=session,
            reviewer=request.user,
            conversation=conversation,
            points=_int_keys(data["points"], "points"),
            comment=data["comment"],
            submit=data["submit"],
        )
        review = calibration.calibration_own_scores(session=session, reviewer=request.user).get(pk=review.pk)
        return Response(CalibrationScoreSerializer(review).data)

    @extend_schema(
        summary="Close the session: scoring stops and the results appear (creator or team supervisor)",
        request=None,
        responses={200: CalibrationSessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = calibration.calibration_close(session=self.get_object(), actor=request.user)
        return Response(CalibrationSessionSerializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(
        summary="Progress while open (counts only, blind); spread, agreement and deviations once closed",
        responses={200: CalibrationResultsResponseSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        session = self.get_object()
        results = None
        if session.status == CalibrationStatus.CLOSED:
            results = calibration.calibration_results(session=session)
        body = {
            "status": session.status,
            "progress": calibration.calibration_progress(session=session),
            "results": results,
        }
        return Response(CalibrationResultsResponseSerializer(body).data)
