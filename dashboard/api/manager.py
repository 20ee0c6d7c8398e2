"""/api/v1/dashboard/manager/ and /api/v1/dashboard/staffing/: the manager's overview and the staffing advice.

For those who manage teams (managers: their department's teams; supervisors: their own);
everyone else gets 404, as for a team they cannot see.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import staffing as advice
from dashboard.manager import MAX_PERIOD_DAYS, manager_overview, overview_row, overview_teams, short_hours_text


class ManagerOverviewQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="Default: the first day of date_to's month.")
    date_to = serializers.DateField(required=False, help_text="Default: today.")

    def validate(self, data):
        data["date_to"] = data.get("date_to") or timezone.localdate()
        data["date_from"] = data.get("date_from") or data["date_to"].replace(day=1)
        if data["date_to"] < data["date_from"]:
            raise serializers.ValidationError({"date_to": _("The end is before the start.")})
        if (data["date_to"] - data["date_from"]).days >= MAX_PERIOD_DAYS:
            raise serializers.ValidationError({"date_from": _("Choose a period of at most a year.")})
        return data


class ManagerAttainmentSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()
    target = serializers.FloatField(help_text="Amounts: the period's sum; levels: the mean daily target.")
    actual = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(
        allow_null=True, help_text="100 is on target (response times: beating it is more)."
    )


class ManagerStaffingGapsSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Today in the team's time zone.")
    aht_seconds = serializers.FloatField(allow_null=True, help_text="Average handling time; null without history.")
    weeks_with_data = serializers.IntegerField()
    short_hours = serializers.ListField(
        child=serializers.IntegerField(), help_text="Local hours with fewer agents scheduled than needed."
    )
    short_hour_ranges = serializers.CharField()
    needed_agent_hours = serializers.IntegerField(allow_null=True)
    scheduled_agent_hours = serializers.FloatField()


class ManagerTeamRowSerializer(serializers.Serializer):
    team_id = serializers.IntegerField(allow_null=True, help_text="Null on the total row.")
    team = serializers.CharField()
    department = serializers.CharField()
    conversations = serializers.IntegerField()
    first_response_seconds = serializers.FloatField(allow_null=True)
    resolution_percent = serializers.FloatField(allow_null=True)
    csat_avg = serializers.FloatField(allow_null=True)
    conversion_percent = serializers.FloatField(allow_null=True)
    sales_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    qa_score_avg = serializers.FloatField(allow_null=True)
    qa_reviews = serializers.IntegerField()
    attainment = ManagerAttainmentSerializer(many=True)
    staffing = ManagerStaffingGapsSerializer(allow_null=True, help_text="Today's gaps; null on the total row.")
    dashboard_url = serializers.CharField(allow_blank=True, help_text="The team's dashboard page.")


class ManagerOverviewSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    targeted_metrics = serializers.ListField(child=serializers.CharField(), help_text="Metrics with targets.")
    teams = ManagerTeamRowSerializer(many=True)
    total = ManagerTeamRowSerializer(allow_null=True, help_text="All the teams together.")


def _given(request) -> dict:
    """The query's parameters that have a value: an empty field of the page's form means "the default"."""
    return {key: value for key, value in request.query_params.items() if value != ""}


def _row(entry, targeted: list[str]) -> dict:
    row = overview_row(entry, targeted)
    row["attainment"] = [
        {
            "metric": metric,
            "label": line.label,
            "target": float(line.target),
            "actual": None if line.actual is None else round(float(line.actual), 2),
            "percent": row[f"attainment_{metric}"],
        }
        for metric, line in entry.attainment.items()
    ]
    staffing = entry.staffing
    row["staffing"] = (
        None
        if staffing is None
        else {
            "date": staffing.date,
            "aht_seconds": None if staffing.aht_seconds is None else round(staffing.aht_seconds, 1),
            "weeks_with_data": staffing.weeks_with_data,
            "short_hours": [hour.hour for hour in staffing.short_hours],
            "short_hour_ranges": short_hours_text(staffing),
            "needed_agent_hours": staffing.needed_agent_hours,
            "scheduled_agent_hours": staffing.scheduled_agent_hours,
        }
    )
    row["dashboard_url"] = entry.dashboard_url if entry.team else ""
    return row


@extend_schema(
    tags=["dashboard"],
    summary="Every team you manage side by side: KPIs, attainment, QA average and today's staffing gaps",
    parameters=[ManagerOverviewQuerySerializer],
    responses=ManagerOverviewSerializer,
)
class ManagerOverviewView(APIView):
    def get(self, request):
        teams = list(overview_teams(request.user))
        if not teams:
            raise exceptions.NotFound()
        query = ManagerOverviewQuerySerializer(data=_given(request))
        query.is_valid(raise_exception=True)
        overview = manager_overview(teams=teams, **query.validated_data)
        targeted = overview.targeted_metrics
        payload = {
            "date_from": overview.date_from,
            "date_to": overview.date_to,
            "targeted_metrics": targeted,
            "teams": [_row(entry, targeted) for entry in overview.teams],
            "total": _row(overview.total, targeted) if overview.total else None,
        }
        return Response(ManagerOverviewSerializer(payload).data)


class StaffingQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, help_text="A team you manage; default: the first.")
    date = serializers.DateField(required=False, help_text="Default: today in the team's time zone.")
    service_level = serializers.IntegerField(
        min_value=1, max_value=99, default=advice.DEFAULT_SERVICE_LEVEL_PERCENT, help_text="Percent answered in time."
    )
    answer_seconds = serializers.IntegerField(
        min_value=1, max_value=3600, default=advice.DEFAULT_ANSWER_SECONDS, help_text="The target wait."
    )
    weeks = serializers.IntegerField(
        min_value=1, max_value=12, default=advice.DEFAULT_WEEKS, help_text="Same weekdays of history averaged."
    )
    chats_at_once = serializers.IntegerField(
        min_value=1, max_value=10, default=advice.DEFAULT_CHATS_AT_ONCE, help_text="Chats one agent handles at once."
    )
    max_occupancy = serializers.IntegerField(
        min_value=50, max_value=100, required=False, help_text="Percent of time agents may be busy at most."
    )


class StaffingHourSerializer(serializers.Serializer):
    hour = serializers.IntegerField(help_text="Local hour, 0-23.")
    expected_conversations = serializers.FloatField(help_text="Average started in this hour on this weekday.")
    needed = serializers.IntegerField(allow_null=True, help_text="Agents needed (Erlang C); null without history.")
    scheduled = serializers.FloatField(help_text="Agents on shift, by the part of the hour they cover.")
    gap = serializers.FloatField(allow_null=True, help_text="Scheduled minus needed: negative is short.")
    short = serializers.BooleanField()


class StaffingTargetsSerializer(serializers.Serializer):
    service_level = serializers.IntegerField(source="service_level_percent")
    answer_seconds = serializers.IntegerField()
    weeks = serializers.IntegerField()
    chats_at_once = serializers.IntegerField()
    max_occupancy = serializers.IntegerField(source="max_occupancy_percent", allow_null=True)


class StaffingAdviceSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.pk")
    team_name = serializers.CharField(source="team.name")
    date = serializers.DateField()
    targets = StaffingTargetsSerializer()
    sample_dates = serializers.ListField(child=serializers.DateField(), help_text="The weekdays averaged.")
    weeks_with_data = serializers.IntegerField()
    aht_seconds = serializers.FloatField(allow_null=True)
    handled_conversations = serializers.IntegerField(help_text="Closed conversations the handling time comes from.")
    needed_agent_hours = serializers.IntegerField(allow_null=True)
    scheduled_agent_hours = serializers.FloatField()
    short_hours = serializers.SerializerMethodField()
    hours = StaffingHourSerializer(many=True)

    def get_short_hours(self, staffing) -> list[int]:
        return [hour.hour for hour in staffing.short_hours]


@extend_schema(
    tags=["dashboard"],
    summary="Agents needed per hour (Erlang C on recent weeks' volume) beside the agents scheduled, for one day",
    parameters=[StaffingQuerySerializer],
    responses=StaffingAdviceSerializer,
)
class StaffingView(APIView):
    def get(self, request):
        teams = list(overview_teams(request.user))
        query = StaffingQuerySerializer(data=_given(request))
        query.is_valid(raise_exception=True)
        q = query.validated_data
        team = next((t for t in teams if t.pk == q["team"]), None) if "team" in q else (teams or [None])[0]
        if team is None:
            raise exceptions.NotFound()
        targets = advice.StaffingTargets(
            service_level_percent=q["service_level"],
            answer_seconds=q["answer_seconds"],
            weeks=q["weeks"],
            chats_at_once=q["chats_at_once"],
            max_occupancy_percent=q.get("max_occupancy"),
        )
        result = advice.staffing_advice(team=team, day=q.get("date") or advice.local_today(team), targets=targets)
        if result.aht_seconds is not None:
            result.aht_seconds = round(result.aht_seconds, 1)
        return Response(StaffingAdviceSerializer(result).data)
