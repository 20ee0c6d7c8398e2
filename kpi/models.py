from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpi.definitions import DERIVATIONS, PART_NAMES, derive
from teams.models import Team


class _Derived:
    """A metric derived from the row's sums and counts on access (DESIGN.md's name), never stored."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, row, owner=None):
        return self if row is None else DERIVATIONS[self.name](row.parts())


class DailyCounts(models.Model):
    """Sums and counts of one day, from which every average and rate is derived exactly.

    Storing the parts (not only averages) lets weeks, months and teams roll up
    without averaging averages. Durations are whole milliseconds.
    """

    date = models.DateField(_("date"))
    conversations = models.PositiveIntegerField(_("conversations"), default=0)
    messages_sent = models.PositiveIntegerField(_("messages sent"), default=0)
    unanswered = models.PositiveIntegerField(_("unanswered"), default=0)
    first_response_count = models.PositiveIntegerField(default=0)
    first_response_ms_sum = models.BigIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)  # answered customer turns
    response_ms_sum = models.BigIntegerField(default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rated_good = models.PositiveIntegerField(default=0)  # ratings of 4 or 5
    pre_sales = models.PositiveIntegerField(default=0)
    pre_sales_ordered = models.PositiveIntegerField(default=0)
    sales_amount = models.DecimalField(_("sales amount"), max_digits=14, decimal_places=2, default=0)
    qa_reviews = models.PositiveIntegerField(default=0)
    qa_score_sum = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        abstract = True

    def parts(self) -> dict:
        return {name: getattr(self, name) for name in PART_NAMES}

    def figures(self) -> dict:
        """The metrics under DESIGN.md's names, derived from this row's sums and counts."""
        return derive(self.parts())

    first_response_seconds = _Derived()
    avg_response_seconds = _Derived()
    resolution_rate = _Derived()
    csat_avg = _Derived()
    csi = _Derived()
    conversion_rate = _Derived()
    qa_score_avg = _Derived()


class DailyAgentMetric(DailyCounts):
    """One agent's day in one team (the team's local date of each conversation's start)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="daily_metrics"
    )

    class Meta:
        ordering = ["-date", "agent_id"]
        verbose_name = _("daily agent metric")
        verbose_name_plural = _("daily agent metrics")
        constraints = [
            # An agent who helps a second team has a row in each, so every team sees only its own work.
            models.UniqueConstraint(fields=["team", "agent", "date"], name="daily_agent_metric_unique_key"),
        ]
        indexes = [models.Index(fields=["agent", "date"]), models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return f"{self.agent_id} @ {self.team_id} {self.date}"


class DailyTeamMetric(DailyCounts):
    """A team's day, aggregated from the raw conversations (unassigned ones included)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="daily_metrics")

    class Meta:
        ordering = ["-date", "team_id"]
        verbose_name = _("daily team metric")
        verbose_name_plural = _("daily team metrics")
        constraints = [models.UniqueConstraint(fields=["team", "date"], name="daily_team_metric_unique_key")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.date}"


class HourlyVolume(models.Model):
    """Conversations started and customer messages per local hour: the busiest-hours view."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="hourly_volumes")
    date = models.DateField(_("date"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    conversations = models.PositiveIntegerField(_("conversations started"), default=0)
    customer_messages = models.PositiveIntegerField(_("customer messages"), default=0)

    class Meta:
        ordering = ["date", "hour"]
        verbose_name = _("hourly volume")
        verbose_name_plural = _("hourly volumes")
        constraints = [
            models.UniqueConstraint(fields=["team", "date", "hour"], name="hourly_volume_unique_key"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="hourly_volume_hour_of_day"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.date} {self.hour:02d}h"


class StaleMetricDay(models.Model):
    """A (team, date) whose metrics must be recomputed because chats for it arrived or changed."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "date"], name="stale_metric_day_unique")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.date}"


class MonthlyTarget(models.Model):
    """A month's target for one metric, set for a department or a team."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="monthly_targets")
    metric = models.CharField(_("metric"), max_length=40)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "team_id", "metric"]
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        constraints = [
            models.UniqueConstraint(fields=["team", "metric", "month"], name="monthly_target_unique"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_target_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m} {self.value}"


class DayWeight(models.Model):
    """How much of a month's target one day carries (1 = an ordinary day; 2 = a campaign day)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="day_weights")
    date = models.DateField(_("date"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day weight")
        verbose_name_plural = _("day weights")
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="day_weight_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="day_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date} ×{self.weight}"


class DailyTarget(models.Model):
    """One piece of a cascaded monthly target: a shop's day, or one scheduled agent's day in it."""

    monthly_target = models.ForeignKey(MonthlyTarget, on_delete=models.CASCADE, related_name="daily_targets")
    date = models.DateField(_("date"))
    shop = models.ForeignKey("teams.Shop", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="daily_targets"
    )
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["date", "shop_id", "agent_id"]
        verbose_name = _("daily target")
        verbose_name_plural = _("daily targets")
        indexes = [models.Index(fields=["agent", "date"]), models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.value}"


class ScoreWeight(models.Model):
    """How much one metric counts in a team's composite score (volume against quality)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="score_weights")
    metric = models.CharField(_("metric"), max_length=40)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)

    class Meta:
        ordering = ["team_id", "metric"]
        verbose_name = _("score weight")
        verbose_name_plural = _("score weights")
        constraints = [
            models.UniqueConstraint(fields=["team", "metric"], name="score_weight_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="score_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} ×{self.weight}"
