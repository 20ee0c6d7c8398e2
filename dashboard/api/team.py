"""/api/v1/dashboard/team/: the supervisor's team dashboard as JSON, the same numbers as the page."""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from dashboard.team import CACHE_SECONDS, DEFAULT_METRIC, PERIOD_CHOICES, dashboard_team, team_dashboard_cached
from dashboard.team.periods import WEEK
from kpi.definitions import METRICS
from recognition.leaderboard import team_today
from teams.models import Team


class TeamDashboardQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(
        min_value=1, required=False, help_text="A team you supervise; default: the first of them."
    )
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; default: today in the team's time zone.")
    metric = serializers.ChoiceField(
        choices=[(name, definition.label) for name, definition in METRICS.items()],
        default=DEFAULT_METRIC,
        help_text="The metric of the 30-day line.",
    )
    period = serializers.ChoiceField(
        choices=PERIOD_CHOICES,
        default=WEEK,
        help_text="The span of the agents table and the QA scores: the day, or its week or month up to the day.",
    )
    sort = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Order of the agents: name, plan_status, a metric or <metric>_attainment; '-' first: descending.",
    )


# The response, for the schema: the view returns the selector's plain data as it is (it is JSON already).
def _nullable_float(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


class FigureSerializer(serializers.Serializer):
    actual = _nullable_float()
    target = _nullable_float(help_text="Null when no target is set for the span.")
    target_days = serializers.IntegerField(help_text="Days of the span with a target.")
    actual_targeted = _nullable_float(help_text="The figure over the days with a target, which `percent` compares.")
    percent = _nullable_float(help_text="Attainment: 100 = on target; above 100 beats it (also for response times).")
    previous = _nullable_float(help_text="The same span a week earlier.")
    change_percent = _nullable_float(help_text="Change against `previous`, in percent of it.")
    trend = serializers.CharField(allow_null=True, help_text="better, worse or same against a week earlier.")


class GlanceSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField(help_text="up: higher is better; down: lower is better.")
    has_target = serializers.BooleanField()
    today = FigureSerializer(help_text="The chosen day.")
    week = FigureSerializer(help_text="Its week (Monday first) up to the day.")


class TrendPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    actual = _nullable_float(help_text="Null: no computed metrics that day.")
    target = _nullable_float()


class TrendSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    points = TrendPointSerializer(many=True, help_text="The 30 days up to the chosen day.")


class AttainmentSerializer(serializers.Serializer):
    actual = _nullable_float()
    target = _nullable_float(help_text="Summed over the agent's days with a target (levels: their mean).")
    target_days = serializers.IntegerField()
    actual_targeted = _nullable_float(help_text="The figure over the agent's days with a target.")
    percent = _nullable_float()


class AgentRowSerializer(serializers.Serializer):
    agent_id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    member = serializers.BooleanField(help_text="An agent of the team (false: helped it in the span).")
    scheduled = serializers.BooleanField(help_text="Has a shift with the team on the chosen day.")
    plan_status = serializers.CharField(
        allow_null=True, help_text="The day's plan: draft, submitted, reviewed, missing (scheduled, none) or off."
    )
    days = serializers.IntegerField(help_text="Days with computed metrics in the span.")
    metrics = serializers.DictField(child=_nullable_float(), help_text="The span's figure of each column metric.")
    attainment = serializers.DictField(child=AttainmentSerializer(), help_text="Per targeted metric.")


class AgentTableSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    targeted = serializers.ListField(child=serializers.CharField(), help_text="Metrics with agent targets.")
    rows = AgentRowSerializer(many=True)


class WaitingPlanSerializer(serializers.Serializer):
    agent_id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()


class PlansSerializer(serializers.Serializer):
    date = serializers.DateField()
    agents = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text="Submitted or already reviewed.")
    counts = serializers.DictField(child=serializers.IntegerField())
    waiting = WaitingPlanSerializer(many=True, help_text="Scheduled agents whose plan is not submitted.")


class BusyCellSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="1 = Monday.")
    hour = serializers.IntegerField()
    conversations = serializers.IntegerField()


class BusyHourSerializer(serializers.Serializer):
    hour = serializers.IntegerField()
    conversations = serializers.IntegerField()


class HeatmapSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    weeks = serializers.IntegerField()
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Conversations started: 7 rows (Monday first) of 24 local hours.",
    )
    max = serializers.IntegerField()
    busiest = BusyCellSerializer(many=True)
    busiest_hours = BusyHourSerializer(many=True)


class BucketSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    high = serializers.IntegerField(allow_null=True, help_text="Exclusive; null: up to 100.")
    count = serializers.IntegerField()


class DisputeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agent_id = serializers.IntegerField()
    agent = serializers.CharField()
    reviewer = serializers.CharField()
    total = _nullable_float()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class QaSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    reviews = serializers.IntegerField(help_text="Reviews submitted in the span.")
    average = _nullable_float()
    buckets = BucketSerializer(many=True)
    open_disputes = serializers.IntegerField()
    disputes = DisputeSerializer(many=True, help_text="The oldest open disputes.")


class ComplaintItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    summary = serializers.CharField()
    priority = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(allow_blank=True)
    received_at = serializers.DateTimeField()
    first_response_due_at = serializers.DateTimeField()
    first_responded_at = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(
        allow_null=True,
        help_text="Until the first answer is due when this answer was made (negative: late); null once answered. "
        "Count down from first_response_due_at for a live clock.",
    )
    breached = serializers.BooleanField()


class ComplaintsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    awaiting = serializers.IntegerField(help_text="Not answered yet.")
    breached = serializers.IntegerField(help_text="Open and past (or answered after) their first-response SLA.")
    items = ComplaintItemSerializer(many=True)


class BoardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    agent_id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()
    change = serializers.CharField(help_text="up, down, same or new against the week before.")
    places = serializers.IntegerField()


class WeekBoardSerializer(serializers.Serializer):
    period = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = BoardRowSerializer(many=True)


class LastAwardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    winner_id = serializers.IntegerField(allow_null=True)
    winner = serializers.CharField(allow_blank=True)
    score = _nullable_float()


class DashboardTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    timezone = serializers.CharField()


class DashboardPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class TeamDashboardSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(help_text="When these figures were read; they are reused for half a minute.")
    team = DashboardTeamSerializer()
    date = serializers.DateField()
    metric = serializers.CharField()
    period = DashboardPeriodSerializer()
    week_start = serializers.DateField()
    glance = GlanceSerializer(many=True)
    trend = TrendSerializer()
    agents = AgentTableSerializer()
    plans = PlansSerializer()
    heatmap = HeatmapSerializer()
    qa = QaSerializer()
    complaints = ComplaintsSerializer()
    leaderboard = WeekBoardSerializer()
    award = LastAwardSerializer(allow_null=True, help_text="Last week's best agent; null while not granted.")


QUERY_PARAMETERS = ("team", "date", "metric", "period", "sort")  # TeamDashboardQuerySerializer's fields


def _answer_key(user, params) -> str:
    """One caller's answer to one query string, as asked (only answers to valid queries are kept, so a repeated
    query needs no validation). The time the account was made keeps a recreated user (same id, in tests) from
    being handed another one's answer."""
    asked = hashlib.sha256(repr([params.get(name, "") for name in QUERY_PARAMETERS]).encode()).hexdigest()
    language = translation.get_language() or ""
    return f"dashboard-team-answer:{user.pk}:{user.date_joined.timestamp():.6f}:{asked}:{language}"


class TeamDashboardView(APIView):
    """Each caller's answer is kept for CACHE_SECONDS, like a browser's private cache (the response says so):
    a repeated request runs no query (the process remembers the token) and hands back only what this caller
    was just given. A new
    answer checks the caller's access again and reads the team's figures, which everyone shares for as long."""

    @extend_schema(
        tags=["dashboard"],
        summary="A team's dashboard: KPIs against targets, 30-day line, busiest hours, agents, QA, plans, "
        "complaints, leaderboard (supervisors, QA inspectors and managers of the team)",
        parameters=[TeamDashboardQuerySerializer],
        responses={200: TeamDashboardSerializer},
    )
    def get(self, request):
        key = _answer_key(request.user, request.query_params)
        body = cache.get(key) if CACHE_SECONDS else None
        if body is None:
            query = TeamDashboardQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            q = query.validated_data
            try:
                team = dashboard_team(request.user, q.get("team"))
            except Team.DoesNotExist as missing:
                raise exceptions.NotFound() from missing
            data = team_dashboard_cached(
                team=team, day=q.get("date") or team_today(team), metric=q["metric"], period=q["period"], sort=q["sort"]
            )
            body = JSONRenderer().render(data)
            if CACHE_SECONDS:
                cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type="application/json")
        patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
        return response
