from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are never changed or deleted."""

    list_display = ["at", "actor_name", "action", "result", "team_id", "object_type", "object_id", "summary"]
    list_filter = ["action", "result"]
    search_fields = ["actor_name", "summary", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
