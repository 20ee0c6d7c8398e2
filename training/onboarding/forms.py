"""Forms of the onboarding pages: the template editor (a header and a formset of steps) and starting a
checklist by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from teams import policy
from teams.models import Position, Team
from training.access import visible_articles, visible_courses
from training.models import Article, ArticleStatus, Course, OnboardingTemplate, StepKind


class OnboardingTemplateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), empty_label=None)
    position = forms.ChoiceField(
        label=_("position"),
        choices=[("", _("Every position")), *Position.choices],
        required=False,
        help_text=_("New agents of this team (and of the teams under it) in this position get the checklist."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(id__in=policy.team_access(user).supervised).order_by("name")


class OnboardingStepForm(BootstrapFormMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=StepKind.choices)
    title = forms.CharField(
        label=_("title"), max_length=200, required=False, help_text=_("Empty: the article's or course's title.")
    )
    article = forms.ModelChoiceField(
        label=_("article"), queryset=Article.objects.none(), required=False, empty_label=_("— article —")
    )
    course = forms.ModelChoiceField(
        label=_("course"), queryset=Course.objects.none(), required=False, empty_label=_("— course —")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = (
            visible_articles(user).exclude(status=ArticleStatus.ARCHIVED).select_related("team").order_by("title")
        )
        self.fields["course"].queryset = visible_courses(user).select_related("team").order_by("title")
        self.fields["article"].label_from_instance = _labelled_by_team
        self.fields["course"].label_from_instance = _labelled_by_team

    def clean(self):
        data = super().clean()
        # The row offers both lists; what does not fit the kind is dropped rather than refused.
        if data.get("kind") != StepKind.READ_ARTICLE:
            data["article"] = None
        if data.get("kind") != StepKind.PASS_COURSE:
            data["course"] = None
        return data


def _labelled_by_team(obj) -> str:
    return f"{obj} · {obj.team}"


class StepRows(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
        form.fields["DELETE"].label = _("Remove")


OnboardingStepFormSet = forms.formset_factory(
    OnboardingStepForm, formset=StepRows, extra=0, can_delete=True, min_num=1, validate_min=True
)


def steps_from(formset) -> list[dict]:
    """The steps the formset describes, in the order shown, without removed or blank rows."""
    return [
        {
            "id": form.cleaned_data.get("id"),
            "kind": form.cleaned_data["kind"],
            "title": form.cleaned_data.get("title", ""),
            "article": form.cleaned_data.get("article"),
            "course": form.cleaned_data.get("course"),
        }
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def steps_initial(template: OnboardingTemplate) -> list[dict]:
    return [
        {"id": step.pk, "kind": step.kind, "title": step.title, "article": step.article_id, "course": step.course_id}
        for step in template.steps.all()
    ]


class OnboardingStartForm(BootstrapFormMixin, forms.Form):
    """Start a checklist by hand for someone already in the team."""

    template = forms.ModelChoiceField(label=_("checklist"), queryset=OnboardingTemplate.objects.none())
    user = forms.ModelChoiceField(label=_("member"), queryset=Team.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supervised = policy.team_access(user).supervised
        self.fields["template"].queryset = OnboardingTemplate.objects.filter(
            team_id__in=supervised, is_active=True
        ).order_by("name")
        self.fields["user"].queryset = policy.users_in_teams(supervised).order_by("username")
