from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from teams.models import Shift, Team


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class DailyPlan(TimestampedModel):
    """An agent's working day: what to do, what to learn, the targets, and the day's summary."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="daily_plans"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="daily_plans")
    date = models.DateField(_("date"))
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Today's targets as cascaded when the plan was made: [{"metric", "label", "value", "direction"}].
    targets = models.JSONField(_("targets"), default=list, blank=True)
    # The end-of-day summary: figures pre-filled from the computed metrics, then the agent's own words.
    customers_served = models.PositiveIntegerField(_("customers served"), null=True, blank=True)
    pre_sales_conversations = models.PositiveIntegerField(_("pre-sales conversations"), null=True, blank=True)
    after_sales_conversations = models.PositiveIntegerField(_("after-sales conversations"), null=True, blank=True)
    busiest_hour = models.PositiveSmallIntegerField(_("busiest hour"), null=True, blank=True)
    conversion_rate = models.FloatField(_("conversion rate"), null=True, blank=True)
    unanswered = models.PositiveIntegerField(_("unanswered conversations"), null=True, blank=True)
    problems = models.TextField(_("problems that needed help"), blank=True)
    improvements = models.TextField(_("what to improve"), blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["-date", "agent_id"]
        verbose_name = _("daily plan")
        verbose_name_plural = _("daily plans")
        constraints = [models.UniqueConstraint(fields=["agent", "date"], name="daily_plan_one_per_agent_and_day")]
        indexes = [models.Index(fields=["team", "date", "status"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.date}"


class ItemKind(models.TextChoices):
    WORK = "work", _("Work")
    LEARNING = "learning", _("Learning")


class PlanItem(models.Model):
    plan = models.ForeignKey(DailyPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.WORK)
    text = models.CharField(_("text"), max_length=300)
    done = models.BooleanField(_("done"), default=False)
    task = models.ForeignKey("plans.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    training_assignment = models.ForeignKey(
        "training.Assignment", null=True, blank=True, on_delete=models.CASCADE, related_name="plan_items"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            # A task appears once on a plan, however often the plan is refreshed.
            models.UniqueConstraint(fields=["plan", "task"], name="plan_item_task_once"),
            models.UniqueConstraint(fields=["plan", "training_assignment"], name="plan_item_learning_once"),
        ]

    def __str__(self) -> str:
        return self.text


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(TimestampedModel):
    """A 5W2H task: what, why, who, when, where, how, how much."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="tasks")
    what = models.CharField(_("what"), max_length=200)
    why = models.TextField(_("why"), blank=True)
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("who"), related_name="tasks")
    due_at = models.DateTimeField(_("when (due)"))
    where = models.CharField(_("where"), max_length=200, blank=True)
    how = models.TextField(_("how"), blank=True)
    how_much = models.DecimalField(_("how much"), max_digits=14, decimal_places=2, null=True, blank=True)
    how_much_unit = models.CharField(_("unit"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["team", "status", "due_at"])]

    def __str__(self) -> str:
        return self.what


class TaskStatusChange(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=TaskStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
