from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kpi import selectors
from kpi.api import target_serializers as s
from kpi.definitions import ADDITIVE_DECIMALS, METRICS
from kpi.models import ScoreWeight
from kpi.targets import kpi_targets_cascade
from teams import policy
from teams.api.scoping import TeamScopedViewSet


@extend_schema(tags=["targets"])
class TargetCascadeView(APIView):
    @extend_schema(
        summary="Preview (apply=false) or apply a monthly target's cascade to shops, days and scheduled agents",
        request=s.CascadeRequestSerializer,
        responses={200: s.CascadeResultSerializer},
    )
    def post(self, request):
        payload = s.CascadeRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not policy.can_manage_team(request.user, data["team"].pk):
            raise exceptions.PermissionDenied(_("Only the team's supervisors and managers set its targets."))
        plan = kpi_targets_cascade(
            team=data["team"],
            metric=data["metric"],
            month=data["month"],
            value=data["value"],
            day_weights={w["date"]: (w["weight"], w["reason"]) for w in data["day_weights"]},
            weekday_weights=data["weekday_weights"],
            apply=data["apply"],
            created_by=request.user,
        )
        body = {
            "applied": data["apply"],
            "team": plan.team.pk,
            "metric": plan.metric,
            "month": f"{plan.month:%Y-%m}",
            "value": plan.value,
            "total_of_agent_days": sum((line.value for line in plan.agent_days), start=0),
            "unstaffed": [{"date": day.isoformat(), "shop": shop.code} for day, shop in plan.unstaffed],
            "shop_days": plan.shop_days,
            "agent_days": plan.agent_days,
        }
        return Response(s.CascadeResultSerializer(body).data, status=status.HTTP_200_OK)


@extend_schema(tags=["targets"], summary="The metrics that can carry a target: unit, direction, how targets cascade")
class MetricDefinitionsView(generics.ListAPIView):
    serializer_class = s.MetricDefinitionSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return [
            {
                "name": d.name,
                "label": str(d.label),
                "unit": str(d.unit),
                "direction": d.direction,
                "split": d.name in ADDITIVE_DECIMALS,
            }
            for d in METRICS.values()
        ]


@extend_schema(
    tags=["targets"],
    summary="Actual against target per agent or team and day",
    parameters=[s.AttainmentQuerySerializer],
)
class AttainmentView(generics.ListAPIView):
    serializer_class = s.AttainmentRowSerializer
    filter_backends = []

    def get_queryset(self):
        query = s.AttainmentQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        return selectors.attainment(
            user=self.request.user,
            date_from=q["date_from"],
            date_to=q["date_to"],
            level=q["level"],
            team_id=q.get("team"),
            agent_id=q.get("agent"),
            metric=q.get("metric"),
        )


@extend_schema(
    tags=["targets"],
    summary="Composite score per agent for a period, normalised within the team (agents see their own line)",
    parameters=[s.ScoreQuerySerializer],
)
class ScoresView(generics.ListAPIView):
    serializer_class = s.AgentScoreSerializer
    filter_backends = []

    def get_queryset(self):
        query = s.ScoreQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if not policy.can_read_team(self.request.user, q["team"]):
            raise exceptions.NotFound()
        scores = selectors.composite_scores(team_id=q["team"], date_from=q["date_from"], date_to=q["date_to"])
        for rank, score in enumerate(scores, start=1):
            score.rank = rank
        if policy.can_supervise_team(self.request.user, q["team"]):
            return scores
        return [score for score in scores if score.agent_id == self.request.user.pk]


@extend_schema(tags=["targets"])
class ScoreWeightViewSet(TeamScopedViewSet):
    """The weights of a team's composite score; without any, the documented defaults apply."""

    queryset = ScoreWeight.objects.all()
    serializer_class = s.ScoreWeightSerializer
    filterset_fields = ["team", "metric"]

    def perform_create(self, serializer):
        self.require_manages_team(serializer.validated_data["team"])
        serializer.save()

    def perform_update(self, serializer):
        self.require_manages_team(serializer.validated_data.get("team"))
        serializer.save()
