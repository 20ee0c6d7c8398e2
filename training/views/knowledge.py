"""Knowledge-base pages: search, an article, the editor, version history, categories."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.service_errors import add_errors_to_form, flash_errors
from qa_reviews.cases import case_list
from teams import policy
from training.access import can_author
from training.knowledge import selectors, services
from training.knowledge.forms import ArticleForm, CategoryForm, KnowledgeSearchForm
from training.knowledge.search import highlighted_snippet, plain_text, query_words
from training.markdown import render_markdown
from training.models import Article, ArticleStatus

PAGE_SIZE = 20
STATUS_INTENTS = {"publish": ArticleStatus.PUBLISHED, "archive": ArticleStatus.ARCHIVED, "draft": ArticleStatus.DRAFT}


def _visible_article(user, article_id: int) -> Article:
    try:
        return selectors.article_detail(user=user, article_id=article_id)
    except Article.DoesNotExist as missing:
        raise Http404 from missing


def _authored_article(user, article_id: int) -> Article:
    """A visible article (else 404) the user may write (else 403)."""
    article = _visible_article(user, article_id)
    if not can_author(user, article.team_id):
        raise PermissionDenied
    return article


@login_required
@require_safe
def knowledge_base(request):
    form = KnowledgeSearchForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_bound else selectors.ArticleFilters()
    page = Paginator(selectors.article_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    words = query_words(filters.q)
    results = [(article, highlighted_snippet(plain_text(article.body), words)) for article in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "results": results,
        "query_string": query.urlencode(),
        "tags": selectors.popular_tags(user=request.user),
        "can_write": bool(policy.team_access(request.user).supervised),
    }
    return render(request, "training/kb_search.html", context)


def _source_case_link(user, article: Article):
    """The QA case the article came from, if the user may open it (its workers and its responsible agent)."""
    if article.source_case_id is None:
        return None
    return case_list(user=user).select_related(None).only("pk", "title").filter(pk=article.source_case_id).first()


@login_required
@require_http_methods(["GET", "POST"])
def article_detail(request, article_id: int):
    article = _visible_article(request.user, article_id)
    if request.method == "POST":
        if not can_author(request.user, article.team_id):
            raise PermissionDenied
        status = STATUS_INTENTS.get(request.POST.get("intent", ""))
        if status is None:
            raise Http404
        try:
            services.article_set_status(article=article, actor=request.user, status=status)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                {
                    ArticleStatus.PUBLISHED: _("Published: the team can read it now."),
                    ArticleStatus.ARCHIVED: _("Archived: only authors see it now."),
                    ArticleStatus.DRAFT: _("Back to draft: only authors see it now."),
                }[status],
            )
        return redirect("training-article-detail", article_id=article.pk)
    services.article_mark_read(article=article, user=request.user)
    is_author = can_author(request.user, article.team_id)
    context = {
        "article": article,
        "body_html": render_markdown(article.body),
        "is_author": is_author,
        "source_case": _source_case_link(request.user, article),
        "status_actions": _status_actions(article) if is_author else [],
    }
    return render(request, "training/article_detail.html", context)


def _status_actions(article: Article) -> list[tuple[str, str, str]]:
    """(intent, label, button class) of the status changes offered on the article page."""
    actions = []
    if article.status != ArticleStatus.PUBLISHED:
        actions.append(("publish", _("Publish"), "btn-success"))
    if article.status == ArticleStatus.PUBLISHED:
        actions.append(("draft", _("Back to draft"), "btn-outline-secondary"))
    if article.status != ArticleStatus.ARCHIVED:
        actions.append(("archive", _("Archive"), "btn-outline-danger"))
    return actions


def _editor(request, *, article: Article | None):
    """One view for a new and an existing article; "preview" shows the text rendered without saving."""
    form_kwargs = {"user": request.user, "article": article}
    preview = None
    if request.method == "POST":
        form = ArticleForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if request.POST.get("intent") == "preview":
                preview = render_markdown(data["body"])
            else:
                try:
                    saved = _save(request, article, data)
                except ValidationError as error:
                    add_errors_to_form(form, error)
                else:
                    messages.success(request, _("Article saved (version %(version)s).") % {"version": saved.version})
                    return redirect("training-article-detail", article_id=saved.pk)
    elif article is not None:
        form = ArticleForm(initial=ArticleForm.initial_for(article), **form_kwargs)
    else:
        form = ArticleForm(**form_kwargs)
    return render(request, "training/article_form.html", {"form": form, "article": article, "preview": preview})


def _save(request, article: Article | None, data: dict) -> Article:
    team, base_version = data.pop("team"), data.pop("version")
    if article is None:
        return services.article_create(team=team, actor=request.user, **data)
    return services.article_update(article=article, actor=request.user, base_version=base_version, **data)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request):
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    return _editor(request, article=None)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, article_id: int):
    return _editor(request, article=_authored_article(request.user, article_id))


@login_required
def article_versions(request, article_id: int):
    article = _authored_article(request.user, article_id)
    page = Paginator(selectors.article_versions(article=article), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/article_versions.html", {"article": article, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def article_version(request, article_id: int, version: int):
    article = _authored_article(request.user, article_id)
    versions = selectors.article_versions(article=article)
    shown = get_object_or_404(versions, version=version)
    if request.method == "POST":
        try:
            saved = services.article_restore_version(article=article, actor=request.user, version=shown.version)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("training-article-version", article_id=article.pk, version=shown.version)
        messages.success(
            request,
            _("Version %(old)s restored as version %(new)s.") % {"old": shown.version, "new": saved.version},
        )
        return redirect("training-article-detail", article_id=article.pk)
    previous = versions.filter(version__lt=shown.version).first()
    context = {
        "article": article,
        "shown": shown,
        "previous": previous,
        "body_html": render_markdown(shown.body),
        "diff": selectors.version_diff(previous, shown),
    }
    return render(request, "training/article_version.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def categories(request):
    """Authors add, rename and delete the categories of the teams they author for."""
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    form = CategoryForm(user=request.user)
    if request.method == "POST":
        intent = request.POST.get("intent")
        try:
            if intent == "create":
                form = CategoryForm(request.POST, user=request.user)
                if form.is_valid():
                    services.article_category_create(actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Category added."))
                    return redirect("training-kb-categories")
            elif intent in ("rename", "delete"):
                category = get_object_or_404(
                    selectors.authored_categories(user=request.user), pk=request.POST.get("category")
                )
                if intent == "rename":
                    services.article_category_rename(
                        category=category, actor=request.user, name=request.POST.get("name", "")
                    )
                    messages.success(request, _("Category renamed."))
                else:
                    services.article_category_delete(category=category, actor=request.user)
                    messages.success(request, _("Category deleted; its articles have no category now."))
                return redirect("training-kb-categories")
            else:
                raise Http404
        except ValidationError as error:
            if intent == "create":
                add_errors_to_form(form, error)
            else:
                flash_errors(request, error)
                return redirect("training-kb-categories")
    found = selectors.authored_categories(user=request.user).order_by("team__name", "name")
    return render(request, "training/kb_categories.html", {"form": form, "categories": found})
