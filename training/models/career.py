"""Career levels per position and what it takes to reach them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from teams.models import Position, Team
from training.models.courses import Course


class CareerLevel(TimestampedModel):
    """One rung of a position's career path and what it takes to reach it."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="career_levels")
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the first level."))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    required_courses = models.ManyToManyField(
        Course, verbose_name=_("courses to complete"), blank=True, related_name="career_levels"
    )
    min_qa_score = models.DecimalField(
        _("minimum QA score"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Mean QA review total over the last 90 days."),
    )  # fmt: skip
    min_kpi_attainment = models.DecimalField(
        _("minimum KPI attainment (%)"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Mean attainment of the agent's daily targets over the last 30 days."),
    )  # fmt: skip

    class Meta:
        ordering = ["team_id", "position", "rank"]
        verbose_name = _("career level")
        verbose_name_plural = _("career levels")
        constraints = [
            models.UniqueConstraint(fields=["team", "position", "rank"], name="career_level_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.rank}: {self.name}"
