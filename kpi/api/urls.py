from rest_framework.routers import DefaultRouter

from kpi.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("metrics/daily", views.AgentDailyMetricViewSet, basename="metrics-daily")
router.register("metrics/team-daily", views.TeamDailyMetricViewSet, basename="metrics-team-daily")
router.register("metrics/hourly", views.HourlyVolumeViewSet, basename="metrics-hourly")

urlpatterns = router.urls
