from django.contrib import admin

from kpi.models import (
    DailyAgentMetric,
    DailyTarget,
    DailyTeamMetric,
    DayWeight,
    HourlyVolume,
    MonthlyTarget,
    ScoreWeight,
    StaleMetricDay,
)


@admin.register(DailyAgentMetric)
class DailyAgentMetricAdmin(admin.ModelAdmin):
    list_display = ("date", "team", "agent", "conversations", "messages_sent", "unanswered", "computed_at")
    list_filter = ("team",)
    date_hierarchy = "date"
    raw_id_fields = ("agent",)


@admin.register(DailyTeamMetric)
class DailyTeamMetricAdmin(admin.ModelAdmin):
    list_display = ("date", "team", "conversations", "messages_sent", "unanswered", "computed_at")
    list_filter = ("team",)
    date_hierarchy = "date"


@admin.register(HourlyVolume)
class HourlyVolumeAdmin(admin.ModelAdmin):
    list_display = ("date", "hour", "team", "conversations", "customer_messages")
    list_filter = ("team",)


@admin.register(StaleMetricDay)
class StaleMetricDayAdmin(admin.ModelAdmin):
    list_display = ("date", "team", "marked_at")


@admin.register(MonthlyTarget)
class MonthlyTargetAdmin(admin.ModelAdmin):
    list_display = ("month", "team", "metric", "value")
    list_filter = ("team", "metric")


@admin.register(DayWeight)
class DayWeightAdmin(admin.ModelAdmin):
    list_display = ("date", "team", "weight", "reason")
    list_filter = ("team",)


@admin.register(DailyTarget)
class DailyTargetAdmin(admin.ModelAdmin):
    list_display = ("date", "monthly_target", "shop", "agent", "value")
    raw_id_fields = ("agent", "monthly_target")


@admin.register(ScoreWeight)
class ScoreWeightAdmin(admin.ModelAdmin):
    list_display = ("team", "metric", "weight")
