from django.contrib import admin

from qa_reviews.models import Criterion, CriterionScore, MessageComment, Review, ReviewChange, Scorecard


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
