from rest_framework import serializers

from qa_reviews.models import Criterion, CriterionScore, MessageComment, Review, ReviewChange, Scorecard
from teams import policy
from teams.api.scoping import ReadableTeamField


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "section", "title", "weight", "max_points", "allow_not_applicable", "auto_fail"]
        read_only_fields = ["id"]


class ScorecardSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = Scorecard
        fields = ["id", "team", "name", "family", "version", "is_current", "criteria"]
        read_only_fields = ["id", "family", "version", "is_current"]


class CriterionScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionScore
        fields = ["criterion", "points"]


class MessageCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageComment
        fields = ["message", "text"]


class ReviewChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewChange
        fields = ["status", "total", "note", "changed_by", "changed_at"]


class ReviewSerializer(serializers.ModelSerializer):
    scores = CriterionScoreSerializer(many=True, read_only=True)
    message_comments = MessageCommentSerializer(many=True, read_only=True)
    history = ReviewChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "conversation",
            "team",
            "agent",
            "reviewer",
            "scorecard",
            "status",
            "total",
            "auto_failed",
            "comment",
            "reviewer_notes",
            "scores",
            "message_comments",
            "submitted_at",
            "acknowledged_at",
            "dispute_reason",
            "resolution",
            "resolved_by",
            "resolved_at",
            "history",
        ]
        read_only_fields = fields

    def to_representation(self, review):
        data = super().to_representation(review)
        request = self.context.get("request")
        if request is None or not policy.can_supervise_team(request.user, review.team_id):
            data.pop("reviewer_notes")  # for reviewers and supervisors only, never the agent
        return data


class ReviewInputSerializer(serializers.Serializer):
    conversation = serializers.IntegerField()
    scorecard = serializers.IntegerField()
    points = serializers.DictField(
        child=serializers.IntegerField(allow_null=True, min_value=0),
        help_text="criterion id -> points, null for not applicable.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reviewer_notes = serializers.CharField(required=False, allow_blank=True, default="")
    message_comments = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    submit = serializers.BooleanField(default=False)


class DisputeSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    points = serializers.DictField(child=serializers.IntegerField(allow_null=True, min_value=0), required=False)
