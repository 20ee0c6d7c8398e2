"""Recognition: awards that show their working, kudos between colleagues, good cases, the award webhook."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from teams.models import Team


class AwardSettings(TimestampedModel):
    """A team's eligibility rules for the best-agent awards, and where to announce them."""

    team = models.OneToOneField(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="award_settings")
    min_conversations = models.PositiveIntegerField(
        _("minimum conversations"), default=20, help_text=_("In the award's period.")
    )
    min_qa_reviews = models.PositiveIntegerField(
        _("minimum QA reviews"), default=1, help_text=_("Submitted reviews of the agent's conversations in the period.")
    )
    exclude_upheld_auto_fail = models.BooleanField(
        _("no upheld auto-fail"),
        default=True,
        help_text=_("An agent with an auto-failed review in the period that was not overturned cannot win."),
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True, help_text=_("e.g. a chat group bot; empty: none."))
    webhook_secret = models.CharField(
        _("webhook secret"), max_length=100, blank=True, help_text=_("Signs each post (HMAC-SHA256).")
    )

    class Meta:
        verbose_name = _("award settings")
        verbose_name_plural = _("award settings")

    def __str__(self) -> str:
        return f"{self.team}"


class AwardKind(models.TextChoices):
    WEEKLY = "weekly", _("Best agent of the week")
    MONTHLY = "monthly", _("Best agent of the month")
    SPECIAL = "special", _("Special award")


class Award(TimestampedModel):
    """One award. Weekly and monthly ones are unique per team and period and keep the full breakdown."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices)
    period = models.CharField(
        _("period"),
        max_length=10,
        blank=True,
        help_text=_("ISO week (2026-W47) or month (2026-11); empty for special."),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    winner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("winner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
        help_text=_("Empty when nobody was eligible."),
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=4, null=True, blank=True)
    runner_up = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    margin = models.DecimalField(_("margin over the runner-up"), max_digits=7, decimal_places=4, null=True, blank=True)
    # Every input: per candidate the metric values, normalised values, weights, total and eligibility; the
    # weights and rules used; so the page can show why without recomputing.
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the weekly job granted it."),
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind", "period"],
                condition=models.Q(kind__in=["weekly", "monthly"]),
                name="award_once_per_team_kind_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period or self.period_end}: {self.winner or '—'}"

    def get_absolute_url(self) -> str:
        return reverse("recognition-award-detail", args=[self.pk])


class AwardAudit(models.Model):
    """What happened to an award: granted, recomputed and replaced (with the numbers it had before)."""

    award = models.ForeignKey(Award, null=True, on_delete=models.SET_NULL, related_name="audit")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("award audit entry")
        verbose_name_plural = _("award audit entries")

    def __str__(self) -> str:
        return f"{self.action} {self.award_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(TimestampedModel):
    """One award posted to one URL: signed, retried, delivered once (the row is the claim)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="deliveries")
    url = models.URLField(_("URL"))
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["award", "url"], name="webhook_delivery_once_per_url")]

    def __str__(self) -> str:
        return f"{self.award_id} → {self.url} ({self.status})"


class KudosValue(models.TextChoices):
    PATIENCE = "patience", _("Patience")
    EXPERTISE = "expertise", _("Expertise")
    TEAMWORK = "teamwork", _("Teamwork")
    OWNERSHIP = "ownership", _("Ownership")
    SPEED = "speed", _("Speed")
    CARE = "care", _("Customer care")


class Kudos(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="kudos")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.CASCADE, related_name="kudos_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.CASCADE, related_name="kudos_received"
    )
    value = models.CharField(_("value"), max_length=12, choices=KudosValue.choices)
    message = models.CharField(_("message"), max_length=280)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        constraints = [
            models.CheckConstraint(condition=~models.Q(giver=models.F("receiver")), name="kudos_not_to_oneself"),
        ]
        indexes = [models.Index(fields=["giver", "created_at"], name="kudos_giver_recent")]

    def __str__(self) -> str:
        return f"{self.giver} → {self.receiver}: {self.message[:40]}"


class GoodCase(TimestampedModel):
    """好的案例宣传: a conversation marked as great service, shown on the team wall."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="good_cases")
    conversation = models.OneToOneField(
        "conversations.Conversation", verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="good_case"
    )
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("why it is great"))
    article = models.ForeignKey(
        "training.Article",
        verbose_name=_("knowledge-base article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("good case")
        verbose_name_plural = _("good cases")

    def __str__(self) -> str:
        return f"{self.conversation}"
