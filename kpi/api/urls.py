from django.urls import path
from rest_framework.routers import DefaultRouter

from kpi.api import target_views, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("metrics/daily", views.AgentDailyMetricViewSet, basename="metrics-daily")
router.register("metrics/team-daily", views.TeamDailyMetricViewSet, basename="metrics-team-daily")
router.register("metrics/hourly", views.HourlyVolumeViewSet, basename="metrics-hourly")
router.register("score-weights", target_views.ScoreWeightViewSet, basename="score-weight")

urlpatterns = [
    path("metrics/definitions/", target_views.MetricDefinitionsView.as_view(), name="metric-definitions"),
    path("targets/cascade/", target_views.TargetCascadeView.as_view(), name="targets-cascade"),
    path("attainment/", target_views.AttainmentView.as_view(), name="attainment"),
    path("scores/", target_views.ScoresView.as_view(), name="scores"),
    *router.urls,
]
