"""Training: courses and their materials, assignments with progress, quizzes and attempts, periodic
assessments, the knowledge base, onboarding checklists and career levels."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.models import TimestampedModel
from teams.models import Position, Team

# ------------------------------------------------------------------------------------------- courses


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


# ------------------------------------------------------------------------------------------- quizzes


class Quiz(TimestampedModel):
    course = models.OneToOneField(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return str(self.course)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer (graded by a supervisor)")


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"))
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting", _("Awaiting grading")
    GRADED = "graded", _("Graded")


class Attempt(TimestampedModel):
    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        help_text=_("The person's team the attempt counts for (its assignment's team)."),
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    question_order = models.JSONField(default=list, help_text=_("Question ids in the order this attempt shows them."))
    status = models.CharField(
        _("status"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("out of"), max_digits=7, decimal_places=2, default=0)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_number_once")]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.user})"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    selected = models.JSONField(_("chosen answers"), default=list, blank=True)  # Choice ids
    text = models.TextField(_("answer"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.question_id}"


# ------------------------------------------------------------------------------------ knowledge base


class ArticleKind(models.TextChoices):
    FAQ = "faq", _("FAQ")
    PRODUCT = "product", _("Product knowledge")
    BEST_PRACTICE = "best_practice", _("Best practice")
    LESSON = "lesson", _("Lesson from a QA case")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ArticleCategory(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="article_categories")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="article_category_name_once")]

    def __str__(self) -> str:
        return self.name


class Article(TimestampedModel):
    """A knowledge-base article of a team (readable by the team and the teams under it once published)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="articles")
    category = models.ForeignKey(
        ArticleCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    kind = models.CharField(_("kind"), max_length=14, choices=ArticleKind.choices, default=ArticleKind.FAQ)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    source_case = models.OneToOneField(
        "qa_reviews.Case",
        verbose_name=_("from QA case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_article",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Title, body and tags split into words (Chinese segmented), lower-cased: what search matches.
    search_document = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training-article-detail", args=[self.pk])


class ArticleVersion(models.Model):
    """Every saved version of an article, the current one included."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="article_version_once")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ArticleRead(models.Model):
    """Who opened an article, first time: onboarding's "read these articles" steps tick themselves."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_reads")
    first_read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="article_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id}"


# ---------------------------------------------------------------------------------------- onboarding


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


# --------------------------------------------------------------------------------------- career path


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
