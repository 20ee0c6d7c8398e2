"""Reads of the knowledge base. Every list and fetch starts from training.access.visible_articles: published
articles of the teams the user reads, and every article (drafts, archived) of the teams they author for."""

import difflib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, QuerySet
from taggit.models import Tag

from teams import policy
from training.access import can_author, visible_articles
from training.knowledge.search import search_articles
from training.models import Article, ArticleCategory, ArticleStatus, ArticleVersion


@dataclass(frozen=True)
class ArticleFilters:
    """What a knowledge-base search asks for; empty values do not filter."""

    q: str = ""
    kind: str = ""
    category: int | None = None
    tag: str = ""
    status: str = ""  # empty: drafts and published, not archived
    team: int | None = None


def article_list(*, user, filters: ArticleFilters = ArticleFilters()) -> QuerySet[Article]:
    """Visible articles matching the filters; with a query, best match first, else last changed first."""
    articles = visible_articles(user).select_related("team", "category", "created_by", "updated_by")
    articles = articles.prefetch_related("tags")
    if filters.status:
        articles = articles.filter(status=filters.status)
    else:
        articles = articles.exclude(status=ArticleStatus.ARCHIVED)
    if filters.kind:
        articles = articles.filter(kind=filters.kind)
    if filters.category is not None:
        articles = articles.filter(category_id=filters.category)
    if filters.team is not None:
        articles = articles.filter(team_id=filters.team)
    if filters.tag:
        articles = articles.filter(tags__name__iexact=filters.tag)
    if filters.q.strip():
        return search_articles(articles, filters.q, vendor=connection.vendor).order_by(
            "-search_rank", "-updated_at", "-id"
        )
    return articles.order_by("-updated_at", "-id")


def article_detail(*, user, article_id: int) -> Article:
    """One visible article, with what its page shows. Raises Article.DoesNotExist."""
    return (
        visible_articles(user)
        .select_related("team", "category", "created_by", "updated_by", "source_case")
        .prefetch_related("tags")
        .get(pk=article_id)
    )


def article_category_list(*, user) -> QuerySet[ArticleCategory]:
    """Categories of the teams the user reads."""
    return ArticleCategory.objects.filter(team__in=policy.team_access(user).readable).select_related("team")


def authored_categories(*, user) -> QuerySet[ArticleCategory]:
    """Categories an author may file an article under: those of the teams they author for."""
    return ArticleCategory.objects.filter(team__in=policy.team_access(user).supervised).select_related("team")


def popular_tags(*, user, limit: int = 30) -> QuerySet[Tag]:
    """The tags of the articles the user sees (not archived), most used first; one query."""
    visible = visible_articles(user).exclude(status=ArticleStatus.ARCHIVED).values("pk")
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article),
            taggit_taggeditem_items__object_id__in=visible,
        )
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")[:limit]
    )


def can_see_history(user, article: Article) -> bool:
    """Earlier versions (drafts included) are for the article's authors."""
    return can_author(user, article.team_id)


def article_versions(*, article: Article) -> QuerySet[ArticleVersion]:
    return ArticleVersion.objects.filter(article=article).select_related("edited_by").order_by("-version")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


def version_diff(older: ArticleVersion | None, newer: ArticleVersion) -> list[DiffLine]:
    """A unified diff of the title and text from `older` (None: nothing) to `newer`."""

    def lines(version):
        return [] if version is None else [version.title, "", *version.body.splitlines()]

    diff = difflib.unified_diff(lines(older), lines(newer), lineterm="", n=2)
    result = []
    for line in list(diff)[2:]:  # skip the ---/+++ header
        if line.startswith("@@"):
            result.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            result.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("removed", line[1:]))
        else:
            result.append(DiffLine("context", line[1:]))
    return result
