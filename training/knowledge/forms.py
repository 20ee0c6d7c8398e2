"""Forms of the knowledge-base pages: search and filters, the article editor, categories."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from teams import policy
from teams.models import Team
from training.knowledge import selectors
from training.models import ArticleCategory, ArticleKind, ArticleStatus

_TAG_SEPARATORS = re.compile(r"[,，、;；]")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category: ArticleCategory) -> str:
        return f"{category.team.name} · {category.name}"


class KnowledgeSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("kind"), required=False)
    category = CategoryChoiceField(label=_("category"), required=False, queryset=ArticleCategory.objects.none())
    tag = forms.CharField(label=_("tag"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(placeholder=_("e.g. 退款时效, refund"), type="search")
        self.fields["kind"].choices = [("", _("Every kind")), *ArticleKind.choices]
        self.fields["category"].queryset = selectors.article_category_list(user=user).order_by("team__name", "name")
        self.fields["category"].empty_label = _("Every category")
        if policy.team_access(user).supervised:
            self.fields["status"].choices = [("", _("Drafts and published")), *ArticleStatus.choices]
        else:
            del self.fields["status"]

    def filters(self) -> selectors.ArticleFilters:
        self.is_valid()  # a bad value drops only its own filter: cleaned_data keeps the valid ones
        data = self.cleaned_data
        category = data.get("category")
        return selectors.ArticleFilters(
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            category=category.pk if category else None,
            tag=data.get("tag", ""),
            status=data.get("status", ""),
        )


def split_tags(text: str) -> list[str]:
    return [name.strip() for name in _TAG_SEPARATORS.split(text or "") if name.strip()]


class ArticleForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), empty_label=None)
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=ArticleKind.choices)
    category = CategoryChoiceField(label=_("category"), required=False, queryset=ArticleCategory.objects.none())
    tags = forms.CharField(label=_("tags"), required=False, max_length=1000, help_text=_("Separate tags with commas."))
    body = forms.CharField(
        label=_("text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## heading, **bold**, - list, [link](https://…)."),
    )
    status = forms.ChoiceField(label=_("status"), choices=ArticleStatus.choices, initial=ArticleStatus.DRAFT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(id__in=policy.team_access(user).supervised).order_by("name")
        self.fields["category"].queryset = selectors.authored_categories(user=user).order_by("team__name", "name")
        self.fields["category"].empty_label = _("No category")
        if article is not None:
            self.fields["team"].disabled = True
            self.fields["team"].required = False

    def clean_tags(self) -> list[str]:
        return split_tags(self.cleaned_data["tags"])

    @classmethod
    def initial_for(cls, article) -> dict:
        return {
            "team": article.team_id,
            "title": article.title,
            "kind": article.kind,
            "category": article.category_id,
            "tags": ", ".join(tag.name for tag in article.tags.all()),
            "body": article.body,
            "status": article.status,
            "version": article.version,
        }


class CategoryForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), empty_label=None)
    name = forms.CharField(label=_("name"), max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(id__in=policy.team_access(user).supervised).order_by("name")
