"""/api/v1/leaderboard/: a team's board for a week or a month, as the requester may see it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers

from recognition.leaderboard import METRIC_CHOICES, PERIOD_CHOICES, SCORE, WEEK, leaderboard_for, period_parse
from teams.models import Team


class LeaderboardQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(min_value=1, help_text="The team's id (a team you belong to or supervise).")
    period = serializers.ChoiceField(choices=PERIOD_CHOICES, default=WEEK)
    key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="2026-W47 for a week, 2026-11 for a month; empty: the current one in the team's time zone.",
    )
    metric = serializers.ChoiceField(
        choices=METRIC_CHOICES,
        default=SCORE,
        help_text="score: the composite score; or one KPI metric (response times rank lowest first).",
    )

    def validate(self, data):
        if data["key"]:
            try:
                period_parse(data["period"], data["key"])
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict) from error
        return data


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="Ties share a rank; null: no figure this period.")
    previous_rank = serializers.IntegerField(allow_null=True, help_text="Rank in the period before; null: unranked.")
    change = serializers.CharField(help_text="up, down, same or new (unranked before); empty when unranked now.")
    places = serializers.IntegerField(help_text="Places moved since the period before: positive up, negative down.")
    agent = serializers.IntegerField(source="agent_id")
    username = serializers.CharField()
    display_name = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="The metric's figure (or the 0-100 composite score).")
    period = serializers.CharField(help_text="The period's key, e.g. 2026-W47 or 2026-11.")
    previous_period = serializers.CharField()
    is_me = serializers.BooleanField(help_text="The requester's own row.")


@extend_schema(
    tags=["recognition"],
    summary="Leaderboard of a team for a week or month, with rank changes (agents: the top 5 and their own row)",
    parameters=[LeaderboardQuerySerializer],
)
class LeaderboardView(generics.ListAPIView):
    serializer_class = LeaderboardRowSerializer
    filter_backends = []

    def get_queryset(self):
        query = LeaderboardQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        try:
            board = leaderboard_for(
                user=self.request.user, team_id=q["team"], period=q["period"], key=q["key"], metric=q["metric"]
            )
        except Team.DoesNotExist as missing:
            raise exceptions.NotFound() from missing
        period, previous = board.period.key, board.period.previous.key
        for row in board.rows:
            row.period, row.previous_period, row.is_me = period, previous, row.agent_id == self.request.user.pk
        return board.rows
