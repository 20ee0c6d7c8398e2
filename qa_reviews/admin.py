from django.contrib import admin

from qa_reviews.models import (
    CalibrationSession,
    Case,
    Complaint,
    ComplaintPolicy,
    ComplaintStatusChange,
    ConversationSentiment,
    Criterion,
    CriterionScore,
    MessageComment,
    Review,
    ReviewAssignment,
    ReviewChange,
    SamplingRule,
    Scorecard,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "version", "is_current")
    list_filter = ("team", "is_current")
    inlines = [CriterionInline]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0


class ReviewChangeInline(admin.TabularInline):
    model = ReviewChange
    extra = 0
    readonly_fields = ("changed_by", "status", "total", "note", "changed_at")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("conversation", "agent", "reviewer", "status", "total", "submitted_at")
    list_filter = ("status", "team")
    raw_id_fields = ("conversation", "agent", "reviewer", "resolved_by")
    inlines = [CriterionScoreInline, ReviewChangeInline]


admin.site.register(Criterion)
admin.site.register(CriterionScore)
admin.site.register(MessageComment)
admin.site.register(ReviewChange)


@admin.register(SamplingRule)
class SamplingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "kind", "per_agent_per_week", "is_active")
    list_filter = ("kind", "is_active", "team")
    filter_horizontal = ("reviewers",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("conversation", "reviewer", "rule", "week_start", "status", "due_date")
    list_filter = ("status", "team")
    raw_id_fields = ("conversation", "review")


@admin.register(ConversationSentiment)
class ConversationSentimentAdmin(admin.ModelAdmin):
    list_display = ("conversation", "negativity", "negative", "method")
    list_filter = ("negative", "method")
    raw_id_fields = ("conversation",)


@admin.register(CalibrationSession)
class CalibrationSessionAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "scorecard", "status", "closed_at")
    list_filter = ("status", "team")
    filter_horizontal = ("reviewers",)
    raw_id_fields = ("conversations",)


class ComplaintStatusChangeInline(admin.TabularInline):
    model = ComplaintStatusChange
    extra = 0
    readonly_fields = ("from_status", "to_status", "changed_by", "note", "changed_at")


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("summary", "team", "category", "priority", "status", "first_response_due_at", "sla_breached_at")
    list_filter = ("status", "priority", "category", "team")
    raw_id_fields = ("conversation",)
    inlines = [ComplaintStatusChangeInline]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "status", "responsible", "created_at")
    list_filter = ("status", "team")
    raw_id_fields = ("conversation", "review", "complaint", "action_task")


admin.site.register(ComplaintPolicy)
admin.site.register(ComplaintStatusChange)
