from django.contrib import admin

from conversations.models import Conversation, ExternalIdentity, ImportJob, Message, WebhookIntegration


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("sent_at", "sender", "text", "external_id")
    readonly_fields = fields
    ordering = ("sent_at", "id")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("external_id", "source", "team", "agent", "category", "started_at", "resolved", "rating")
    list_filter = ("source", "team", "category", "resolved")
    search_fields = ("external_id", "customer")
    date_hierarchy = "started_at"
    raw_id_fields = ("agent", "shop")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("conversation", "sender", "sent_at")
    list_filter = ("sender",)
    raw_id_fields = ("conversation",)


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ("source", "external_ref", "user", "team")
    list_filter = ("source", "team")
    search_fields = ("external_ref", "user__username")
    raw_id_fields = ("user",)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("original_name", "team", "format", "status", "rows_done", "rows_total", "created_at")
    list_filter = ("status", "format", "team")
    readonly_fields = ("errors",)


@admin.register(WebhookIntegration)
class WebhookIntegrationAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "source", "revoked_at")
    list_filter = ("team",)
    readonly_fields = ("token",)
