"""Writes of the knowledge base: categories, articles (every content change a new version), reads.

Authors (training.access.can_author: the team's supervisors, QA inspectors and managers) write the articles
and categories of their teams. A version is a snapshot of an article's title and text: saving a change to
either adds the next ArticleVersion and bumps Article.version; a save that changes neither (kind, category,
tags, status alone, or the same text re-sent) keeps the version. The search document is rebuilt on every save.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams.models import Team
from training.access import can_author
from training.knowledge.search import search_document
from training.models import Article, ArticleCategory, ArticleKind, ArticleRead, ArticleStatus, ArticleVersion

MAX_TAGS = 20
TAG_MAX_LENGTH = 100
_TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
_CONTENT_FIELDS = ("title", "body")
_FIELDS = ("kind", "category", "title", "body", "status", "tags")


def _require_author(actor, team_id: int) -> None:
    if not can_author(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors, QA inspectors and managers write its articles."))


# ---------------------------------------------------------------------------------------------- categories


def _clean_category_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    if len(name) > ArticleCategory._meta.get_field("name").max_length:
        raise ValidationError({"name": _("A category name has at most 100 characters.")})
    return name


def _require_unique_category(team_id: int, name: str, *, exclude_id: int | None = None) -> None:
    same = ArticleCategory.objects.filter(team_id=team_id, name__iexact=name).exclude(pk=exclude_id)
    if same.exists():
        raise ValidationError({"name": _("The team already has a category with this name.")})


@transaction.atomic
def article_category_create(*, team: Team, actor, name: str) -> ArticleCategory:
    _require_author(actor, team.pk)
    name = _clean_category_name(name)
    _require_unique_category(team.pk, name)
    return ArticleCategory.objects.create(team=team, name=name)


@transaction.atomic
def article_category_rename(*, category: ArticleCategory, actor, name: str) -> ArticleCategory:
    _require_author(actor, category.team_id)
    name = _clean_category_name(name)
    if name != category.name:
        _require_unique_category(category.team_id, name, exclude_id=category.pk)
        category.name = name
        category.save(update_fields=["name"])
    return category


@transaction.atomic
def article_category_delete(*, category: ArticleCategory, actor) -> None:
    """Delete a category; its articles stay, without a category."""
    _require_author(actor, category.team_id)
    category.delete()


# ------------------------------------------------------------------------------------------------ articles


def clean_tags(tags) -> list[str]:
    """Tag names trimmed, inner whitespace collapsed, duplicates (ignoring case) dropped, order kept."""
    if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
        raise ValidationError({"tags": _("Tags are a list of words.")})
    names: dict[str, str] = {}
    for tag in tags:
        name = " ".join(tag.split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError({"tags": _("A tag has at most 100 characters.")})
        names.setdefault(name.casefold(), name)
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": _("At most 20 tags.")})
    return list(names.values())


def _validate(article: Article) -> None:
    errors = {}
    article.title = " ".join(article.title.split())
    if not article.title:
        errors["title"] = _("Give the article a title.")
    elif len(article.title) > _TITLE_MAX_LENGTH:
        errors["title"] = _("A title has at most 200 characters.")
    if not article.body.strip():
        errors["body"] = _("Write the article's text.")
    if article.kind not in ArticleKind.values:
        errors["kind"] = _("Choose one of the kinds of article.")
    if article.status not in ArticleStatus.values:
        errors["status"] = _("Choose draft, published or archived.")
    if article.category_id is not None and article.category.team_id != article.team_id:
        errors["category"] = _("Choose a category of the article's team.")
    if errors:
        raise ValidationError(errors)


def _save_version(article: Article, actor) -> None:
    ArticleVersion.objects.create(
        article=article, version=article.version, title=article.title, body=article.body, edited_by=actor
    )


def _tag_names(article: Article) -> list[str]:
    return [tag.name for tag in article.tags.all()]


@transaction.atomic
def article_create(
    *,
    team: Team,
    actor,
    title: str,
    body: str,
    kind: str = ArticleKind.FAQ,
    category: ArticleCategory | None = None,
    tags: Sequence[str] = (),
    status: str = ArticleStatus.DRAFT,
    source_case=None,
) -> Article:
    """Write a new article (version 1, a draft unless told otherwise) in a team the actor authors for."""
    _require_author(actor, team.pk)
    tags = clean_tags(list(tags))
    article = Article(
        team=team,
        category=category,
        kind=kind,
        title=title or "",
        body=body or "",
        status=status,
        source_case=source_case,
        version=1,
        created_by=actor,
        updated_by=actor,
    )
    _validate(article)
    article.search_document = search_document(title=article.title, body=article.body, tags=tags)
    article.save()
    article.tags.set(tags)
    _save_version(article, actor)
    return article


@transaction.atomic
def article_update(*, article: Article, actor, base_version: int | None = None, **fields) -> Article:
    """Change an article: any of kind, category, title, body, status, tags.

    `base_version`, when given, is the version the editor started from: if someone saved another version
    since, nothing is written and the error names `version` (no edit silently overwrites another).
    """
    _require_author(actor, article.team_id)
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    article = Article.objects.select_for_update().get(pk=article.pk)
    if base_version is not None and base_version != article.version:
        raise ValidationError(
            {
                "version": _(
                    "Someone saved version %(current)s while you were editing version %(base)s: "
                    "open the article again and redo your change."
                )
                % {"current": article.version, "base": base_version}
            }
        )
    before = _snapshot(article)
    old_tags = _tag_names(article)
    tags = clean_tags(list(fields.pop("tags"))) if "tags" in fields else old_tags
    for name, value in fields.items():
        setattr(article, name, value)
    _validate(article)
    after = _snapshot(article)
    tags_changed = set(tags) != set(old_tags)
    if after == before and not tags_changed:
        return article
    content_changed = any(before[name] != after[name] for name in _CONTENT_FIELDS)
    if content_changed:
        article.version += 1
    article.updated_by = actor
    article.search_document = search_document(title=article.title, body=article.body, tags=tags)
    article.save()
    if tags_changed:
        article.tags.set(tags)
    if content_changed:
        _save_version(article, actor)
    return article


def _snapshot(article: Article) -> dict:
    return {
        "kind": article.kind,
        "category": article.category_id,
        "title": article.title,
        "body": article.body,
        "status": article.status,
    }


def article_set_status(*, article: Article, actor, status: str) -> Article:
    """Publish, archive or take back to draft; the version stays (the text did not change)."""
    return article_update(article=article, actor=actor, status=status)


@transaction.atomic
def article_restore_version(*, article: Article, actor, version: int) -> Article:
    """Save an earlier version's title and text as the newest version."""
    _require_author(actor, article.team_id)
    earlier = ArticleVersion.objects.filter(article=article, version=version).first()
    if earlier is None:
        raise ValidationError({"version": _("This article has no version %(version)s.") % {"version": version}})
    return article_update(article=article, actor=actor, title=earlier.title, body=earlier.body)


def article_mark_read(*, article: Article, user) -> None:
    """Record that the user opened the article; only the first time counts (onboarding's read steps)."""
    if user.pk is not None:
        # get_or_create, not bulk_create: its post_save lets an onboarding "read this" step complete at once.
        ArticleRead.objects.get_or_create(article=article, user=user)
