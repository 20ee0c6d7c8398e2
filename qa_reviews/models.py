from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation, Message
from core.models import TimestampedModel
from teams.models import Team


class Scorecard(TimestampedModel):
    """One version of a team's scorecard. Reviews keep the version they were scored with."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="scorecards")
    name = models.CharField(_("name"), max_length=120)
    family = models.PositiveIntegerField(_("scorecard"), help_text=_("Shared by every version of one scorecard."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)

    class Meta:
        ordering = ["team_id", "name", "-version"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="scorecard_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Criterion(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="criteria")
    section = models.CharField(_("section"), max_length=120, blank=True)
    title = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    max_points = models.PositiveSmallIntegerField(_("max points"))
    allow_not_applicable = models.BooleanField(_("may be not applicable"), default=False)
    auto_fail = models.BooleanField(_("auto-fail"), default=False, help_text=_("Scoring 0 here sets the review to 0."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(max_points__gte=1), name="criterion_max_points_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def point_choices(self) -> range:
        return range(self.max_points, -1, -1)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPUTED = "disputed", _("Disputed")
    RESOLVED = "resolved", _("Resolved")


# Reviews whose total counts in the agent's QA score.
COUNTED_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.ACKNOWLEDGED, ReviewStatus.DISPUTED, ReviewStatus.RESOLVED)


class Review(TimestampedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reviews")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="reviews")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="qa_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="qa_reviews_given"
    )
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    auto_failed = models.BooleanField(_("auto-failed"), default=False)
    comment = models.TextField(_("comment for the agent"), blank=True)
    reviewer_notes = models.TextField(_("reviewer-only notes"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    dispute_reason = models.TextField(_("dispute reason"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "reviewer"], name="review_one_per_reviewer_and_chat"),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=0, total__lte=100),
                name="review_total_0_to_100",
            ),
        ]
        indexes = [models.Index(fields=["agent", "status"]), models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.conversation} by {self.reviewer_id}"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True, help_text=_("Empty: not applicable."))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="criterion_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class MessageComment(models.Model):
    """A reviewer's comment pinned to one message of the reviewed chat."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="message_comments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["message__sent_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ReviewChange(models.Model):
    """The history of a review's score: submission, and every change when a dispute is resolved."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="history")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=ReviewStatus.choices)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    note = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.status} {self.total}"
