from django.contrib import admin

from plans.models import DailyPlan, PlanItem, Task, TaskStatusChange


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    raw_id_fields = ("task",)


@admin.register(DailyPlan)
class DailyPlanAdmin(admin.ModelAdmin):
    list_display = ("date", "agent", "team", "status", "submitted_at", "reviewed_at")
    list_filter = ("status", "team")
    date_hierarchy = "date"
    raw_id_fields = ("agent", "shift", "reviewed_by")
    inlines = [PlanItemInline]


class TaskStatusChangeInline(admin.TabularInline):
    model = TaskStatusChange
    extra = 0
    readonly_fields = ("from_status", "to_status", "changed_by", "changed_at")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("what", "team", "due_at", "status")
    list_filter = ("status", "team")
    filter_horizontal = ("assignees",)
    inlines = [TaskStatusChangeInline]


admin.site.register(PlanItem)
admin.site.register(TaskStatusChange)
