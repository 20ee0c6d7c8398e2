import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from teams.models import Shop, Team


class Category(models.TextChoices):
    PRE_SALES = "pre_sales", _("Pre-sales")  # 售前
    AFTER_SALES = "after_sales", _("After-sales")  # 售后
    COMPLAINT = "complaint", _("Complaint")
    TECH = "tech", _("Technical")


class Sender(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    BOT = "bot", _("Bot")
    SYSTEM = "system", _("System")


class Conversation(TimestampedModel):
    """One chat with one customer, as the chat system recorded it."""

    source = models.SlugField(_("source"), max_length=60, help_text=_("The system it came from, e.g. shopchat."))
    external_id = models.CharField(_("external id"), max_length=120)
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="conversations")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), null=True, blank=True, on_delete=models.PROTECT, related_name="conversations"
    )
    channel = models.CharField(_("channel"), max_length=60, blank=True)
    customer = models.CharField(_("customer"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    started_at = models.DateTimeField(_("started at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    ordered = models.BooleanField(_("ordered"), default=False)
    order_amount = models.DecimalField(_("order amount"), max_digits=12, decimal_places=2, default=0)
    # Set when the retention period removed the messages' text and the customer's identifier.
    personal_data_removed_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="conversation_unique_source_external_id"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="conversation_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(order_amount__gte=0), name="conversation_order_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(closed_at__gte=models.F("started_at")),
                name="conversation_closes_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "started_at"]),
            models.Index(fields=["agent", "started_at"]),
            models.Index(fields=["shop", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    external_id = models.CharField(_("external id"), max_length=120, blank=True)
    # "id:<external id>" or a hash of sender, time and text: what makes a re-sent message the same one.
    fingerprint = models.CharField(max_length=140, editable=False)
    sender = models.CharField(_("sender"), max_length=10, choices=Sender.choices)
    sent_at = models.DateTimeField(_("sent at"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "fingerprint"], name="message_unique_per_conversation"),
        ]
        indexes = [models.Index(fields=["conversation", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.sender} @ {self.sent_at:%Y-%m-%d %H:%M:%S}"


class ExternalIdentity(TimestampedModel):
    """An outside system's id or handle for one of our people (an agent id in Chatwoot, a sign-off on Twitter)."""

    source = models.SlugField(_("source"), max_length=60)
    external_ref = models.CharField(_("external reference"), max_length=160)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="external_identities"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="external_identities")

    class Meta:
        ordering = ["source", "external_ref"]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_ref"], name="external_identity_unique_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_ref} → {self.user}"


class ImportFormat(models.TextChoices):
    JSONL = "jsonl", _("JSON Lines (native form)")
    CSV = "csv", _("CSV, one row per message")
    CHATWOOT = "chatwoot", _("Chatwoot conversations export")
    TWCS = "twcs", _("Customer Support on Twitter (TWCS)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Rejected")


class ImportJob(TimestampedModel):
    """One uploaded file and what became of it; progress is visible while a worker runs it."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.SlugField(_("source"), max_length=60)
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    encoding = models.CharField(_("encoding"), max_length=20, default="utf-8")
    default_category = models.CharField(
        _("category when the file has none"), max_length=20, choices=Category.choices, default=Category.AFTER_SALES
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        return 100 if not self.rows_total else min(100, round(100 * self.rows_done / self.rows_total))


def _new_webhook_token() -> str:
    return secrets.token_urlsafe(32)


class WebhookIntegration(TimestampedModel):
    """A Chatwoot (or similar) instance allowed to push events for one team, by a secret in its URL."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="webhook_integrations"
    )
    name = models.CharField(_("name"), max_length=120)
    source = models.SlugField(_("source"), max_length=60, default="chatwoot")
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_webhook_token, editable=False)
    default_category = models.CharField(
        _("default category"), max_length=20, choices=Category.choices, default=Category.AFTER_SALES
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["team", "name"]
        verbose_name = _("webhook integration")
        verbose_name_plural = _("webhook integrations")

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None
