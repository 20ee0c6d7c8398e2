"""Courses, their materials, assignments with progress, periodic assessments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from teams.models import Team


class Course(TimestampedModel):
    """A course of a team; its audience is that team (and the teams under it), optionally only some positions."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience_positions = models.JSONField(
        _("positions"), default=list, blank=True, help_text=_("Empty: every position.")
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    is_published = models.BooleanField(_("published"), default=False)
    qa_criteria = models.ManyToManyField(
        "qa_reviews.Criterion",
        verbose_name=_("QA criteria it trains"),
        blank=True,
        related_name="courses",
        help_text=_("A review that fails one of these criteria (in any version of its scorecard) suggests the course."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training-course-detail", args=[self.pk])


class MaterialKind(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Recorded video")
    ATTACHMENT = "attachment", _("Attachment")


class Material(models.Model):
    """One step of a course: rich text (Markdown), a recorded session's link, or a file."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.TEXT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    video_url = models.URLField(_("video link"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="training/materials/%Y/%m/", blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class AssessmentSchedule(TimestampedModel):
    """定期考核: a course (usually a quiz) assigned to a team's agents every period, automatically."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="assessments")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    due_days = models.PositiveSmallIntegerField(
        _("days to complete"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_period = models.CharField(_("last period assigned"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["team_id", "course_id"]
        verbose_name = _("periodic assessment")
        verbose_name_plural = _("periodic assessments")
        constraints = [models.UniqueConstraint(fields=["team", "course"], name="assessment_once_per_team_course")]

    def __str__(self) -> str:
        return f"{self.course} ({self.get_frequency_display()})"


class Assignment(TimestampedModel):
    """A course to complete by a date: every material done and, when the course has a quiz, the quiz passed."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_assignments",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="training_assignments"
    )
    due_date = models.DateField(_("due"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    schedule = models.ForeignKey(
        AssessmentSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    period = models.CharField(_("period"), max_length=10, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("training assignment")
        verbose_name_plural = _("training assignments")
        constraints = [
            # Re-sending an assignment (or a team member reached twice) creates nothing new.
            models.UniqueConstraint(fields=["course", "user", "due_date"], name="training_assignment_once"),
        ]
        indexes = [models.Index(fields=["user", "completed_at", "due_date"], name="training_assignment_open")]

    def __str__(self) -> str:
        return f"{self.course} → {self.user} ({self.due_date})"

    def get_absolute_url(self) -> str:
        return reverse("training-assignment-detail", args=[self.pk])


class MaterialProgress(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="progress")
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material progress")
        verbose_name_plural = _("material progress")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "material"], name="material_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.material_id}"
