"""Forms of the scorecard builder: the scorecard's name and team, and one row per criterion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from teams import policy
from teams.models import Team


class ScorecardForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supervised = policy.team_access(user).supervised
        self.fields["team"].queryset = Team.objects.filter(id__in=supervised).order_by("name")


class CriterionForm(BootstrapFormMixin, forms.Form):
    section = forms.CharField(label=_("section"), max_length=120, required=False)
    title = forms.CharField(label=_("criterion"), max_length=200)
    weight = forms.DecimalField(label=_("weight"), max_digits=6, decimal_places=2, min_value=0.01, initial=1)
    max_points = forms.IntegerField(label=_("max points"), min_value=1, max_value=100, initial=1)
    allow_not_applicable = forms.BooleanField(label=_("may be not applicable"), required=False)
    auto_fail = forms.BooleanField(label=_("auto-fail"), required=False)


class CriterionRows(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


# Rows left completely empty are ignored; "delete" drops a row.
CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=CriterionRows, extra=0, can_delete=True, min_num=1, validate_min=True
)


def criteria_from(formset) -> list[dict]:
    """The criteria the formset describes, in the order shown, without deleted or blank rows."""
    return [
        {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def criteria_initial(scorecard) -> list[dict]:
    return [
        {
            "section": criterion.section,
            "title": criterion.title,
            "weight": criterion.weight,
            "max_points": criterion.max_points,
            "allow_not_applicable": criterion.allow_not_applicable,
            "auto_fail": criterion.auto_fail,
        }
        for criterion in scorecard.criteria.all()
    ]
