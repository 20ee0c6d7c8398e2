from django.contrib import admin

from training import models


class MaterialInline(admin.TabularInline):
    model = models.Material
    extra = 0


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "is_published", "estimated_minutes"]
    list_filter = ["is_published", "team"]
    search_fields = ["title"]
    inlines = [MaterialInline]
    filter_horizontal = ["qa_criteria"]


@admin.register(models.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["course", "user", "team", "due_date", "completed_at"]
    list_filter = ["team"]
    raw_id_fields = ["user", "assigned_by"]


class ChoiceInline(admin.TabularInline):
    model = models.Choice
    extra = 0


@admin.register(models.Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "quiz", "kind", "points"]
    inlines = [ChoiceInline]


class AnswerInline(admin.TabularInline):
    model = models.Answer
    extra = 0


@admin.register(models.Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "number", "status", "percent", "passed"]
    list_filter = ["status", "passed"]
    inlines = [AnswerInline]


class StepInline(admin.TabularInline):
    model = models.OnboardingStep
    extra = 0


@admin.register(models.OnboardingTemplate)
class OnboardingTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "position", "is_active"]
    inlines = [StepInline]


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "kind", "status", "version", "updated_at"]
    list_filter = ["status", "kind", "team"]
    search_fields = ["title"]
    # Text changes go through the knowledge-base pages, which keep the versions and the search words.
    readonly_fields = ["title", "body", "version", "source_case"]


for model in (
    models.Material,
    models.MaterialProgress,
    models.AssessmentSchedule,
    models.Quiz,
    models.Choice,
    models.Answer,
    models.ArticleCategory,
    models.ArticleVersion,
    models.ArticleRead,
    models.OnboardingStep,
    models.Onboarding,
    models.OnboardingStepDone,
    models.CareerLevel,
):
    admin.site.register(model)
