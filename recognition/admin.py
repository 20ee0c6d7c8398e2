from django.contrib import admin

from recognition import models


@admin.register(models.Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["team", "kind", "period", "winner", "score", "margin"]
    list_filter = ["kind", "team"]
    # Awards change only through the services (which keep the audit trail).
    readonly_fields = ["winner", "score", "runner_up", "margin", "breakdown", "period", "period_start", "period_end"]


@admin.register(models.Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["giver", "receiver", "value", "created_at"]
    list_filter = ["value", "team"]


for model in (models.AwardSettings, models.AwardAudit, models.WebhookDelivery, models.GoodCase):
    admin.site.register(model)
