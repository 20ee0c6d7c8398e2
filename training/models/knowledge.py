"""The knowledge base: categories, articles, their versions, who read them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.models import TimestampedModel
from teams.models import Team


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
