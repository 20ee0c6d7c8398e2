"""Onboarding checklist templates, their steps, each new member's checklist."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from teams.models import Position, Team
from training.models.courses import Course
from training.models.knowledge import Article


class OnboardingTemplate(TimestampedModel):
    """The checklist a new member of the team in this position works through."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="onboarding_templates"
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, blank=True, help_text=_("Empty: every position.")
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["team_id", "position", "name"]
        verbose_name = _("onboarding checklist template")
        verbose_name_plural = _("onboarding checklist templates")

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    READ_ARTICLE = "read_article", _("Read an article")
    PASS_COURSE = "pass_course", _("Complete a course (and pass its quiz)")
    SHADOW = "shadow", _("Shadow a colleague")
    OTHER = "other", _("Other (the supervisor ticks it)")


class OnboardingStep(models.Model):
    template = models.ForeignKey(OnboardingTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=14, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("onboarding step")
        verbose_name_plural = _("onboarding steps")

    def __str__(self) -> str:
        return self.title


class Onboarding(TimestampedModel):
    """One new member's copy of a checklist template."""

    template = models.ForeignKey(OnboardingTemplate, on_delete=models.CASCADE, related_name="onboardings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboardings")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="onboardings")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")
        constraints = [models.UniqueConstraint(fields=["template", "user"], name="onboarding_once_per_template")]

    def get_absolute_url(self) -> str:
        return reverse("training-onboarding-detail", args=[self.pk])


class OnboardingStepDone(models.Model):
    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="done_steps")
    step = models.ForeignKey(OnboardingStep, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["onboarding", "step"], name="onboarding_step_once")]

    def __str__(self) -> str:
        return f"{self.onboarding_id}: {self.step_id}"
