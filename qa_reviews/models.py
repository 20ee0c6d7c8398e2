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


# Reviews whose total counts (outside calibration sessions) in the agent's QA score.
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
    calibration = models.ForeignKey(
        "CalibrationSession",
        verbose_name=_("calibration session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
        help_text=_("Set for a blind calibration score: it never counts in the agent's QA score."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "reviewer"],
                condition=models.Q(calibration__isnull=True),
                name="review_one_per_reviewer_and_chat",
            ),
            models.UniqueConstraint(
                fields=["calibration", "conversation", "reviewer"],
                condition=models.Q(calibration__isnull=False),
                name="calibration_review_once",
            ),
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


class SamplingKind(models.TextChoices):
    RANDOM = "random", _("Random")
    LOW_RATING = "low_rating", _("Low rating (2 or less)")
    NEGATIVE_SENTIMENT = "negative_sentiment", _("Negative sentiment")
    COMPLAINT = "complaint", _("Complaint")
    SLOW_FIRST_RESPONSE = "slow_first_response", _("Slow first response")


class SamplingRule(TimestampedModel):
    """Pick N conversations per agent per week of one kind, for the team's QA inspectors to review."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="sampling_rules")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=SamplingKind.choices)
    per_agent_per_week = models.PositiveSmallIntegerField(_("conversations per agent per week"), default=2)
    slow_first_response_seconds = models.PositiveIntegerField(
        _("slow first response (seconds)"), default=300, help_text=_("Only for the slow first response rule.")
    )
    scorecard = models.ForeignKey(
        Scorecard,
        verbose_name=_("scorecard"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the team's current scorecard."),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="+",
        help_text=_("Empty: the team's QA inspectors."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["team_id", "name"]
        verbose_name = _("sampling rule")
        verbose_name_plural = _("sampling rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(per_agent_per_week__gte=1), name="sampling_rule_per_agent_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DONE = "done", _("Reviewed")


class ReviewAssignment(TimestampedModel):
    """One sampled conversation in a QA inspector's queue."""

    rule = models.ForeignKey(
        SamplingRule, verbose_name=_("sampling rule"), on_delete=models.CASCADE, related_name="assignments"
    )
    week_start = models.DateField(_("week"), help_text=_("Monday of the week the conversation was sampled from."))
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="qa_assignments")
    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="qa_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="qa_assignments"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    due_date = models.DateField(_("due"))
    review = models.ForeignKey(
        Review, verbose_name=_("review"), null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )

    class Meta:
        ordering = ["status", "due_date", "id"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "week_start", "conversation"], name="assignment_once_per_rule_and_week"
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"]), models.Index(fields=["team", "week_start"])]

    def __str__(self) -> str:
        return f"{self.conversation_id} -> {self.reviewer_id}"


class ConversationSentiment(models.Model):
    """How negative the customer sounds in a conversation, computed once per method version."""

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="qa_sentiment"
    )
    negativity = models.FloatField(_("negativity"), help_text=_("0 (content) to 1 (upset)."))
    negative = models.BooleanField(_("flagged negative"))
    method = models.CharField(max_length=40)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation sentiment")
        verbose_name_plural = _("conversation sentiments")

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.negativity:.2f}"


class CalibrationStatus(models.TextChoices):
    OPEN = "open", _("Scoring")
    CLOSED = "closed", _("Results shown")


class CalibrationSession(TimestampedModel):
    """Several reviewers score the same conversations blind; closing it shows the spread and agreement."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="calibrations")
    name = models.CharField(_("name"), max_length=120)
    scorecard = models.ForeignKey(Scorecard, verbose_name=_("scorecard"), on_delete=models.PROTECT, related_name="+")
    conversations = models.ManyToManyField(Conversation, verbose_name=_("conversations"), related_name="+")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=CalibrationStatus.choices, default=CalibrationStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")

    def __str__(self) -> str:
        return self.name


class ComplaintCategory(models.TextChoices):
    PRODUCT = "product", _("Product quality")
    LOGISTICS = "logistics", _("Delivery and logistics")
    SERVICE = "service", _("Service attitude")
    REFUND = "refund", _("Refund and returns")
    PRICE = "price", _("Price and promotion")
    OTHER = "other", _("Other")


class ComplaintPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("New")
    RESPONDING = "responding", _("Responding")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class ComplaintPolicy(models.Model):
    """A team's complaint handling promise. Teams without one answer within 30 minutes."""

    DEFAULT_FIRST_RESPONSE_MINUTES = 30

    team = models.OneToOneField(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="complaint_policy")
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (minutes)"), default=DEFAULT_FIRST_RESPONSE_MINUTES
    )

    class Meta:
        verbose_name = _("complaint policy")
        verbose_name_plural = _("complaint policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__gte=1), name="complaint_policy_minutes_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.first_response_minutes} min"


class Complaint(TimestampedModel):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="complaints")
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=ComplaintCategory.choices)
    priority = models.CharField(
        _("priority"), max_length=8, choices=ComplaintPriority.choices, default=ComplaintPriority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=60, blank=True)
    customer = models.CharField(_("customer"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_owned",
    )
    status = models.CharField(_("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW)
    received_at = models.DateTimeField(_("received at"))
    sla_minutes = models.PositiveIntegerField(_("first response SLA (minutes)"))
    first_response_due_at = models.DateTimeField(_("first response due"))
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    sla_breached_at = models.DateTimeField(_("SLA breach flagged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    follow_up_satisfaction = models.PositiveSmallIntegerField(
        _("follow-up satisfaction"), null=True, blank=True, help_text=_("1-5, asked after the complaint is resolved.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(follow_up_satisfaction__isnull=True)
                | models.Q(follow_up_satisfaction__gte=1, follow_up_satisfaction__lte=5),
                name="complaint_follow_up_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"]),
            # The SLA job looks for unanswered complaints past due and not yet flagged.
            models.Index(
                fields=["first_response_due_at"],
                condition=models.Q(first_responded_at__isnull=True, sla_breached_at__isnull=True),
                name="complaint_sla_watch",
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class ComplaintStatusChange(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ComplaintStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTION = "action", _("Action under way")
    CLOSED = "closed", _("Closed")


class Case(TimestampedModel):
    """A bad review or complaint worked through in the 三现 form: 现场, 现物, 现实."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="qa_cases")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    review = models.ForeignKey(
        Review, verbose_name=_("review"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    # 现场: the place, the chat itself
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qa_cases",
    )
    # 现物: the actual things
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    buyer_id = models.CharField(_("buyer id"), max_length=120, blank=True)
    customer_comment = models.TextField(_("customer comment"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="qa-cases/%Y/%m/", blank=True)
    # 现实: the facts
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qa_cases_responsible",
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    meeting_notes = models.TextField(_("meeting notes"), blank=True)
    lesson_learned = models.TextField(_("lesson learned"), blank=True)
    action_task = models.ForeignKey(
        "plans.Task",
        verbose_name=_("action (5W2H task)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qa_cases",
    )
    training_requested_at = models.DateTimeField(_("turned into training at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.title
